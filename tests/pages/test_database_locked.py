"""Pages while another program holds the database's write lock past the busy timeout: a sentence, not a traceback,
and the next try once the lock is gone works."""

from __future__ import annotations

import sqlite3

import pytest

from tests.pages.conftest import open_page, texts
from tests.pages.test_start_and_vote import sent
from ui.phone import answer_submit


@pytest.fixture
def lock(app_store, db_path):
    """lock() makes a second connection take the write lock; the app's store waits 0.2 s for it, not 10."""
    others = []

    def take():
        app_store.db.conn.execute("PRAGMA busy_timeout = 200")
        others.append(sqlite3.connect(db_path, isolation_level=None))
        others[-1].execute("BEGIN IMMEDIATE")
        return others[-1]

    yield take
    for other in others:
        other.close()


def test_a_phone_s_ballot_is_answered_with_the_reason_and_the_next_submit_saves_it(page_room, lock):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join("Ann")
    other = lock()
    answer = answer_submit(page_room.store, ann, sent(rnd, page_room.card_ids(2)))
    assert answer["ok"] is False and "busy" in answer["message"] and "nothing was saved" in answer["message"]
    assert page_room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == []
    other.execute("ROLLBACK")
    assert answer_submit(page_room.store, ann, sent(rnd, page_room.card_ids(2), "n2"))["ok"] is True


def test_a_page_that_writes_as_it_opens_says_the_database_is_busy(page_room, lock):
    rnd = page_room.open_round(pick_limit=2)
    ann = page_room.join("Ann", 0)
    page_room.vote(ann, rnd, page_room.card_ids(2))
    page_room.store.reveal_round(rnd.id, page_room.key)
    other = lock()  # the team page seeds the team's shortlist when it first opens: a write
    at = open_page("pages/team.py", w=page_room.workshop.join_code, p=ann.token)
    assert not at.exception
    assert "The database is busy" in texts(at)
    other.execute("ROLLBACK")
    at.run()
    assert not at.exception and "The database is busy" not in texts(at) and "Our top cards" in texts(at)
