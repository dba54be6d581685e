r"""The PostgreSQL schema: the SQLite schema of schema.py as it stands after migration 0015 (schema_undo_steps.py), in
PostgreSQL's terms, and the functions the store's SQL calls as it would on SQLite (store/pg.py runs that SQL as it is
written, its placeholders translated). In three parts: schema_pg_functions.py, schema_pg_tables.py and
schema_pg_triggers.py; this module puts them together as the migrations.

Same tables, columns (in the same order), constraints, indexes, the view `importing`, and every trigger of SQLite as a
PL/pgSQL trigger function of the trigger's name: the same WHEN condition and checks in the same order, each refusal
raised with its code as the message and SQLSTATE AB000 (`REFUSAL`), which store/pg.py turns into the refusal SQLite's
RAISE(ABORT, code) gives. Types: INTEGER PRIMARY KEY is a bigint identity (BY DEFAULT: imports write ids of their own),
other INTEGER bigint, REAL double precision, BLOB bytea, TEXT text, and a TEXT column COLLATE NOCASE citext; flags stay
integers 0/1 under the same CHECKs.

SQLite's functions, as PostgreSQL functions of the same names (FUNCTIONS):
- `strftime(format, value, modifier...)`, `date(...)`, `datetime(...)`, `julianday(...)`, `unixepoch(...)`: SQLite's
  date and time functions (SQLite 3.40's, which the app runs on), value text or a number; they follow SQLite's own
  arithmetic (a julian day in milliseconds), so they give what SQLite gives, down to a kept '2023-02-30', the 24th
  hour, '+1 month' from 31 January landing in March and 'unixepoch' only as a number's first modifier. 'now' is the
  time the statement started, to the millisecond, as SQLite's is.
- `group_concat(value)`, `group_concat(value, separator)`: text or any other value, ',' by default.
- `max(a, b)` and `min(a, b)` of two values (bigint, double precision or text; NULL if either is): analysis.py's
  `max(moderated, ?)`, workshops.py's `max(coalesce(held_on, ''), ...)`.
- `sum(boolean)`: SQLite sums comparisons as 1 and 0 (analytics_impact.py, outside_in_feedback.py).
- `instr(text, text)`, `hex(bytea | text)`, `randomblob(n)`, `zeroblob(n)`, `json_valid(text)` (the CHECK on
  events.params; NULL is not JSON, as SQLite 3.40 has it).
- `app_language()`: the reader's language (schema_texts.py), the setting `abc.language` store/pg.py gives each
  connection.

What is not quite SQLite's:
- `date('now')` with one literal argument (analytics_impact.py) is read by PostgreSQL as a cast to its date type
  before any function named date is looked at: it gives today's date as a date, not as text. `date(text 'now')`,
  `date('now', 'start of day')` or a typed parameter reach the function here.
- `X COLLATE NOCASE` in a query uses the ICU collation `nocase` made in FUNCTIONS, which compares letters without their
  case; the indexes on workshops(organisation COLLATE NOCASE) and statements(text COLLATE NOCASE) are on
  `(organisation::citext)` and `(text::citext)`. Both fold case beyond ASCII, SQLite's NOCASE and lower() only ASCII's.
- it_people.name is citext, not text with a case-blind UNIQUE: PostgreSQL's ON CONFLICT (organisation_id, name)
  (outside_in.py) needs a constraint on the columns themselves; so its equality and order are case-blind too.
- 'localtime' and 'utc' use the session's TimeZone (store/pg.py sets UTC), not the process's, and after a value or
  modifier SQLite could not read they give NULL, where SQLite forgets the error and gives a date. %f rounds a parsed
  fraction of 4 or more digits half up from its 15-digit decimal, where SQLite's printf rounds the binary value. A
  group_concat of a double reads as PostgreSQL writes it ('1', not '1.0').
- AFTER triggers run at the end of their statement, not after each row; the ones here touch only their own row's round,
  workshop, team or feedback, so what they leave is the same.
"""

from __future__ import annotations

from .schema_pg_functions import FUNCTIONS, NOW, REFUSAL
from .schema_pg_tables import TABLES
from .schema_pg_triggers import TRIGGERS

__all__ = ["MIGRATIONS", "NOW", "REFUSAL"]

BASELINE = TABLES + TRIGGERS

# PostgreSQL's history starts at the SQLite schema of migration 0015 (schema_undo_steps.py): a database made here is
# that schema at once. A later change of the schema adds a pair, one migration per engine: a sqlite-utils migration as
# schema.py's, and a (name, SQL) here, in order.
MIGRATIONS: list[tuple[str, str]] = [("0015_baseline", FUNCTIONS + BASELINE)]
