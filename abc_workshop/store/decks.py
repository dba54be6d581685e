"""Decks of cards: the shipped ones from cards/ and those a facilitator uploads."""

from __future__ import annotations

from pathlib import Path

from ..deck import CardRow, DeckFileError, deck_name_from_path, parse_deck
from ..domain import AccessDenied, Card, Deck, InvalidInput, NotFound, check_text
from ..i18n import _
from ..names import name_key
from ..said import Said
from ..titles import title_key
from .base import StoreBase
from .schema_texts import DESCRIPTION, THEME, TITLE

# A card as people read it: its theme, title and description in the reader's language (store/schema_texts.py).
_CARD_COLUMNS = f"c.id, c.deck_id, c.card_key AS key, c.type, {THEME} AS theme, {TITLE} AS title, {DESCRIPTION} AS description"
_TEXTS = ("title", "description", "theme")
MAX_DECKS_PER_WORKSHOP = 10


class DecksMixin(StoreBase):
    def load_shipped_decks(self, folder: Path) -> list[str]:
        """Load every cards/*.csv not in the database yet; returns the names loaded.

        A shipped deck loaded already keeps its cards and their ids (ballots refer to them) and takes the file's
        translations: a database made before a translation shipped gains it on the next start.
        A shipped deck that fails to parse is a bug in this repository, so it raises.
        """
        loaded = []
        for path in sorted(folder.glob("*.csv")):
            name = deck_name_from_path(path)
            source = f"cards/{path.name}"
            with self._write() as db:  # looked for and loaded in one write: processes started together load it once
                known = self._row("SELECT id, source FROM decks WHERE name = ?", (name,))
                if known is None:
                    self._insert_deck(db, name, source, parse_deck(path.read_bytes()))
                    loaded.append(name)
            if known is not None and known["source"] == source:  # not a facilitator's deck that happens to have the name
                self._update_texts(known["id"], parse_deck(path.read_bytes()))
        return loaded

    def _update_texts(self, deck_id: int, cards: list[CardRow]) -> None:
        """Make a stored deck's translations the file's, matching cards by their id in the file; writes only when
        they differ, so a start with nothing new writes nothing."""
        ids = {
            row["card_key"].lower(): row["id"]
            for row in self._rows("SELECT id, card_key FROM cards WHERE deck_id = ?", (deck_id,))
        }
        wanted = {
            row[:2]: row[2:] for card in cards if card.key.lower() in ids for row in _text_rows(ids[card.key.lower()], card)
        }
        stored = {
            (row["card_id"], row["language"]): tuple(row[text] for text in _TEXTS)
            for row in self._rows("SELECT t.* FROM card_texts t JOIN cards c ON c.id = t.card_id WHERE c.deck_id = ?", (deck_id,))
        }
        if wanted == stored:
            return
        with self._write() as db:
            db.execute("DELETE FROM card_texts WHERE card_id IN (SELECT id FROM cards WHERE deck_id = ?)", (deck_id,))
            db.conn.executemany(_INSERT_TEXTS, [(*key, *texts) for key, texts in wanted.items()])

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
                raise InvalidInput(_("A deck called '{name}' exists already; choose another name.").format(name=same))
            loaded = self._value("SELECT count(*) FROM events WHERE workshop_id = ? AND kind = 'deck_imported'", (workshop_id,))
            if loaded >= MAX_DECKS_PER_WORKSHOP:
                raise InvalidInput(_("This workshop has loaded {n} decks, the most one workshop may.").format(n=loaded))
            deck_id = self._insert_deck(db, name, f"upload: {file_name}", cards)
            self._changed(
                db,
                workshop_id,
                "deck_imported",
                Said.ngettext(
                    "Deck '{name}' imported from {file} ({n} card)",
                    "Deck '{name}' imported from {file} ({n} cards)",
                    len(cards),
                    name=name,
                    file=file_name,
                ),
            )
        return self.deck(deck_id)

    def _insert_deck(self, db, name: str, source: str, cards: list[CardRow]) -> int:
        same_as = self._counts_as(cards)
        deck_id = db.execute("INSERT INTO decks (name, source) VALUES (?, ?)", (name, source)).lastrowid
        db.conn.executemany(
            "INSERT INTO cards (deck_id, card_key, type, theme, title, description, position, same_as)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(deck_id, c.key, c.type, c.theme, c.title, c.description, i, same_as.get(i)) for i, c in enumerate(cards)],
        )
        ids = dict(db.conn.execute("SELECT position, id FROM cards WHERE deck_id = ?", (deck_id,)).fetchall())
        db.conn.executemany(_INSERT_TEXTS, [row for i, card in enumerate(cards) for row in _text_rows(ids[i], card)])
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
                    _(
                        "Line {line}: field 'counts_as' is '{counts_as}'; no card of the default deck has that id or title "
                        "(the Decks page lists them)."
                    ).format(line=card.line, counts_as=counts_as)
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
            raise AccessDenied(_("Changing a deck's correspondences needs this server's facilitator key."))
        default = self.default_deck_id()
        if deck_id == default:
            raise InvalidInput(_("The default deck's cards are the ones other decks correspond to; choose another deck."))
        own = {card.id for card in self.cards(deck_id)}
        targets = {card.id for card in self.cards(default)} if default else set()
        for card, target in links.items():
            if card not in own:
                raise InvalidInput(_("That card is not in this deck."))
            if target is not None and target not in targets:
                raise InvalidInput(_("A card can only correspond to a card of the default deck."))
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
        raise NotFound(_("There is no such deck."))

    def cards(self, deck_id: int) -> list[Card]:
        """A deck's cards in its order, in the reader's language (the deck's own words where a card has none in it)."""
        rows = self._rows(f"SELECT {_CARD_COLUMNS} FROM cards c WHERE c.deck_id = ? ORDER BY c.position", (deck_id,))
        return [Card(**row) for row in rows]


_INSERT_TEXTS = f"INSERT INTO card_texts (card_id, language, {', '.join(_TEXTS)}) VALUES (?, ?, ?, ?, ?)"


def _text_rows(card_id: int, card: CardRow) -> list[tuple]:
    """A card's translations as card_texts rows: (card id, language, title, description, theme), None where not given."""
    return [(card_id, language, *(texts.get(text) for text in _TEXTS)) for language, texts in sorted(card.translations.items())]
