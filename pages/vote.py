"""Participant page: join with a name (or none) and a team, then vote in whatever round the facilitator opens.

The participant's identity is the token in ?p=, so a reload or a server restart keeps their ballot.
"""

import streamlit as st

from abc_workshop.i18n import _
from ui.forms import join_form, workshop_from_url
from ui.language import for_phone, keep_choice, phone_switch
from ui.phone import phone
from ui.store import get_store
from ui.text import plain

store = get_store()
workshop = workshop_from_url(store, "vote-code")
if workshop is None:
    st.stop()


participant = store.participant(workshop.id, st.query_params.get("p"))
for_phone(store, workshop, participant)
st.title(plain(workshop.title))
phone_switch()

if participant is None:
    if st.query_params.get("p"):
        st.warning(_("This link belongs to nobody in this workshop; please join again."))
    joined = join_form(store, workshop)
    if joined is not None:
        keep_choice(store, workshop, joined)  # a language chosen before joining stays with the participant
        st.query_params["p"] = joined.token
        st.rerun()
    st.stop()

team_name = next((t.name for t in store.teams(workshop.id) if t.id == participant.team_id), None)
you = plain(participant.display_name) if participant.display_name else _("Anonymous")
st.caption(
    _("You: {name} · team {team} · keep this page open").format(name=you, team=plain(team_name))
    if team_name
    else _("You: {name} · keep this page open").format(name=you)
)
phone(store, workshop, participant, team_name)
