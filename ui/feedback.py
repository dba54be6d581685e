"""Running a store action from a page: a refusal is shown in place, never as a traceback."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from abc_workshop.domain import WorkshopError
from ui.text import plain


def show_refusal(refusal: Exception) -> None:
    """Messages may quote people's text (a deck's titles, a typed code), so they are shown as plain text, line by line."""
    st.error(plain(str(refusal)))


def attempt(action: Callable[[], object], *, success: str | None = None, rerun: bool = False) -> bool:
    """Run `action`; on success toast `success` and, with `rerun`, redraw the page so it shows the change."""
    try:
        action()
    except (WorkshopError, ValueError) as refusal:
        show_refusal(refusal)
        return False
    if success:
        st.toast(success)
    if rerun:
        st.rerun()
    return True
