"""Where things live, overridable by environment variables so tests and deployments can move them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CARDS_DIR = ROOT / "cards"


def database_path() -> Path:
    """ABC_DB_PATH, or data/abc_workshop.sqlite3 in the project."""
    return Path(os.environ.get("ABC_DB_PATH") or ROOT / "data" / "abc_workshop.sqlite3")


def public_url() -> str | None:
    """ABC_PUBLIC_URL: the address phones in the room use, when it is not the one the facilitator's browser shows."""
    url = (os.environ.get("ABC_PUBLIC_URL") or "").strip().rstrip("/")
    return url or None


def database_location() -> str | Path:
    """ABC_DATABASE_URL (a postgresql:// URL: README.md, "PostgreSQL"), else the SQLite file (database_path())."""
    url = (os.environ.get("ABC_DATABASE_URL") or "").strip()
    return url or database_path()
