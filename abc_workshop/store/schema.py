"""The database schema as a sequence of migrations; a database made by any earlier version upgrades in place.

Rules that must hold whoever writes (the pick budget, one ballot a participant, nothing after a
round closes) are triggers and constraints here, not only checks in Python. Trigger messages are
short codes that the store turns into sentences for people.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("abc_workshop")

# Unix time with sub-second precision; SQLite 3.40 lacks unixepoch('subsec').
NOW = "((julianday('now') - 2440587.5) * 86400.0)"


@migrations(name="0001_workshops_rounds_ballots")
def initial_schema(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE decks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
            source TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            deck_id INTEGER NOT NULL REFERENCES decks(id),
            card_key TEXT NOT NULL CHECK (length(card_key) BETWEEN 1 AND 40),
            type TEXT NOT NULL CHECK (type IN ('A', 'B', 'C')),
            theme TEXT NOT NULL CHECK (length(theme) <= 60),
            title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
            description TEXT NOT NULL CHECK (length(description) <= 400),
            position INTEGER NOT NULL,
            UNIQUE (deck_id, card_key)
        );
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            join_code TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
            organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 120),
            held_on TEXT,
            notes TEXT CHECK (notes IS NULL OR length(notes) <= 2000),
            key_hash TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            current_round_id INTEGER REFERENCES rounds(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE teams (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            name TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
            position INTEGER NOT NULL,
            UNIQUE (workshop_id, name)
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            token TEXT NOT NULL UNIQUE,
            display_name TEXT CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 40),
            team_id INTEGER REFERENCES teams(id),
            joined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX participants_by_workshop ON participants(workshop_id, team_id);
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            position INTEGER NOT NULL,
            question TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
            deck_id INTEGER NOT NULL REFERENCES decks(id),
            perspective TEXT NOT NULL
                CHECK (perspective IN ('recognise', 'users_would_pick', 'users_pick', 'resistance', 'custom')),
            perspective_label TEXT CHECK (perspective_label IS NULL OR length(perspective_label) <= 120),
            pick_limit INTEGER NOT NULL CHECK (pick_limit BETWEEN 1 AND 60),
            timer_seconds INTEGER CHECK (timer_seconds IS NULL OR timer_seconds BETWEEN 1 AND 10800),
            show_names INTEGER NOT NULL DEFAULT 0 CHECK (show_names IN (0, 1)),
            state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
            attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
            closes_at REAL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            CHECK (perspective != 'custom' OR perspective_label IS NOT NULL)
        );
        CREATE INDEX rounds_by_workshop ON rounds(workshop_id, position);
        CREATE UNIQUE INDEX one_open_round_per_workshop ON rounds(workshop_id) WHERE state = 'open';
        CREATE TABLE ballots (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            attempt INTEGER NOT NULL,
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            team_id INTEGER REFERENCES teams(id),
            submitted_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (round_id, attempt, participant_id)
        );
        CREATE TABLE picks (
            ballot_id INTEGER NOT NULL REFERENCES ballots(id),
            card_id INTEGER NOT NULL REFERENCES cards(id),
            PRIMARY KEY (ballot_id, card_id)
        ) WITHOUT ROWID;
        CREATE INDEX picks_by_card ON picks(card_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            round_id INTEGER REFERENCES rounds(id),
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX events_by_workshop ON events(workshop_id, id);

        -- A ballot may only be written for the current attempt of an open round whose timer has not run out.
        CREATE TRIGGER ballots_only_while_open BEFORE INSERT ON ballots
        BEGIN
            SELECT RAISE(ABORT, 'round_not_open')
            WHERE (SELECT state FROM rounds WHERE id = NEW.round_id) != 'open';
            SELECT RAISE(ABORT, 'round_time_up')
            WHERE (SELECT closes_at FROM rounds WHERE id = NEW.round_id) < {NOW};
            SELECT RAISE(ABORT, 'stale_attempt')
            WHERE (SELECT attempt FROM rounds WHERE id = NEW.round_id) != NEW.attempt;
        END;
        CREATE TRIGGER ballots_frozen_after_close BEFORE UPDATE ON ballots
        BEGIN
            SELECT RAISE(ABORT, 'round_not_open')
            WHERE (SELECT state FROM rounds WHERE id = OLD.round_id) != 'open';
        END;
        CREATE TRIGGER ballots_never_deleted BEFORE DELETE ON ballots
        BEGIN
            SELECT RAISE(ABORT, 'ballots_are_kept');
        END;
        CREATE TRIGGER picks_only_while_open BEFORE INSERT ON picks
        BEGIN
            SELECT RAISE(ABORT, 'round_not_open')
            WHERE (SELECT r.state FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = NEW.ballot_id) != 'open';
            SELECT RAISE(ABORT, 'round_time_up')
            WHERE (SELECT r.closes_at FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = NEW.ballot_id) < {NOW};
            SELECT RAISE(ABORT, 'card_not_in_deck')
            WHERE (SELECT deck_id FROM cards WHERE id = NEW.card_id)
               IS NOT (SELECT r.deck_id FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = NEW.ballot_id);
            SELECT RAISE(ABORT, 'pick_limit_exceeded')
            WHERE (SELECT count(*) FROM picks WHERE ballot_id = NEW.ballot_id)
               >= (SELECT r.pick_limit FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = NEW.ballot_id);
        END;
        CREATE TRIGGER picks_frozen_after_close BEFORE DELETE ON picks
        BEGIN
            SELECT RAISE(ABORT, 'round_not_open')
            WHERE (SELECT r.state FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = OLD.ballot_id) != 'open';
        END;
        CREATE TRIGGER picks_never_updated BEFORE UPDATE ON picks
        BEGIN
            SELECT RAISE(ABORT, 'picks_are_replaced_not_edited');
        END;
        """
    )


@migrations(name="0002_team_analysis")
def team_analysis(db: Database) -> None:
    """After the vote: each team's shortlist ("topics"), impact notes and scores, the acceptable-risk
    decision, desirable behaviours and actions. Notes are rows of their own, so teammates writing at
    the same time never overwrite each other."""
    db.executescript(
        """
        ALTER TABLE workshops ADD COLUMN projector_view TEXT;
        ALTER TABLE teams ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            team_id INTEGER NOT NULL REFERENCES teams(id),
            card_id INTEGER NOT NULL REFERENCES cards(id),
            on_shortlist INTEGER NOT NULL DEFAULT 1 CHECK (on_shortlist IN (0, 1)),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (round_id, team_id, card_id)
        );
        CREATE TABLE shortlist_changes (
            id INTEGER PRIMARY KEY,
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            change TEXT NOT NULL CHECK (change IN ('from_votes', 'added', 'removed')),
            participant_id INTEGER REFERENCES participants(id),
            by_facilitator INTEGER NOT NULL DEFAULT 0 CHECK (by_facilitator IN (0, 1)),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE impact_notes (
            id INTEGER PRIMARY KEY,
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            heading TEXT NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
            participant_id INTEGER REFERENCES participants(id),
            hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            edited_at TEXT
        );
        CREATE INDEX impact_notes_by_topic ON impact_notes(topic_id, heading);
        CREATE TABLE impact_scores (
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            heading TEXT NOT NULL CHECK (heading IN ('value', 'outcomes', 'costs', 'risks')),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (topic_id, heading, participant_id)
        );
        CREATE TABLE risk_decisions (
            topic_id INTEGER PRIMARY KEY REFERENCES topics(id),
            decision TEXT NOT NULL CHECK (decision IN ('yes', 'no', 'undecided')),
            reason TEXT CHECK (reason IS NULL OR length(reason) <= 300),
            participant_id INTEGER REFERENCES participants(id),
            decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE behaviours (
            id INTEGER PRIMARY KEY,
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            statement TEXT NOT NULL CHECK (length(statement) BETWEEN 1 AND 300),
            participant_id INTEGER REFERENCES participants(id),
            hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            topic_id INTEGER NOT NULL REFERENCES topics(id),
            what TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 300),
            owner TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 80),
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
            participant_id INTEGER REFERENCES participants(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE action_updates (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id),
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
            note TEXT CHECK (note IS NULL OR length(note) <= 300),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX topics_by_team ON topics(team_id, round_id);
        """
    )


@migrations(name="0003_leads_compare_imports_polls")
def leads_compare_imports_polls(db: Database) -> None:
    """For leads: a workshop's country; imports that can be undone; statement polls; and per-team tallies
    of every finished round, kept by triggers, so comparing 10,000 workshops never rescans the raw picks.

    Imported data may be deleted (an undo), live data still never: the 0001 delete rules are recreated
    with an exception for rounds that carry an import id, and import ids cannot be set afterwards.
    """
    # What an answer, new or changed, must meet: its poll is open and before its closing time, its value on the scale.
    poll_of_answer = "(SELECT {} FROM polls p JOIN statements s ON s.poll_id = p.id WHERE s.id = NEW.statement_id)"
    scale_top = poll_of_answer.format("CASE p.scale WHEN 'agree3' THEN 3 ELSE 5 END")
    answer_rules = f"""
            SELECT RAISE(ABORT, 'poll_not_open') WHERE {poll_of_answer.format("p.state")} IS NOT 'open';
            SELECT RAISE(ABORT, 'poll_time_up') WHERE {poll_of_answer.format("p.closes_at")} < {NOW};
            SELECT RAISE(ABORT, 'answer_out_of_range') WHERE NEW.value > {scale_top};"""
    db.executescript(
        f"""
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('picks', 'counts', 'answers', 'synthetic')),
            file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
            file_sha256 TEXT NOT NULL,
            rows INTEGER NOT NULL CHECK (rows >= 0),
            summary TEXT NOT NULL,
            imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            undone_at TEXT
        );
        ALTER TABLE workshops ADD COLUMN country TEXT COLLATE NOCASE CHECK (country IS NULL OR length(country) BETWEEN 1 AND 60);
        ALTER TABLE workshops ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE rounds ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE picks ADD COLUMN pick_rank INTEGER CHECK (pick_rank IS NULL OR pick_rank BETWEEN 1 AND 60);
        CREATE INDEX workshops_by_organisation ON workshops(organisation COLLATE NOCASE, held_on);
        CREATE INDEX workshops_by_date ON workshops(held_on);
        CREATE INDEX workshops_by_import ON workshops(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX teams_by_name ON teams(name);

        CREATE TRIGGER workshop_import_id_is_fixed BEFORE UPDATE OF import_id ON workshops
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;
        CREATE TRIGGER round_import_id_is_fixed BEFORE UPDATE OF import_id ON rounds
        BEGIN SELECT RAISE(ABORT, 'import_id_is_fixed'); END;
        CREATE TRIGGER rounds_belong_to_their_import BEFORE INSERT ON rounds
        WHEN NEW.import_id IS NOT (SELECT import_id FROM workshops WHERE id = NEW.workshop_id)
        BEGIN SELECT RAISE(ABORT, 'imported_workshop_is_read_only'); END;
        CREATE TRIGGER imported_rounds_stay_finished BEFORE UPDATE OF state ON rounds
        WHEN OLD.import_id IS NOT NULL AND NEW.state NOT IN ('closed', 'revealed')
        BEGIN SELECT RAISE(ABORT, 'imported_round_is_final'); END;
        DROP TRIGGER ballots_never_deleted;
        CREATE TRIGGER ballots_never_deleted BEFORE DELETE ON ballots
        WHEN (SELECT import_id FROM rounds WHERE id = OLD.round_id) IS NULL
        BEGIN SELECT RAISE(ABORT, 'ballots_are_kept'); END;
        DROP TRIGGER picks_frozen_after_close;
        CREATE TRIGGER picks_frozen_after_close BEFORE DELETE ON picks
        WHEN (SELECT r.import_id FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = OLD.ballot_id) IS NULL
        BEGIN
            SELECT RAISE(ABORT, 'round_not_open')
            WHERE (SELECT r.state FROM rounds r JOIN ballots b ON b.round_id = r.id WHERE b.id = OLD.ballot_id) != 'open';
        END;

        -- Aggregated imports (no ballots behind them) and the tallies of finished rounds. Tallies are derived
        -- data: no foreign keys, rebuilt by the triggers below whenever a round finishes or opens again.
        CREATE TABLE imported_card_counts (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            team_id INTEGER REFERENCES teams(id),
            card_id INTEGER NOT NULL REFERENCES cards(id),
            picks INTEGER NOT NULL CHECK (picks >= 1)
        );
        CREATE INDEX imported_card_counts_by_round ON imported_card_counts(round_id);
        CREATE TABLE imported_team_sizes (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            team_id INTEGER REFERENCES teams(id),
            participants INTEGER NOT NULL CHECK (participants >= 1)
        );
        CREATE INDEX imported_team_sizes_by_round ON imported_team_sizes(round_id);
        -- Organisation, country and team name are copied in (and follow edits, below), so that grouping and
        -- filtering by them reads one index: a million picks in about 0.1 s instead of a second of lookups.
        CREATE TABLE tally_teams (
            round_id INTEGER NOT NULL, workshop_id INTEGER NOT NULL, organisation TEXT NOT NULL COLLATE NOCASE,
            country TEXT COLLATE NOCASE, perspective TEXT NOT NULL, deck_id INTEGER NOT NULL,
            team_id INTEGER, team_name TEXT COLLATE NOCASE, participants INTEGER NOT NULL, ranked INTEGER NOT NULL
        );
        CREATE INDEX tally_teams_by_round ON tally_teams(round_id);
        CREATE INDEX tally_teams_by_workshop ON tally_teams(workshop_id);
        CREATE TABLE tally_cards (
            round_id INTEGER NOT NULL, workshop_id INTEGER NOT NULL, organisation TEXT NOT NULL COLLATE NOCASE,
            country TEXT COLLATE NOCASE, perspective TEXT NOT NULL, deck_id INTEGER NOT NULL,
            team_id INTEGER, team_name TEXT COLLATE NOCASE, card_id INTEGER NOT NULL, card_type TEXT NOT NULL,
            picks INTEGER NOT NULL, borda INTEGER, team_rank INTEGER NOT NULL
        );
        CREATE INDEX tally_cards_by_round ON tally_cards(round_id);
        CREATE INDEX tally_cards_by_workshop ON tally_cards(workshop_id, card_id);
        CREATE INDEX tally_cards_covering ON tally_cards(
            perspective, card_id, card_type, deck_id, team_name, organisation, country, workshop_id, team_rank, picks, borda
        );

        -- Ranked picks (imports with a rank column) score Borda points: pick limit + 1 - rank.
        CREATE TRIGGER tallies_when_a_round_finishes AFTER UPDATE OF state ON rounds
        WHEN NEW.state IN ('closed', 'revealed')
        BEGIN
            DELETE FROM tally_cards WHERE round_id = NEW.id;
            DELETE FROM tally_teams WHERE round_id = NEW.id;
            INSERT INTO tally_teams (round_id, workshop_id, organisation, country, perspective, deck_id, team_id, team_name, participants, ranked)
            SELECT NEW.id, NEW.workshop_id, w.organisation, w.country, NEW.perspective, NEW.deck_id, x.team_id, tm.name, x.participants, x.ranked
            FROM (
                SELECT team_id, sum(participants) AS participants, sum(ranked) AS ranked FROM (
                    SELECT b.team_id, 1 AS participants,
                           EXISTS (SELECT 1 FROM picks p WHERE p.ballot_id = b.id AND p.pick_rank IS NOT NULL) AS ranked
                    FROM ballots b WHERE b.round_id = NEW.id AND b.attempt = NEW.attempt
                    UNION ALL
                    SELECT team_id, participants, 0 FROM imported_team_sizes WHERE round_id = NEW.id
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
                    SELECT team_id, card_id, picks, NULL FROM imported_card_counts WHERE round_id = NEW.id
                ) GROUP BY team_id, card_id
            ) x JOIN cards c ON c.id = x.card_id JOIN workshops w ON w.id = NEW.workshop_id LEFT JOIN teams tm ON tm.id = x.team_id;
        END;
        CREATE TRIGGER tallies_when_a_round_opens_again AFTER UPDATE OF state ON rounds
        WHEN NEW.state NOT IN ('closed', 'revealed')
        BEGIN
            DELETE FROM tally_cards WHERE round_id = NEW.id;
            DELETE FROM tally_teams WHERE round_id = NEW.id;
        END;
        CREATE TRIGGER tallies_follow_workshop_edits AFTER UPDATE OF organisation, country ON workshops
        BEGIN
            UPDATE tally_cards SET organisation = NEW.organisation, country = NEW.country WHERE workshop_id = NEW.id;
            UPDATE tally_teams SET organisation = NEW.organisation, country = NEW.country WHERE workshop_id = NEW.id;
        END;
        CREATE TRIGGER tallies_follow_team_renames AFTER UPDATE OF name ON teams
        BEGIN
            UPDATE tally_cards SET team_name = NEW.name WHERE workshop_id = NEW.workshop_id AND team_id = NEW.id;
            UPDATE tally_teams SET team_name = NEW.name WHERE workshop_id = NEW.workshop_id AND team_id = NEW.id;
        END;

        -- Statement polls: agree / partly / disagree (1-3) or a 1-5 scale, one answer per participant and statement.
        CREATE TABLE polls (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id),
            title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
            scale TEXT NOT NULL CHECK (scale IN ('agree3', 'scale5')),
            state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'revealed')),
            closes_at REAL,
            survey_code TEXT NOT NULL UNIQUE,
            on_projector INTEGER NOT NULL DEFAULT 0 CHECK (on_projector IN (0, 1)),
            import_id INTEGER REFERENCES imports(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX polls_by_workshop ON polls(workshop_id, state);
        CREATE UNIQUE INDEX one_projected_poll_per_workshop ON polls(workshop_id) WHERE on_projector = 1;
        CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            poll_id INTEGER NOT NULL REFERENCES polls(id),
            position INTEGER NOT NULL,
            text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
            UNIQUE (poll_id, position)
        );
        CREATE INDEX statements_by_text ON statements(text COLLATE NOCASE);
        CREATE TABLE answers (
            statement_id INTEGER NOT NULL REFERENCES statements(id),
            participant_id INTEGER NOT NULL REFERENCES participants(id),
            value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
            answered_at REAL NOT NULL,
            PRIMARY KEY (statement_id, participant_id)
        ) WITHOUT ROWID;
        CREATE TABLE imported_answer_counts (
            statement_id INTEGER NOT NULL REFERENCES statements(id),
            team_id INTEGER REFERENCES teams(id),
            value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
            answers INTEGER NOT NULL CHECK (answers >= 1)
        );
        CREATE INDEX imported_answer_counts_by_statement ON imported_answer_counts(statement_id);
        CREATE TRIGGER polls_belong_to_their_import BEFORE INSERT ON polls
        WHEN NEW.import_id IS NOT (SELECT import_id FROM workshops WHERE id = NEW.workshop_id)
        BEGIN SELECT RAISE(ABORT, 'imported_workshop_is_read_only'); END;
        CREATE TRIGGER imported_polls_stay_closed BEFORE UPDATE OF state, import_id ON polls
        WHEN OLD.import_id IS NOT NULL OR NEW.import_id IS NOT OLD.import_id
        BEGIN SELECT RAISE(ABORT, 'imported_poll_is_final'); END;
        CREATE TRIGGER answers_only_while_open BEFORE INSERT ON answers
        BEGIN
            {answer_rules}
            SELECT RAISE(ABORT, 'not_in_this_workshop')
            WHERE (SELECT workshop_id FROM participants WHERE id = NEW.participant_id) IS NOT {poll_of_answer.format("p.workshop_id")};
        END;
        CREATE TRIGGER answers_frozen_after_close BEFORE UPDATE ON answers
        BEGIN
            SELECT RAISE(ABORT, 'answers_stay_put')
            WHERE NEW.statement_id != OLD.statement_id OR NEW.participant_id != OLD.participant_id;
            {answer_rules}
        END;
        CREATE TRIGGER answers_never_deleted BEFORE DELETE ON answers
        BEGIN SELECT RAISE(ABORT, 'answers_are_kept'); END;

        -- Tallies for the rounds that finished before this version.
        UPDATE rounds SET state = state WHERE state IN ('closed', 'revealed');
        """
    )


# Registers the other migrations after the ones above, in order: the outside-in programme and paper ballots
# (schema_programme.py), the imports', the doors' (schema_doors.py imports schema_imports first), imported moments
# of truth (schema_moments.py imports schema_doors first), imports in steps (schema_import_steps.py), cards' texts in
# other languages (schema_texts.py), the languages of workshops and participants (schema_languages.py), then the
# log's messages kept for each reader's language (schema_events.py), then undoing imports in steps (schema_undo_steps.py);
# each module imports the one before it.
from . import schema_programme  # noqa: F401, I001
from . import schema_doors, schema_imports, schema_import_steps, schema_moments  # noqa: F401
from . import schema_texts  # noqa: F401
from . import schema_languages  # noqa: F401
from . import schema_events  # noqa: F401
from . import schema_undo_steps  # noqa: F401
