"""AppTest runs the real pages against a fresh SQLite file per test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from abc_workshop.shown_text import JOINER
from tests.conftest import Room

APP = Path(__file__).resolve().parents[2] / "ui" / "navigation.py"
# The compare page's views, by their English names (tests/pages/test_compare.py and the pages' text tests).
COMPARE_VIEWS = ["Top cards", "Heatmap", "A/B/C profile", "Users vs IT", "Trend", "Impact", "Statements", "Export", "Import"]


@pytest.fixture(autouse=True)
def fresh_app_state(monkeypatch, db_path):
    """Point the app at this test's database; Streamlit's caches outlive a test unless cleared."""
    monkeypatch.setenv("ABC_DB_PATH", str(db_path))
    monkeypatch.delenv("ABC_FACILITATOR_KEY", raising=False)
    monkeypatch.delenv("ABC_PUBLIC_URL", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app_store():
    """The very Store the pages use, so a test and the page see one connection."""
    from ui.store import get_store

    return get_store()


@pytest.fixture
def page_room(app_store):
    workshop, key = app_store.create_workshop("Pilot", "Acme IT", team_names=["Service Desk", "Operations"])
    return Room(app_store, workshop, key, app_store.teams(workshop.id))


def open_page(page: str | None = None, **query: str) -> AppTest:
    """Run navigation.py, switch to `page` (e.g. "pages/vote.py") with ?query, and return the finished run."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    if page:
        at.switch_page(f"../{page}")  # page paths are written from ui/navigation.py
    at.query_params.update(query)
    return at.run()


def texts(at: AppTest) -> str:
    """Everything the page says, as one string to search in, as shown: ui.text.plain's escapes and invisible
    word joiners removed (abc_workshop/shown_text.py)."""
    kinds = ("markdown", "caption", "text", "title", "header", "subheader", "info", "success", "warning", "error")
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts)).replace(JOINER, "").replace("&#32;", " ")


def query_value(at: AppTest, name: str) -> str:
    """A query parameter as the page set it (AppTest may hold it as a one-item list)."""
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value
