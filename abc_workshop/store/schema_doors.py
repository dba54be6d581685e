"""Migrations for the doors and the moderation, kept beside schema.py, which registers them after its own.

- Organisations are records: each workshop belongs to one by its id, not by the text of its name. Existing
  workshops are moved onto records the way their names were matched until now (trimmed, case ignored).
  A workshop written without one (an import) joins the record of its name; the store's create_workshop
  always names the record itself, after checking that the creator may use it.
- A key hint (the first 32 bits of the key's SHA-256) finds the one workshop a typed key may belong to, so
  checking "is this a key of any workshop here?" costs one scrypt, not one per workshop.
- Moderation: what the facilitator edited or hid stays so (the author cannot undo it); actions and decision
  reasons can be hidden too; and the log no longer quotes what was edited or can be hidden.
- A workshop may be ended by its facilitator (no more joining); survey respondents are marked, so live rounds
  do not count them as joined; a team's shortlist remembers which round attempt its votes came from.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from . import schema_imports  # noqa: F401  (its migrations come before these)
from .schema import migrations

# When a row was written, as the other tables stamp it (ISO 8601, UTC).
_ISO_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


@migrations(name="0008_organisation_records_and_key_hints")
def organisation_records(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE workshops ADD COLUMN organisation_id INTEGER REFERENCES organisations(id);
        ALTER TABLE workshops ADD COLUMN key_hint TEXT;
        INSERT OR IGNORE INTO organisations (name, name_key, channel_token)
            SELECT min(trim(organisation)), lower(trim(organisation)), lower(hex(randomblob(16)))
            FROM workshops GROUP BY lower(trim(organisation));
        UPDATE workshops
            SET organisation_id = (SELECT id FROM organisations WHERE name_key = lower(trim(workshops.organisation)));
        CREATE INDEX workshops_by_organisation_record ON workshops(organisation_id);
        CREATE INDEX workshops_by_key_hint ON workshops(key_hint) WHERE key_hint IS NOT NULL;

        CREATE TRIGGER workshops_join_the_organisation_of_their_name AFTER INSERT ON workshops
        WHEN NEW.organisation_id IS NULL
        BEGIN
            INSERT OR IGNORE INTO organisations (name, name_key, channel_token)
                VALUES (trim(NEW.organisation), lower(trim(NEW.organisation)), lower(hex(randomblob(16))));
            UPDATE workshops SET organisation_id = (SELECT id FROM organisations WHERE name_key = lower(trim(NEW.organisation)))
            WHERE id = NEW.id;
        END;
        """
    )


@migrations(name="0009_moderation_that_sticks_ended_workshops_survey_respondents_shortlist_attempts")
def moderation_ends_and_respondents(db: Database) -> None:
    db.executescript(
        f"""
        ALTER TABLE impact_notes ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0 CHECK (moderated IN (0, 1));
        ALTER TABLE actions ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
        ALTER TABLE risk_decisions ADD COLUMN reason_hidden INTEGER NOT NULL DEFAULT 0 CHECK (reason_hidden IN (0, 1));
        ALTER TABLE participants ADD COLUMN via_survey INTEGER NOT NULL DEFAULT 0 CHECK (via_survey IN (0, 1));
        ALTER TABLE workshops ADD COLUMN ended_at TEXT;
        UPDATE impact_notes SET moderated = 1 WHERE hidden = 1;

        CREATE TABLE shortlist_seeds (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            team_id INTEGER NOT NULL REFERENCES teams(id),
            attempt INTEGER NOT NULL,
            seeded_at TEXT NOT NULL DEFAULT ({_ISO_NOW}),
            PRIMARY KEY (round_id, team_id)
        ) WITHOUT ROWID;
        INSERT INTO shortlist_seeds (round_id, team_id, attempt)
            SELECT DISTINCT t.round_id, t.team_id, r.attempt FROM topics t JOIN rounds r ON r.id = t.round_id;
        """
    )
    _log_without_quotes(db)


_EDITED = re.compile(r"^Facilitator edited note (\d+)")
_DECIDED = re.compile(r"^(.*?: .*? \(.*?\))(: .*)?$", re.DOTALL)
_ACTION = re.compile(r"^Action '.*' -> (open|done|dropped)(: .*)?$", re.DOTALL)


def _log_without_quotes(db: Database) -> None:
    """Earlier log lines quoted a note's old text, a decision's reason and an action's words; each is reworded
    to what happened, so nothing edited or hidden resurfaces through the log or the reports that print it."""
    for event_id, kind, detail in db.execute(
        "SELECT id, kind, detail FROM events WHERE kind IN ('note_edited', 'risk_decided', 'action_status')"
    ).fetchall():
        if kind == "note_edited" and (edited := _EDITED.match(detail)):
            reworded = f"Note {edited.group(1)} edited by the facilitator"
            db.execute("UPDATE impact_notes SET moderated = 1 WHERE id = ?", (int(edited.group(1)),))
        elif kind == "risk_decided" and (decided := _DECIDED.match(detail)):
            reworded = decided.group(1)
        elif kind == "action_status" and (status := _ACTION.match(detail)):
            reworded = f"An action's status -> {status.group(1)}"
        else:
            continue
        db.execute("UPDATE events SET detail = ? WHERE id = ?", (reworded, event_id))
