"""The SQLite connections of one Store: the writer, the readers beside it, and the lock that lets one process migrate.

The writer is one connection behind the Store's lock: every write of the process goes through it, one transaction at a
time (store/base.py). Reads that are not part of a write go through the readers instead, a few read-only connections
lent one statement at a time. With the file in WAL mode a reader sees the last committed state and never waits for the
writer, nor the writer for it: a lead's half-second compare query and a phone's ballot run side by side, and several
leads' queries run side by side too, since SQLite lets go of Python's lock while it works (bench/README.md, "Reads
beside the room").
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import i18n

READERS = 4  # read connections a Store opens at most; a fifth reader waits for one of them
MIGRATION_WAIT = 120.0  # seconds a process waits while another one migrates the same file


def connect(path: Path, *, timeout: float = 10) -> sqlite3.Connection:
    """A connection with what every query of the store needs: `app_language()`, the reader's language for cards'
    texts (store/schema_texts.py). Queries run in the caller's thread, so this is the language of the page run that
    asked; constant within a statement, hence deterministic."""
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=timeout)
    conn.create_function("app_language", 0, i18n.current, deterministic=True)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect_reader(path: Path) -> sqlite3.Connection:
    """A connection that can only read: a slip that writes through it fails instead of escaping the writer's lock."""
    conn = connect(path)
    conn.execute("PRAGMA query_only = ON")
    return conn


class Readers:
    """Up to `size` read connections, opened when first needed and lent to one caller at a time."""

    def __init__(self, open_reader: Callable[[], sqlite3.Connection], size: int = READERS):
        self._open = open_reader
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = []
        self._size = size
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def lend(self) -> Iterator[sqlite3.Connection]:
        conn = self._take()
        try:
            yield conn
        finally:
            if conn.in_transaction:  # a read left half-fetched would keep its snapshot; end it before the next caller
                conn.rollback()
            self._idle.put(conn)

    def _take(self) -> sqlite3.Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._guard:
            if len(self._all) < self._size:
                conn = self._open()
                self._all.append(conn)
                return conn
        return self._idle.get()

    @property
    def opened(self) -> int:
        return len(self._all)

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()


@contextlib.contextmanager
def migration_lock(database: Path) -> Iterator[None]:
    """Held while this process migrates `database`, so processes started together (scripts/cluster.py) migrate it one
    after the other: the next finds nothing left to do (migrations.apply looks again under the lock).

    An exclusive flock on a file beside the database (`abc.sqlite3-migrate.lock`), which the system lets go of if the
    process dies. The file is removed while still held; a process that was waiting got the lock of the removed file,
    notices, and takes the lock of the path's current file instead, so two processes never hold it at once."""
    path = database.with_name(f"{database.name}-migrate.lock")
    deadline = time.monotonic() + MIGRATION_WAIT
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 - held until the migrations are done
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"Another process has been migrating {database} for too long.") from None
                    time.sleep(0.05)
            try:
                current = os.stat(path).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(handle.fileno()).st_ino:
                try:
                    yield
                    path.unlink(missing_ok=True)
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
        finally:
            handle.close()
