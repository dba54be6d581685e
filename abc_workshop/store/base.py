"""The connection, transactions and checks that every part of the store shares."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from ..domain import AccessDenied, InvalidInput, NotFound, Refused
from ..i18n import N_, _
from ..keys import key_hint, key_matches
from ..said import Said
from . import schema  # noqa: F401  (registers the migrations in their order before a schema_* module is imported alone)
from .connections import Readers
from .engines import Engine, open_engine
from .schema_events import event_columns

if TYPE_CHECKING:
    import pandas as pd

    from ..domain import CompareFilter, Participant, Poll, Round, Team, Workshop
    from .analytics import Scope

# Trigger codes from schema.py, as people should read them (translated when raised: refusal_for, refusal_text).
_REFUSALS = {
    "round_not_open": N_("Voting is closed for this round; your ballot was not changed."),
    "round_time_up": N_("Time is up for this round; your ballot was not changed."),
    "stale_attempt": N_("The facilitator reset this round; please vote again."),
    "card_not_in_deck": N_("That card is not in this round's deck."),
    "pick_limit_exceeded": N_("That is more cards than this round allows."),
    "poll_not_open": N_("This poll is not open; your answers were not changed."),
    "poll_time_up": N_("This survey has passed its closing time; your answers were not changed."),
    "answer_out_of_range": N_("That answer is not on this poll's scale."),
    "not_in_this_workshop": N_("You are not a participant of this poll's workshop."),
    "imported_workshop_is_read_only": N_(
        "This workshop holds imported results; it cannot be changed here (undo the import instead)."
    ),
    "imported_round_is_final": N_("This round holds imported results; it cannot be changed here (undo the import instead)."),
    "imported_poll_is_final": N_("This poll holds imported results; it cannot be changed here (undo the import instead)."),
    "ballots_are_kept": N_("Ballots are never deleted; a reset sets them aside instead."),
    "picks_are_replaced_not_edited": N_(
        "A ballot's cards are replaced as a whole by submitting it again, never edited one by one."
    ),
    "answers_are_kept": N_("Answers are never deleted; they can be changed while the poll is open."),
    "answers_stay_put": N_("An answer belongs to its statement and its participant; it cannot be moved to another."),
    "import_id_is_fixed": N_("Whether a workshop or round came from an import is fixed when it is written; it cannot change."),
    "same_deck_correspondence": N_("A card can count as a card of the default deck, not as another card of its own deck."),
    "visit_is_final": N_("This visit is already done or cancelled; its status cannot change again."),
    "feedback_status_order": N_(
        "Feedback moves new → acknowledged → answered → acted upon (or declined); that step is not next."
    ),
    "not_this_programme": N_("That visit belongs to another organisation's programme."),
    "photo_is_kept_or_deleted": N_("A photo can be deleted, not replaced."),
}


def refusal_for(error: sqlite3.IntegrityError) -> str | None:
    """The sentence for a refusal the schema raised (a trigger's code) in the run's language, or None for any other
    integrity error."""
    sentence = _REFUSALS.get(str(error))
    return _(sentence) if sentence else None


# What _require_door_key says, whole, for each action that reaches beyond one workshop: (with a server key, without).
_DOOR_REFUSALS = {
    "Creating a workshop": (
        N_("Creating a workshop needs this server's facilitator key."),
        N_("Creating a workshop needs a key: the facilitator key of a workshop you run on this server (or the server's key)."),
    ),
    "Undoing an import": (
        N_("Undoing an import needs this server's facilitator key."),
        N_("Undoing an import needs a key: the facilitator key of a workshop you run on this server (or the server's key)."),
    ),
}


def _door_refusal(action: str, *, server: bool) -> str:
    """Why `action` (its English name, e.g. "Creating a workshop") is refused, in the run's language."""
    if action in _DOOR_REFUSALS:
        return _(_DOOR_REFUSALS[action][0 if server else 1])
    if server:
        return _("{action} needs this server's facilitator key.").format(action=action)
    return _("{action} needs a key: the facilitator key of a workshop you run on this server (or the server's key).").format(
        action=action
    )


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote; sqlite3 types lastrowid as optional, None only before any INSERT."""
    row_id = cursor.lastrowid
    if row_id is None:
        raise RuntimeError("The statement inserted no row.")
    return row_id


# An import is written in steps and stays unseen until its last (store/imports.py): `importing` (schema_import_steps.py)
# lists the imports still being stored. Its first test is one look at the small imports table, evaluated once per
# statement, so reads cost nothing more while no import is being stored.
_NONE_IMPORTING = "NOT EXISTS (SELECT 1 FROM importing)"


def settled(import_id: str) -> str:
    """SQL true for a row that no import still being stored wrote; `import_id` is the row's import id column."""
    return f"({_NONE_IMPORTING} OR coalesce({import_id}, 0) NOT IN (SELECT id FROM importing))"


def settled_by(parent_id: str, parents: str) -> str:
    """SQL true for a row whose parent (`parent_id`, an id of the table `parents`, which has an import id column) no
    import still being stored wrote: a tally's round, a statement's poll."""
    return f"({_NONE_IMPORTING} OR {parent_id} NOT IN (SELECT id FROM {parents} WHERE import_id IN (SELECT id FROM importing)))"


def refusal_text(code: str) -> str:
    """The sentence of a schema refusal in the run's language, for the store's own checks of the same rule."""
    return _(_REFUSALS[code])


class StoreBase:
    """One SQLite connection per store, shared by all Streamlit sessions and serialised by a lock.

    Measured on these machines, one shared connection behind a lock outperforms a connection per
    thread or per write (bench/README.md). The lock also keeps one session's
    transaction from seeing another's half-done work on the shared connection.
    """

    if TYPE_CHECKING:
        # What one mixin calls on another: Store (store/__init__.py) combines them, and the type checker holds each
        # mixin's own definition to these signatures.
        def round(self, round_id: int) -> Round: ...
        def current_round(self, workshop_id: int) -> Round | None: ...
        def projected_poll(self, workshop_id: int) -> Poll | None: ...
        def teams(self, workshop_id: int) -> list[Team]: ...
        def workshop(self, workshop_id: int) -> Workshop: ...
        def participant(self, workshop_id: int, token: str | None) -> Participant | None: ...
        def _frame(self, sql: str, params: Any = ()) -> pd.DataFrame: ...
        def compare_scope(self, f: CompareFilter, columns: dict[str, str], **only: Any) -> Scope: ...

    def __init__(self, location: str | Path, server_key: str | None = None):
        """`location`: the SQLite file, or a postgresql:// URL (store/engines.py)."""
        self.engine: Engine = open_engine(location)
        self.path = self.engine.path  # the SQLite file; None on PostgreSQL
        self.location = self.engine.location
        self.server_key = (server_key or "").strip() or None
        self.db = self.engine.writer()
        self._lock = threading.RLock()  # the writer's: one transaction at a time
        self._writing = threading.local()  # whether this thread is inside a write (then it reads through the writer)
        self._proven_keys: set[bytes] = set()  # see _require_key
        with self._lock:
            self.engine.migrate(self.db)
        self._readers = Readers(self.engine.reader)

    def close(self) -> None:
        self._readers.close()
        self.db.conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection a read goes through: within a write, the writer's, which sees the write's own work; else a
        reader (store/connections.py), which sees what is committed and waits for no write."""
        if getattr(self._writing, "depth", 0):
            with self._lock:
                yield self.db.conn
        else:
            with self._readers.lend() as conn:
                yield conn

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Like _reading, for several statements that must see the database at one moment (a reader's transaction;
        within a write, the write's own view)."""
        with self._reading() as conn:
            if conn is self.db.conn:
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.rollback()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        """A write transaction: all of it lands, or none of it does.

        BEGIN IMMEDIATE takes the write lock up front, so another process (a benchmark, a second
        replica) makes us wait for the busy timeout instead of failing half-way; a lock held longer
        than that is refused as Busy, with a sentence, before anything is written. Nested
        sqlite-utils atomic() blocks inside become savepoints.
        """
        with self._lock, self._inside_write():
            self._begin()
            try:
                yield self.db
            except sqlite3.IntegrityError as error:
                self.db.rollback()
                refusal = refusal_for(error)
                if refusal:
                    raise Refused(refusal) from error
                raise
            except BaseException:
                self.db.rollback()
                raise
            else:
                self.engine.before_commit(self.db.conn)
                self.db.conn.execute("COMMIT")

    @contextlib.contextmanager
    def _inside_write(self) -> Iterator[None]:
        self._writing.depth = getattr(self._writing, "depth", 0) + 1
        try:
            yield
        finally:
            self._writing.depth -= 1

    def _begin(self) -> None:
        self.engine.begin(self.db.conn)

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another's write lock before it is refused as Busy (10 s unless told)."""
        with self._lock:
            self.engine.set_busy(self.db.conn, seconds)

    def _rows(self, sql: str, params: Any = ()) -> list[dict]:
        with self._reading() as conn:
            cursor = conn.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def _row(self, sql: str, params: Any = ()) -> dict | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _value(self, sql: str, params: Any = ()) -> Any:
        with self._reading() as conn:
            cursor = conn.execute(sql, params)
            row = cursor.fetchone()
            cursor.close()  # a statement left unfinished would hold its snapshot on the connection
        return row[0] if row else None

    def _is_server_key(self, key: str | None) -> bool:
        """Compared in constant time: how long a refusal takes says nothing about how much of a guess was right."""
        return self.server_key is not None and hmac.compare_digest((key or "").strip().encode(), self.server_key.encode())

    def _require_key(self, workshop_id: int, key: str | None) -> None:
        """Refuse a facilitator action unless the key is the workshop's or the server's."""
        if not key or not key.strip():
            raise AccessDenied(_("This needs the workshop's facilitator key."))
        if self._is_server_key(key):
            return
        stored = self._value("SELECT key_hash FROM workshops WHERE id = ?", (workshop_id,))
        if stored is None:
            raise NotFound(_("There is no such workshop."))
        # The scrypt work (tens of ms, on purpose) is done once per workshop and key in this process: a
        # facilitator's every click checks the key, and a right key stays right. Wrong keys are never remembered.
        proof = hashlib.sha256(f"{workshop_id}\n{stored}\n{key.strip()}".encode()).digest()
        if proof in self._proven_keys:
            return
        if not key_matches(key, stored):
            raise AccessDenied(_("That facilitator key is not right for this workshop."))
        self._proven_keys.add(proof)
        hinted = self._value("SELECT key_hint IS NOT NULL FROM workshops WHERE id = ?", (workshop_id,))
        if not hinted and not self.db.conn.in_transaction:  # workshops made before key hints get theirs from a right key
            with self._write() as db:
                db.execute("UPDATE workshops SET key_hint = ? WHERE id = ? AND key_hint IS NULL", (key_hint(key), workshop_id))

    def _workshop_of_key(self, key: str | None) -> int | None:
        """The live workshop whose facilitator key this is, or None: its key hint narrows the search to one scrypt."""
        if not key or not key.strip():
            return None
        candidates = self._rows("SELECT id FROM workshops WHERE key_hint = ? AND import_id IS NULL", (key_hint(key),))
        return next((row["id"] for row in candidates if self.key_is_valid(row["id"], key)), None)

    def doors_need_key(self) -> bool:
        """Whether creating a workshop or undoing an import needs a key now (see _require_door_key)."""
        return bool(self.server_key) or self._value("SELECT 1 FROM workshops WHERE import_id IS NULL LIMIT 1") is not None

    def _require_door_key(self, key: str | None, action: str) -> int | None:
        """What reaches beyond one workshop (creating workshops, undoing imports) needs a key once any key exists here:
        the server's key, or, on a server without one, the facilitator key of any of its workshops. Only the first
        workshop of a new server is made without one. Returns the workshop whose key it was (None otherwise)."""
        if self._is_server_key(key):
            return None
        if self.server_key:
            raise AccessDenied(_door_refusal(action, server=True))
        if not self.doors_need_key():
            return None
        workshop_id = self._workshop_of_key(key)
        if workshop_id is None:
            raise AccessDenied(_door_refusal(action, server=False))
        return workshop_id

    def key_is_valid(self, workshop_id: int, key: str | None) -> bool:
        try:
            self._require_key(workshop_id, key)
        except AccessDenied:
            return False
        return True

    def _require_live(self, workshop_id: int) -> None:
        """Imported workshops are read-only: their results change only by undoing the import."""
        if self._value("SELECT import_id IS NOT NULL FROM workshops WHERE id = ?", (workshop_id,)):
            raise InvalidInput(refusal_text("imported_workshop_is_read_only"))

    @staticmethod
    def _changed(
        db: Database, workshop_id: int, kind: str, message: str | Said, round_id: int | None = None, **params: Any
    ) -> None:
        """Log a change and bump the workshop's version, which every open page polls.

        `message` is the English sentence marked with N_ (`N_("Team '{name}' added")`, its parameters as keywords),
        or a Said (a counted one: `Said.ngettext(...)`). Each reader reads it in their own language (store/schema_events.py).
        """
        db.execute("UPDATE workshops SET version = version + 1 WHERE id = ?", (workshop_id,))
        StoreBase._log(db, workshop_id, kind, message, round_id, **params)

    @staticmethod
    def _log(db: Database, workshop_id: int, kind: str, message: str | Said, round_id: int | None = None, **params: Any) -> None:
        """Log a change that no open page needs to be told of (see _changed)."""
        if isinstance(message, Said):
            if params:
                raise TypeError("A Said brings its own parameters.")
            said = message
        else:
            said = Said(message, params)
        db.execute(
            "INSERT INTO events (workshop_id, round_id, kind, detail, params) VALUES (?, ?, ?, ?, ?)",
            (workshop_id, round_id, kind, *event_columns(said)),
        )

    @staticmethod
    def _now() -> float:
        return time.time()
