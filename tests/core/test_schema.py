"""The database file: created on first open, upgraded in place, with WAL, foreign keys and constraints."""

from __future__ import annotations

import sqlite3

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations


def test_a_new_file_is_created_migrated_and_gets_the_shipped_deck(tmp_path):
    path = tmp_path / "nested" / "abc.sqlite3"
    store = Store(path)
    assert store.load_shipped_decks(CARDS_DIR) == ["ABC worst practices"]
    assert path.exists()
    assert [m.name for m in migrations.applied(store.db)] == [m.name for m in migrations._migrations]
    assert store._value("PRAGMA journal_mode") == "wal"
    assert store._value("PRAGMA foreign_keys") == 1
    assert store._value("PRAGMA busy_timeout") == 10000


def test_reopening_keeps_all_data_and_loads_the_deck_only_once(db_path, room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(2))
    room.store.close()
    again = Store(db_path)
    assert again.load_shipped_decks(CARDS_DIR) == []
    assert len(again.decks()) == 1
    assert again.progress(rnd.id).voted == 1
    assert again.workshop(room.workshop.id).title == "Pilot"


def test_foreign_keys_and_checks_hold_for_any_writer(store):
    conn = store.db.conn
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("INSERT INTO teams (workshop_id, name, position) VALUES (999, 'Ghost', 0)")
    conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position) VALUES (1, 'x', 'D', 't', 'T', 'd', 0)"
        )
    conn.rollback()


def test_ballots_are_never_deleted(room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(1))
    with pytest.raises(sqlite3.IntegrityError, match="ballots_are_kept"):
        room.store.db.conn.execute("DELETE FROM ballots")
    room.store.db.conn.rollback()


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_a_database_from_the_first_release_upgrades_and_keeps_its_data(db_path):
    """Build a file exactly as release 1 left it (only migration 0001), fill it, then open it today."""
    import sqlite_utils

    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0002_team_analysis")
    old.execute("INSERT INTO decks (name, source) VALUES ('Old deck', 'cards/old.csv')")
    old.execute(
        "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position) VALUES (1, 'o1', 'A', 'T', 'Old card', 'D', 0)"
    )
    old.execute(
        "INSERT INTO workshops (join_code, title, organisation, key_hash) VALUES ('OLD123', 'Old workshop', 'Acme', 'scrypt$00$00')"
    )
    old.execute("INSERT INTO teams (workshop_id, name, position) VALUES (1, 'Desk', 0)")
    old.conn.close()

    store = Store(db_path)
    assert [m.name for m in migrations.applied(store.db)][-1] == migrations._migrations[-1].name
    assert store.workshop_by_code("OLD123").title == "Old workshop"
    assert [t.name for t in store.teams(1)] == ["Desk"]
    assert store.team_version(1) == 0
    assert store.projector_view(1) == {"mode": "round"}
    assert [c.title for c in store.cards(1)] == ["Old card"]
