"""Following the room: each open page listens to the server's event stream and reruns only when what it
shows changed (abc_workshop/live.py, ui/live_routes.py, README "How it is built").

`follow(...)` reads the workshop's pulse at the start of the page run, so the page and the stream
compare the same parts of it. A page that cannot reach the stream (a proxy that buffers it, a server
started without app.py, AppTest) polls the pulse in a small fragment instead, as every page did
before; it says nothing alarming about it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote, unquote

import streamlit as st

from abc_workshop.domain import Round, Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.live import digest, needs_counts, needs_result, parse_topics, project
from abc_workshop.store import Store
from ui import live_routes
from ui.language import in_language
from ui.text import plain

POLL_SECONDS = 2.0  # the fallback: each tick costs the server a Streamlit rerun (bench/README.md)
FALLBACK_KEY = "live-fallback"
PENDING_KEY = "live-pending"  # the listeners this run asked for, drawn at its end (mount_listeners)

HERE = Path(__file__).parent


def browser_code(*names: str) -> str:
    """A component's script or style: ui/stream.js (shared) and the component's own files, in order."""
    return "\n".join((HERE / name).read_text() for name in names)


_listener = st.components.v2.component("abc_live", js=browser_code("stream.js", "live.js"), css=browser_code("live.css"))


def streaming() -> bool:
    """True when this page can listen to the event stream; False where it must poll (see the module's docstring)."""
    return live_routes.running() and not st.session_state.get(FALLBACK_KEY)


def read_pulse(store: Store, workshop_id: int, topics: tuple[str, ...]) -> dict | None:
    """The pulse with what these topics need of it, after closing what ran out of time."""
    pulse = store.pulse(workshop_id, counts=needs_counts(topics), result=needs_result(topics))
    if close_what_ran_out(store, pulse):
        pulse = store.pulse(workshop_id, counts=needs_counts(topics), result=needs_result(topics))
    return pulse


def watch(
    store: Store, workshop: Workshop, topics: Sequence[str], more: Callable[[dict | None], Sequence[str]] | None = None
) -> tuple[dict | None, str | None]:
    """Read the pulse the page is drawn from; returns it with the event stream's address to listen to.

    `more(pulse)` names what else to follow given the pulse itself (the projector follows the team whose
    summary is up): the pulse is read again until the topics it asks for are the ones it was read with,
    so a change between two reads cannot leave the page following the wrong part.
    Where the stream is not to be had, the address is None and the page polls instead (started here).
    """
    base = parse_topics(topics)
    topics, pulse = base, read_pulse(store, workshop.id, base)
    while more is not None and (wanted := parse_topics((*base, *more(pulse)))) != topics:
        topics, pulse = wanted, read_pulse(store, workshop.id, wanted)
    if not streaming():
        _poll(store, workshop.id, topics, digest(project(pulse, topics)))
        return pulse, None
    return pulse, stream_url(workshop, topics)


def follow(
    store: Store,
    workshop: Workshop,
    topics: Sequence[str],
    *,
    key: str = "follow",
    more: Callable[[dict | None], Sequence[str]] | None = None,
) -> dict | None:
    """Rerun this page when the watched parts of the workshop change; returns the pulse the page is drawn from.

    `topics`: "stage", "polls", "projector", "version", "progress", "team:<id>", ... (abc_workshop/live.py);
    `more`: see `watch`.
    """
    pulse, url = watch(store, workshop, topics, more)
    if url is not None:
        run = uuid.uuid4().hex[:12]
        _listener(
            key=f"live-{key}-sentinel",
            data={"url": url, "mode": "sentinel", "run": run},
            on_changed_change=_noop,
            on_fallback_change=fall_back,
            height="content",
        )
        drawn = digest(project(pulse, url_topics(url)))
        st.session_state.setdefault(PENDING_KEY, []).append((key, {"url": url, "drawn": drawn, "run": run}))
    return pulse


def mount_listeners() -> None:
    """Draw the listeners that follow() asked for during this run: ui/navigation.py calls it after the page.

    Streamlit 1.67 can drop the end of a finished run's output when the next request arrives at once
    (bench/README.md, finding 3), so a page may be left half drawn. Two parts of the listener catch it:
    - this one, last on the page, compares the stream with the digest the page drew. If the end of the
      run was dropped, it was dropped too and still holds the run before's digest, so it sees the page is
      behind and asks for a rerun (drawn first, it would hold the new digest over a page never drawn);
    - a sentinel, first on the page (follow), names the run; when the last part of the same run has not
      arrived within a moment, the end of the run was lost, and the sentinel asks for a rerun.
    """
    for key, data in st.session_state.pop(PENDING_KEY, []):
        _listener(
            key=f"live-{key}",
            data={**data, "mode": "follow"},
            on_changed_change=_noop,
            on_fallback_change=fall_back,
            height="content",
        )


def live_progress(store: Store, rnd: Round, seen_version: int | None = None, big: bool = False) -> None:
    """Who has voted, per team, and the time left, drawn in the browser from the event stream: no rerun per ballot.

    `seen_version` is kept for the callers' sake; the progress follows the stream by itself.
    """
    if not _counted(store.workshop(rnd.workshop_id), f"live-progress-{rnd.id}", "progress", big=big):
        _progress_fragment(store, rnd, big)


def live_count(store: Store, workshop: Workshop, poll_id: int, *, big: bool = False) -> bool:
    """'N answered' for an open poll, drawn in the browser from the event stream; False when the page must poll instead."""
    return _counted(workshop, f"live-answers-{poll_id}", "answers", big=big, poll=poll_id)


def live_joined(store: Store, workshop: Workshop) -> bool:
    """'N joined' for the projector's join screen, from the event stream; False when the page must poll instead."""
    return _counted(workshop, "live-joined", "progress", big=True, joined=True)


def progress_labels() -> dict:
    """The words ui/live.js draws the counts with, in the page's language; a counting text as its two forms
    ([for 1, for any other number], see plural() in ui/stream.js)."""
    return {
        "voted": _("{voted} of {joined} have voted"),
        "answered": [ngettext("{n} answered", "{n} answered", count) for count in (1, 2)],
        "joined": [ngettext("{n} joined", "{n} joined", count) for count in (1, 2)],
        "noTeam": _("No team"),
        "timeUp": _("time is up"),
        "left": _("{clock} left"),
    }


def _counted(workshop: Workshop, key: str, topic: str, **shown) -> bool:
    """Mount the listener in its counting mode (ui/live.js drawProgress); False where the stream is not to be had."""
    if not streaming():
        return False
    _listener(
        key=key,
        data={
            "url": stream_url(workshop, (topic,)),
            "drawn": None,
            "mode": "progress",
            "labels": progress_labels(),
            **shown,
        },
        on_changed_change=_noop,
        on_fallback_change=fall_back,
        height="content",
    )
    return True


def stream_url(workshop: Workshop, topics: Sequence[str]) -> str:
    return f"/live/{quote(workshop.join_code)}?watch={quote(','.join(topics))}"


def url_topics(url: str) -> tuple[str, ...]:
    """The topics a stream address follows (the inverse of stream_url)."""
    return parse_topics(unquote(url.split("?watch=", 1)[1]))


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


def fall_back() -> None:
    st.session_state[FALLBACK_KEY] = True


@st.fragment(run_every=POLL_SECONDS)
@in_language
def _poll(store: Store, workshop_id: int, topics: tuple[str, ...], drawn: str) -> None:
    if digest(project(read_pulse(store, workshop_id, topics), topics)) != drawn:
        st.rerun()


@st.fragment(run_every=1)
@in_language
def _progress_fragment(store: Store, rnd: Round, big: bool) -> None:
    progress = store.progress(rnd.id)
    current = store.round(rnd.id)
    headline = _("{voted} of {joined} have voted").format(voted=progress.voted, joined=progress.joined)
    left = countdown(current.closes_at - time.time()) if current.state.value == "open" and current.closes_at else None
    text = headline + (f" · ⏱ {left}" if left else "")
    st.markdown(
        f"<div class='big-progress'>{text}</div>" if big else f"**{text}**",  # not translated: markup around translated words
        unsafe_allow_html=big,
    )
    teams = [t for t in progress.teams if t.joined]
    if teams:
        columns = st.columns(min(len(teams), 4))
        for index, team in enumerate(teams):
            name = _("No team") if team.team_id is None else plain(team.team_name)
            columns[index % len(columns)].metric(name, f"{team.voted} / {team.joined}")


def countdown(seconds: float) -> str:
    """'1:05 left', or 'time is up'."""
    if seconds <= 0:
        return _("time is up")
    whole = int(seconds + 0.999)
    return _("{clock} left").format(clock=f"{whole // 60}:{whole % 60:02d}")
