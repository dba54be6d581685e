"""A database from the releases before comparisons upgrades in place: its finished rounds are tallied, and the
rule that live ballots are never deleted still holds."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from abc_workshop import compare
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import CompareFilter
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations

pytestmark = pytest.mark.sqlite_only  # upgrades of SQLite files made by earlier versions


def test_finished_rounds_of_an_older_database_are_tallied_on_upgrade(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0003_leads_compare_imports_polls")
    old.executescript(
        """
        INSERT INTO decks (id, name, source) VALUES (1, 'Old deck', 'cards/old.csv');
        INSERT INTO cards (id, deck_id, card_key, type, theme, title, description, position)
        VALUES (1, 1, 'o1', 'A', 'T', 'First', 'D', 0), (2, 1, 'o2', 'C', 'T', 'Second', 'D', 1);
        INSERT INTO workshops (id, join_code, title, organisation, held_on, key_hash) VALUES (1, 'OLD123', 'Old', 'Acme', '2021-05-05', 'x');
        INSERT INTO teams (id, workshop_id, name, position) VALUES (1, 1, 'Desk', 0);
        INSERT INTO participants (id, workshop_id, token, team_id) VALUES (1, 1, 't1', 1), (2, 1, 't2', 1);
        INSERT INTO rounds (id, workshop_id, position, question, deck_id, perspective, pick_limit, state)
        VALUES (1, 1, 1, 'q', 1, 'recognise', 2, 'open'), (2, 1, 2, 'not run yet', 1, 'recognise', 2, 'draft');
        INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)
        VALUES (1, 1, 1, 1, 1, 0, 0), (2, 1, 1, 2, 1, 0, 0);
        INSERT INTO picks (ballot_id, card_id) VALUES (1, 1), (1, 2), (2, 2);
        UPDATE rounds SET state = 'revealed' WHERE id = 1;
        """
    )
    old.conn.close()

    store = Store(db_path)
    store.load_shipped_decks(CARDS_DIR)
    cards, decks = store.card_totals(CompareFilter())
    table = compare.top_cards(cards, decks)
    assert table[["title", "picks", "share", "rank", "top3_teams"]].values.tolist() == [
        ["Second", 2, 1.0, 1, 1],
        ["First", 1, 0.5, 2, 1],
    ]
    assert store.compare_overview(CompareFilter())["rounds"] == 1, "the draft round is not counted"
    assert store._value("SELECT country FROM workshops WHERE id = 1") is None
    with pytest.raises(sqlite3.IntegrityError, match="ballots_are_kept"):
        store.db.conn.execute("DELETE FROM ballots")
    store.db.conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="round_not_open"):
        store.db.conn.execute("DELETE FROM picks WHERE ballot_id = 1")
    store.db.conn.rollback()
    store.close()


def test_a_database_from_before_partial_dates_and_published_ranks_upgrades_and_keeps_its_imports(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0006_partial_dates_published_ranks_title_mappings_card_correspondences")
    old.conn.close()
    conn = sqlite3.connect(db_path)  # what an earlier version stored, written as it would have

    conn.executescript(
        """
        INSERT INTO decks (id, name, source) VALUES (1, 'Old deck', 'cards/old.csv');
        INSERT INTO cards (id, deck_id, card_key, type, theme, title, description, position)
        VALUES (1, 1, 'o1', 'A', 'T', 'First', 'D', 0);
        INSERT INTO imports (id, kind, file_name, file_sha256, rows, summary) VALUES (1, 'counts', 'old.csv', 'x', 1, 'old');
        INSERT INTO workshops (id, join_code, title, organisation, held_on, key_hash, import_id)
        VALUES (1, 'OLD123', 'Old', 'Acme', '2021-05-05', 'imported', 1);
        INSERT INTO rounds (id, workshop_id, position, question, deck_id, perspective, pick_limit, state, import_id)
        VALUES (1, 1, 1, 'q', 1, 'recognise', 3, 'open', 1);
        INSERT INTO imported_card_counts (round_id, team_id, card_id, picks) VALUES (1, NULL, 1, 4);
        INSERT INTO imported_team_sizes (round_id, team_id, participants) VALUES (1, NULL, 5);
        UPDATE rounds SET state = 'revealed' WHERE id = 1;
        """
    )
    conn.commit()
    conn.close()
    store = Store(db_path)
    assert store._value("SELECT date_precision FROM workshops") == "day"
    assert store._rows("SELECT picks, borda FROM tally_cards") == [{"picks": 4, "borda": None}]
    with store._write() as db:
        db.execute("UPDATE imported_card_counts SET borda = 9")
        db.execute("UPDATE imported_team_sizes SET ranked = 3")
        db.execute("UPDATE rounds SET state = 'closed' WHERE id = 1")  # the tallies are rebuilt with the new columns
    assert store._rows("SELECT picks, borda FROM tally_cards") == [{"picks": 4, "borda": 9}]
    assert store._value("SELECT ranked FROM tally_teams") == 3
    store.close()
