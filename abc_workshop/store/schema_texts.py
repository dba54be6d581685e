"""Migration for decks in several languages, kept beside schema.py, which registers it after the imports in steps
(schema_import_steps.py); and the SQL every read uses to show a card in the reader's language.

A card is one card in every language: one id, which ballots, tallies, topics and imports keep referring to. Its
theme, title and description in another language are rows of card_texts (a row per card and language, any of its
three texts may be missing), written by the deck loader from a deck file's `title_nl`, `description_de`, ...
columns (abc_workshop/deck.py, cards/README.md). `cards` keeps the deck's own words, which exports and imports
name cards by, and which show wherever a card has no text in the reader's language.

The reader's language is `app_language()`, a function the store registers on its connection (store/base.py): it
returns abc_workshop.i18n.current(), and the store's queries run in the caller's thread, so each page run reads the
cards in its own language.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import schema_import_steps  # noqa: F401  (its migrations come before this one)
from .schema import migrations


@migrations(name="0012_card_translations")
def card_translations(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS card_texts (
            card_id INTEGER NOT NULL REFERENCES cards(id),
            language TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 8),
            title TEXT CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120),
            description TEXT CHECK (description IS NULL OR length(description) BETWEEN 1 AND 400),
            theme TEXT CHECK (theme IS NULL OR length(theme) BETWEEN 1 AND 60),
            PRIMARY KEY (card_id, language)
        ) WITHOUT ROWID;
        """
    )


def in_language(text: str, card_id: str, fallback: str) -> str:
    """SQL for a card's theme, title or description in the reader's language, `fallback` where the card (named by the
    SQL `card_id`) has none in it: one indexed look per card shown."""
    if text not in ("theme", "title", "description"):
        raise ValueError(f"A card has no translated text '{text}'.")
    return (
        f"coalesce((SELECT tx.{text} FROM card_texts tx WHERE tx.card_id = {card_id} AND tx.language = app_language()),"
        f" {fallback})"
    )


def shown(text: str, card: str = "c") -> str:
    """A card's text in the reader's language, for a query that reads the card as `card` (`c.title` -> shown("title"))."""
    return in_language(text, f"{card}.id", f"{card}.{text}")


# The texts of a card read as `c`, the usual name.
TITLE, DESCRIPTION, THEME = shown("title"), shown("description"), shown("theme")
