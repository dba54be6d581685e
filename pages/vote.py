"""Participant page: join with a name (or none) and a team, then vote in whatever round the facilitator opens.

The participant's identity is the token in ?p=, so a reload or a server restart keeps their ballot.
"""

import streamlit as st

from abc_workshop.domain import WorkshopError
from ui.forms import workshop_from_url
from ui.phone import phone
from ui.store import get_store
from ui.text import plain, plain_label


store = get_store()
workshop = workshop_from_url(store, "vote-code")
if workshop is None:
    st.stop()


st.title(plain(workshop.title))
participant = store.participant(workshop.id, st.query_params.get("p"))

if participant is None:
    if st.query_params.get("p"):
        st.warning("This link belongs to nobody in this workshop; please join again.")
    teams = store.teams(workshop.id)
    with st.form("join-workshop"):
        st.subheader("Join the workshop")
        name = st.text_input("Your name (leave empty to stay anonymous)", max_chars=40)
        team = st.radio("Your team", teams, format_func=lambda t: plain_label(t.name), index=None) if teams else None
        if st.form_submit_button("Join", type="primary"):
            try:
                joined = store.join(workshop.id, name, team.id if team else None)
            except WorkshopError as refusal:
                st.error(str(refusal))
            else:
                st.query_params["p"] = joined.token
                st.rerun()
    st.stop()

team_name = next((t.name for t in store.teams(workshop.id) if t.id == participant.team_id), None)
st.caption(f"You: {plain(participant.shown_name)}" + (f" · team {plain(team_name)}" if team_name else "") + " · keep this page open")
phone(store, workshop, participant, team_name)
