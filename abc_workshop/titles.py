"""Matching card titles as a person would: typography does not make a different card.

Published rankings copy titles from slides and web pages: a typographic ellipsis where the deck has '...',
curly quotes, another dash, an extra comma, '&' for 'and', brackets placed elsewhere. `title_key` folds all
of that away; `nearest` offers the closest cards for a title that still does not match (a shortened form),
so the lead confirms a mapping instead of retyping the file.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_APOSTROPHES = re.compile(r"['’‘ʼ`´]")
_NOT_WORD = re.compile(r"[^\w]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def title_key(title: str) -> str:
    """A title without typography: case, accents' compatibility forms, quotes, apostrophes, dashes, ellipses,
    punctuation, brackets and spacing folded away ("It’s a user error…" == "its a user error")."""
    text = unicodedata.normalize("NFKC", title).casefold().replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def loose_key(title: str) -> str:
    """The title without its bracketed parts, for "(ITIL)" or "(Business & IT)" written in another place or left out."""
    return title_key(_BRACKETED.sub(" ", title))


def nearest(title: str, candidates: dict[int, str], n: int = 3) -> list[int]:
    """The ids of up to `n` candidate titles closest to `title`, closest first; a title that contains the
    other's words (a shortened form) counts as close."""
    key = title_key(title)
    words = set(key.split())

    def score(candidate: str) -> float:
        other = title_key(candidate)
        ratio = difflib.SequenceMatcher(None, key, other).ratio()
        shared = words & set(other.split())
        overlap = len(shared) / max(1, min(len(words), len(set(other.split()))))
        return max(ratio, 0.9 * overlap) + 0.01 * ratio

    ranked = sorted(candidates, key=lambda card: score(candidates[card]), reverse=True)
    return [card for card in ranked[:n] if score(candidates[card]) >= 0.35]
