"""PostgreSQL behind the small part of Python's sqlite3 interface the store is written against.

The store's SQL is written once, in the dialect both engines share, with SQLite's `?` placeholders; where SQLite's
own functions are used (`strftime`, `group_concat`, `app_language()`), PostgreSQL has functions of the same names
(store/schema_pg.py). `PgConnection` wraps a psycopg connection so that the store's code paths stay one:

- `translate` turns a statement into PostgreSQL's form: placeholders (`?`, `?1`) become psycopg's, a literal `%` is
  doubled, SQLite's null-safe `IS` / `IS NOT` between values become `IS NOT DISTINCT FROM` / `IS DISTINCT FROM`,
  `rowid` (the slices an import's removal takes) becomes `ctid`, `CAST(… AS REAL)` a double, and `x IN name` (a
  table or a WITH clause) `x IN (SELECT * FROM name)`;
- an INSERT tells the id of its row, as sqlite3's `lastrowid` does (`RETURNING id`), and one that writes ids of its
  own (an import's rows) moves the table's id sequence past them;
- a refusal raised by a trigger (SQLSTATE AB000, its message the refusal's code) and a broken constraint come out
  as `sqlite3.IntegrityError`, worded as SQLite words them, so the store turns them into the same sentences;
- comparisons come back as 0 or 1 and whole numbers as int, as SQLite gives them;
- the reader's language for cards' texts travels as the setting `abc.language`, which `app_language()` reads.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Dumper, Loader

from .. import i18n

REFUSAL = "AB000"  # the SQLSTATE of a refusal raised by a trigger (store/schema_pg.py)
_CONSTRAINTS = {"23505": "UNIQUE", "23514": "CHECK", "23503": "FOREIGN KEY", "23502": "NOT NULL"}

_TOKEN = re.compile(
    r"""
      (?P<literal>'(?:[^']|'')*')
    | (?P<quoted>"[^"]*")
    | (?P<numbered>\?(?P<number>\d+))
    | (?P<mark>\?)
    | (?P<percent>%)
    | (?P<is_not>\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b))
    | (?P<is>\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b))
    | (?P<rowid>\browid\b)
    | (?P<real>\bAS\s+REAL\b)
    | (?P<in_table>\bIN\s+(?P<table>[A-Za-z_]\w*)\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*(\(([^)]*)\))?", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def translate(sql: str) -> tuple[str, bool]:
    """(the statement for psycopg, whether its placeholders are numbered: then its parameters go as a mapping)."""
    numbered = False
    plain = 0

    def swap(match: re.Match) -> str:
        nonlocal numbered, plain
        kind = match.lastgroup
        if kind == "literal" or kind == "quoted":
            return match.group(0).replace("%", "%%")
        if kind == "number":  # the inner group of "numbered"
            kind = "numbered"
        if kind == "numbered":
            numbered = True
            plain = int(match.group("number"))
            return f"%(p{plain})s"
        if kind == "mark":
            plain += 1
            return f"%(p{plain})s"
        if kind == "percent":
            return "%%"
        if kind == "is_not":
            return "IS DISTINCT FROM "
        if kind == "is":
            return "IS NOT DISTINCT FROM "
        if kind == "rowid":
            return "ctid"
        if kind == "in_table":  # SQLite's `x IN table` (a table or a WITH clause's name)
            return f"IN (SELECT * FROM {match.group('table')})"
        return "AS double precision"

    text = _TOKEN.sub(swap, sql)
    if not numbered:  # plain marks only: psycopg's positional %s, parameters as a sequence
        text = re.sub(r"%\(p\d+\)s", "%s", text)
    return text, numbered


def _parameters(params: Any, numbered: bool) -> Any:
    if not numbered or isinstance(params, dict):
        return params
    return {f"p{index}": value for index, value in enumerate(params, start=1)}


class _Number(Loader):
    """numeric as SQLite gives it: an int when whole (a sum of integers), else a float (an average)."""

    def load(self, data) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class _Whole(Dumper):
    """A Python bool as SQLite stores it: the integer 1 or 0 (flags are integer columns on both engines)."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj) -> bytes:
        return b"1" if obj else b"0"


class _Flag(Loader):
    """A comparison's value as SQLite gives it: 1 or 0."""

    def load(self, data) -> int:
        return 1 if bytes(data) in (b"t", b"\x01") else 0


def configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", _Number)
    conn.adapters.register_loader("bool", _Flag)
    conn.adapters.register_dumper(bool, _Whole)


class PgCursor:
    """The answer to one statement, read as a sqlite3 cursor is."""

    def __init__(self, rows: list[tuple] | None, description, rowcount: int, lastrowid: int | None):
        self._rows = rows or []
        self._next = 0
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> tuple | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchmany(self, size: int = 1) -> list[tuple]:
        rows = self._rows[self._next : self._next + size]
        self._next += len(rows)
        return rows

    def fetchall(self) -> list[tuple]:
        rows = self._rows[self._next :]
        self._next = len(self._rows)
        return rows

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())

    def close(self) -> None:
        self._rows = []


class PgConnection:
    """A psycopg connection in autocommit mode, used as the store uses a sqlite3 connection: explicit BEGIN,
    COMMIT and ROLLBACK statements make the transactions."""

    def __init__(self, url: str, *, read_only: bool = False):
        self.url = url
        self.raw = psycopg.connect(url, autocommit=True)
        configure(self.raw)
        self.raw.execute("SET TIME ZONE 'UTC'")
        if read_only:
            self.raw.execute("SET default_transaction_read_only = on")
        self.total_changes = 0
        self._language: str | None = None
        self._id_tables: frozenset[str] | None = None

    # -- what sqlite3.Connection offers ---------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        self._speak()
        text, numbered = translate(sql)
        insert = _INSERT.match(sql)
        returning = insert is not None and not _RETURNING.search(sql) and insert.group(1).lower() in self._tables_with_id()
        if returning:
            text = f"{text} RETURNING id"
        try:
            cursor = self.raw.execute(text, _parameters(params or (), numbered))
        except psycopg.Error as error:
            raise _as_sqlite(error) from error
        rows = cursor.fetchall() if cursor.description is not None else None
        changed = _changed(cursor)
        self.total_changes += changed
        lastrowid = None
        if returning:
            lastrowid = rows[-1][0] if rows else None
            rows = None
            if insert is not None:
                self._move_sequence(insert)
        description = None if returning else cursor.description
        return PgCursor(rows, description, changed, lastrowid)

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence]) -> PgCursor:
        self._speak()
        text, numbered = translate(sql)
        batch = [_parameters(params, numbered) for params in seq_of_params]
        if not batch:
            return PgCursor(None, None, 0, None)
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(text, batch)
                changed = _changed(cursor)
        except psycopg.Error as error:
            raise _as_sqlite(error) from error
        self.total_changes += changed
        insert = _INSERT.match(sql)
        if insert is not None:
            self._move_sequence(insert)
        return PgCursor(None, None, changed, None)

    def executescript(self, sql: str) -> None:
        try:
            self.raw.execute(sql, prepare=False)  # no parameters: psycopg sends the text as it is
        except psycopg.Error as error:
            raise _as_sqlite(error) from error

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")
            self._language = None  # a setting made inside the transaction went with it

    def create_function(self, *args, **kwargs) -> None:
        """SQLite's functions are PostgreSQL functions here (store/schema_pg.py); app_language() reads a setting."""

    def close(self) -> None:
        self.raw.close()

    # -- helpers ----------------------------------------------------------------------------------------

    def _speak(self) -> None:
        language = i18n.current()
        if language != self._language:
            self.raw.execute("SELECT set_config('abc.language', %s, false)", (language,))
            self._language = language

    def _tables_with_id(self) -> frozenset[str]:
        if self._id_tables is None:
            rows = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND column_name = 'id' AND is_identity = 'YES'"
            ).fetchall()
            self._id_tables = frozenset(row[0] for row in rows)
        return self._id_tables

    def _move_sequence(self, insert: re.Match) -> None:
        """After rows written with ids of their own, the table's next id comes after the largest."""
        table, columns = insert.group(1).lower(), insert.group(3)
        if columns is None or table not in self._tables_with_id():
            return
        if "id" not in [column.strip().lower() for column in columns.split(",")]:
            return
        self.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )

    def forget_tables(self) -> None:
        """After a migration: which tables have ids may have changed."""
        self._id_tables = None


def _changed(cursor: psycopg.Cursor) -> int:
    """Rows an INSERT, UPDATE or DELETE changed, as sqlite3's total_changes counts them: a SELECT changes none."""
    status = (cursor.statusmessage or "").split(" ", 1)[0]
    return max(cursor.rowcount, 0) if status in ("INSERT", "UPDATE", "DELETE") else 0


def _as_sqlite(error: psycopg.Error) -> Exception:
    """The error as sqlite3 would have raised it, so the store's handling stays one."""
    diag = error.diag
    state = error.sqlstate or ""
    if state == REFUSAL:
        return sqlite3.IntegrityError(diag.message_primary or str(error))
    if state in _CONSTRAINTS:
        where = ".".join(part for part in (diag.table_name, diag.column_name) if part) or diag.constraint_name or ""
        return sqlite3.IntegrityError(f"{_CONSTRAINTS[state]} constraint failed: {where}")
    if state in ("55P03", "40P01"):  # lock not available, deadlock
        return sqlite3.OperationalError("database is locked")
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return sqlite3.OperationalError("attempt to write a readonly database")
    return sqlite3.OperationalError(str(error).strip())


def is_url(location: object) -> bool:
    return isinstance(location, str) and location.split("://", 1)[0] in ("postgresql", "postgres")
