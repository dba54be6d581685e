"""Names people choose: no invisible characters, look-alikes are the same name, and nobody passes for the facilitator."""

from __future__ import annotations

import pytest

from abc_workshop.domain import InvalidInput
from abc_workshop.names import name_key

ZERO_WIDTH, RIGHT_TO_LEFT, LEFT_TO_RIGHT_MARK = "\u200b", "\u202e", "\u200e"


@pytest.mark.parametrize("hidden", [ZERO_WIDTH, RIGHT_TO_LEFT, LEFT_TO_RIGHT_MARK, "\u2066", "\ufeff", "\u00ad", "\x07"])
def test_a_team_name_with_an_invisible_character_is_refused_and_nothing_is_added(room, hidden):
    with pytest.raises(InvalidInput, match=r"cannot be seen \(U\+"):
        room.store.add_team(room.workshop.id, room.key, f"Oper{hidden}ations")
    assert [t.name for t in room.store.teams(room.workshop.id)] == ["Service Desk", "Operations"]


def test_invisible_characters_are_refused_in_every_kind_of_name(room):
    store = room.store
    with pytest.raises(InvalidInput, match="name holds a character that cannot be seen"):
        store.join(room.workshop.id, f"Ann{ZERO_WIDTH}", room.teams[0].id)
    with pytest.raises(InvalidInput, match="organisation holds"):
        store.create_workshop("Second", f"Acme{RIGHT_TO_LEFT} IT", creator_key=room.key)
    with pytest.raises(InvalidInput, match="workshop title holds"):
        store.create_workshop(f"Sec{ZERO_WIDTH}ond", "Globex", creator_key=room.key)
    with pytest.raises(InvalidInput, match="deck name holds"):
        store.import_deck(room.workshop.id, room.key, f"My{ZERO_WIDTH} deck", "d.csv", b"id,type,theme,title,description\n")
    with pytest.raises(InvalidInput, match="team name holds"):
        store.create_workshop("Second", "Globex", team_names=[f"Desk{RIGHT_TO_LEFT}"], creator_key=room.key)
    assert store._value("SELECT count(*) FROM participants") == 0
    assert store._value("SELECT count(*) FROM workshops") == 1


def test_look_alike_team_names_are_the_same_team(room):
    for look_alike in ("ＯＰＥＲＡＴＩＯＮＳ", "operations ", "Operations"):
        with pytest.raises(InvalidInput, match="already a team called 'Operations'"):
            room.store.add_team(room.workshop.id, room.key, look_alike)
    with pytest.raises(InvalidInput, match="listed twice"):
        room.store.create_workshop("Second", "Globex", team_names=["Desk", "ＤＥＳＫ"], creator_key=room.key)
    assert name_key("  Service   Desk ") == name_key("service desk") == name_key("ＳＥＲＶＩＣＥ ＤＥＳＫ")


def test_look_alike_deck_names_are_the_same_deck(room):
    deck = b"id,type,theme,title,description\nx1,A,T,First card,About it\n"
    room.store.import_deck(room.workshop.id, room.key, "Our deck", "d.csv", deck)
    with pytest.raises(InvalidInput, match="deck called 'Our deck' exists already"):
        room.store.import_deck(room.workshop.id, room.key, "ＯＵＲ  DECK", "d.csv", deck)
    assert [d.name for d in room.store.decks()][-1] == "Our deck" and len(room.store.decks()) == 2


def test_card_titles_with_invisible_characters_are_refused_in_a_deck_file(room):
    deck = f"id,type,theme,title,description\nx1,A,T,First card,About\nx2,A,T,First{ZERO_WIDTH} card,About\n".encode()
    with pytest.raises(InvalidInput, match="invisible character"):
        room.store.import_deck(room.workshop.id, room.key, "Tricky", "d.csv", deck)
    same = "id,type,theme,title,description\nx1,A,T,First card,About\nx2,A,T,ＦＩＲＳＴ card,About\n".encode()
    with pytest.raises(InvalidInput, match="already used on line 2"):
        room.store.import_deck(room.workshop.id, room.key, "Tricky", "d.csv", same)


@pytest.mark.parametrize(
    "name",
    [
        "Facilitator",
        "facilitator",
        " FACILITATOR ",
        "Facilitat0r",
        "F@cilitator",
        "Fac1l1tator",
        "ＦＡＣＩＬＩＴＡＴＯＲ",
        "Fаcilitator",  # a Cyrillic а
        "F a c i l i t a t o r",
        "The facilitator",
        "Facilitator (Ann)",
        "Anonymous",
        "Votes",
        "Admin",
        "Moderator",
    ],
)
def test_a_participant_cannot_pass_for_the_facilitator_or_the_app(room, name):
    with pytest.raises(InvalidInput, match="could be taken for the app's own label or the facilitator's name"):
        room.store.join(room.workshop.id, name, room.teams[0].id)
    assert room.store._value("SELECT count(*) FROM participants") == 0


@pytest.mark.parametrize("name", ["Ann", "Fabian", "Hostess", "Anon Ymous Jr", "Adminah", "Votes4Ann", None])
def test_ordinary_names_are_kept_as_typed(room, name):
    person = room.store.join(room.workshop.id, name, room.teams[0].id)
    assert person.display_name == name


def test_a_paper_ballot_for_the_same_name_typed_differently_replaces_the_first(room):
    rnd = room.open_round(pick_limit=2)
    first = room.store.enter_paper_ballot(rnd.id, room.key, "Zoë Smit", room.teams[0].id, room.card_ids(1))
    again = room.store.enter_paper_ballot(rnd.id, room.key, "ＺＯË  SMIT", room.teams[0].id, room.card_ids(2))
    assert again.id == first.id and room.store._value("SELECT count(*) FROM participants") == 1
    with pytest.raises(InvalidInput, match="facilitator's name"):
        room.store.enter_paper_ballot(rnd.id, room.key, "Facilitator", room.teams[0].id, room.card_ids(1))
