"""Migrations for leads' imports of what they already have (docs/import-format.md), kept beside schema.py,
which registers them after its own, so that file stays one screenful of concerns shorter.

- A workshop's date is as precise as its source: a year, a year and month, or a day (held_on keeps the
  first day; date_precision says how much of it is known).
- Published rankings: a card's place in a published order, stored as a rank and never as counts.
- Imported counts keep the Borda points and ranked ballots behind them, so an export imports back whole.
- The lead's decisions about titles that matched no card, remembered per source.
- A deck's card may count as a card of the default deck (cards.same_as), so other decks' results meet its own.
- Teams' analyses arrive with imports, and a later import may add to an earlier one's workshops (0007).
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_programme  # noqa: F401  (0004 and 0005 come before these)
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


@migrations(name="0007_imported_team_analyses_and_imports_that_add_to_earlier_ones")
def imported_team_analyses(db: Database) -> None:
    """Teams' analyses arrive with imports, and a later file may add to a workshop an earlier import stored what that
    import did not hold (its statement answers, its teams' analyses).

    - Imported severity scores have no participants behind them: they are counted per topic, heading and score.
    - Topics, teams and participants that an import writes carry its id, so an import that added to another's workshop
      is undone on its own; rounds and polls may carry a later import's id than their workshop's. Live rows stay out
      of imported workshops and imported rows out of live ones, as before.
    """
    either_both_imported_or_neither = (
        "WHEN (NEW.import_id IS NULL) != ((SELECT import_id FROM workshops WHERE id = NEW.workshop_id) IS NULL)"
    )
    db.executescript(
        f"""
        CREATE TABLE imported_impact_scores (
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            heading TEXT NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
            score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            scores INTEGER NOT NULL CHECK (scores >= 1),
            PRIMARY KEY (topic_id, heading, score)
        ) WITHOUT ROWID;
        CREATE TRIGGER imported_impact_scores_only_imported BEFORE INSERT ON imported_impact_scores
        WHEN (SELECT r.import_id FROM topics t JOIN rounds r ON r.id = t.round_id WHERE t.id = NEW.topic_id) IS NULL
        BEGIN SELECT RAISE(ABORT, 'imported_round_is_final'); END;

        ALTER TABLE topics ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE teams ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE participants ADD COLUMN import_id INTEGER REFERENCES imports(id);
        CREATE INDEX topics_by_import ON topics(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX teams_by_import ON teams(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX participants_by_import ON participants(import_id) WHERE import_id IS NOT NULL;
        CREATE TRIGGER topic_import_id_is_fixed BEFORE UPDATE OF import_id ON topics
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;
        CREATE TRIGGER team_import_id_is_fixed BEFORE UPDATE OF import_id ON teams
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;
        CREATE TRIGGER participant_import_id_is_fixed BEFORE UPDATE OF import_id ON participants
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;

        DROP TRIGGER rounds_belong_to_their_import;
        CREATE TRIGGER rounds_belong_to_their_import BEFORE INSERT ON rounds {either_both_imported_or_neither}
        BEGIN SELECT RAISE(ABORT, 'imported_workshop_is_read_only'); END;
        DROP TRIGGER polls_belong_to_their_import;
        CREATE TRIGGER polls_belong_to_their_import BEFORE INSERT ON polls {either_both_imported_or_neither}
        BEGIN SELECT RAISE(ABORT, 'imported_workshop_is_read_only'); END;
        """
    )
