"""Migrations for leads' imports of what they already have (docs/import-format.md), kept beside schema.py,
which registers them after its own, so that file stays one screenful of concerns shorter.

- A workshop's date is as precise as its source: a year, a year and month, or a day (held_on keeps the
  first day; date_precision says how much of it is known).
- Published rankings: a card's place in a published order, stored as a rank and never as counts.
- Imported counts keep the Borda points and ranked ballots behind them, so an export imports back whole.
- The lead's decisions about titles that matched no card, remembered per source.
- A deck's card may count as a card of the default deck (cards.same_as), so other decks' results meet its own.
"""

from __future__ import annotations

from sqlite_utils import Database

from .schema import migrations


@migrations(name="0006_partial_dates_published_ranks_title_mappings_card_correspondences")
def partial_dates_published_ranks_title_mappings(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE workshops ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'day'
            CHECK (date_precision IN ('year', 'month', 'day'));
        ALTER TABLE imported_card_counts ADD COLUMN borda INTEGER CHECK (borda IS NULL OR borda >= 0);
        ALTER TABLE imported_team_sizes ADD COLUMN ranked INTEGER NOT NULL DEFAULT 0 CHECK (ranked >= 0);
        ALTER TABLE cards ADD COLUMN same_as INTEGER REFERENCES cards(id);

        CREATE TABLE published_ranks (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            team_id INTEGER REFERENCES teams(id),
            card_id INTEGER NOT NULL REFERENCES cards(id),
            rank INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 200)
        );
        CREATE INDEX published_ranks_by_round ON published_ranks(round_id);
        CREATE TRIGGER published_ranks_only_imported BEFORE INSERT ON published_ranks
        WHEN (SELECT import_id FROM rounds WHERE id = NEW.round_id) IS NULL
        BEGIN SELECT RAISE(ABORT, 'imported_round_is_final'); END;

        CREATE TABLE title_mappings (
            source TEXT NOT NULL COLLATE NOCASE CHECK (length(source) <= 120),
            deck_id INTEGER NOT NULL REFERENCES decks(id),
            title_key TEXT NOT NULL CHECK (length(title_key) BETWEEN 1 AND 400),
            card_id INTEGER NOT NULL REFERENCES cards(id),
            decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (source, deck_id, title_key)
        );
        CREATE TRIGGER card_correspondence_into_another_deck BEFORE UPDATE OF same_as ON cards
        WHEN NEW.same_as IS NOT NULL AND (SELECT deck_id FROM cards WHERE id = NEW.same_as) = NEW.deck_id
        BEGIN SELECT RAISE(ABORT, 'same_deck_correspondence'); END;

        """
    )
    _tallies_take_imported_points(db)


# The tally trigger of 0003, read from the database and changed in the two places that read imported counts, so the
# rest of it stays exactly as that migration wrote it.
_IMPORTED_POINTS = {
    "SELECT team_id, participants, 0 FROM imported_team_sizes": "SELECT team_id, participants, ranked FROM imported_team_sizes",
    "SELECT team_id, card_id, picks, NULL FROM imported_card_counts": (
        "SELECT team_id, card_id, picks, borda FROM imported_card_counts"
    ),
}


def _tallies_take_imported_points(db: Database) -> None:
    """The tallies take imported Borda points and ranked ballots as they were exported."""
    sql = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'tallies_when_a_round_finishes'"
    ).fetchone()[0]
    for old, new in _IMPORTED_POINTS.items():
        if old not in sql:
            raise RuntimeError(f"tallies_when_a_round_finishes no longer reads '{old}'; update this migration's replacement")
        sql = sql.replace(old, new)
    db.execute("DROP TRIGGER tallies_when_a_round_finishes")
    db.execute(sql)
