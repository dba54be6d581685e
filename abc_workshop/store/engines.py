"""The two databases a Store runs on, behind one small interface: the embedded SQLite file (the default) and
PostgreSQL (a `postgresql://` URL: README.md, "PostgreSQL").

What differs between them lives here and nowhere else in the store: how connections are opened, how a write
transaction takes the one write lock (SQLite's `BEGIN IMMEDIATE`; a transaction-level advisory lock on PostgreSQL, so
the store's read-then-write checks hold across processes and machines alike), how the schema is migrated, how an
import marks that it is being stored (store/import_lock.py), what keeps the planner's statistics fresh, and how the
live watcher learns that something was committed (abc_workshop/live.py). The SQL itself is written once
(store/pg.py says how PostgreSQL reads it).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from sqlite_utils import Database

from ..domain import Busy
from .connections import connect, connect_reader, migration_lock
from .import_lock import ImportLock

WAIT_STEP = 0.002  # how often a write waiting for another connection's write lock tries again (SqliteEngine.begin)
BUSY_SECONDS = 10.0  # how long a write waits for the write lock before it is refused as Busy
WRITE_LOCK = 0x41424357  # PostgreSQL: the advisory lock every write transaction takes ("ABCW")
MIGRATION_LOCK = 0x4142434D  # PostgreSQL: held while one process migrates ("ABCM")
IMPORT_LOCKS = 0x41424349  # PostgreSQL: the class of the advisory locks of imports being stored ("ABCI")
CHANNEL = "abc_changed"  # PostgreSQL: what every write notifies on its commit (PgChangeSource listens)


class Lock(Protocol):
    def release(self) -> None: ...


class Engine(Protocol):
    """What the store asks of an engine. Connections are typed Any: each engine's reads as a sqlite3 connection
    (store/pg.py for PostgreSQL's), so the store's code is one."""

    name: str
    location: str  # the file's path or the URL: what caches are keyed by

    @property
    def path(self) -> Path | None: ...  # the SQLite file; None on PostgreSQL

    def writer(self) -> Any: ...
    def reader(self) -> Any: ...
    def migrate(self, db: Any) -> None: ...
    def begin(self, conn: Any) -> None: ...
    def before_commit(self, conn: Any) -> None: ...
    def set_busy(self, conn: Any, seconds: float) -> None: ...
    def import_lock(self, import_id: int) -> Lock | None: ...
    def analyze_targets(self, rows: Any) -> list[str]: ...
    def table_names(self, rows: Any) -> list[str]: ...
    def held_import_locks(self) -> list[str]: ...
    def big_writes(self, conn: Any) -> contextlib.AbstractContextManager[Any]: ...


class SqliteEngine:
    name = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.location = str(self.path)

    def writer(self) -> Database:
        conn = connect(self.path)
        db = Database(conn)
        with db.ensure_autocommit_on():
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        return db

    def reader(self) -> sqlite3.Connection:
        return connect_reader(self.path)

    def migrate(self, db: Database) -> None:
        from .schema import migrations

        if migrations.pending(db):
            with migration_lock(self.path):
                migrations.apply(db)

    def begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, trying again every WAIT_STEP seconds for as long as the connection's busy timeout allows,
        then Busy. SQLite's own wait backs off to tries 100 ms apart, so a write of another connection waiting behind
        a big import would mostly miss the short pauses between its steps (store/import_steps.py); this one does not."""
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline = time.monotonic() + timeout / 1000
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise
                    if time.monotonic() >= deadline:  # waited out the busy timeout: say so, write nothing
                        raise Busy() from error
                time.sleep(WAIT_STEP)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {timeout}")

    def before_commit(self, conn: sqlite3.Connection) -> None:
        """Nothing: other connections see a commit in `PRAGMA data_version`."""

    def set_busy(self, conn: sqlite3.Connection, seconds: float) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def table_names(self, rows) -> list[str]:
        return [row["name"] for row in rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]

    def held_import_locks(self) -> list[str]:
        """The import lock files beside the database (store/import_lock.py)."""
        return sorted(path.name for path in self.path.parent.glob(f"{self.path.name}-import-*.lock"))

    def import_lock(self, import_id: int) -> ImportLock | None:
        return ImportLock.take(self.path, import_id)

    def analyze_targets(self, rows) -> list[str]:
        """What ANALYZE runs on, one short transaction each: every index, and each table without one."""
        names = []
        for table in rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            indexes = [row["name"] for row in rows("SELECT name FROM pragma_index_list(?)", (table["name"],))]
            names += indexes or [table["name"]]
        return names

    @contextlib.contextmanager
    def big_writes(self, conn: sqlite3.Connection) -> Iterator[Any]:
        """Around an import's steps: a big page cache, and the WAL copied into the file by a connection of its own
        between steps (returned: call it with no argument), not by whichever commit crosses SQLite's threshold."""
        from .import_steps import STEP_CACHE_KIB

        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{STEP_CACHE_KIB}")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        checkpoint = sqlite3.connect(str(self.path), timeout=0, check_same_thread=False)
        try:
            yield lambda: checkpoint.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            checkpoint.close()
            conn.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default
            conn.execute(f"PRAGMA cache_size = {cache}")


class PgDatabase:
    """What the store uses of sqlite-utils' Database, over a PgConnection."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql: str, params: Any = ()):
        return self.conn.execute(sql, params)

    def executescript(self, sql: str) -> None:
        self.conn.executescript(sql)

    def rollback(self) -> None:
        self.conn.rollback()


class _AdvisoryLock:
    """An import's lock on PostgreSQL: a session-level advisory lock on a connection of its own, let go when the
    connection closes, which the server does when the process holding it dies."""

    def __init__(self, conn):
        self._conn = conn

    @classmethod
    def take(cls, url: str, import_id: int) -> _AdvisoryLock | None:
        import psycopg

        conn = psycopg.connect(url, autocommit=True)
        row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (IMPORT_LOCKS, import_id)).fetchone()
        if not (row and row[0]):
            conn.close()
            return None
        return cls(conn)

    def release(self) -> None:
        self._conn.close()


class PgEngine:
    name = "postgresql"
    path = None

    def __init__(self, url: str):
        self.location = self.url = url
        self.busy_seconds = BUSY_SECONDS

    def writer(self) -> PgDatabase:
        from .pg import PgConnection

        return PgDatabase(PgConnection(self.url))

    def reader(self):
        from .pg import PgConnection

        return PgConnection(self.url, read_only=True)

    def migrate(self, db: PgDatabase) -> None:
        """Apply store/schema_pg.py's migrations not yet applied, one process at a time (an advisory lock)."""
        from .schema_pg import MIGRATIONS

        raw = db.conn.raw
        raw.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            raw.execute("CREATE TABLE IF NOT EXISTS abc_migrations (name text PRIMARY KEY, applied_at timestamptz DEFAULT now())")
            applied = {row[0] for row in raw.execute("SELECT name FROM abc_migrations").fetchall()}
            for name, sql in MIGRATIONS:
                if name in applied:
                    continue
                with raw.transaction():
                    raw.execute(sql, prepare=False)
                    raw.execute("INSERT INTO abc_migrations (name) VALUES (%s)", (name,))
        finally:
            raw.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        db.conn.forget_tables()

    def applied_migrations(self, db: PgDatabase) -> list[str]:
        return [row[0] for row in db.conn.raw.execute("SELECT name FROM abc_migrations ORDER BY applied_at, name").fetchall()]

    def begin(self, conn) -> None:
        """BEGIN, then the write lock every write of every process takes; waited for up to busy_seconds, then Busy."""
        conn.raw.execute("BEGIN")
        try:
            if self.busy_seconds <= 0:  # no waiting at all (a lock_timeout of 0 would mean waiting for ever)
                if not conn.raw.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,)).fetchone()[0]:
                    conn.rollback()
                    raise Busy()
                return
            conn.raw.execute(f"SET LOCAL lock_timeout = '{max(1, int(self.busy_seconds * 1000))}ms'")
            conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except Busy:
            raise
        except Exception as error:
            conn.rollback()
            from psycopg.errors import LockNotAvailable

            if isinstance(error, LockNotAvailable):
                raise Busy() from error
            raise

    def before_commit(self, conn) -> None:
        """Tell every listening process (PgChangeSource) that something was committed, when it is."""
        conn.raw.execute(f"NOTIFY {CHANNEL}")

    def set_busy(self, conn, seconds: float) -> None:
        self.busy_seconds = seconds

    def table_names(self, rows) -> list[str]:
        return self.analyze_targets(rows)

    def held_import_locks(self) -> list[str]:
        """The import locks held on the server (_AdvisoryLock), by any process."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                (IMPORT_LOCKS,),
            ).fetchall()
        return sorted(f"import-{row[0]}" for row in rows)

    def import_lock(self, import_id: int) -> _AdvisoryLock | None:
        return _AdvisoryLock.take(self.url, import_id)

    def analyze_targets(self, rows) -> list[str]:
        return [
            row["name"]
            for row in rows(
                "SELECT table_name AS name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]

    @contextlib.contextmanager
    def big_writes(self, conn) -> Iterator[Any]:
        """Nothing to set: PostgreSQL keeps its own cache and writes its log out by itself."""
        yield lambda: None


def open_engine(location: str | Path) -> Engine:
    from .pg import is_url

    if is_url(location):
        return PgEngine(str(location))
    return SqliteEngine(location)
