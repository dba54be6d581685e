"""Change-driven updates without Streamlit: what a page watches, and one watcher per server process.

A page says which parts of its workshop's pulse it shows ("stage", "polls", "team:12", ...; see
TOPICS). The page and the event stream both reduce the pulse to those parts and compare a short
digest of them: when the stream's digest differs from the one the page drew, the page redraws.

The Watcher is a single thread per server process. It asks a ChangeSource whether the database
changed (for SQLite, `PRAGMA data_version`: a few microseconds, and it also sees commits made by
other processes on the same file; for PostgreSQL, a LISTEN on the channel every commit notifies) and only then reads the pulse of each workshop that has open
streams. Its cost depends on how often things change, never on how many screens are open.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from .store.pulse import read_pulse, workshop_for_code

TOPICS = ("version", "stage", "round", "result", "polls", "answers", "projector", "progress", "teams")  # and "team:<id>"
COUNTED = ("answers", "progress")  # the topics that need the pulse's row counts


def needs_counts(topics: tuple[str, ...]) -> bool:
    return any(topic in COUNTED for topic in topics)


def needs_result(topics: tuple[str, ...]) -> bool:
    return "result" in topics


class UnknownTopic(ValueError):
    pass


def parse_topics(text: str | Iterable[str]) -> tuple[str, ...]:
    """'stage,polls,team:3' -> ('polls', 'stage', 'team:3'): sorted, without repeats; unknown names refused."""
    names = text.split(",") if isinstance(text, str) else list(text)
    topics = sorted({name.strip() for name in names if name.strip()})
    for topic in topics:
        if topic not in TOPICS and not (topic.startswith("team:") and topic[5:].isdigit()):
            raise UnknownTopic(f"'{topic}' is not something a page can follow.")
    if not topics:
        raise UnknownTopic("Name at least one thing to follow.")
    return tuple(topics)


def project(pulse: dict | None, topics: tuple[str, ...]) -> dict:
    """The parts of the pulse a page shows; a missing workshop projects to {'gone': True}."""
    if pulse is None:
        return {"gone": True}
    view = {}
    for topic in topics:
        if topic.startswith("team:"):
            view[topic] = pulse["teams"].get(topic[5:])
        elif topic == "progress":
            view[topic] = {**pulse["progress"], "stage": pulse["stage"]}
        elif topic == "round":  # everything a phone draws a round from, and the decks of the rounds to come
            view[topic] = {"stage": pulse["stage"], "spec": pulse["round"], "drafts": pulse["drafts"]}
        else:
            view[topic] = pulse[topic]
    return view


def digest(view: dict) -> str:
    """A short fingerprint of a projection: equal views give equal digests, in every process."""
    return hashlib.sha1(json.dumps(view, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def part_digests(view: dict) -> dict[str, str]:
    """A digest per watched part, so a page that draws some parts itself reruns only for the others."""
    return {topic: digest({topic: part}) for topic, part in view.items()}


class ChangeSource(Protocol):
    """Where the watcher learns that something changed. SQLite polls a counter; a server database could notify."""

    def changed(self) -> bool: ...

    def pulse(self, workshop_id: int) -> dict | None: ...

    def workshop_for_code(self, code: str) -> int | None: ...

    def close(self) -> None: ...


class _OwnConnection:
    """A change source's reads, on a connection of its own (never waiting on the app's write lock), one at a time."""

    _conn: Any
    _lock: threading.Lock

    def pulse(self, workshop_id: int) -> dict | None:
        with self._lock:
            return read_pulse(self._conn, workshop_id, result=True)

    def workshop_for_code(self, code: str) -> int | None:
        with self._lock:
            return workshop_for_code(self._conn, code)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class SqliteChangeSource(_OwnConnection):
    """`PRAGMA data_version` changes when another connection, in this process or another, committed."""

    def __init__(self, path: str | Path):
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        self._conn.execute("PRAGMA query_only = ON")
        self._lock = threading.Lock()
        self._seen: int | None = None

    def changed(self) -> bool:
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchall()[0][0]
        changed = version != self._seen
        self._seen = version
        return changed


class PgChangeSource(_OwnConnection):
    """PostgreSQL's counterpart: the connection LISTENs on the channel every write transaction notifies when it commits
    (store/engines.py), whichever process or machine made it; a notification is a change."""

    def __init__(self, url: str):
        from .store.engines import CHANNEL
        from .store.pg import PgConnection

        self._conn = PgConnection(url, read_only=True)  # read as the store reads a sqlite3 connection (store/pg.py)
        self._conn.raw.execute(f"LISTEN {CHANNEL}")
        self._lock = threading.Lock()
        self._first = True

    def changed(self) -> bool:
        with self._lock:
            arrived = sum(1 for _ in self._conn.raw.notifies(timeout=0))
        first, self._first = self._first, False
        return bool(arrived) or first


def change_source(location: str | Path) -> SqliteChangeSource | PgChangeSource:
    """The change source for a Store's location: a SQLite file or a postgresql:// URL."""
    from .store.pg import is_url

    return PgChangeSource(str(location)) if is_url(location) else SqliteChangeSource(location)


Listener = Callable[[int, dict | None], None]


class Watcher:
    """One thread that tells listeners the new pulse of each watched workshop, once per change, in order.

    `expire(workshop_id, pulse)` is called when a watched workshop has an open round or poll whose
    closing time has passed, so the timer closes it even when no page is asking.
    """

    def __init__(
        self,
        source: ChangeSource,
        listener: Listener,
        *,
        interval: float = 0.15,
        expire: Callable[[int, dict], None] | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.source = source
        self.interval = interval
        self._listener = listener
        self._expire = expire
        self._clock = clock
        self._lock = threading.Lock()
        self._watched: dict[int, int] = {}  # workshop id -> number of open streams
        self._pulses: dict[int, dict | None] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checks = 0  # how many times the source was asked; the benchmark reports it
        self.reads = 0  # how many pulses were read

    # -- who is watching ---------------------------------------------------------------------------

    def watch(self, workshop_id: int) -> dict | None:
        """Count one more stream on this workshop and return its pulse now."""
        with self._lock:
            self._watched[workshop_id] = self._watched.get(workshop_id, 0) + 1
            if workshop_id not in self._pulses:
                self._pulses[workshop_id] = self.source.pulse(workshop_id)
                self.reads += 1
            return self._pulses[workshop_id]

    def unwatch(self, workshop_id: int) -> None:
        with self._lock:
            left = self._watched.get(workshop_id, 0) - 1
            if left > 0:
                self._watched[workshop_id] = left
            else:
                self._watched.pop(workshop_id, None)
                self._pulses.pop(workshop_id, None)

    def watched(self) -> dict[int, int]:
        with self._lock:
            return dict(self._watched)

    # -- the loop ---------------------------------------------------------------------------------------

    def check(self) -> list[int]:
        """One look: read and announce the workshops whose pulse changed. Returns their ids."""
        self.checks += 1
        due = self._due_timers()
        if not self.source.changed() and not due:
            return []
        announced = []
        with self._lock:
            workshops = list(self._watched)
        for workshop_id in workshops:
            pulse = self.source.pulse(workshop_id)
            self.reads += 1
            with self._lock:
                if workshop_id not in self._watched or self._pulses.get(workshop_id) == pulse:
                    continue
                self._pulses[workshop_id] = pulse
            announced.append(workshop_id)
            self._listener(workshop_id, pulse)
        return announced

    def _due_timers(self) -> bool:
        """Close what ran out of time (the close is a change the next look announces)."""
        if self._expire is None:
            return False
        now = self._clock()
        with self._lock:
            pulses = [(workshop_id, pulse) for workshop_id, pulse in self._pulses.items() if pulse]
        due = False
        for workshop_id, pulse in pulses:
            _, state, _, closes_at = pulse["stage"]
            timers = [closes_at] if state == "open" and closes_at else []
            timers += [poll[2] for poll in pulse["polls"] if poll[1] == "open" and poll[2]]
            if any(at <= now for at in timers):
                self._expire(workshop_id, pulse)
                due = True
        return due

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="abc-live-watcher", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except sqlite3.Error:
                # A locked or briefly unavailable file: the next look tries again; pages fall back meanwhile.
                continue

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
