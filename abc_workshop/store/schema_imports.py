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

        -- The tallies now take imported Borda points and ranked ballots as they were exported.
        DROP TRIGGER tallies_when_a_round_finishes;
        CREATE TRIGGER tallies_when_a_round_finishes AFTER UPDATE OF state ON rounds
        WHEN NEW.state IN ('closed', 'revealed')
        BEGIN
            DELETE FROM tally_cards WHERE round_id = NEW.id;
            DELETE FROM tally_teams WHERE round_id = NEW.id;
            INSERT INTO tally_teams (round_id, workshop_id, organisation, country, perspective, deck_id, team_id, team_name,
                                     participants, ranked)
            SELECT NEW.id, NEW.workshop_id, w.organisation, w.country, NEW.perspective, NEW.deck_id, x.team_id, tm.name,
                   x.participants, x.ranked
            FROM (
                SELECT team_id, sum(participants) AS participants, sum(ranked) AS ranked FROM (
                    SELECT b.team_id, 1 AS participants,
                           EXISTS (SELECT 1 FROM picks p WHERE p.ballot_id = b.id AND p.pick_rank IS NOT NULL) AS ranked
                    FROM ballots b WHERE b.round_id = NEW.id AND b.attempt = NEW.attempt
                    UNION ALL
                    SELECT team_id, participants, ranked FROM imported_team_sizes WHERE round_id = NEW.id
                ) GROUP BY team_id
            ) x JOIN workshops w ON w.id = NEW.workshop_id LEFT JOIN teams tm ON tm.id = x.team_id;
            INSERT INTO tally_cards (round_id, workshop_id, organisation, country, perspective, deck_id, team_id, team_name,
                                     card_id, card_type, picks, borda, team_rank)
            SELECT NEW.id, NEW.workshop_id, w.organisation, w.country, NEW.perspective, NEW.deck_id, x.team_id, tm.name,
                   x.card_id, c.type, x.picks, x.borda, rank() OVER (PARTITION BY x.team_id ORDER BY x.picks DESC)
            FROM (
                SELECT team_id, card_id, sum(picks) AS picks, sum(borda) AS borda FROM (
                    SELECT b.team_id, p.card_id, 1 AS picks, NEW.pick_limit + 1 - p.pick_rank AS borda
                    FROM ballots b JOIN picks p ON p.ballot_id = b.id WHERE b.round_id = NEW.id AND b.attempt = NEW.attempt
                    UNION ALL
                    SELECT team_id, card_id, picks, borda FROM imported_card_counts WHERE round_id = NEW.id
                ) GROUP BY team_id, card_id
            ) x JOIN cards c ON c.id = x.card_id JOIN workshops w ON w.id = NEW.workshop_id
            LEFT JOIN teams tm ON tm.id = x.team_id;
        END;
        """
    )
