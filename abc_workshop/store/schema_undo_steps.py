"""Migration for undoing an import in steps (abc_workshop/store/imports.py, `undo_import`), kept beside schema.py, which
registers it last.

An undo removes what an import brought a slice at a time, each slice its own short transaction, as an import is
written, so a live room's writes get in between. From its first step to its last the import is `undoing`, and the view
`importing` (schema_import_steps.py) lists it with the imports still being stored: every read already leaves their
rows out (base.settled), so the import's results leave the compare page, the lists and the checks at once, not table
by table. An undo whose process died is finished by the next Store that opens the file (import_steps.py).
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_events  # noqa: F401  (its migration comes before this one)
from .schema import migrations


@migrations(name="0015_undo_in_steps")
def undo_in_steps(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE imports ADD COLUMN undoing INTEGER NOT NULL DEFAULT 0 CHECK (undoing IN (0, 1));
        DROP VIEW importing;
        CREATE VIEW importing AS SELECT id FROM imports WHERE state = 'storing' OR undoing = 1;
        """
    )
