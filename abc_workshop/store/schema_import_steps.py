"""Migration for imports written in steps (abc_workshop/store/imports.py), kept beside schema.py, which registers it
after the moments' (schema_moments.py).

- An import is 'storing' from its first step until its last, each step its own short transaction, so a live room's
  writes get in between. Meanwhile its rows stay out of every read: the view `importing` lists such imports, and
  base.settled / base.settled_by are the one condition the reads use. An import that fails, or whose process died, has its
  rows removed and is marked 'failed'; imports stored before this migration are 'stored'.
- Claims: what a storing import will write (each workshop by its key, each moment of truth), taken in its first step,
  so two imports at the same time cannot both store the same one; they go when the import is stored or removed. A claim
  on a workshop an earlier import stored names it, so that import is not undone under the one adding to it.
- The tallies' covering index (0003) gets the round last: the reads that leave out a storing import's rounds still read
  that index alone. Rounds by import, for those reads and for undo.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_moments  # noqa: F401  (its migration comes before this one)
from .schema import migrations


@migrations(name="0011_imports_in_steps")
def imports_in_steps(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE imports ADD COLUMN state TEXT NOT NULL DEFAULT 'stored' CHECK (state IN ('storing', 'stored', 'failed'));
        CREATE VIEW importing AS SELECT id FROM imports WHERE state = 'storing';

        CREATE TABLE import_claims (
            claim TEXT PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            workshop_id INTEGER REFERENCES workshops(id)
        ) WITHOUT ROWID;
        CREATE INDEX import_claims_by_import ON import_claims(import_id);
        CREATE INDEX import_claims_by_workshop ON import_claims(workshop_id) WHERE workshop_id IS NOT NULL;

        CREATE INDEX rounds_by_import ON rounds(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX polls_by_import ON polls(import_id) WHERE import_id IS NOT NULL;
        DROP INDEX tally_cards_covering;
        CREATE INDEX tally_cards_covering ON tally_cards(
            perspective, card_id, card_type, deck_id, team_name, organisation, country, workshop_id, team_rank, picks, borda,
            round_id
        );
        """
    )
