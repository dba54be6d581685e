"""Small forms more than one page needs."""

from __future__ import annotations

import streamlit as st

from abc_workshop.dates import iso_now
from abc_workshop.domain import NotFound, Participant, RoundState, Workshop, WorkshopError
from abc_workshop.keys import CODE_CHARACTERS
from abc_workshop.store import Store
from ui.feedback import show_refusal
from ui.guard import count, guarded, refuse_while_waiting
from ui.text import plain_label


def join_code_form(store: Store, form_key: str, button: str = "Continue") -> Workshop | None:
    """A form for the join code; returns the workshop once a right code is submitted."""
    with st.form(form_key):
        typed = st.text_input(
            "Join code", max_chars=12, placeholder="e.g. K7PM4X", help=f"It is shown on the projector. {CODE_CHARACTERS}"
        )
        st.caption(CODE_CHARACTERS)
        if st.form_submit_button(button, type="primary"):
            return _by_code(store, typed)
    return None


def _by_code(store: Store, typed: str) -> Workshop | None:
    """The workshop of a typed code; wrong codes count against this browser (ui/guard.py), which then waits."""
    try:
        return guarded("codes", lambda: store.workshop_by_code(typed), failures=(NotFound,))
    except NotFound as refusal:
        show_refusal(refusal)
        return None


def workshop_from_url(store: Store, form_key: str) -> Workshop | None:
    """The workshop named by ?w=CODE; otherwise (or for a wrong code) the join-code form."""
    code = st.query_params.get("w")
    if code:
        found = _by_code(store, code)
        if found is not None:
            return found
    workshop = join_code_form(store, form_key)
    if workshop:
        st.query_params["w"] = workshop.join_code
        st.rerun()
    return None


NAMES_SHOWN = "In this workshop the facilitator sees who picked which cards in a round that says so on its ballot."


def join_form(store: Store, workshop: Workshop) -> Participant | None:
    """Join with a name (or none) and a team; returns the new participant. Says so before anyone joins when a coming
    round shows names to the facilitator, and says when the workshop no longer takes new participants."""
    if not workshop.takes_new_participants(iso_now()):
        st.info(
            "This workshop has ended, so its join code no longer lets anyone join. If you took part, open the link your "
            "phone was given; otherwise ask the facilitator.",
            icon="🔒",
        )
        return None
    teams = store.teams(workshop.id)
    named = any(r.show_names and r.state in (RoundState.DRAFT, RoundState.OPEN) for r in store.rounds(workshop.id))
    with st.form("join-workshop"):
        st.subheader("Join the workshop")
        if named:
            st.caption(NAMES_SHOWN)
        name = st.text_input("Your name (leave empty to stay anonymous)", max_chars=40)
        team = st.radio("Your team", teams, format_func=lambda t: plain_label(t.name), index=None) if teams else None
        if st.form_submit_button("Join", type="primary") and not refuse_while_waiting("joins"):
            try:
                joined = store.join(workshop.id, name, team.id if team else None)
            except WorkshopError as refusal:
                show_refusal(refusal)
            else:
                count("joins")
                return joined
    return None
