"""The PostgreSQL schema (abc_workshop/store/schema_pg.py) against the SQLite schema it stands for.

A fresh PostgreSQL database per module gets schema_pg.MIGRATIONS in one transaction; a fresh SQLite Store is the
reference. Both must hold the same tables, views, columns (in order, with corresponding types), indexes and triggers;
the same statements must be refused with the same codes and leave the same tallies; and SQLite's functions, as
schema_pg defines them, must give what SQLite gives. PostgreSQL must be reachable: nothing here is skipped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from abc_workshop.store import Store
from abc_workshop.store.schema_pg import MIGRATIONS, REFUSAL

URL = os.environ.get("ABC_TEST_POSTGRES_URL", "postgresql://abc:abc@127.0.0.1:5432/postgres")

# SQLite's declared types and what schema_pg.py makes of them; TEXT ... COLLATE NOCASE is citext.
_TYPES = {"INTEGER": "int8", "REAL": "float8", "TEXT": "text", "BLOB": "bytea"}
# A case-blind UNIQUE in SQLite that is a citext column in PostgreSQL, so ON CONFLICT (organisation_id, name) finds it.
_CITEXT_ALSO = {("it_people", "name")}


@pytest.fixture(scope="module")
def pg() -> Iterator[psycopg.Connection]:
    """A database of its own with the schema, in autocommit: each statement of a test lands or fails on its own."""
    name = f"abc_schema_test_{secrets.token_hex(6)}"
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(make_conninfo(URL, dbname=name), autocommit=True) as conn:
            with conn.transaction():
                for _name, sql in MIGRATIONS:
                    conn.execute(sql, prepare=False)  # no parameters: the text goes as it is, % and all
            conn.execute("SET TIME ZONE 'UTC'")
            yield conn
    finally:
        with psycopg.connect(URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def lite(tmp_path) -> Iterator[sqlite3.Connection]:
    store = Store(tmp_path / "x.sqlite3")
    try:
        yield store.db.conn
    finally:
        store.close()


def _sqlite_objects(lite: sqlite3.Connection) -> dict[str, tuple[str, list[tuple]]]:
    """Each table and view of SQLite's schema (sqlite-utils' migrations table aside): its kind and its columns."""
    rows = lite.execute(
        "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
    ).fetchall()
    objects = {}
    for name, kind, sql in rows:
        columns = []
        for _cid, column, declared, notnull, default, pk in lite.execute(f"SELECT * FROM pragma_table_info('{name}')"):
            nocase = re.search(rf"(?<!\w){column}\s+TEXT\b[^,]*?COLLATE NOCASE", sql) is not None
            expected = "citext" if nocase or (name, column) in _CITEXT_ALSO else _TYPES.get(declared, declared)
            columns.append((column, expected, bool(notnull or pk), default is not None, pk))
        objects[name] = (kind, columns)
    return objects


def _pg_objects(pg: psycopg.Connection) -> dict[str, tuple[str, list[tuple]]]:
    tables = pg.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    keys = {
        (table, column): position
        for table, column, position in pg.execute(
            "SELECT c.relname, a.attname, k.n FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            " WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace"
        )
    }
    objects = {}
    for table, kind in tables:
        columns = [
            (column, udt, nullable == "NO", default is not None, keys.get((table, column), 0))
            for column, udt, nullable, default in pg.execute(
                "SELECT column_name, udt_name, is_nullable, column_default FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                (table,),
            )
        ]
        objects[table] = ("view" if kind == "VIEW" else "table", columns)
    return objects


def test_every_table_view_and_column_in_order_and_nothing_more(pg, lite):
    sqlite_objects, pg_objects = _sqlite_objects(lite), _pg_objects(pg)
    assert sorted(pg_objects) == sorted(sqlite_objects)
    for name, (kind, columns) in sqlite_objects.items():
        # (name, type, NOT NULL, has a default, place in the primary key) of each column, in order
        assert pg_objects[name] == (kind, columns), name


def _pg_indexes(pg: psycopg.Connection) -> dict[str, tuple]:
    """Each index: (table, unique, partial, its key columns); a column PostgreSQL quotes ("position") and an
    expression `(x::citext)` (SQLite's `x COLLATE NOCASE`) read as x."""
    rows = pg.execute(
        "SELECT ic.relname, tc.relname, i.indisunique, i.indpred IS NOT NULL,"
        " array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k)"
        " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid"
        " WHERE tc.relnamespace = current_schema()::regnamespace"
    ).fetchall()
    return {
        name: (table, unique, partial, [re.sub(r'^\(?"?(\w+)"?(::citext\))?$', r"\1", column) for column in columns])
        for name, table, unique, partial, columns in rows
    }


def test_every_index_of_sqlite_is_there_with_its_columns(pg, lite):
    indexes = _pg_indexes(pg)
    unique_keys = {(table, tuple(columns)) for table, unique, _partial, columns in indexes.values() if unique}
    tables = [
        row[0] for row in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != '_sqlite_migrations'")
    ]
    named = set()
    for table in tables:
        for _seq, name, unique, origin, partial in lite.execute(f"SELECT * FROM pragma_index_list('{table}')"):
            columns = [row[2] for row in lite.execute(f"SELECT * FROM pragma_index_info('{name}')")]
            if origin == "c":  # CREATE INDEX: the same name, table, uniqueness, condition and columns
                named.add(name)
                assert indexes.get(name) == (table, bool(unique), bool(partial), columns), name
            else:  # a UNIQUE or PRIMARY KEY constraint's own index: a unique index on the same columns
                assert (table, tuple(columns)) in unique_keys, (table, columns)
    assert len(named) == 38
    # and PostgreSQL has no other index than those and its constraints' own (unique ones)
    assert {name for name, (_table, unique, _partial, _columns) in indexes.items() if not unique} <= named


def _sqlite_refusals(lite: sqlite3.Connection) -> set[str]:
    sql = " ".join(row[0] for row in lite.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"))
    return set(re.findall(r"RAISE\(ABORT, '(\w+)'\)", sql))


def test_the_same_triggers_raise_the_same_refusals(pg, lite):
    sources = " ".join(
        row[0] for row in pg.execute("SELECT prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace")
    )
    codes = set(re.findall(r"MESSAGE = '(\w+)'", sources))
    assert len(codes) == len(_sqlite_refusals(lite)) == 22
    assert codes == _sqlite_refusals(lite)
    assert re.findall(r"ERRCODE = '(\w+)'", sources) == [REFUSAL] * len(re.findall(r"MESSAGE = '", sources))
    sqlite_triggers = set(lite.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").fetchall())
    pg_triggers = set(pg.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal").fetchall())
    assert pg_triggers == sqlite_triggers


# The smoke scenario: the same statements on both engines. Ids from 9001 stay clear of the SQLite Store's own rows.
_ROOM = [
    "INSERT INTO decks (id, name, source) VALUES (9001, 'Smoke deck', 'test')",
    (
        "INSERT INTO cards (id, deck_id, card_key, type, theme, title, description, position) VALUES"
        " (9001, 9001, 'a1', 'A', 'T', 'Card one', '', 1), (9002, 9001, 'b1', 'B', 'T', 'Card two', '', 2),"
        " (9003, 9001, 'c1', 'C', 'T', 'Card three', '', 3)"
    ),
    (
        "INSERT INTO workshops (id, join_code, title, organisation, key_hash, country)"
        " VALUES (9001, 'SMOKE1', 'Smoke', '  Acme Ltd ', 'x', 'NL')"
    ),
    "INSERT INTO teams (id, workshop_id, name, position) VALUES (9001, 9001, 'Ops', 1), (9002, 9001, 'Dev', 2)",
    (
        "INSERT INTO participants (id, workshop_id, token, team_id) VALUES"
        " (9001, 9001, 'p1', 9001), (9002, 9001, 'p2', 9002), (9003, 9001, 'p3', 9001)"
    ),
    (
        "INSERT INTO rounds (id, workshop_id, position, question, deck_id, perspective, pick_limit, state)"
        " VALUES (9001, 9001, 1, 'Which?', 9001, 'recognise', 2, 'open')"
    ),
    (
        "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
        " VALUES (9001, 9001, 1, 9001, 9001, 1.0, 1.0)"
    ),
    "INSERT INTO picks (ballot_id, card_id) VALUES (9001, 9001)",
    "INSERT INTO picks (ballot_id, card_id) VALUES (9001, 9002)",
]
_MORE_BALLOTS = [
    (
        "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
        " VALUES (9002, 9001, 1, 9002, 9002, 2.0, 2.0), (9003, 9001, 1, 9003, 9001, 3.0, 3.0)"
    ),
    "INSERT INTO picks (ballot_id, card_id, pick_rank) VALUES (9002, 9001, 1), (9002, 9003, 2), (9003, 9002, NULL)",
    "INSERT INTO imported_card_counts (round_id, team_id, card_id, picks, borda) VALUES (9001, NULL, 9003, 2, 3)",
    "INSERT INTO imported_team_sizes (round_id, team_id, participants, ranked) VALUES (9001, NULL, 2, 1)",
]
# A workshop and round an import stored, for the rules on imported rows.
_IMPORTED = [
    "INSERT INTO imports (id, kind, file_name, file_sha256, rows, summary) VALUES (9001, 'picks', 'f.csv', 'x', 1, 's')",
    (
        "INSERT INTO workshops (id, join_code, title, organisation, key_hash, import_id)"
        " VALUES (9002, 'SMOKE2', 'Imported', 'Acme Ltd', 'x', 9001)"
    ),
    (
        "INSERT INTO rounds (id, workshop_id, position, question, deck_id, perspective, pick_limit, state, import_id)"
        " VALUES (9002, 9002, 1, 'Which?', 9001, 'recognise', 2, 'closed', 9001)"
    ),
]
_TALLY_TEAMS = "SELECT * FROM tally_teams WHERE round_id = 9001 ORDER BY team_id NULLS FIRST"
_TALLY_CARDS = "SELECT * FROM tally_cards WHERE round_id = 9001 ORDER BY team_id NULLS FIRST, card_id"


class _Both:
    """The same statements on both engines: each lands on both, or is refused on both with the same code. On
    PostgreSQL each is a savepoint of a transaction the test's end rolls back, so the module's database stays empty."""

    def __init__(self, pg: psycopg.Connection, lite: sqlite3.Connection):
        self.pg, self.lite = pg, lite

    def run(self, *statements: str) -> None:
        for sql in statements:
            with self.pg.transaction():
                self.pg.execute(sql)
            self.lite.execute(sql)
            self.lite.commit()

    def refusal(self, sql: str, params: tuple = ()) -> str:
        """The code both engines refuse `sql` with (its parameters marked `?`)."""
        with pytest.raises(psycopg.Error) as on_pg, self.pg.transaction():
            self.pg.execute(sql.replace("?", "%s") if params else sql, params)
        with pytest.raises(sqlite3.IntegrityError) as on_sqlite:
            self.lite.execute(sql, params)
        self.lite.rollback()
        assert on_pg.value.sqlstate == REFUSAL, on_pg.value
        assert on_pg.value.diag.message_primary == str(on_sqlite.value)
        return str(on_sqlite.value)

    def rows(self, sql: str) -> list[tuple]:
        on_pg = [tuple(row) for row in self.pg.execute(sql).fetchall()]
        on_sqlite = [tuple(row) for row in self.lite.execute(sql).fetchall()]
        assert on_pg == on_sqlite, sql
        return on_pg


@pytest.fixture
def both(pg, lite) -> Iterator[_Both]:
    with pg.transaction(force_rollback=True):
        yield _Both(pg, lite)


def test_a_round_refused_and_tallied_as_on_sqlite(both):
    both.run(*_ROOM)
    assert both.refusal("INSERT INTO picks (ballot_id, card_id) VALUES (9001, 9003)") == "pick_limit_exceeded"
    assert both.refusal("INSERT INTO picks (ballot_id, card_id) VALUES (9001, 1)") == "card_not_in_deck"
    assert both.refusal("DELETE FROM ballots WHERE id = 9001") == "ballots_are_kept"
    assert both.refusal("UPDATE picks SET pick_rank = 1 WHERE ballot_id = 9001") == "picks_are_replaced_not_edited"
    assert (
        both.refusal(
            "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
            " VALUES (9009, 9001, 2, 9002, 9002, 1.0, 1.0)"
        )
        == "stale_attempt"
    )
    # The organisation the workshop joined by its name (schema_doors.py 0008), made by the trigger.
    assert both.rows(
        "SELECT o.name, o.name_key FROM workshops w JOIN organisations o ON o.id = w.organisation_id WHERE w.id = 9001"
    ) == [("Acme Ltd", "acme ltd")]

    both.run(*_MORE_BALLOTS, "UPDATE rounds SET state = 'closed' WHERE id = 9001")
    assert both.refusal("INSERT INTO picks (ballot_id, card_id) VALUES (9003, 9001)") == "round_not_open"
    assert both.refusal("DELETE FROM picks WHERE ballot_id = 9003") == "round_not_open"
    both.run("UPDATE rounds SET state = 'revealed' WHERE id = 9001")
    assert len(both.rows(_TALLY_TEAMS)) == 3
    assert len(both.rows(_TALLY_CARDS)) == 5
    # The tallies follow a team's new name and the workshop's organisation and country; and go when the round opens.
    both.run(
        "UPDATE teams SET name = 'Operations' WHERE id = 9001",
        "UPDATE workshops SET organisation = 'Acme', country = 'BE' WHERE id = 9001",
    )
    assert {row[2:4] for row in both.rows(_TALLY_TEAMS)} == {("Acme", "BE")}
    assert {row[7] for row in both.rows(_TALLY_CARDS)} == {None, "Operations", "Dev"}
    both.run("UPDATE rounds SET state = 'open' WHERE id = 9001")
    assert both.rows(_TALLY_TEAMS) == [] and both.rows(_TALLY_CARDS) == []


def test_imported_rows_are_refused_in_the_same_order(both):
    both.run(*_ROOM[:3], *_IMPORTED)
    # Both rules on rounds break: the same one wins on both engines.
    assert both.refusal("UPDATE rounds SET state = 'open', import_id = 9001 WHERE id = 9002") == "imported_round_is_final"
    assert both.refusal("UPDATE rounds SET import_id = NULL WHERE id = 9002") == "import_id_is_fixed"
    assert (
        both.refusal(
            "INSERT INTO rounds (id, workshop_id, position, question, deck_id, perspective, pick_limit)"
            " VALUES (9003, 9002, 2, 'Live?', 9001, 'recognise', 2)"
        )
        == "imported_workshop_is_read_only"
    )
    both.run(
        "INSERT INTO organisations (id, name, name_key, channel_token) VALUES (9001, 'Org', 'org', 'tok9001')",
        "INSERT INTO moments (id, organisation_id, source, stage, positive, what_happened, import_id)"
        " VALUES (9001, 9001, 'feedback', 'using', 1, 'It worked', 9001)",
    )
    # Both rules on moments break: again the same one wins.
    photo = "UPDATE moments SET photo = ?, photo_type = 'image/png', import_id = NULL WHERE id = 9001"
    assert both.refusal(photo, (b"\x89PNG",)) == "import_id_is_fixed"


# SQLite's date and time functions on values and modifiers around their edges ('utc' and 'localtime' read the process's
# time zone on SQLite, the session's here, and are left out).
_TIMES = [
    "2024-03-31 10:20:30.456",
    "2024-03-31 10:20:30.4567",
    "2023-02-30",
    "2024-1-5",
    "2024-01-05T",
    "2024-01-05TT 10:00",
    "2024-01-05 24:00",
    "2024-01-05 10:00 +02:00",
    "2024-01-05 10:00Z",
    "2024-01-05 +02:00",
    "10:30",
    " 2024-01-05",
    "2024-01-05 ",
    "2024-01-0512:00",
    "2459945.5",
    " 2459945.5 ",
    "1e6",
    "1700000000",
    "0000-01-01",
    "-0001-06-01",
    "12:30:00+01:00",
    "2024-03-31 10:00:00 +15:00",
    "2024-03-31 10:00:00 +14:59",
    "2000-01-01 00:00:00.0005",
    "2024-02-29",
    "2023-12-31 23:59:59",
    "2023-01-01",
    "9999-12-31",
    "2024-13-01",
    "x",
    "",
    "2024-03-31 10:20:30.",
    "5373484.4999",
    "-1",
    ".5",
    "1e400",
    "NOW",
]
_NUMBERS = [2459945.5, 1700000000, 1700000000.5, 1700000000.0005, -1.5, 0, 5373485]
_MODIFIERS = [
    [],
    ["+1 day"],
    ["unixepoch"],
    ["auto"],
    ["julianday"],
    ["+1 month"],
    ["+1.5 months"],
    ["-13 months"],
    ["+1 year"],
    ["+0.5 years"],
    ["-1.5 hours"],
    ["+90 minutes"],
    ["+90.5 seconds"],
    ["+1e1 days"],
    ["3 days"],
    ["+3 Days"],
    ["+3 dayss"],
    ["+3days"],
    ["+ 3 days"],
    ["+1 days "],
    ["+1 fortnight"],
    ["start of month"],
    ["start of year"],
    ["start of day"],
    ["start of week"],
    ["weekday 0"],
    ["WEEKDAY 6"],
    ["weekday 7"],
    ["+01:30"],
    ["-01:30:15.5"],
    ["+25:00"],
    ["+1 day", "unixepoch"],
    ["start of month", "+1 month", "-1 day"],
    ["weekday 3", "start of day"],
]
_FORMATS = ["%Y-%m-%dT%H:%M:%fZ", "%j %W %w %s %S", "%J", "%d%%", "%q", "%"]


@pytest.mark.parametrize("function", ["date", "datetime", "julianday", "unixepoch", "strftime"])
def test_date_and_time_functions_give_what_sqlite_gives(pg, function):
    lite = sqlite3.connect(":memory:")
    cases = [(value, modifiers) for value in _TIMES + _NUMBERS for modifiers in _MODIFIERS]
    formats = _FORMATS if function == "strftime" else [None]
    for kind, sql_type in (("text", str), ("double precision", (int, float))):
        rows = [{"i": i, "v": str(v), "m": m} for i, (v, m) in enumerate(cases) if isinstance(v, sql_type)]
        for fmt in formats:
            call = f"{function}(%s, x.v::{kind}, VARIADIC x.m)" if fmt else f"{function}(x.v::{kind}, VARIADIC x.m)"
            params = [fmt, json.dumps(rows)] if fmt else [json.dumps(rows)]
            got = dict(
                pg.execute(
                    f"SELECT x.i, {call} FROM jsonb_to_recordset(%s::jsonb) AS x(i int, v text, m text[])", params
                ).fetchall()
            )
            for row in rows:
                value, modifiers = cases[row["i"]]
                args = [fmt, value, *modifiers] if fmt else [value, *modifiers]
                marks = ", ".join("?" * len(args))
                expected = lite.execute(f"SELECT {function}({marks})", args).fetchone()[0]
                if value == "NOW" and expected is not None:  # a moment later: the same shape, a minute apart at most
                    if isinstance(expected, str):
                        assert re.sub(r"\d+", "0", got[row["i"]]) == re.sub(r"\d+", "0", expected), (args, got[row["i"]])
                    else:
                        assert abs(got[row["i"]] - expected) < (60 if function == "unixepoch" else 60 / 86400), args
                    continue
                assert got[row["i"]] == expected, (function, args)


def test_other_sqlite_functions_give_what_sqlite_gives(pg):
    lite = sqlite3.connect(":memory:")
    same = [
        "SELECT group_concat(v) FROM (SELECT 'a' AS v UNION ALL SELECT NULL UNION ALL SELECT 'b') AS t",
        "SELECT group_concat(v, ' | ') FROM (SELECT 'a' AS v UNION ALL SELECT 'b' UNION ALL SELECT '') AS t",
        "SELECT group_concat(v) FROM (SELECT 3 AS v UNION ALL SELECT 1) AS t",
        "SELECT group_concat(v, NULL) FROM (SELECT 'a' AS v UNION ALL SELECT 'b') AS t",
        "SELECT group_concat(v) FROM (SELECT 'a' AS v) AS t WHERE v = 'b'",
        "SELECT instr('value outcomes costs risks', 'costs'), instr('abc', 'x'), instr('abc', '')",
        "SELECT max(1, 2), min(1, 2), max('2024-05-01', '2024-05-10'), max('', '2024-05-01'), max(1, NULL)",
        "SELECT max('B', 'a'), min('B', 'a'), max(1.5, 2.5)",
        "SELECT hex('abc'), lower(hex('Zé')), length(zeroblob(3)), length(zeroblob(-1))",
        "SELECT json_valid('{\"message\": \"x\", \"params\": {}}'), json_valid('{'), json_valid(''), json_valid(NULL)",
        "SELECT sum(v > 1), sum(v = 9) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3) AS t",
        "SELECT strftime('%Y', v) || '-Q' || ((CAST(strftime('%m', v) AS INTEGER) + 2) / 3) FROM (SELECT '2024-08-15' AS v) AS t",
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(coalesce(NULL, ''), substr('2024-05-01T10:00:00Z', 1, 10)), '+3 days')",
        "SELECT date(1700000000.25, 'unixepoch'), date(CAST(1700000000 AS REAL), 'unixepoch')",
    ]
    for sql in same:
        got = [1 if value is True else 0 if value is False else value for value in pg.execute(sql).fetchone()]
        assert got == list(lite.execute(sql).fetchone()), sql
    # the stamps of the defaults, computed apart, are the general function's to the millisecond
    for stamp in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%fZ"):
        fast, general = pg.execute("SELECT strftime(%s, 'now'), strftime(%s, 'Now')", (stamp, stamp)).fetchone()
        assert fast == general and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", fast)
    blob = pg.execute("SELECT randomblob(16), randomblob(0), randomblob(40), lower(hex(randomblob(16)))").fetchone()
    assert (len(blob[0]), len(blob[1]), len(blob[2])) == (16, 1, 40) and re.fullmatch(r"[0-9a-f]{32}", blob[3])
    assert pg.execute("SELECT randomblob(16) <> randomblob(16)").fetchone()[0]
    assert pg.execute("SELECT app_language()").fetchone()[0] == "en"
    pg.execute("SELECT set_config('abc.language', 'nl', false)")
    assert pg.execute("SELECT app_language()").fetchone()[0] == "nl"
    pg.execute("SELECT set_config('abc.language', '', false)")
    assert pg.execute("SELECT app_language()").fetchone()[0] == "en"
