"""Codes, keys and plain text."""

from abc_workshop.keys import hash_key, key_matches, new_facilitator_key, normalise_join_code
from ui.text import plain


def test_a_key_matches_only_its_own_hash_and_each_hash_is_salted():
    key = new_facilitator_key()
    first, second = hash_key(key), hash_key(key)
    assert first != second
    assert key_matches(key, first) and key_matches(key, second)
    assert not key_matches(new_facilitator_key(), first)
    assert not key_matches(key, "not-a-hash")


def test_join_codes_are_normalised():
    assert normalise_join_code(" k7p-2qx ") == "K7P2QX"


def test_plain_text_escapes_markdown_links_html_and_emoji_codes():
    assert plain("[click](http://x) **b** <i>:smile: $x$") == (
        r"\[click\]\(http\://x\) \*\*b\*\* \<i\>\:smile\: \$x\$"
    )
