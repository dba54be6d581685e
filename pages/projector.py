"""Projector page: big type for the back of the room. It shows what the server says is up
(Store.projector_now): the live round (how to join, who has voted, never what anyone picked; the result
once revealed), a poll, the iceberg, a team's summary or the review of earlier actions."""

import streamlit as st

from abc_workshop.projector import followed_teams
from ui import projector as views
from ui.forms import workshop_from_url
from ui.language import for_room
from ui.live import follow
from ui.store import get_store

st.markdown(views.STYLE, unsafe_allow_html=True)
store = get_store()
workshop = workshop_from_url(store, "projector-code")
if workshop is None:
    st.stop()
for_room(workshop)
# What the facilitator does moves the workshop's version; the teams' work is followed only where the
# projector shows it. Ballots and answers move only the progress lines, drawn from the event stream.
follow(store, workshop, ("version",), more=followed_teams)
version = store.version(workshop.id)
now = store.projector_now(workshop.id)

if now.kind in ("waiting", "voting", "closed"):
    views.live_round(store, workshop, store.current_round(workshop.id), version)
else:
    views.chosen(store, workshop, now, version)
