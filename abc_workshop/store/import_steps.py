"""An import written in steps, each its own short write transaction, so a live room's writes get in between
(abc_workshop/store/imports.py starts it; import_writer.py cuts the batch into steps).

Until its last step the import is 'storing' (schema_import_steps.py) and no read sees its rows (base.settled). A step that
fails has its transaction rolled back, and what the steps before it wrote is removed at once, in steps as well, by the
same list of tables an undo goes through (_UNDO); the import is then marked 'failed'. An import whose process died is
removed the same way by the next Store that opens the file, or that starts an import: the lock in import_lock.py tells
a dead import from one another connection is storing.

An undo removes an import the same way (imports.py, `undo_import`): it is `undoing` from its first write, unseen by
every read like an import being stored, its rows go a slice at a time, and an undo whose process died is finished by the
next Store that opens the file (schema_undo_steps.py).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..domain import Busy
from ..i18n import _
from ..importer import Progress
from .base import StoreBase
from .import_writer import STEP_ROWS, Piece

# What an undo removes, children before parents. Each names the rows of one import (the parameter ?1).
_UNDO = [
    ("moment_cards", "moment_id IN (SELECT id FROM moments WHERE import_id = ?1)"),
    ("moments", "import_id = ?1"),
    ("action_updates", "action_id IN (SELECT id FROM actions WHERE topic_id IN ({topics}))"),
    ("actions", "topic_id IN ({topics})"),
    ("behaviours", "topic_id IN ({topics})"),
    ("risk_decisions", "topic_id IN ({topics})"),
    ("impact_scores", "topic_id IN ({topics})"),
    ("imported_impact_scores", "topic_id IN ({topics})"),
    ("impact_notes", "topic_id IN ({topics})"),
    ("shortlist_changes", "topic_id IN ({topics})"),
    ("topics", "id IN ({topics})"),
    ("picks", "ballot_id IN (SELECT id FROM ballots WHERE round_id IN ({rounds}))"),
    ("ballots", "round_id IN ({rounds})"),
    ("imported_card_counts", "round_id IN ({rounds})"),
    ("imported_team_sizes", "round_id IN ({rounds})"),
    ("published_ranks", "round_id IN ({rounds})"),
    ("tally_cards", "round_id IN ({rounds})"),
    ("tally_teams", "round_id IN ({rounds})"),
    ("imported_answer_counts", "statement_id IN (SELECT id FROM statements WHERE poll_id IN ({polls}))"),
    ("statements", "poll_id IN ({polls})"),
    ("polls", "id IN ({polls})"),
    ("events", "workshop_id IN ({workshops})"),
    ("participants", "workshop_id IN ({workshops}) OR import_id = ?1"),
    ("rounds", "id IN ({rounds})"),
    ("teams", "workshop_id IN ({workshops}) OR import_id = ?1"),
    ("workshops", "id IN ({workshops})"),
]
_SCOPES = {
    "workshops": "SELECT id FROM workshops WHERE import_id = ?1",
    "rounds": "SELECT id FROM rounds WHERE import_id = ?1",
    "polls": "SELECT id FROM polls WHERE import_id = ?1",
    # its own analyses, and whatever teams recorded since on its rounds
    "topics": "SELECT id FROM topics WHERE import_id = ?1 OR round_id IN (SELECT id FROM rounds WHERE import_id = ?1)",
}
# How a row of each table is named when a removal takes a slice of them: the rowid, or a table's key without one.
_ROW_KEYS = {
    "moment_cards": "moment_id, card_id",
    "picks": "ballot_id, card_id",
    "imported_impact_scores": "topic_id, heading, score",
}
# How long the import lets go of the lock after each step, at least: a live write waiting for it takes it meanwhile
# (in this process at once; on another connection at its next try, which comes every 2 ms: StoreBase._begin).
STEP_PAUSE = 0.002
# The page cache of the Store's connection while an import is written (KiB, as PRAGMA cache_size takes it when
# negative): each step adds to the same indexes again, and SQLite's default of 2 MB would read most of their pages back
# from the file at every step. With 64 MB a history of 400,000 picks (bench/make_history.py) stores in 70% of the time.
STEP_CACHE_KIB = 65_536
# Steps between passive checkpoints (see _write_steps): each copies the latest version of every page written since the
# one before, so the pages each step writes again (the indexes') are copied once per four steps, not four times.
CHECKPOINT_STEPS = 4


class ImportStepsMixin(StoreBase):
    def __init__(self, path: str | Path, server_key: str | None = None):
        super().__init__(path, server_key)
        try:
            self.clear_abandoned_imports()
        except Busy:
            pass  # another process holds the write lock long: the next Store to open, or the next import, clears them

    def _write_steps(self, steps: list[list[Piece]], tell: Progress) -> None:
        """Each step in a transaction of its own; progress is told between steps, when no transaction is open.

        Every few steps a connection of its own copies what they wrote from the WAL into the database file (a passive
        checkpoint, between steps: it takes no lock a live write needs). Left to SQLite, the commit that crosses its
        threshold would copy it while holding the write lock, or another process's next ballot would."""
        total = sum(piece.rows for step in steps for piece in step) or 1
        done = 0
        with self._lock:  # the writer's settings change while no write uses it
            settings = self.engine.big_writes(self.db.conn)
            checkpoint = settings.__enter__()
        try:
            for number, step in enumerate(steps, start=1):
                tell(0.95 * done / total, step[-1].what)
                with self._write() as db:
                    for piece in step:
                        piece.write(db.conn)
                done += sum(piece.rows for piece in step)
                if number % CHECKPOINT_STEPS == 0 or number == len(steps):
                    checkpoint()
                time.sleep(STEP_PAUSE)
        finally:
            with self._lock:
                settings.__exit__(None, None, None)

    def _analyze(self) -> None:
        """Fresh statistics, so the compare page's queries pick the right index: ANALYZE of one index at a time (a table
        without one whole), each in a short transaction of its own. sqlite_stat1 ends up as one ANALYZE of everything
        leaves it; the longest, the tallies' covering index, takes about 0.3 s at a million picks, all of them 0.5 s."""
        for name in self.engine.analyze_targets(self._rows):
            with self._write() as db:
                db.execute(f'ANALYZE "{name}"')

    def _remove_unfinished(self, import_id: int) -> None:
        """Remove what an import that did not finish wrote and mark it failed; finish an undo that did not finish. The
        caller holds the import's lock."""
        row = self._row("SELECT state, undoing FROM imports WHERE id = ?", (import_id,))
        if row is None:
            return
        if row["state"] == "storing":
            self._remove_in_slices(import_id)
            with self._write() as db:
                db.execute("DELETE FROM import_claims WHERE import_id = ?", (import_id,))
                db.execute("UPDATE imports SET state = 'failed' WHERE id = ?", (import_id,))
        elif row["undoing"]:
            self._finish_undo(import_id)

    def _finish_undo(self, import_id: int, progress: Progress | None = None) -> None:
        """Remove what an import being undone brought (it is unseen meanwhile), then mark it undone."""
        self._remove_in_slices(import_id, progress)
        with self._write() as db:
            db.execute("DELETE FROM import_claims WHERE import_id = ?", (import_id,))
            db.execute(
                "UPDATE imports SET undoing = 0, undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (import_id,)
            )

    def _remove_in_slices(self, import_id: int, progress: Progress | None = None) -> None:
        """Remove the rows of an import, and what was recorded since about its workshops (_UNDO), a slice of at most
        STEP_ROWS rows of one table per transaction, with the lock let go between slices. The import is in `importing`
        (storing or undoing) all along, so no read sees it half removed."""
        for step, (table, condition) in enumerate(_UNDO):
            if progress:
                progress(
                    step / len(_UNDO),
                    _("Removing what the import brought: part {part} of {parts}").format(part=step + 1, parts=len(_UNDO)),
                )
            key = _ROW_KEYS.get(table, "rowid")
            remove = (
                f"DELETE FROM {table} WHERE ({key}) IN"
                f" (SELECT {key} FROM {table} WHERE {condition.format(**_SCOPES)} LIMIT {STEP_ROWS})"
            )
            while True:
                with self._write() as db:
                    removed = db.execute(remove, (import_id,)).rowcount
                if removed < STEP_ROWS:
                    break
                time.sleep(STEP_PAUSE)

    def clear_abandoned_imports(self) -> list[int]:
        """Remove every import left unfinished by a process that died while storing it, and finish every undo left
        unfinished the same way; returns their ids."""
        cleared = []
        for import_id in [row["id"] for row in self._rows("SELECT id FROM importing ORDER BY id")]:
            lock = self.engine.import_lock(import_id)
            if lock is None:
                continue  # another connection is storing it, or removing it
            try:
                self._remove_unfinished(import_id)
                cleared.append(import_id)
            finally:
                lock.release()
        return cleared
