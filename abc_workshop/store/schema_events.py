"""Migration for the log in the reader's language, kept beside schema.py, which registers it after the others; and the
two helpers that write and read an event's sentence.

An event keeps both:
- `detail`: the sentence in English, rendered when it is written. Whatever reads the table itself (an older version
  of the app, a look with sqlite3, an export) still finds a sentence there, and English readers read exactly it.
- `params`: JSON of the sentence's message and parameters (abc_workshop/said.py): {"message": the English message
  as marked with N_, "params": {...}}, plus "plural" and "n" for a counted one. A parameter that names a table's
  member (a round's state, a status, a risk decision) keeps its English key ({"label": table, "key": ...}) and is
  shown as the label in the reader's language; people's text (names, titles, reasons) is kept as typed; a part
  worded in several ways is a nested message ({"said": {...}}).

Reading (`event_detail`: Store.events, so the facilitator's Log and every report) tells the message in the run's
language (i18n.current()). A row written before this migration, or by a writer that keeps no message, has NULL params
and is shown as stored; so is a row whose params cannot be read.

What the log keeps is still held to the moderation rule (tests/core/test_moderation.py): no message quotes a note's
text, in its sentence or its parameters.
"""

from __future__ import annotations

from sqlite_utils import Database

from ..i18n import N_
from ..said import Said
from . import schema_languages  # noqa: F401  (its migrations come before this one)
from .schema import migrations


@migrations(name="0014_event_messages")
def event_messages(db: Database) -> None:
    db.executescript("ALTER TABLE events ADD COLUMN params TEXT CHECK (params IS NULL OR json_valid(params));")


def event_columns(said: Said) -> tuple[str, str]:
    """An event's `detail` (the English sentence) and `params` (its message, kept), as written."""
    return said.english(), said.dumps()


def event_detail(detail: str, params: str | None) -> str:
    """An event's sentence in the run's language; a row without its message kept, as stored."""
    if not params:
        return detail
    try:
        return Said.loads(params).text()
    except (ValueError, TypeError, KeyError, AttributeError):
        return detail


def imported_event(file_name: str, import_id: int) -> tuple[str, str]:
    """The `detail` and `params` of the log's line for a workshop an import wrote (store/import_writer.py)."""
    return event_columns(Said(N_("Imported from {file} (import #{import_id})"), {"file": file_name, "import_id": import_id}))


__all__ = ["event_columns", "event_detail", "event_messages", "imported_event"]
