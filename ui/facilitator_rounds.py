"""The facilitator's Rounds section: one round at a time (the live one unless another is chosen), its controls,
its progress or results, and a paper ballot for someone without a device while it is open.

Only the chosen round is drawn, and of its results only the room's chart and one team's: with 30 teams the
section costs the same as with two.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from abc_workshop import charts
from abc_workshop.domain import Round, RoundState, Workshop
from abc_workshop.store import Store
from ui.facilitator import STATE_ICONS, new_round_form, round_controls
from ui.feedback import attempt
from ui.results import round_result
from ui.store import deck_cards
from ui.text import plain

CHOSEN_ROUND = "facilitator-round"
PAPER_LISTED = 30  # paper ballots named under the form; the rest are counted


def round_label(rnd: Round) -> str:
    return f"{STATE_ICONS[rnd.state]} Round {rnd.position} · {rnd.state.value} · {rnd.question}"


def choose_round(workshop: Workshop, rounds: list[Round]) -> Round:
    """The round the facilitator looks at: the one they chose, else the live one, else the newest."""
    by_id = {rnd.id: rnd for rnd in rounds}
    if st.session_state.get(CHOSEN_ROUND) not in by_id:
        st.session_state[CHOSEN_ROUND] = workshop.current_round_id if workshop.current_round_id in by_id else rounds[-1].id
    chosen = st.selectbox("Round", list(reversed(by_id)), format_func=lambda i: round_label(by_id[i]), key=CHOSEN_ROUND)
    return by_id[chosen]


def show_round_after_creating(round_id: int) -> None:
    """Called before the rerun that follows Create round, so the new round is the one on screen."""
    st.session_state[CHOSEN_ROUND] = round_id


def round_details(rnd: Round) -> str:
    timer = f" · timer {rnd.timer_seconds // 60}:{rnd.timer_seconds % 60:02d}" if rnd.timer_seconds else ""
    again = f" · attempt {rnd.attempt}" if rnd.attempt > 1 else ""
    return f"{plain(rnd.perspective_text)} · {rnd.pick_limit} picks{timer}{again}"


def round_results(store: Store, rnd: Round, version: int, key: str) -> None:
    """The room's top cards, and one team's at a time (chosen below), never a chart per team at once."""
    result = round_result(store, rnd.id, version)
    if not result.overall.ballots:
        st.info("No ballots yet.")
        return
    top_n = st.slider("Top cards", 3, 20, 10, key=f"top-{rnd.id}")
    st.plotly_chart(
        charts.top_cards_bar(result.overall.top(top_n), result.overall.ballots, "Everyone", font_size=13),
        key=f"chart-{rnd.id}",
        theme=None,
    )
    voted = [team for team in result.teams if team.ballots]
    if voted:
        names = [team.name for team in voted]
        shown = st.selectbox("One team's top cards", names, index=None, placeholder="Choose a team", key=f"team-chart-{rnd.id}")
        if shown is not None:
            team = voted[names.index(shown)]
            st.caption(f"{plain(team.name)}: {team.ballots} voted")
            st.plotly_chart(
                charts.top_cards_bar(team.top(top_n), team.ballots, team.name, font_size=13),
                key=f"team-chart-fig-{rnd.id}",
                theme=None,
            )
    if rnd.show_names and st.toggle("Who picked what", key=f"names-{rnd.id}"):
        st.dataframe(pd.DataFrame(store.named_ballots(rnd.id, key)), hide_index=True)


def paper_ballot_form(store: Store, workshop: Workshop, rnd: Round, key: str) -> None:
    """A ballot typed in from paper, for someone without a phone: same budget and rules as any ballot."""
    teams = store.teams(workshop.id)
    cards = deck_cards(store, rnd.deck_id)
    entered = store.paper_ballots(rnd.id)
    with st.expander(f"📝 Enter a paper ballot (for someone without a device) · {len(entered)} entered"):
        if entered:
            listed = entered[:PAPER_LISTED]
            more = f", and {len(entered) - len(listed)} more" if len(entered) > len(listed) else ""
            st.markdown(
                "Entered so far: "
                + ", ".join(
                    f"{plain(row['name'])}"
                    + (f" ({plain(row['team'])})" if row["team"] else "")
                    + f": {row['cards']} card{'s' if row['cards'] != 1 else ''}"
                    for row in listed
                )
                + more
            )
        st.caption(
            f"The person is added to the workshop under their name, marked as entered by the facilitator. "
            f"Entering a ballot again for the same name and team replaces theirs. At most {rnd.pick_limit} cards."
        )
        with st.form(f"paper-ballot-{rnd.id}-{rnd.attempt}", clear_on_submit=True):
            name = st.text_input("Their name", max_chars=40)
            team = (
                st.selectbox("Their team", teams, format_func=lambda t: t.name, index=None, placeholder="Choose their team")
                if teams
                else None
            )
            picks = st.multiselect(
                f"The cards they picked (at most {rnd.pick_limit})",
                cards,
                format_func=lambda c: c.title,
                max_selections=rnd.pick_limit,
                placeholder="Type to search the deck",
            )
            if st.form_submit_button("Save the paper ballot"):
                attempt(
                    lambda: store.enter_paper_ballot(rnd.id, key, name, team.id if team else None, [c.id for c in picks]),
                    success=f"Paper ballot saved for {plain(name.strip())} ({len(picks)} card{'s' if len(picks) != 1 else ''}).",
                )


def round_header(store: Store, workshop: Workshop, key: str) -> Round | None:
    """The round selector, the chosen round's details and the buttons that move it along."""
    rounds = store.rounds(workshop.id)
    if not rounds:
        return None
    rnd = choose_round(workshop, rounds)
    st.caption(round_details(rnd))
    round_controls(store, rnd, key)
    return rnd


def round_body(store: Store, workshop: Workshop, rnd: Round | None, version: int, key: str) -> None:
    """Below the live progress: a paper ballot while open, results once closed, and the form for a new round."""
    if rnd is not None and rnd.state is RoundState.OPEN:
        paper_ballot_form(store, workshop, rnd, key)
    elif rnd is not None and rnd.state is not RoundState.DRAFT:
        round_results(store, rnd, version, key)
    with st.expander("➕ New round", expanded=rnd is None):
        created = new_round_form(store, workshop, key)
        if created is not None:
            show_round_after_creating(created.id)
            st.rerun()
