"""Showing people's text as text: titles, names and notes must never become markdown, links or HTML."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: str) -> str:
    """Escape everything Streamlit's markdown would interpret (emphasis, links, HTML, LaTeX, :emoji:)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
