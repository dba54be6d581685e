"""Fixtures shared by every test: a real SQLite file per test, with the shipped deck loaded."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import Round, RoundSpec, Team, Workshop
from abc_workshop.store import Store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "abc.sqlite3"


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
