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
