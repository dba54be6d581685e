"""Fixtures shared by every test: a real database per test, with the shipped deck loaded.

Each test of the core (tests/core) that uses a database runs on both engines: `[sqlite]` on a SQLite file of its own,
`[postgresql]` on a PostgreSQL database at ABC_TEST_POSTGRES_URL's server (scripts/test.sh installs and starts one;
README.md, "Run the tests"), migrated once per session and emptied before each test. ABC_TEST_ENGINES=sqlite runs
SQLite's alone. Tests of what only SQLite has (its file, its pragmas, upgrades of files made by earlier versions) are
marked `sqlite_only`; every other test asserts the same on both. Page and browser tests run on SQLite.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import Round, RoundSpec, Team, Workshop
from abc_workshop.store import Store

ENGINES = [name.strip() for name in os.environ.get("ABC_TEST_ENGINES", "sqlite,postgresql").split(",") if name.strip()]
POSTGRES_URL = os.environ.get("ABC_TEST_POSTGRES_URL", "postgresql://abc:abc@127.0.0.1:5432/postgres")
CORE = Path(__file__).resolve().parent / "core"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: checks what only the SQLite engine has; not run on PostgreSQL")
    unknown = set(ENGINES) - {"sqlite", "postgresql"}
    if unknown or not ENGINES:
        raise pytest.UsageError(f"ABC_TEST_ENGINES names sqlite and/or postgresql, not {sorted(unknown) or 'nothing'}")


def pytest_generate_tests(metafunc):
    """A core test that uses a database runs once per engine; a sqlite_only one on SQLite alone."""
    if "db_path" not in metafunc.fixturenames or CORE not in Path(metafunc.definition.path).parents:
        return
    engines = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else ENGINES
    metafunc.parametrize("engine", engines, indirect=True)


def _url(database: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + database


@pytest.fixture(scope="session")
def postgres_database():
    """One database for the test session, migrated once; each test starts from it emptied (db_path)."""
    import psycopg

    name = f"abc_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    Store(_url(name)).close()
    yield _url(name)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def engine(request) -> str:
    """The engine a test's database is on: sqlite unless pytest_generate_tests gave the test another."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_path(request, tmp_path, engine):
    """Where the test's database is: a SQLite file's path, or on PostgreSQL the URL of the session's database, emptied
    of every row and with its ids starting at 1 again, as a new file would be."""
    if engine == "sqlite":
        yield tmp_path / "abc.sqlite3"
        return
    import psycopg

    url = request.getfixturevalue("postgres_database")
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                " AND table_type = 'BASE TABLE' AND table_name != 'abc_migrations'"
            ).fetchall()
        ]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    yield url


@pytest.fixture
def store(db_path):
    store = Store(db_path)
    store.load_shipped_decks(CARDS_DIR)
    yield store
    store.close()


@dataclass
class Room:
    """A workshop with two teams and the facilitator's key: the usual starting point of a test."""

    store: Store
    workshop: Workshop
    key: str
    teams: list[Team]

    @property
    def deck_id(self) -> int:
        return self.store.decks()[0].id

    def card_ids(self, n: int) -> list[int]:
        return [card.id for card in self.store.cards(self.deck_id)[:n]]

    def new_round(self, **spec) -> Round:
        values = {"question": "Which cards do you recognise?", "deck_id": self.deck_id, "pick_limit": 3, **spec}
        return self.store.create_round(self.workshop.id, self.key, RoundSpec(**values))

    def open_round(self, **spec) -> Round:
        return self.store.open_round(self.new_round(**spec).id, self.key)

    def join(self, name: str | None = "Ann", team: int = 0):
        return self.store.join(self.workshop.id, name, self.teams[team].id)

    def vote(self, participant, rnd: Round, card_ids: list[int]) -> int:
        return self.store.submit_ballot(self.workshop.id, participant.token, rnd.id, rnd.attempt, card_ids)


@pytest.fixture
def room(store):
    workshop, key = store.create_workshop("Pilot", "Acme IT", team_names=["Service Desk", "Operations"])
    return Room(store, workshop, key, store.teams(workshop.id))
