"""A team's workspace after the vote, opened from the participant's voting page (same ?w= and ?p=).

Teammates work from several laptops at once: every note is its own row, and the page redraws
when anyone in the team changes something.
"""

import streamlit as st

from abc_workshop.domain import RoundState
from abc_workshop.i18n import _, ngettext
from ui import team as panels
from ui.forms import workshop_from_url
from ui.language import for_phone
from ui.live import follow
from ui.store import get_store
from ui.text import plain, plain_label

store = get_store()
workshop = workshop_from_url(store, "team-code")
if workshop is None:
    st.stop()
participant = store.participant(workshop.id, st.query_params.get("p"))
for_phone(store, workshop, participant)
if participant is None:
    st.warning(_("Open your team's page from your voting page, so the app knows who you are."))
    st.page_link(
        "../pages/vote.py",  # not translated: a page's path
        label=_("Go to the voting page"),
        query_params={"w": workshop.join_code},
    )
    st.stop()
team = next((t for t in store.teams(workshop.id) if t.id == participant.team_id), None)
if team is None:
    st.info(_("You joined without a team, so there is no team analysis to work on."))
    st.stop()


follow(store, workshop, ("stage", "polls", f"team:{team.id}"))  # teammates' work, and the next round or poll
st.title(_("{team} · after the vote").format(team=plain(team.name)))
back = {"w": workshop.join_code, "p": participant.token}
current = store.current_round(workshop.id)
asked = [poll for poll in store.live_polls(workshop.id) if poll.state is RoundState.OPEN]
if current is not None and current.state is RoundState.OPEN:  # the next step takes the top of the page
    st.warning(_("Round {n} is open: vote now. Your team's notes stay here.").format(n=current.position), icon="🗳️")
    st.page_link(
        "../pages/vote.py",  # not translated: a page's path
        label=_("Vote in round {n}").format(n=current.position),
        icon="👉",
        query_params=back,
    )
elif asked:
    st.warning(_("A poll is open: {title}. Answer it on your voting page.").format(title=plain(asked[0].title)), icon="💬")
    st.page_link("../pages/vote.py", label=_("Answer the poll"), icon="👉", query_params=back)  # not translated: a page's path
else:
    st.page_link("../pages/vote.py", label=_("Back to voting"), icon="🗳️", query_params=back)  # not translated: a page's path

rounds = [store.round(round_id) for round_id in store.revealed_rounds(workshop.id)]
if not rounds:
    st.info(_("Your team's work starts once the facilitator reveals a round. This page follows along by itself."), icon="⏳")
    st.stop()
chosen = (
    st.selectbox(
        _("Round"),
        rounds,
        index=len(rounds) - 1,
        format_func=lambda r: _("Round {n}: {question}").format(n=r.position, question=r.question),
        key="team-round",
    )
    if len(rounds) > 1
    else rounds[0]
)
store.ensure_shortlist(chosen.id, team.id)
topics = store.team_topics(chosen.id, team.id, viewer_id=participant.id)

st.subheader(_("Our top cards"))
st.caption(
    _(
        "Seeded from your team's votes (ties kept). Change it by agreement: value, outcomes, costs and risks count, "
        "not only votes."
    )
)
st.text(
    "\n".join(
        ngettext("{position}. {title} ({n} pick)", "{position}. {title} ({n} picks)", t.picks).format(
            position=i, title=t.card_title, n=t.picks
        )
        for i, t in enumerate(topics, start=1)
    )
    or _("No cards on the shortlist yet.")
)
panels.shortlist_editor(store, workshop.id, chosen.id, team.id, topics, store.cards(chosen.deck_id), token=participant.token)

if topics:
    tabs = st.tabs([f"{i}. {plain_label(t.card_title)}" for i, t in enumerate(topics, start=1)], key=f"topic-tabs-{chosen.id}")
    for tab, topic in zip(tabs, topics):
        with tab:
            panels.topic_panel(store, workshop.id, topic, viewer_id=participant.id, token=participant.token)
