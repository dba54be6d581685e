"""The log in the reader's language: each line keeps its message and parameters and is told when it is read
(abc_workshop/said.py, abc_workshop/store/schema_events.py); a line from before that reads as it was written."""

from __future__ import annotations

import json
import sqlite3
from enum import Enum

import pytest
import sqlite_utils

from abc_workshop import i18n
from abc_workshop.domain import RoundState
from abc_workshop.outside_in import FeedbackStatus
from abc_workshop.said import Said
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations
from abc_workshop.store.schema_events import event_detail, imported_event


class Other(str, Enum):
    A = "a"


def _in(code: str, message: str, **params) -> str:
    """A message as the catalogue of `code` has it today, filled in (the English while it has no translation)."""
    with i18n.speaking(code):
        return i18n._(message).format(**params)


def _log(room, code: str | None = None) -> list[str]:
    with i18n.speaking(code):
        return [event.detail for event in room.store.events(room.workshop.id, room.key)]


def test_a_line_written_while_the_run_spoke_german_is_read_in_dutch(room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(2))
    with i18n.speaking("de"):
        room.store.close_round(rnd.id, room.key)
        room.store.reveal_round(rnd.id, room.key)
        room.store.set_projector_view(room.workshop.id, room.key, "iceberg")
    dutch = _log(room, "nl")
    iceberg = _in("nl", "Iceberg of round {n}", n=1)
    assert iceberg != "Iceberg of round 1", "the catalogue has the projector's Dutch"
    assert dutch[0] == _in("nl", "Projector: {view}", view=iceberg)
    with i18n.speaking("nl"):
        revealed, closed = RoundState.REVEALED.label, RoundState.CLOSED.label
    assert closed == "gesloten"
    assert dutch[1] == _in("nl", "Round {position}: {before} -> {after}", position=1, before=closed, after=revealed)
    assert _log(room, "en")[:3] == ["Projector: Iceberg of round 1", "Round 1: closed -> revealed", "Round 1: open -> closed"]
    assert _log(room, "de")[0] == _in("de", "Projector: {view}", view="Eisberg von Runde 1")
    # the English sentence stays in the row itself, for whatever reads the table without the app
    stored = room.store._value("SELECT detail FROM events ORDER BY id DESC LIMIT 1")
    assert stored == "Projector: Iceberg of round 1"


def test_a_tables_label_is_kept_as_its_key_and_shown_as_the_readers_label():
    said = Said("Feedback #{feedback} -> {status}", {"feedback": 4, "status": FeedbackStatus.ACKNOWLEDGED})
    kept = said.to_json()
    assert kept["params"]["status"] == {"label": "feedback_status", "key": "acknowledged"}
    read = Said.loads(json.dumps(kept))
    assert read.english() == "Feedback #4 -> Acknowledged"
    with i18n.speaking("nl"):
        assert "Bevestigd" in read.text()
    with i18n.speaking("de"):
        assert "Bestätigt" in read.text()
    unknown = Said.from_json({"message": "{status}", "params": {"status": {"label": "feedback_status", "key": "lost"}}})
    assert unknown.text() == "lost", "a key no table knows any more shows as it is"
    with pytest.raises(TypeError, match="not a table"):
        Said("{x}", {"x": Other.A}).to_json()


def test_an_old_line_without_its_message_is_shown_as_it_was_written(room):
    room.store.db.execute(
        "INSERT INTO events (workshop_id, kind, detail) VALUES (?, 'round_open', 'Round 7: draft -> open')", (room.workshop.id,)
    )
    room.store.db.conn.commit()
    for code in ("en", "nl", "de"):
        assert _log(room, code)[0] == "Round 7: draft -> open"
    assert event_detail("As written", "{not json") == "As written"
    assert event_detail("As written", json.dumps({"params": {}})) == "As written", "no message: as written"


def test_a_counted_line_reads_right_for_one_and_for_three(room):
    room.store.create_poll(room.workshop.id, room.key, "Pulse", ["We learn from outages"], "agree3")
    room.store.create_poll(room.workshop.id, room.key, "Trust", ["A", "B", "C"], "agree3")
    assert _log(room, "en")[:2] == ["Poll 'Trust' created with 3 statements", "Poll 'Pulse' created with 1 statement"]
    singular, plural = "Poll '{title}' created with {n} statement", "Poll '{title}' created with {n} statements"
    kept = json.loads(room.store._value("SELECT params FROM events WHERE kind = 'poll_created' ORDER BY id DESC LIMIT 1"))
    assert kept == {"message": singular, "plural": plural, "n": 3, "params": {"n": 3, "title": "Trust"}}
    for code in ("nl", "de"):
        with i18n.speaking(code):
            three = i18n.ngettext(singular, plural, 3).format(n=3, title="Trust")
            one = i18n.ngettext(singular, plural, 1).format(n=1, title="Pulse")
        assert _log(room, code)[:2] == [three, one]
    counted = Said.ngettext("{n} card", "{n} cards", 1)
    assert (counted.english(), Said.ngettext("{n} card", "{n} cards", 3).english()) == ("1 card", "3 cards")


def test_a_nested_part_is_told_in_the_same_language(room):
    later, later_key = room.store.create_workshop("Follow-up", "Acme IT", creator_key=room.key)
    [created] = [e for e in room.store.events(later.id, later_key) if e.kind == "workshop_created"]
    assert created.detail == (
        "Workshop 'Follow-up' created with 0 teams in the organisation 'Acme IT' (with the key of one of its workshops)"
    )
    kept = json.loads(room.store._value("SELECT params FROM events WHERE workshop_id = ?", (later.id,)))
    assert kept["params"]["how"]["said"]["params"] == {"organisation": "Acme IT"}


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_the_english(monkeypatch):
    said = Said("Team '{name}' added", {"name": "Ops"})
    monkeypatch.setattr("abc_workshop.said._", lambda message: "Team '{naam}' toegevoegd")
    assert said.text() == "Team 'Ops' added"


def test_the_import_writers_line_is_kept_with_its_message():
    detail, params = imported_event("acme.xlsx", 3)
    assert detail == "Imported from acme.xlsx (import #3)"
    assert json.loads(params) == {
        "message": "Imported from {file} (import #{import_id})",
        "params": {"file": "acme.xlsx", "import_id": 3},
    }
    assert event_detail(detail, params) == detail


def test_neither_a_lines_sentence_nor_its_parameters_quote_a_note(room):
    from tests.core.test_report import analysed

    _rnd, topic = analysed(room)
    token = room.store._value("SELECT token FROM participants WHERE display_name = 'Ann'")
    note = room.store.add_note(room.workshop.id, topic.id, "costs", "Bob in accounts is useless", token=token)
    room.store.edit_note(room.workshop.id, note, "Workload is high", key=room.key)
    room.store.set_hidden(room.workshop.id, "note", note, True, key=room.key)
    kept = " ".join(room.store._value("SELECT group_concat(detail || ' ' || coalesce(params, ''), ' ') FROM events").split())
    assert "useless" not in kept and "Workload" not in kept
    assert _log(room, "en")[:2] == [f"Note {note} hidden by the facilitator", f"Note {note} edited by the facilitator"]


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_a_database_before_the_messages_upgrades_and_keeps_its_lines(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0014_event_messages")
    old.execute("INSERT INTO workshops (join_code, title, organisation, key_hash) VALUES ('ACEFGH', 'Old', 'Acme', 'x')")
    old.execute("INSERT INTO events (workshop_id, kind, detail) VALUES (1, 'team_added', 'Team ''Ops'' added')")
    old.conn.commit()
    old.close()
    store = Store(db_path)
    assert "0014_event_messages" in [m.name for m in migrations.applied(store.db)]
    assert store._rows("SELECT detail, params FROM events") == [{"detail": "Team 'Ops' added", "params": None}]
    with i18n.speaking("de"):
        assert event_detail("Team 'Ops' added", None) == "Team 'Ops' added"
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE events SET params = '{not json'")
    store.db.conn.rollback()
    store.close()
