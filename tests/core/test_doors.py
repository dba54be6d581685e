"""Doors that hold: who may create workshops and undo imports, organisations as records, joining after a workshop
ended, imported workshops, and a weak server key."""

from __future__ import annotations

import datetime
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import AccessDenied, InvalidInput, NotFound
from abc_workshop.keys import server_key_problem
from abc_workshop.outside_in import Briefing
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations

ROOT = Path(__file__).resolve().parents[2]
PICKS = (
    "organisation,workshop,date,team,perspective,participant,card\nAcme IT,Paper workshop,2021-04-04,Crew,recognise,P1,abc-01\n"
)


def test_the_first_workshop_is_free_and_every_later_one_needs_a_key(store):
    _first, key = store.create_workshop("First", "Acme IT")
    with pytest.raises(AccessDenied, match="Creating a workshop needs a key"):
        store.create_workshop("Second", "Globex")
    with pytest.raises(AccessDenied):
        store.create_workshop("Second", "Globex", creator_key="ACEF-GHKM-NPRT-WXY3")
    _second, second_key = store.create_workshop("Second", "Globex", creator_key=key.lower().replace("-", " "))
    _third, _ = store.create_workshop("Third", "Initech", creator_key=second_key)
    assert [w["title"] for w in store._rows("SELECT title FROM workshops ORDER BY id")] == ["First", "Second", "Third"]


def test_an_existing_organisation_is_joined_only_with_one_of_its_keys(store):
    acme, acme_key = store.create_workshop("Acme 2025", "Acme IT")
    globex, globex_key = store.create_workshop("Globex 2025", "Globex", creator_key=acme_key)
    with pytest.raises(AccessDenied, match="'Acme IT' has workshops here already"):
        store.create_workshop("Sneaky", "acme it ", creator_key=globex_key)
    later, _ = store.create_workshop("Acme 2026", " ACME IT", creator_key=acme_key)
    assert later.organisation_id == acme.organisation_id != globex.organisation_id
    assert later.organisation == "Acme IT", "the record's name, whatever was typed"
    assert "organisation 'Acme IT' (with the key of one of its workshops)" in store.events(later.id, _)[0].detail


def test_with_a_server_key_only_it_creates_and_it_joins_any_organisation(db_path):
    store = Store(db_path, server_key="a-long-server-key-2026")
    acme, acme_key = store.create_workshop("Acme", "Acme IT", creator_key="a-long-server-key-2026")
    with pytest.raises(AccessDenied, match="asks for its facilitator key"):
        store.create_workshop("More", "Acme IT", creator_key=acme_key)
    more, _ = store.create_workshop("More", "acme it", creator_key="a-long-server-key-2026")
    assert more.organisation_id == acme.organisation_id
    store.close()


@pytest.fixture
def acme_with_actions(room):
    """Acme IT's revealed round with an open action, and a stranger's workshop named like Acme in another record."""
    rnd = room.open_round(pick_limit=1)
    ann = room.join("Ann")
    room.vote(ann, rnd, room.card_ids(1))
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    topic = room.store.team_topics(rnd.id, room.teams[0].id)[0]
    room.action = room.store.add_action(room.workshop.id, topic.id, "Meet five users", "Ann", None, token=ann.token)
    room.topic = topic
    return room


def test_a_strangers_workshop_named_like_another_organisation_sees_nothing_of_it(acme_with_actions, db_path):
    room = acme_with_actions
    store = room.store
    visit_token = store.plan_visit(
        room.workshop.id,
        room.key,
        kind="store",
        person="Sam",
        team="Ops",
        role="Engineer",
        place="Store 1",
        activity="Buy",
        visit_on=datetime.date.today(),
        briefing=Briefing("", "", ""),
    ).token
    store.record_moment(visit_token, stage="using", positive=False, what_happened="Queue", card_ids=[room.topic.card_id])
    stranger, stranger_key = store.create_workshop("Mine", "Acme IT 2", datetime.date(2999, 1, 1), creator_key=room.key)
    assert store.actions_to_review(stranger.id) == []
    assert store.card_evidence(stranger.id) == {}
    assert store.programme(stranger.id, stranger_key).id != store.programme(room.workshop.id, room.key).id
    with pytest.raises(AccessDenied, match="another organisation's workshop"):
        store.set_action_status(stranger.id, room.action, "dropped", key=stranger_key)
    assert store._value("SELECT status FROM actions WHERE id = ?", (room.action,)) == "open"


def test_a_review_from_a_later_workshop_is_logged_in_the_actions_own_workshop(acme_with_actions):
    room = acme_with_actions
    later, later_key = room.store.create_workshop("Follow-up", "Acme IT", creator_key=room.key)
    room.store.set_action_status(later.id, room.action, "done", "Users met", key=later_key)
    home = room.store.events(room.workshop.id, room.key)[0]
    assert (home.kind, home.detail) == (
        "action_status",
        f"Action {room.action} (Service Desk) -> done: Users met (reviewed at the workshop 'Follow-up')",
    )
    assert room.store.events(later.id, later_key)[0].detail == f"Action {room.action} (Service Desk) -> done: Users met"


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_upgrading_moves_workshops_onto_records_by_their_names_and_rewords_old_log_lines(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0008_organisation_records_and_key_hints")
    old.conn.close()
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        INSERT INTO workshops (id, join_code, title, organisation, key_hash) VALUES
            (1, 'AAAAAA', 'One', 'Acme IT', 'x'), (2, 'CCCCCC', 'Two', ' acme it ', 'x'), (3, 'EEEEEE', 'Three', 'Globex', 'x');
        INSERT INTO organisations (id, name, name_key, channel_token) VALUES (7, 'Acme IT', 'acme it', 'channel');
        INSERT INTO events (workshop_id, kind, detail) VALUES
            (1, 'note_edited', 'Facilitator edited note 12 (was: Bob is useless)'),
            (1, 'risk_decided', 'Desk: Not acceptable (Ann): Our boss (Bob) hides it'),
            (1, 'action_status', 'Action ''Fire Bob'' -> dropped: too harsh');
        """
    )
    conn.commit()
    conn.close()
    store = Store(db_path)
    assert store._rows("SELECT id, organisation_id FROM workshops ORDER BY id") == [
        {"id": 1, "organisation_id": 7},
        {"id": 2, "organisation_id": 7},
        {"id": 3, "organisation_id": 8},
    ]
    assert store.organisation_of(3).name == "Globex" and store.organisation_of(2).channel_token == "channel"
    details = [row["detail"] for row in store._rows("SELECT detail FROM events ORDER BY id")]
    assert details == ["Note 12 edited by the facilitator", "Desk: Not acceptable (Ann)", "An action's status -> dropped"]
    store.close()


def test_undoing_an_import_needs_a_key_once_any_key_exists(store):
    record = store.import_results("paper.csv", PICKS.encode())
    store.undo_import(record.id)  # no workshop, no key anywhere: an open server
    record = store.import_results("again.csv", PICKS.encode())
    _, key = store.create_workshop("Live", "Acme IT")
    with pytest.raises(AccessDenied, match="Undoing an import needs a key"):
        store.undo_import(record.id)
    with pytest.raises(AccessDenied):
        store.undo_import(record.id, "ACEF-GHKM-NPRT-WXY3")
    assert store.import_record(record.id).undone_at is None
    assert store.undo_import(record.id, key).undone_at is not None


def test_an_imported_workshop_has_no_usable_join_code_and_is_read_only(db_path):
    store = Store(db_path, server_key="a-long-server-key-2026")
    store.load_shipped_decks(CARDS_DIR)
    record = store.import_results("paper.csv", PICKS.encode(), key="a-long-server-key-2026")
    workshop_id, code = store._row("SELECT id, join_code FROM workshops WHERE import_id = ?", (record.id,)).values()
    with pytest.raises(NotFound):
        store.workshop_by_code(code)
    with pytest.raises(InvalidInput, match="holds imported results"):
        store.join(workshop_id, "Eve", store.teams(workshop_id)[0].id)
    with pytest.raises(InvalidInput, match="holds imported results"):
        store.add_team(workshop_id, "a-long-server-key-2026", "New team")
    round_id = store._value("SELECT id FROM rounds WHERE import_id = ?", (record.id,))
    store.ensure_shortlist(round_id, store.teams(workshop_id)[0].id)
    assert store._value("SELECT count(*) FROM topics") == 0, "viewing an imported round seeds nothing"
    assert store._value("SELECT count(*) FROM participants WHERE workshop_id = ?", (workshop_id,)) == 1
    store.close()


def test_joining_stops_once_the_workshop_ended(room, monkeypatch):
    from abc_workshop.store import workshops

    assert room.workshop.takes_new_participants("2000-01-01T00:00:00Z")
    ended = room.store.end_workshop(room.workshop.id, room.key)
    with pytest.raises(InvalidInput, match="has ended"):
        room.store.join(room.workshop.id, "Late", room.teams[0].id)
    assert room.store.events(room.workshop.id, room.key)[0].kind == "workshop_ended" and ended.ended_by_facilitator
    room.store.end_workshop(room.workshop.id, room.key, ended=False)
    room.join("Back in time")
    days_later = room.workshop.joining_ends
    assert days_later[:10] == (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    monkeypatch.setattr(workshops, "iso_now", lambda: days_later)
    with pytest.raises(InvalidInput, match="has ended"):
        room.join("Two days late")
    assert room.store.participant(room.workshop.id, room.store._value("SELECT token FROM participants LIMIT 1"))


def test_a_survey_still_takes_answers_after_its_workshop_ended(room):
    poll = room.store.create_poll(room.workshop.id, room.key, "Pulse", ["We listen"], "agree3")
    room.store.end_workshop(room.workshop.id, room.key)
    with pytest.raises(InvalidInput, match="not open"):
        room.store.join_survey(poll.id, room.teams[0].id)
    room.store.open_poll(poll.id, room.key)
    respondent = room.store.join_survey(poll.id, room.teams[0].id)
    room.store.submit_answers(room.workshop.id, respondent.token, poll.id, {poll.statements[0].id: 3})


def test_a_workshop_loads_a_bounded_number_of_decks(room, monkeypatch):
    from abc_workshop.store import decks

    monkeypatch.setattr(decks, "MAX_DECKS_PER_WORKSHOP", 2)
    deck = b"id,type,theme,title,description\nx1,A,T,First card,About it\n"
    for n in range(2):
        room.store.import_deck(room.workshop.id, room.key, f"Deck {n}", "d.csv", deck)
    with pytest.raises(InvalidInput, match="has loaded 2 decks, the most one workshop may"):
        room.store.import_deck(room.workshop.id, room.key, "Deck 3", "d.csv", deck)


@pytest.mark.parametrize(
    "weak",
    [
        "letmein",
        "LEAD-KEY",
        "Password2026!",
        "facilitator-facilitator",
        "123456789012345",
        "aaaaaaaaaaaaaaaaaaaa",
        "Welcome!Welcome!",
    ],
)
def test_weak_server_keys_are_named_as_weak(weak):
    assert server_key_problem(weak)


@pytest.mark.parametrize("strong", ["room-key-2026", "a-long-server-key-2026", "correct horse battery", "K7PM-4XAC-9RTW-EHN3"])
def test_strong_server_keys_pass(strong):
    assert server_key_problem(strong) is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_refuses_to_start_with_a_weak_key(tmp_path):
    env = {**os.environ, "ABC_FACILITATOR_KEY": "letmein", "ABC_DB_PATH": str(tmp_path / "db.sqlite3")}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(_free_port()),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    started = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert started.returncode != 0
    assert "ABC_FACILITATOR_KEY is too weak to guard a shared server: it has 7 characters" in started.stderr + started.stdout


def test_a_workshop_from_before_key_hints_gets_its_hint_from_its_first_right_key(store):
    workshop, key = store.create_workshop("Old", "Acme IT")
    store.db.execute("UPDATE workshops SET key_hint = NULL")
    store.db.conn.commit()
    store._proven_keys.clear()
    with pytest.raises(AccessDenied):
        store.create_workshop("New", "Globex", creator_key=key)  # not found without its hint
    assert store.key_is_valid(workshop.id, key)
    store.create_workshop("New", "Globex", creator_key=key)
