"""Migration for the languages people read the app in (abc_workshop/i18n.py), kept beside schema.py, which
registers it after the others.

A workshop has one language: the projector, the report and each phone's first choice follow it. A participant
may choose another for their own phone; NULL means they have not chosen, so their browser's language decides.
Codes are checked by the store against the languages the app has catalogues for, so adding a language needs no
migration.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_texts  # noqa: F401  (its migrations come before this one)
from .schema import migrations


@migrations(name="0013_languages")
def languages(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE workshops ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 8);
        ALTER TABLE participants ADD COLUMN language TEXT CHECK (language IS NULL OR length(language) BETWEEN 2 AND 8);
        """
    )
