"""Names people choose (teams, display names, workshops, organisations, decks): what they may hold and when two
are the same name.

A name is shown to others and picked from lists, so a character nobody can see (a zero-width space, a text
direction control) would make a second "Operations" that looks like the first, or a name that reads backwards.
Such characters are refused with a message; everything else is kept as typed. Two names are compared by their
`name_key`: compatibility forms folded (full-width letters, ligatures), case ignored, spacing collapsed.
"""

from __future__ import annotations

import re
import unicodedata

from .domain import InvalidInput
from .i18n import _

# Fields whose text is a name (domain.LIMITS keys); check_text refuses invisible characters in them.
NAME_FIELDS = frozenset(
    {"title", "organisation", "team", "display_name", "deck_name", "card_title", "country", "poll_title", "owner"}
)
# Display names that would pass for the app's own words: the facilitator's, or the log's "Votes" and "Anonymous"
# (also as the German and Dutch pages say them: "Moderation", "Anonym", "Anoniem").
RESERVED_NAMES = (
    "facilitator",
    "moderator",
    "administrator",
    "admin",
    "organiser",
    "organizer",
    "host",
    "anonymous",
    "votes",
    "moderation",
    "anonym",
    "anoniem",
)
# Letters and digits used to fake Latin letters in a name; folded before reserved names are compared.
_LOOK_ALIKES = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
        "а": "a",
        "с": "c",
        "е": "e",
        "і": "i",
        "о": "o",
        "р": "p",
        "х": "x",
        "у": "y",
        "т": "t",
        "к": "k",
        "м": "m",
        "н": "h",
        "α": "a",
        "ε": "e",
        "ι": "i",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "κ": "k",
        "ν": "v",
        "l": "i",
    }
)
_SPACES = re.compile(r"\s+")


def invisible_characters(text: str) -> list[str]:
    """The characters of `text` that draw nothing or change the direction of what follows, as U+ codes."""
    return [f"U+{ord(ch):04X}" for ch in text if _invisible(ch)]


def _invisible(ch: str) -> bool:
    # Cf: zero-width spaces and joiners, direction marks and embeddings, soft hyphen, word joiner, byte-order mark.
    # Cc: control characters. Zl, Zp: line and paragraph separators, which break a name over lines.
    return unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp")


def refuse_invisible(text: str, label: str) -> None:
    """`label`: the field's name in the run's language (check_text translates it)."""
    found = invisible_characters(text)
    if found:
        raise InvalidInput(
            # Translators: {label} is the name of a form field, e.g. "team name"; {codes} are character codes (U+200B).
            _(
                "The {label} holds a character that cannot be seen ({codes}), which makes names that look alike but differ; "
                "please type it again without it."
            ).format(label=label, codes=", ".join(dict.fromkeys(found)))
        )


def name_key(name: str) -> str:
    """Two names are the same name when their keys are equal ("Ｏｐｓ", "ops " and "OPS" are one team)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


def _skeleton(name: str) -> str:
    """A name reduced to the letters it seems to spell: look-alike digits and Cyrillic or Greek letters folded to
    Latin ones, accents, spaces and punctuation dropped ("F@cilitatør", "f a c i l i t a t o r")."""
    folded = unicodedata.normalize("NFKD", name_key(name)).translate(_LOOK_ALIKES)
    letters = "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))
    return letters.replace("ø", "o")


_RESERVED_SKELETONS = tuple(_skeleton(name) for name in RESERVED_NAMES)


def refuse_reserved(display_name: str) -> None:
    """A participant's name may not pass for the facilitator (or the app's own labels), however it is spelled."""
    skeleton = _skeleton(display_name)
    if skeleton and any(
        skeleton == reserved or (reserved == _skeleton("facilitator") and reserved in skeleton)
        for reserved in _RESERVED_SKELETONS
    ):
        raise InvalidInput(
            _(
                "'{name}' could be taken for the app's own label or the facilitator's name; please use your own name "
                "(or leave it empty to stay anonymous)."
            ).format(name=display_name)
        )
