"""Showing people's text as text in Streamlit: titles, names and notes never become markdown, links or HTML.

The writers live in abc_workshop/shown_text.py, beside those for HTML and charts, so the core's projector views
and figures use the same rules; the pages import these two.
"""

from __future__ import annotations

from abc_workshop.shown_text import label as plain_label
from abc_workshop.shown_text import markdown as plain

__all__ = ["plain", "plain_label"]
