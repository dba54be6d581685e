"""One Store per database file for the whole server process, shared by every browser session."""

from __future__ import annotations

import os

import streamlit as st

from abc_workshop import config, i18n
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import Card
from abc_workshop.keys import server_key_problem
from abc_workshop.store import Store


def server_key() -> str | None:
    """The server-wide facilitator key: ABC_FACILITATOR_KEY, or facilitator_key in .streamlit/secrets.toml."""
    from_env = os.environ.get("ABC_FACILITATOR_KEY")
    if from_env:
        return from_env
    try:
        return st.secrets.get("facilitator_key")
    except FileNotFoundError:
        return None


def refuse_weak_server_key() -> None:
    """Run by app.py before the server starts: a server key that is easy to guess would open every workshop, the
    compare page and imports, so the server does not start with one and says why."""
    key = server_key()
    problem = server_key_problem(key) if key else None
    if problem:
        where = "ABC_FACILITATOR_KEY" if os.environ.get("ABC_FACILITATOR_KEY") else "facilitator_key in .streamlit/secrets.toml"
        raise SystemExit(
            f"{where} is too weak to guard a shared server: {problem}. Choose a key of at least 12 characters that is "
            "not a common word (for example four random words), and start the app again."
        )


@st.cache_resource(show_spinner=False)
def _open_store(path: str, key: str | None) -> Store:
    store = Store(path, server_key=key)
    store.load_shipped_decks(CARDS_DIR)
    return store


def database_location() -> str:
    """Where the database is: ABC_DATABASE_URL, or database_url in .streamlit/secrets.toml (a postgresql:// URL), else
    the SQLite file (ABC_DB_PATH or data/abc_workshop.sqlite3)."""
    located = config.database_location()
    if isinstance(located, str):
        return located
    try:
        return str(st.secrets.get("database_url") or located)
    except FileNotFoundError:
        return str(located)


def get_store() -> Store:
    return _open_store(database_location(), server_key())


@st.cache_resource(max_entries=32, show_spinner=False)
def _cached_deck(db_path: str, deck_id: int, language: str, _store: Store) -> tuple[Card, ...]:
    """The cards in `language`, which the store reads as the run's language: the key keeps each language's texts apart."""
    with i18n.speaking(language):
        return tuple(_store.cards(deck_id))


def deck_cards(store: Store, deck_id: int) -> tuple[Card, ...]:
    """A deck's cards in the run's language, read once per server and language: decks never change once loaded, and
    every tap needs them."""
    return _cached_deck(str(store.path), deck_id, i18n.current(), store)
