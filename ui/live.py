"""Following the room: each open page listens to the server's event stream and reruns only when what it
shows changed (abc_workshop/live.py, ui/live_routes.py, README "How it is built").

`follow(...)` reads the workshop's pulse at the start of the page run, so the page and the stream
compare the same parts of it. A page that cannot reach the stream (a proxy that buffers it, a server
started without app.py, AppTest) polls the pulse in a small fragment instead, as every page did
before; it says nothing alarming about it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from abc_workshop.domain import Round, Workshop
from abc_workshop.live import digest, needs_counts, parse_topics, project
from abc_workshop.store import Store
from ui import live_routes
from ui.text import plain

POLL_SECONDS = 2.0  # the fallback: each tick costs the server a Streamlit rerun (bench/README.md)
FALLBACK_KEY = "live-fallback"

_listener = st.components.v2.component(
    "abc_live",
    js=(Path(__file__).with_name("live.js")).read_text(),
    css=(Path(__file__).with_name("live.css")).read_text(),
)

# What a participant's page says the moment the stage changes, before its rerun has drawn the rest.
STAGE_SENTENCES = {
    "open": "Voting is open: your ballot is on its way…",
    "closed": "Voting has closed. Watch the screen for the result.",
    "revealed": "The result is up: loading it…",
    "draft": "The facilitator is preparing the next round…",
    "none": "Waiting for the facilitator…",
}


def follow(
    store: Store, workshop: Workshop, watch: Sequence[str], *, key: str = "follow", instant: bool = False, timer: bool = False
) -> dict | None:
    """Rerun this page when the watched parts of the workshop change; returns the pulse the page is drawn from.

    `watch`: "stage", "polls", "projector", "version", "progress", "team:<id>" (abc_workshop/live.py).
    With `instant`, the sentence for a new round state shows at once, before the rerun lands; with
    `timer`, the time left in an open round counts down in the browser.
    """
    topics = parse_topics(watch)
    counts = needs_counts(topics)
    pulse = store.pulse(workshop.id, counts=counts)
    if close_what_ran_out(store, pulse):
        pulse = store.pulse(workshop.id, counts=counts)
    drawn = digest(project(pulse, topics))
    _, state, _, closes_at = pulse["stage"] if pulse else (None, None, None, None)
    closes_at = closes_at if timer and state == "open" else None
    if not live_routes.running() or st.session_state.get(FALLBACK_KEY):
        _poll(store, workshop.id, topics, drawn, closes_at)
        return pulse
    _listener(
        key=f"live-{key}",
        data={"url": stream_url(workshop, topics), "drawn": drawn, "mode": "follow", "texts": STAGE_SENTENCES if instant else {},
              "closesAt": closes_at},
        on_changed_change=_noop,
        on_fallback_change=_fall_back,
        height="content",
    )
    return pulse


def live_progress(store: Store, rnd: Round, seen_version: int | None = None, big: bool = False) -> None:
    """Who has voted, per team, and the time left, drawn in the browser from the event stream: no rerun per ballot.

    `seen_version` is kept for the callers' sake; the progress follows the stream by itself.
    """
    if not _counted(store.workshop(rnd.workshop_id), f"live-progress-{rnd.id}", "progress", big=big, labels={"noTeam": "No team"}):
        _progress_fragment(store, rnd, big)


def live_count(store: Store, workshop: Workshop, poll_id: int, *, big: bool = False) -> bool:
    """'N answered' for an open poll, drawn in the browser from the event stream; False when the page must poll instead."""
    return _counted(workshop, f"live-answers-{poll_id}", "answers", big=big, poll=poll_id)


def live_joined(store: Store, workshop: Workshop) -> bool:
    """'N joined' for the projector's join screen, from the event stream; False when the page must poll instead."""
    return _counted(workshop, "live-joined", "progress", big=True, joined=True)


def _counted(workshop: Workshop, key: str, topic: str, **shown) -> bool:
    """Mount the listener in its counting mode (ui/live.js drawProgress); False where the stream is not to be had."""
    if not live_routes.running() or st.session_state.get(FALLBACK_KEY):
        return False
    _listener(
        key=key,
        data={"url": stream_url(workshop, (topic,)), "drawn": None, "mode": "progress", **shown},
        on_changed_change=_noop,
        on_fallback_change=_fall_back,
        height="content",
    )
    return True


def stream_url(workshop: Workshop, topics: Sequence[str]) -> str:
    return f"/live/{quote(workshop.join_code)}?watch={quote(','.join(topics))}"


def close_what_ran_out(store: Store, pulse: dict | None) -> bool:
    """Timers close rounds and polls in the server's watcher; a page run does it too, for servers without one.

    True if something was closed.
    """
    if not pulse:
        return False
    now = time.time()
    closed = False
    round_id, state, _, closes_at = pulse["stage"]
    if state == "open" and closes_at and closes_at <= now:
        closed = store.close_if_expired(round_id)
    for poll_id, poll_state, poll_closes_at in pulse["polls"]:
        if poll_state == "open" and poll_closes_at and poll_closes_at <= now:
            closed = store.close_poll_if_expired(poll_id) or closed
    return closed


def _noop() -> None:
    """The rerun itself is what a change asks for."""


def _fall_back() -> None:
    st.session_state[FALLBACK_KEY] = True


@st.fragment(run_every=POLL_SECONDS)
def _poll(store: Store, workshop_id: int, topics: tuple[str, ...], drawn: str, closes_at: float | None) -> None:
    pulse = store.pulse(workshop_id, counts=needs_counts(topics))
    if close_what_ran_out(store, pulse) or digest(project(pulse, topics)) != drawn:
        st.rerun()
    if closes_at is not None:
        st.markdown(f"**⏱ {countdown(closes_at - time.time())}**")


@st.fragment(run_every=1)
def _progress_fragment(store: Store, rnd: Round, big: bool) -> None:
    progress = store.progress(rnd.id)
    current = store.round(rnd.id)
    headline = f"{progress.voted} of {progress.joined} have voted"
    left = countdown(current.closes_at - time.time()) if current.state.value == "open" and current.closes_at else None
    text = headline + (f" · ⏱ {left}" if left else "")
    st.markdown(f"<div class='big-progress'>{text}</div>" if big else f"**{text}**", unsafe_allow_html=big)
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
