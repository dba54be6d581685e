"""Small forms more than one page needs."""

from __future__ import annotations

import streamlit as st

from abc_workshop.domain import NotFound, Workshop
from abc_workshop.keys import CODE_CHARACTERS
from abc_workshop.store import Store
from ui.feedback import show_refusal


def join_code_form(store: Store, form_key: str, button: str = "Continue") -> Workshop | None:
    """A form for the join code; returns the workshop once a right code is submitted."""
    with st.form(form_key):
        typed = st.text_input("Join code", max_chars=12, placeholder="e.g. K7PM4X", help=f"It is shown on the projector. {CODE_CHARACTERS}")
        st.caption(CODE_CHARACTERS)
        if st.form_submit_button(button, type="primary"):
            try:
                return store.workshop_by_code(typed)
            except NotFound as refusal:
                show_refusal(refusal)
    return None


def workshop_from_url(store: Store, form_key: str) -> Workshop | None:
    """The workshop named by ?w=CODE; otherwise (or for a wrong code) the join-code form."""
    code = st.query_params.get("w")
    if code:
        try:
            return store.workshop_by_code(code)
        except NotFound as refusal:
            show_refusal(refusal)
    workshop = join_code_form(store, form_key)
    if workshop:
        st.query_params["w"] = workshop.join_code
        st.rerun()
    return None
