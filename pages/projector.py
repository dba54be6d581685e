"""Projector page: big type for the back of the room. It shows what the facilitator chose: the live
round (how to join, who has voted, never what anyone picked; the result once revealed), the iceberg,
a team's summary or the review of earlier actions."""

import streamlit as st

from abc_workshop.domain import RoundState
from ui import projector as views
from ui.forms import workshop_from_url
from ui.live import follow
from ui.page_setup import configure_page
from ui.polls import projected_poll
from ui.store import get_store

configure_page()

st.markdown(views.STYLE, unsafe_allow_html=True)
store = get_store()
workshop = workshop_from_url(store, "projector-code")
if workshop is None:
    st.stop()
# Everything the projector shows moves the workshop's version, but ballots and answers, which its
# progress lines draw from the event stream by themselves.
follow(store, workshop, ("version",))
version = store.version(workshop.id)
if projected_poll(store, workshop, version):  # a poll the facilitator put on the projector comes first
    st.stop()
view = store.projector_view(workshop.id)
current = store.current_round(workshop.id)
revealed = store.revealed_rounds(workshop.id)
latest_revealed = revealed[-1] if revealed else None

if view["mode"] == "round" and (current is None or current.state is not RoundState.REVEALED):
    views.live_round(store, workshop, current, version)
else:
    if view["mode"] == "round":
        views.revealed_round(store, workshop, current, version)
    elif view["mode"] == "iceberg":
        views.iceberg(store, latest_revealed)
    elif view["mode"] == "summary":
        views.team_summary(store, workshop, latest_revealed, view.get("team_id"))
    else:
        views.action_review(store, workshop)
