"""Whether anyone is still storing an import (abc_workshop/store/imports.py): the process that stores it holds an
exclusive lock on a file of its own beside the database (`abc.sqlite3-import-7.lock`) from its first step until it is
stored or removed. The operating system lets go of the lock when that process dies, so a Store that can take the lock
knows the import was left unfinished and may remove it.

The lock is SQLite's own (BEGIN EXCLUSIVE on the empty file): it works alike on every system SQLite runs on, and two
connections of one process exclude each other too, so a second Store in the same process sees the first one's import as
being stored. Import ids are never reused (a failed import keeps its row), so each file belongs to one import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ImportLock:
    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path, self._conn = path, conn

    @classmethod
    def take(cls, database: Path, import_id: int) -> ImportLock | None:
        """The import's lock, or None when another connection holds it (the import is being stored or removed)."""
        path = database.with_name(f"{database.name}-import-{import_id}.lock")
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            conn.close()
            return None
        return cls(path, conn)

    def release(self) -> None:
        """The file goes first, while still held: whoever opens that name afterwards gets a new file, and rechecks the
        import's state in the database before doing anything about it."""
        self.path.unlink(missing_ok=True)
        self._conn.close()
