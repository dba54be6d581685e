"""Another program holding the database's write lock longer than the busy timeout: every write is refused with a
sentence and leaves nothing half-written; once the lock is gone, the same write goes through."""

from __future__ import annotations

import sqlite3

import pytest

from abc_workshop.domain import Busy
from tests.core.test_report import analysed

# SQLite's file lock held by another program; PostgreSQL's write lock is waited for in test_import_steps.py.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def lock(room, db_path):
    """lock() makes a second connection (as another process would) take the write lock, with a change of its own
    not yet committed; this store then waits 0.2 s for it, not 10."""
    others = []

    def take():
        room.store.db.conn.execute("PRAGMA busy_timeout = 200")
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE workshops SET title = 'changed by the other program'")
        others.append(other)
        return other

    yield take
    for other in others:
        other.close()


def counts(store) -> tuple:
    tables = ("ballots", "picks", "participants", "impact_notes", "events")
    return tuple(store._value(f"SELECT count(*) FROM {table}") for table in tables)


def test_a_ballot_is_refused_with_a_sentence_and_nothing_is_written(room, lock):
    rnd = room.open_round(pick_limit=3)
    ann = room.join("Ann", 0)
    before = counts(room.store)
    locked = lock()
    with pytest.raises(Busy, match="busy .* nothing was saved"):
        room.vote(ann, rnd, room.card_ids(3))
    with pytest.raises(Busy):
        room.join("Bea", 0)
    assert counts(room.store) == before
    locked.execute("ROLLBACK")
    room.vote(ann, rnd, room.card_ids(3))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == room.card_ids(3)


def test_a_note_and_a_facilitator_action_are_refused_alike(room, lock):
    rnd, topic = analysed(room)
    rnd = room.open_round()
    ann = room.store.participant(room.workshop.id, room.store._value("SELECT token FROM participants WHERE display_name = 'Ann'"))
    before = counts(room.store)
    lock()
    with pytest.raises(Busy):
        room.store.add_note(room.workshop.id, topic.id, "value", "Slow answers", token=ann.token)
    with pytest.raises(Busy):
        room.store.close_round(rnd.id, room.key)
    assert counts(room.store) == before and room.store.round(rnd.id).state.value == "open"
