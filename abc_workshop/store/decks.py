"""Decks of cards: the shipped ones from cards/ and those a facilitator uploads."""

from __future__ import annotations

from pathlib import Path

from ..deck import CardRow, deck_name_from_path, parse_deck
from ..domain import Card, Deck, InvalidInput, NotFound, check_text
from .base import StoreBase

_CARD_COLUMNS = "id, deck_id, card_key AS key, type, theme, title, description"


class DecksMixin(StoreBase):
    def load_shipped_decks(self, folder: Path) -> list[str]:
        """Load every cards/*.csv not in the database yet; returns the names loaded.

        A shipped deck that fails to parse is a bug in this repository, so it raises.
        """
        loaded = []
        for path in sorted(folder.glob("*.csv")):
            name = deck_name_from_path(path)
            if self._value("SELECT 1 FROM decks WHERE name = ?", (name,)):
                continue
            with self._write() as db:
                self._insert_deck(db, name, f"cards/{path.name}", parse_deck(path.read_bytes()))
            loaded.append(name)
        return loaded

    def import_deck(self, workshop_id: int, key: str, name: str, file_name: str, data: bytes) -> Deck:
        """A facilitator's own deck file: all cards are stored, or (on any problem) none."""
        self._require_key(workshop_id, key)
        name = check_text("deck_name", name, label="deck name")
        cards = parse_deck(data)
        with self._write() as db:
            if self._value("SELECT 1 FROM decks WHERE name = ?", (name,)):
                raise InvalidInput(f"A deck called '{name}' exists already; choose another name.")
            deck_id = self._insert_deck(db, name, f"upload: {file_name}", cards)
            self._changed(db, workshop_id, "deck_imported", f"Deck '{name}' imported from {file_name} ({len(cards)} cards)")
        return self.deck(deck_id)

    @staticmethod
    def _insert_deck(db, name: str, source: str, cards: list[CardRow]) -> int:
        deck_id = db.execute("INSERT INTO decks (name, source) VALUES (?, ?)", (name, source)).lastrowid
        db.conn.executemany(
            "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(deck_id, c.key, c.type, c.theme, c.title, c.description, i) for i, c in enumerate(cards)],
        )
        return deck_id

    def decks(self) -> list[Deck]:
        rows = self._rows(
            "SELECT d.id, d.name, d.source, count(c.id) AS card_count FROM decks d"
            " LEFT JOIN cards c ON c.deck_id = d.id GROUP BY d.id ORDER BY d.id"
        )
        return [Deck(**row) for row in rows]

    def deck(self, deck_id: int) -> Deck:
        for deck in self.decks():
            if deck.id == deck_id:
                return deck
        raise NotFound("There is no such deck.")

    def cards(self, deck_id: int) -> list[Card]:
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards WHERE deck_id = ? ORDER BY position", (deck_id,))
        return [Card(**row) for row in rows]
