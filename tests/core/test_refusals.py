"""Every refusal the schema can raise has a sentence for people, and the store says that sentence instead of a
database error."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from abc_workshop.domain import AccessDenied, InvalidInput, Refused, VoteRejected
from abc_workshop.store import base

SCHEMA_SOURCES = sorted((Path(base.__file__).parent).glob("schema*.py"))
RAISED = re.compile(r"RAISE\s*\(\s*ABORT\s*,\s*'([^']+)'\s*\)", re.IGNORECASE)


def codes_in(text: str) -> set[str]:
    return set(RAISED.findall(text))


def test_the_migrations_raise_codes_and_the_walk_finds_them():
    found = {path.name: codes_in(path.read_text()) for path in SCHEMA_SOURCES}
    assert {"schema.py", "schema_imports.py"} <= set(found)
    assert {"ballots_are_kept", "answers_are_kept", "visit_is_final", "same_deck_correspondence"} <= set().union(*found.values())


@pytest.mark.parametrize("path", SCHEMA_SOURCES, ids=lambda path: path.name)
def test_every_code_a_migration_raises_has_a_sentence(path):
    missing = sorted(code for code in codes_in(path.read_text()) if base.refusal_for(sqlite3.IntegrityError(code)) is None)
    assert missing == [], f"{path.name} raises codes with no sentence in store/base.py _REFUSALS: {missing}"


PG_RAISED = re.compile(r"MESSAGE\s*=\s*'([^']+)'", re.IGNORECASE)  # store/schema_pg.py's trigger functions


def test_every_trigger_of_a_migrated_database_has_a_sentence(store):
    if store.engine.name == "sqlite":
        triggers = store._rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        raised = {code: t["name"] for t in triggers for code in codes_in(t["sql"])}
    else:
        functions = store._rows(
            "SELECT p.proname AS name, p.prosrc AS sql FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = current_schema()"
        )
        raised = {code: f["name"] for f in functions for code in PG_RAISED.findall(f["sql"])}
    assert len(raised) >= 20
    missing = {code: trigger for code, trigger in raised.items() if base.refusal_for(sqlite3.IntegrityError(code)) is None}
    assert missing == {}


def test_sentences_are_sentences_for_people():
    for code, sentence in base._REFUSALS.items():
        assert sentence[0].isupper() and sentence.endswith("."), code
        assert "_" not in sentence, f"{code}: a code leaks into its sentence"


def test_a_refusal_the_schema_raises_reaches_people_as_its_sentence(room):
    rnd = room.open_round(pick_limit=2)
    ann = room.join("Ann")
    ballot = room.vote(ann, rnd, room.card_ids(2))
    with pytest.raises(Refused, match="Ballots are never deleted") as refused, room.store._write() as db:
        db.execute("DELETE FROM ballots WHERE id = ?", (ballot,))
    assert isinstance(refused.value, VoteRejected) and isinstance(refused.value, InvalidInput)
    with pytest.raises(Refused, match="replaced as a whole"), room.store._write() as db:
        db.execute("UPDATE picks SET card_id = card_id WHERE ballot_id = ?", (ballot,))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted(room.card_ids(2)), "nothing changed"


def test_the_server_key_is_refused_alike_whatever_part_of_it_is_right(db_path):
    from abc_workshop.store import Store

    store = Store(db_path, server_key="a-long-server-key-2026")
    for wrong in ("a-long-server-key-2025", "x", "", None, " a-long-server-key-2026x"):
        assert not store._is_server_key(wrong)
        with pytest.raises(AccessDenied):
            store.create_workshop("Pilot", "Acme IT", creator_key=wrong)
    assert store._is_server_key(" a-long-server-key-2026 ")
    store.close()
