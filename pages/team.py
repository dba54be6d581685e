"""A team's workspace after the vote, opened from the participant's voting page (same ?w= and ?p=).

Teammates work from several laptops at once: every note is its own row, and the page redraws
when anyone in the team changes something.
"""

import streamlit as st

from abc_workshop.domain import RoundState
from ui import team as panels
from ui.forms import workshop_from_url
from ui.live import follow
from ui.store import get_store
from ui.text import plain, plain_label

store = get_store()
workshop = workshop_from_url(store, "team-code")
if workshop is None:
    st.stop()
participant = store.participant(workshop.id, st.query_params.get("p"))
if participant is None:
    st.warning("Open your team's page from your voting page, so the app knows who you are.")
    st.page_link("../pages/vote.py", label="Go to the voting page", query_params={"w": workshop.join_code})
    st.stop()
team = next((t for t in store.teams(workshop.id) if t.id == participant.team_id), None)
if team is None:
    st.info("You joined without a team, so there is no team analysis to work on.")
    st.stop()


follow(store, workshop, ("stage", "polls", f"team:{team.id}"))  # teammates' work, and the next round or poll
st.title(f"{plain(team.name)} · after the vote")
back = {"w": workshop.join_code, "p": participant.token}
current = store.current_round(workshop.id)
asked = [poll for poll in store.live_polls(workshop.id) if poll.state is RoundState.OPEN]
if current is not None and current.state is RoundState.OPEN:  # the next step takes the top of the page
    st.warning(f"Round {current.position} is open: vote now. Your team's notes stay here.", icon="🗳️")
    st.page_link("../pages/vote.py", label=f"Vote in round {current.position}", icon="👉", query_params=back)
elif asked:
    st.warning(f"A poll is open: {plain(asked[0].title)}. Answer it on your voting page.", icon="💬")
    st.page_link("../pages/vote.py", label="Answer the poll", icon="👉", query_params=back)
else:
    st.page_link("../pages/vote.py", label="Back to voting", icon="🗳️", query_params=back)

rounds = [store.round(round_id) for round_id in store.revealed_rounds(workshop.id)]
if not rounds:
    st.info("Your team's work starts once the facilitator reveals a round. This page follows along by itself.", icon="⏳")
    st.stop()
chosen = (
    st.selectbox(
        "Round", rounds, index=len(rounds) - 1, format_func=lambda r: f"Round {r.position}: {r.question}", key="team-round"
    )
    if len(rounds) > 1
    else rounds[0]
)
store.ensure_shortlist(chosen.id, team.id)
topics = store.team_topics(chosen.id, team.id, viewer_id=participant.id)

st.subheader("Our top cards")
st.caption(
    "Seeded from your team's votes (ties kept). Change it by agreement: value, outcomes, costs and risks count, not only votes."
)
st.text(
    "\n".join(f"{i}. {t.card_title} ({t.picks} picks)" for i, t in enumerate(topics, start=1)) or "No cards on the shortlist yet."
)
panels.shortlist_editor(store, workshop.id, chosen.id, team.id, topics, store.cards(chosen.deck_id), token=participant.token)

if topics:
    tabs = st.tabs([f"{i}. {plain_label(t.card_title)}" for i, t in enumerate(topics, start=1)], key=f"topic-tabs-{chosen.id}")
    for tab, topic in zip(tabs, topics):
        with tab:
            panels.topic_panel(store, workshop.id, topic, viewer_id=participant.id, token=participant.token)
