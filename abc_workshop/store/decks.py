"""Decks of cards: the shipped ones from cards/ and those a facilitator uploads."""

from __future__ import annotations

from pathlib import Path

from ..deck import CardRow, DeckFileError, deck_name_from_path, parse_deck
from ..domain import AccessDenied, Card, Deck, InvalidInput, NotFound, check_text
from ..names import name_key
from ..titles import title_key
from .base import StoreBase

_CARD_COLUMNS = "id, deck_id, card_key AS key, type, theme, title, description"
MAX_DECKS_PER_WORKSHOP = 10


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
        """A facilitator's own deck file: all cards are stored, or (on any problem) none. Decks show in every workshop,
        so a workshop loads at most MAX_DECKS_PER_WORKSHOP, and a name is new however it is typed."""
        self._require_key(workshop_id, key)
        self._require_live(workshop_id)
        name = check_text("deck_name", name, label="deck name")
        cards = parse_deck(data)
        with self._write() as db:
            same = next((deck.name for deck in self.decks() if name_key(deck.name) == name_key(name)), None)
            if same is not None:
                raise InvalidInput(f"A deck called '{same}' exists already; choose another name.")
            loaded = self._value("SELECT count(*) FROM events WHERE workshop_id = ? AND kind = 'deck_imported'", (workshop_id,))
            if loaded >= MAX_DECKS_PER_WORKSHOP:
                raise InvalidInput(f"This workshop has loaded {loaded} decks, the most one workshop may.")
            deck_id = self._insert_deck(db, name, f"upload: {file_name}", cards)
            self._changed(db, workshop_id, "deck_imported", f"Deck '{name}' imported from {file_name} ({len(cards)} cards)")
        return self.deck(deck_id)

    def _insert_deck(self, db, name: str, source: str, cards: list[CardRow]) -> int:
        same_as = self._counts_as(cards)
        deck_id = db.execute("INSERT INTO decks (name, source) VALUES (?, ?)", (name, source)).lastrowid
        db.conn.executemany(
            "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position, same_as)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(deck_id, c.key, c.type, c.theme, c.title, c.description, i, same_as.get(i)) for i, c in enumerate(cards)],
        )
        return deck_id

    def default_deck_id(self) -> int | None:
        """The deck other decks' cards correspond to: the first loaded (the shipped deck)."""
        return self._value("SELECT min(id) FROM decks")

    def _counts_as(self, cards: list[CardRow]) -> dict[int, int]:
        """Each card's `counts_as` (a default-deck card's id or title, typography ignored) as that card's id."""
        wanted = [(i, c, c.counts_as) for i, c in enumerate(cards) if c.counts_as]
        if not wanted:
            return {}
        default = self.default_deck_id()
        names = {}
        for known in self.cards(default) if default else []:
            names[known.key.lower()] = known.id
            names.setdefault(title_key(known.title), known.id)
        found: dict[int, int] = {}
        problems: list[str] = []
        for i, card, counts_as in wanted:
            target = names.get(counts_as.lower()) or names.get(title_key(counts_as))
            if target is None:
                problems.append(
                    f"Line {card.line}: field 'counts_as' is '{counts_as}'; "
                    "no card of the default deck has that id or title "
                    "(the Decks page lists them)."
                )
            else:
                found[i] = target
        if problems:
            raise DeckFileError(problems)
        return found

    def set_correspondences(self, deck_id: int, links: dict[int, int | None], key: str | None = None) -> int:
        """Say which default-deck card each card of a deck counts as (None: its own card); returns how many are linked.
        Comparisons then count them together. Decks show in every workshop, so this needs the server's key once it has one."""
        if self.server_key and not self._is_server_key(key):
            raise AccessDenied("Changing a deck's correspondences needs this server's facilitator key.")
        default = self.default_deck_id()
        if deck_id == default:
            raise InvalidInput("The default deck's cards are the ones other decks correspond to; choose another deck.")
        own = {card.id for card in self.cards(deck_id)}
        targets = {card.id for card in self.cards(default)} if default else set()
        for card, target in links.items():
            if card not in own:
                raise InvalidInput("That card is not in this deck.")
            if target is not None and target not in targets:
                raise InvalidInput("A card can only correspond to a card of the default deck.")
        with self._write() as db:
            db.conn.executemany(
                "UPDATE cards SET same_as = ? WHERE id = ? AND deck_id = ?", [(t, c, deck_id) for c, t in links.items()]
            )
        return self._value("SELECT count(*) FROM cards WHERE deck_id = ? AND same_as IS NOT NULL", (deck_id,))

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
