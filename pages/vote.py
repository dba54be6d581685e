"""Participant page: join with a name (or none) and a team, then vote in whatever round the facilitator opens.

The participant's identity is the token in ?p=, so a reload or a server restart keeps their ballot.
"""

import streamlit as st

from abc_workshop.domain import RoundState, WorkshopError
from ui.ballot import ballot
from ui.forms import workshop_from_url
from ui.live import follow
from ui.page_setup import configure_page
from ui.polls import participant_polls
from ui.results import format_top, round_result
from ui.store import get_store
from ui.text import plain, plain_label

configure_page()

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
        team = st.radio("Your team", teams, format_func=lambda t: t.name, index=None) if teams else None
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
# What this page follows: the current round's stage and the open or revealed polls, read before the
# round itself so that no change slips between the two reads.
follow(store, workshop, ("stage", "polls"), instant=True, timer=True)
current = store.current_round(workshop.id)
participant_polls(store, participant)

if current is None or current.state is RoundState.DRAFT:
    st.info("Waiting for the facilitator to open a round. This page follows along by itself.", icon="⏳")
elif current.state is RoundState.OPEN:
    ballot(store, participant, current)
else:
    mine = set(store.ballot_cards(participant.id, current.id, current.attempt))
    titles = [card.title for card in store.cards(current.deck_id) if card.id in mine]
    if current.state is RoundState.CLOSED:
        st.info("Voting has closed. Watch the screen for the result.", icon="🔒")
    else:
        result = round_result(store, current.id, store.version(workshop.id))
        st.subheader(f"Result: {plain(current.question)}")
        st.caption(f"{result.overall.ballots} participants voted")
        st.text("\n".join(format_top(result.overall.table)))
        if team_name:
            st.page_link(
                "pages/team.py", label=f"Work on {plain_label(team_name)}'s top cards", icon="🧭",
                query_params={"w": workshop.join_code, "p": participant.token},
            )
        team_result = next((r for r in result.teams if r.name == team_name), None)
        if team_result and team_result.ballots:
            st.caption(f"Your team ({plain(team_name)}, {team_result.ballots} voted)")
            st.text("\n".join(format_top(team_result.table)))
    st.caption("Your picks" if titles else "You did not vote in this round.")
    if titles:
        st.text("\n".join(f"• {title}" for title in titles))
