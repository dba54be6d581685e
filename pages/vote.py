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
from ui.results import result_lines
from ui.store import deck_cards, get_store
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
    # Few elements and nothing computed per phone: a reveal reruns this for every phone in the room at once.
    mine = set(store.ballot_cards(participant.id, current.id, current.attempt))
    titles = [card.title for card in deck_cards(store, current.deck_id) if card.id in mine]
    picks = "Your picks\n" + "\n".join(f"• {title}" for title in titles) if titles else "You did not vote in this round."
    if current.state is RoundState.CLOSED:
        st.info("Voting has closed. Watch the screen for the result.", icon="🔒")
        st.text(picks)
    else:
        voted, room_lines, by_team = result_lines(store, current.id, store.version(workshop.id))
        st.subheader(f"Result: {plain(current.question)}")
        blocks = [f"{voted} participants voted", "\n".join(room_lines)]
        if team_name in by_team:
            team_voted, team_lines = by_team[team_name]
            blocks.append(f"Your team ({team_name}, {team_voted} voted)\n" + "\n".join(team_lines))
        st.text("\n\n".join([*blocks, picks]))
        if team_name:
            st.page_link(
                "pages/team.py", label=f"Work on {plain_label(team_name)}'s top cards", icon="🧭",
                query_params={"w": workshop.join_code, "p": participant.token},
            )
