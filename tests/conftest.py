"""Fixtures shared by every test: a real database per test, with the shipped deck loaded.

The database is a SQLite file, or with ABC_TEST_ENGINE=postgresql a PostgreSQL database of its own on the server at
ABC_TEST_POSTGRES_URL (scripts/test.sh starts one; README.md, "Run the tests"), made from a migrated template. Tests
of what only SQLite has (its file, its pragmas, its migrations' history) are marked `sqlite_only` and left out of a
PostgreSQL run, which runs every other test with the same assertions.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import Round, RoundSpec, Team, Workshop
from abc_workshop.store import Store

ENGINE = os.environ.get("ABC_TEST_ENGINE", "sqlite")
POSTGRES_URL = os.environ.get("ABC_TEST_POSTGRES_URL", "postgresql://abc:abc@127.0.0.1:5432/postgres")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: checks what only the SQLite engine has; left out of a PostgreSQL run")
    if ENGINE not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"ABC_TEST_ENGINE is sqlite or postgresql, not {ENGINE!r}")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, tests of what only SQLite has are deselected (not skipped: the SQLite run runs them)."""
    if ENGINE != "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("sqlite_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def _url(database: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + database


@pytest.fixture(scope="session")
def postgres_template():
    """A database migrated once per test session, which each test's database is copied from."""
    import psycopg

    name = f"abc_template_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    Store(_url(name)).close()
    yield name
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_path(request, tmp_path):
    """Where the test's database is: a SQLite file's path, or on PostgreSQL the URL of a database of its own."""
    if ENGINE == "sqlite":
        yield tmp_path / "abc.sqlite3"
        return
    import psycopg

    template = request.getfixturevalue("postgres_template")
    name = f"abc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield _url(name)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
