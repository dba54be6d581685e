"""Codes and keys."""

from abc_workshop.keys import hash_key, key_matches, new_facilitator_key, normalise_join_code


def test_a_key_matches_only_its_own_hash_and_each_hash_is_salted():
    key = new_facilitator_key()
    first, second = hash_key(key), hash_key(key)
    assert first != second
    assert key_matches(key, first) and key_matches(key, second)
    assert not key_matches(new_facilitator_key(), first)
    assert not key_matches(key, "not-a-hash")


def test_join_codes_are_normalised():
    assert normalise_join_code(" k7p-2qx ") == "K7P2QX"


def test_codes_and_keys_use_no_look_alike_characters():
    from abc_workshop.keys import JOIN_CODE_ALPHABET, new_join_code

    assert not set(JOIN_CODE_ALPHABET) & set("0OQD1ILJ2Z5S8BUV")
    assert JOIN_CODE_ALPHABET == JOIN_CODE_ALPHABET.upper(), "no case to get wrong"
    for _ in range(50):
        assert set(new_join_code()) <= set(JOIN_CODE_ALPHABET)
        assert set(new_facilitator_key().replace("-", "")) <= set(JOIN_CODE_ALPHABET)


def test_a_key_typed_in_small_letters_with_spaces_or_without_dashes_still_matches():
    from abc_workshop.keys import normalise_key

    key = new_facilitator_key()
    stored = hash_key(key)
    for typed in (key.lower(), key.replace("-", " "), key.replace("-", ""), f"  {key.lower().replace('-', '')} "):
        assert normalise_key(typed) == key and key_matches(typed, stored)
    assert not key_matches(key[:-1], stored)


def test_keys_from_the_earlier_three_group_format_still_match_however_typed():
    from abc_workshop.keys import normalise_key

    earlier = "ABCD-EFGH-JKMN"  # made by an earlier version, hashed as shown
    stored = hash_key(earlier)
    assert normalise_key("abcd efgh jkmn") == earlier and key_matches("abcdefghjkmn", stored)


def test_a_server_key_of_another_shape_is_compared_exactly():
    from abc_workshop.keys import normalise_key

    assert normalise_key(" room-key-2026 ") == "room-key-2026"
    assert normalise_key("Room Key!") == "Room Key!"


def test_where_codes_and_keys_are_typed_the_characters_are_named():
    from abc_workshop.keys import CODE_CHARACTERS, KEY_CHARACTERS

    assert "A C E F G H K M N P R T W X Y" in CODE_CHARACTERS and "3 4 6 7 9" in CODE_CHARACTERS
    assert "small or capital" in KEY_CHARACTERS


def test_a_right_key_costs_its_scrypt_once_and_a_wrong_one_every_time(room, monkeypatch):
    from abc_workshop.store import base

    checked = []
    real = base.key_matches
    monkeypatch.setattr(base, "key_matches", lambda key, stored: checked.append(key) or real(key, stored))
    for _ in range(3):
        assert room.store.key_is_valid(room.workshop.id, room.key)
    assert len(checked) == 1
    for _ in range(2):
        assert not room.store.key_is_valid(room.workshop.id, "WRONG-KEYS-ARE-NEVER-KEPT")
    assert len(checked) == 3
    other, _other_key = room.store.create_workshop("Other", "Other Org", creator_key=room.key)
    assert not room.store.key_is_valid(other.id, room.key)  # a key proven for one workshop opens no other
