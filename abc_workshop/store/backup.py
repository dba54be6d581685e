"""Backups of the database file: a consistent copy taken while the app runs, checked, and put back in its place.

A copy is made with SQLite's online backup, in one step from one read transaction: it is the database as it was at
one moment, every write committed before that moment in it and none after, while the room goes on writing (the reader
waits for no writer in WAL mode). It is written beside its destination and renamed into place only when whole and
checked, so a backup file is never half-written. Restoring checks the copy first, never overwrites a database another
connection still has open, and keeps the database it replaces aside.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .connections import connect_reader
from .schema import migrations

COUNTED = ("workshops", "participants", "ballots", "moments", "imports")  # what a summary of a copy counts


class BackupProblem(Exception):
    """A copy or a restore that cannot be done, with a sentence saying why; nothing was written."""


@dataclass(frozen=True)
class Copy:
    path: Path
    bytes: int
    counts: dict[str, int]

    def describe(self) -> str:
        counted = ", ".join(f"{count:,} {table}" for table, count in self.counts.items())
        return f"{self.path} ({self.bytes / 1_048_576:.1f} MB): {counted}"


def backup(database: Path, target: Path) -> Copy:
    """A consistent copy of `database` at `target`, which must not exist yet."""
    if not database.exists():
        raise BackupProblem(f"There is no database at {database}.")
    if target.exists():
        raise BackupProblem(f"{target} exists already; a backup never overwrites a file. Choose another name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = connect_reader(database)
    try:
        destination = sqlite3.connect(str(partial))
        try:
            source.backup(destination)  # pages=-1: the whole file in one step, from one snapshot
            destination.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
        finally:
            destination.close()
        copy = check(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return Copy(target, copy.bytes, copy.counts)


def check(path: Path) -> Copy:
    """What a copy holds, after SQLite's integrity check and a look at its migrations: a file that fails either, or
    that a later version of the app made, is refused."""
    if not path.is_file():
        raise BackupProblem(f"There is no backup at {path}.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupProblem(f"{path} cannot be opened as a database: {error}.") from error
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupProblem(f"{path} is damaged (SQLite's integrity check says: {verdict}).")
        applied = {
            row[0]
            for row in conn.execute(f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", (migrations.name,))
        }
        counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
    except sqlite3.DatabaseError as error:
        raise BackupProblem(f"{path} is not a database of this app: {error}.") from error
    finally:
        conn.close()
    unknown = applied - {migration.name for migration in migrations._migrations}
    if unknown:
        raise BackupProblem(
            f"{path} was made by a later version of the app (it has {len(unknown)} change(s) to the database this "
            "version does not know). Restore it with that version."
        )
    return Copy(path, path.stat().st_size, counts)


def restore(copy_path: Path, database: Path, *, replace: bool = False) -> tuple[Copy, Path | None]:
    """Put a checked copy in place of `database`; returns the copy and where the replaced database was kept (None when
    there was none). The copy itself stays as it is: what is restored is a copy of it."""
    copy = check(copy_path)
    kept = None
    if database.exists():
        if not replace:
            raise BackupProblem(f"{database} exists; restoring over it needs --replace (it is kept aside, not deleted).")
        _refuse_if_open(database)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(f".{database.name}.restoring")
    incoming.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{copy_path}?mode=ro", uri=True)
        target = sqlite3.connect(str(incoming))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        if kept is not None:
            os.replace(database, kept)
        os.replace(incoming, database)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    return copy, kept


def _refuse_if_open(database: Path) -> None:
    """A database in WAL mode leaves it only for a connection that is the file's only one: if another is open (a
    running app), SQLite says the file is locked, and the restore stops before touching anything. Leaving WAL also
    copies any writes still in the WAL file into the database, so the file kept aside is whole by itself."""
    conn = sqlite3.connect(str(database), timeout=0, isolation_level=None)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as error:
        raise BackupProblem(
            f"{database} is in use (SQLite says: {error}). Stop the app's processes first, then restore."
        ) from error
    finally:
        conn.close()
    if mode != "delete":
        raise BackupProblem(f"{database} is in use. Stop the app's processes first, then restore.")
