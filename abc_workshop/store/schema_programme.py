"""Migrations for the outside-in programme (0004) and paper ballots (0005), kept beside schema.py, which registers
them after its own and before the imports' (schema_imports.py), so each file stays one screenful of concerns shorter.
"""

from __future__ import annotations

from sqlite_utils import Database

from .schema import NOW, migrations


@migrations(name="0004_outside_in")
def outside_in(db: Database) -> None:
    """Between workshops: an organisation's immersion programme, its scouts' moments of truth and the
    business's feedback channel (README.md, "Between workshops: the outside-in programme").

    An organisation is matched to workshops by its name, trimmed and without case, as the review of
    earlier actions does. Status orders, the photo size limit and "an answer needs a text" hold here,
    for any writer; each feedback step's time is stamped by a trigger.
    """
    step_times = "".join(
        f"""
        CREATE TRIGGER feedback_{status}_at AFTER UPDATE OF status ON feedback
        WHEN NEW.status = '{status}' AND OLD.status != '{status}'
        BEGIN UPDATE feedback SET {status}_at = {NOW} WHERE id = NEW.id; END;"""
        for status in ("acknowledged", "answered", "acted_upon", "declined")
    )
    db.executescript(
        f"""
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
            name_key TEXT NOT NULL UNIQUE CHECK (name_key = lower(trim(name))),
            channel_token TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE TABLE it_people (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations(id),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
            team TEXT NOT NULL CHECK (length(team) BETWEEN 1 AND 60),
            role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 80),
            UNIQUE (organisation_id, name COLLATE NOCASE)
        );
        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations(id),
            kind TEXT NOT NULL CHECK (kind IN ('business_unit', 'store', 'call_centre', 'website_app', 'it_rotation', 'undercover_customer')),
            person TEXT NOT NULL CHECK (length(person) BETWEEN 1 AND 80),
            team TEXT NOT NULL CHECK (length(team) BETWEEN 1 AND 60),
            role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 80),
            place TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 120),
            activity TEXT NOT NULL CHECK (length(activity) BETWEEN 1 AND 300),
            host TEXT CHECK (host IS NULL OR length(host) BETWEEN 1 AND 80),
            visit_on TEXT NOT NULL CHECK (date(visit_on) IS visit_on),
            look_for TEXT NOT NULL DEFAULT '' CHECK (length(look_for) <= 1000),
            questions TEXT NOT NULL DEFAULT '' CHECK (length(questions) <= 1000),
            expected TEXT NOT NULL DEFAULT '' CHECK (length(expected) <= 1000),
            token TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
            summary TEXT CHECK (summary IS NULL OR length(summary) <= 2000),
            should_change TEXT CHECK (should_change IS NULL OR length(should_change) <= 2000),
            debriefed_at REAL,
            workshop_id INTEGER REFERENCES workshops(id),
            action_id INTEGER REFERENCES actions(id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        );
        CREATE INDEX visits_by_organisation ON visits(organisation_id, visit_on);
        CREATE TRIGGER visits_finish_once BEFORE UPDATE OF status ON visits
        WHEN OLD.status != 'planned' AND NEW.status != OLD.status
        BEGIN SELECT RAISE(ABORT, 'visit_is_final'); END;

        CREATE TABLE moments (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations(id),
            visit_id INTEGER REFERENCES visits(id),
            source TEXT NOT NULL CHECK (source IN ('scout', 'feedback')),
            stage TEXT NOT NULL CHECK (stage IN ('finding', 'accessing', 'using', 'support')),
            positive INTEGER NOT NULL CHECK (positive IN (0, 1)),
            what_happened TEXT NOT NULL CHECK (length(what_happened) BETWEEN 1 AND 1000),
            customer_words TEXT CHECK (customer_words IS NULL OR length(customer_words) BETWEEN 1 AND 500),
            effort INTEGER CHECK (effort IS NULL OR effort BETWEEN 1 AND 5),
            business_unit TEXT CHECK (business_unit IS NULL OR length(business_unit) BETWEEN 1 AND 120),
            internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
            photo BLOB CHECK (photo IS NULL OR length(photo) <= 2097152),
            photo_type TEXT CHECK (photo_type IS NULL OR photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
            created_at REAL NOT NULL DEFAULT ({NOW}),
            CHECK ((source = 'scout') = (visit_id IS NOT NULL)),
            CHECK ((photo IS NULL) = (photo_type IS NULL))
        );
        CREATE INDEX moments_by_organisation ON moments(organisation_id, created_at);
        CREATE INDEX moments_by_visit ON moments(visit_id);
        CREATE TRIGGER moments_of_their_visits_organisation BEFORE INSERT ON moments
        WHEN NEW.visit_id IS NOT NULL AND (SELECT organisation_id FROM visits WHERE id = NEW.visit_id) IS NOT NEW.organisation_id
        BEGIN SELECT RAISE(ABORT, 'not_this_programme'); END;
        CREATE TRIGGER moments_photo_only_removed BEFORE UPDATE OF photo ON moments
        WHEN NEW.photo IS NOT NULL AND NEW.photo IS NOT OLD.photo
        BEGIN SELECT RAISE(ABORT, 'photo_is_kept_or_deleted'); END;
        CREATE TABLE moment_cards (
            moment_id INTEGER NOT NULL REFERENCES moments(id) ON DELETE CASCADE,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            PRIMARY KEY (moment_id, card_id)
        ) WITHOUT ROWID;
        CREATE INDEX moment_cards_by_card ON moment_cards(card_id);

        -- The feedback channel: new -> acknowledged -> answered -> acted_upon, or declined (with a reason)
        -- before it was acted upon. No step is skipped or undone.
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            moment_id INTEGER NOT NULL UNIQUE REFERENCES moments(id),
            token TEXT NOT NULL UNIQUE,
            writer_name TEXT CHECK (writer_name IS NULL OR length(writer_name) BETWEEN 1 AND 80),
            owner TEXT CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 80),
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'answered', 'acted_upon', 'declined')),
            answer TEXT CHECK (answer IS NULL OR length(answer) BETWEEN 1 AND 1000),
            action_taken TEXT CHECK (action_taken IS NULL OR length(action_taken) BETWEEN 1 AND 1000),
            decline_reason TEXT CHECK (decline_reason IS NULL OR length(decline_reason) BETWEEN 1 AND 500),
            created_at REAL NOT NULL DEFAULT ({NOW}),
            acknowledged_at REAL, answered_at REAL, acted_upon_at REAL, declined_at REAL,
            CHECK (status = 'new' OR owner IS NOT NULL),
            CHECK (status NOT IN ('answered', 'acted_upon') OR answer IS NOT NULL),
            CHECK (status != 'acted_upon' OR action_taken IS NOT NULL),
            CHECK (status != 'declined' OR decline_reason IS NOT NULL)
        );
        CREATE TRIGGER feedback_status_order BEFORE UPDATE OF status ON feedback
        WHEN NEW.status != OLD.status AND NOT (
            (OLD.status = 'new' AND NEW.status = 'acknowledged') OR
            (OLD.status = 'acknowledged' AND NEW.status = 'answered') OR
            (OLD.status = 'answered' AND NEW.status = 'acted_upon') OR
            (OLD.status IN ('new', 'acknowledged', 'answered') AND NEW.status = 'declined'))
        BEGIN SELECT RAISE(ABORT, 'feedback_status_order'); END;
        CREATE TRIGGER feedback_starts_new BEFORE INSERT ON feedback
        WHEN NEW.status != 'new' BEGIN SELECT RAISE(ABORT, 'feedback_status_order'); END;
        {step_times}
        """
    )


@migrations(name="0005_paper_ballots")
def paper_ballots(db: Database) -> None:
    """Ballots the facilitator enters from paper for people without a device. Each such person is a participant
    of their own, marked here; their ballots go through the same triggers as every other ballot."""
    db.executescript(
        """
        ALTER TABLE participants ADD COLUMN entered_by_facilitator INTEGER NOT NULL DEFAULT 0
            CHECK (entered_by_facilitator IN (0, 1));
        CREATE INDEX participants_entered_on_paper ON participants(workshop_id, display_name)
            WHERE entered_by_facilitator = 1;
        """
    )
