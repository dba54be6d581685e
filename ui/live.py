"""Following the facilitator: each open page polls the workshop's version number and redraws when it moves.

The poll is one tiny query in a fragment; nothing is drawn on the timer but plain text, so
hundreds of phones cost little (shared/notes/streamlit-facts.md). Charts are only built in full reruns.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

import streamlit as st

from abc_workshop.domain import Round, RoundState
from abc_workshop.store import Store
from ui.text import plain

POLL_SECONDS = 2.0  # 'within about 2 seconds'; each tick costs the server ~3 ms per phone (bench/README.md)


@st.fragment(run_every=POLL_SECONDS)
def follow(poll: Callable[[], Hashable], seen: Hashable, closes_at: float | None = None) -> None:
    """Rerun the whole page as soon as `poll()` differs from what it returned when the page was drawn.

    With `closes_at`, also show the time left (plain text, so the tick stays cheap).
    """
    if poll() != seen:
        st.rerun()
    if closes_at is not None:
        st.markdown(f"**⏱ {countdown(closes_at - time.time())}**")


@st.fragment(run_every=1)
def live_progress(store: Store, rnd: Round, seen_version: int, big: bool = False) -> None:
    """For the facilitator and the projector: who has voted, per team, and the timer; closes the round when time is up."""
    if rnd.state is RoundState.OPEN and rnd.closes_at is not None and rnd.closes_at <= time.time():
        store.close_if_expired(rnd.id)
    if store.version(rnd.workshop_id) != seen_version:
        st.rerun()
    progress = store.progress(rnd.id)
    headline = f"{progress.voted} of {progress.joined} have voted"
    left = countdown(rnd.closes_at - time.time()) if rnd.state is RoundState.OPEN and rnd.closes_at else None
    if big:
        st.markdown(f"<div class='big-progress'>{headline}{' · ⏱ ' + left if left else ''}</div>", unsafe_allow_html=True)
    else:
        st.markdown(f"**{headline}**" + (f" · ⏱ {left}" if left else ""))
    teams = [t for t in progress.teams if t.joined]
    if teams:
        columns = st.columns(min(len(teams), 4))
        for index, team in enumerate(teams):
            columns[index % len(columns)].metric(plain(team.team_name), f"{team.voted} / {team.joined}")


def countdown(seconds: float) -> str:
    """'1:05 left', or 'time is up'."""
    if seconds <= 0:
        return "time is up"
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d} left"
