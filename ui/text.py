"""Showing people's text as text: titles, names and notes must never become markdown, links or HTML."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: str) -> str:
    """Escape everything Streamlit's markdown would interpret (emphasis, links, HTML, LaTeX, :emoji:)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]~$:<>])")


def plain_label(text: str) -> str:
    """For widget labels, which render only inline markdown: escape just what could format or link,
    so the label (also the checkbox's spoken name for screen readers) stays close to the text."""
    return _LABEL_SPECIAL.sub(r"\\\1", text)
