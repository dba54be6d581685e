"""The store's connections (store/connections.py): reads beside writes, a write's own view, and processes that open
a new file together."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store, engines
from abc_workshop.store.schema import migrations

ROOT = Path(__file__).resolve().parents[2]
LIVENESS = 60  # seconds; only a design that makes the write wait for the read would ever reach it


@dataclass
class Held:
    """A read the test keeps running until it lets it go: `query` blocks inside the database once `started`."""

    query: str
    started: Callable[[], bool]
    release: Callable[[], None]


@pytest.fixture
def held_reads(monkeypatch, db_path):
    """On SQLite, readers get a `hold()` SQL function that waits for the test; on PostgreSQL, the read waits for an
    advisory lock the test holds on a connection of its own (the server shows it waiting in pg_stat_activity)."""
    if isinstance(db_path, Path):
        release = threading.Event()
        began = threading.Event()

        def hold() -> int:
            began.set()
            release.wait(LIVENESS)
            return 1

        plain = engines.SqliteEngine.reader

        def reader(self):
            conn = plain(self)
            conn.create_function("hold", 0, hold)
            return conn

        monkeypatch.setattr(engines.SqliteEngine, "reader", reader)
        yield Held("SELECT hold() FROM decks", lambda: began.wait(LIVENESS), release.set)
        release.set()
        return
    import psycopg

    holder = psycopg.connect(db_path, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(4242)")

    def began() -> bool:
        deadline = time.monotonic() + LIVENESS
        while time.monotonic() < deadline:
            waiting = holder.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%4242%'"
                " AND datname = current_database()"
            ).fetchone()[0]
            if waiting:
                return True
            time.sleep(0.05)
        return False

    yield Held("SELECT pg_advisory_xact_lock_shared(4242) IS NULL FROM decks", began, holder.close)
    holder.close()


def test_a_long_read_never_holds_up_the_room_s_writes(db_path, held_reads):
    store = Store(db_path)
    store.load_shipped_decks(CARDS_DIR)
    reading = threading.Thread(target=store._value, args=(held_reads.query,))
    reading.start()
    assert held_reads.started(), "the read began"
    wrote = threading.Event()

    def write() -> None:
        store.create_workshop("Written while a lead reads", "Acme")
        wrote.set()

    writing = threading.Thread(target=write)
    writing.start()
    writing.join(LIVENESS)
    assert wrote.is_set() and reading.is_alive(), "the write landed while the read was still running"
    assert store._value("SELECT count(*) FROM workshops") == 1, "a second read ran beside the first, too"
    held_reads.release()
    reading.join(LIVENESS)
    store.close()


def test_a_write_reads_its_own_work_and_no_one_else_does_until_it_lands(room):
    store = room.store
    seen_elsewhere = []

    def count_elsewhere() -> None:
        seen_elsewhere.append(store._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (room.workshop.id,)))

    before = store._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (room.workshop.id,))
    with store._write() as db:
        db.execute("INSERT INTO teams (workshop_id, name, position) VALUES (?, 'Late team', 99)", (room.workshop.id,))
        assert store._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (room.workshop.id,)) == before + 1
        other = threading.Thread(target=count_elsewhere)
        other.start()
        other.join(LIVENESS)
    assert seen_elsewhere == [before], "another thread read what was committed, without waiting for the write"
    assert store._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (room.workshop.id,)) == before + 1


def test_readers_cannot_write_and_are_few(store):
    with store._readers.lend() as conn, pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM decks")
    for _ in range(20):
        store._value("SELECT 1")
    assert store._readers.opened == 1, "one caller at a time reuses one reader"
    assert store._value("SELECT count(*) FROM decks") == 1


def test_a_read_left_unfinished_does_not_pin_a_reader_to_an_old_state(room):
    """A reader lent again sees what was committed since: no statement of an earlier caller keeps its snapshot."""
    store = room.store
    with store._snapshot() as conn:
        conn.execute("SELECT id FROM teams").fetchone()  # a transaction left with a half-read statement
    store.add_team(room.workshop.id, room.key, "After the snapshot")
    assert "After the snapshot" in [team.name for team in store.teams(room.workshop.id)]


OPEN_NEW_FILE = """
import sys
from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store
store = Store(sys.argv[1])
print(store.load_shipped_decks(CARDS_DIR))
"""


def test_processes_that_open_a_new_file_together_migrate_it_and_load_the_deck_once(tmp_path):
    path = tmp_path / "together.sqlite3"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_NEW_FILE, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, [err for _, err in outcomes]
    assert sorted(out.strip() for out, _ in outcomes) == ["['ABC worst practices']", "[]", "[]", "[]"]
    store = Store(path)
    assert [m.name for m in migrations.applied(store.db)] == [m.name for m in migrations._migrations]
    assert store._value("SELECT count(*) FROM decks") == 1
    assert not list(tmp_path.glob("*.lock")), "the migration's lock file is gone"
    store.close()
