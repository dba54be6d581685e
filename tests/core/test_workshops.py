"""Workshops, keys, teams and joining."""

from __future__ import annotations

import datetime

import pytest

from abc_workshop.domain import AccessDenied, InvalidInput, NotFound
from abc_workshop.keys import JOIN_CODE_ALPHABET
from abc_workshop.store import Store


def test_creating_a_workshop_returns_a_key_that_is_stored_only_as_a_hash(store):
    workshop, key = store.create_workshop("Pilot", "Acme IT", datetime.date(2026, 11, 25), "Room 4", ["Ops"])
    stored = store._value("SELECT key_hash FROM workshops WHERE id = ?", (workshop.id,))
    assert key not in stored and stored.startswith("scrypt$")
    assert store.key_is_valid(workshop.id, key)
    assert store.key_is_valid(workshop.id, f"  {key} ")
    assert not store.key_is_valid(workshop.id, key.lower() + "x")
    assert (workshop.held_on, workshop.notes) == ("2026-11-25", "Room 4")
    assert set(workshop.join_code) <= set(JOIN_CODE_ALPHABET) and len(workshop.join_code) == 6


def test_join_codes_are_found_however_they_are_typed(room):
    code = room.workshop.join_code
    assert room.store.workshop_by_code(f" {code[:3].lower()}-{code[3:]} ").id == room.workshop.id


def test_a_wrong_join_code_says_so(store):
    with pytest.raises(NotFound, match="No workshop has the join code 'NOPE42'"):
        store.workshop_by_code("NOPE42")


def test_a_server_key_unlocks_every_workshop_and_guards_creation(db_path):
    store = Store(db_path, server_key="room-key-2026")
    with pytest.raises(AccessDenied, match="asks for its facilitator key"):
        store.create_workshop("Pilot", "Acme IT")
    workshop, key = store.create_workshop("Pilot", "Acme IT", creator_key="room-key-2026")
    assert store.key_is_valid(workshop.id, "room-key-2026") and store.key_is_valid(workshop.id, key)
    assert store._value("SELECT count(*) FROM workshops") == 1


def test_texts_over_their_limit_are_refused_and_nothing_is_written(store):
    with pytest.raises(InvalidInput, match="workshop title is 121 characters long; the limit is 120"):
        store.create_workshop("x" * 121, "Acme")
    with pytest.raises(InvalidInput, match="fill in the organisation"):
        store.create_workshop("Pilot", "   ")
    with pytest.raises(InvalidInput, match="team 'ops' is listed twice"):
        store.create_workshop("Pilot", "Acme", team_names=["Ops", "ops"])
    assert store._value("SELECT count(*) FROM workshops") == 0


def test_teams_are_added_with_the_key_and_never_twice(room):
    team = room.store.add_team(room.workshop.id, room.key, "Business users")
    assert [t.name for t in room.store.teams(room.workshop.id)] == ["Service Desk", "Operations", "Business users"]
    assert team.name == "Business users"
    with pytest.raises(InvalidInput, match="already a team called 'Operations'"):
        room.store.add_team(room.workshop.id, room.key, "operations")
    with pytest.raises(AccessDenied):
        room.store.add_team(room.workshop.id, "bad", "Security")


def test_participants_join_with_a_name_or_anonymously_and_are_known_by_token(room):
    ann = room.join("Ann")
    anon = room.store.join(room.workshop.id, "   ", room.teams[1].id)
    assert anon.display_name is None and anon.shown_name == "Anonymous"
    assert ann.token != anon.token
    assert room.store.participant(room.workshop.id, ann.token) == ann
    assert room.store.participant(room.workshop.id, "unknown") is None
    with pytest.raises(InvalidInput, match="pick your team"):
        room.store.join(room.workshop.id, "Bob", None)
    with pytest.raises(InvalidInput, match="name is 41 characters"):
        room.store.join(room.workshop.id, "x" * 41, room.teams[0].id)


def test_a_token_belongs_to_one_workshop(room):
    other, _ = room.store.create_workshop("Other", "Acme IT", creator_key=room.key)
    assert room.store.participant(other.id, room.join().token) is None


def test_the_version_moves_on_every_facilitator_change_but_not_on_ballots(room):
    start = room.store.version(room.workshop.id)
    rnd = room.open_round()
    after_open = room.store.version(room.workshop.id)
    assert after_open == start + 2  # created, opened
    room.vote(room.join(), rnd, room.card_ids(1))
    assert room.store.version(room.workshop.id) == after_open


def test_a_teams_work_moves_its_teams_version_not_the_workshops(room):
    rnd = room.open_round()
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(1))
    room.store.reveal_round(rnd.id, room.key)
    version, desk, ops = room.store.version(room.workshop.id), *(room.store.team_version(t.id) for t in room.teams)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    topic = room.store.team_topics(rnd.id, room.teams[0].id)[0]
    room.store.add_note(room.workshop.id, topic.id, "risks", "Users wait for days", token=ann.token)
    room.store.add_behaviour(room.workshop.id, topic.id, "We call back within the hour", token=ann.token)
    assert room.store.version(room.workshop.id) == version  # pages that follow the workshop are not redrawn
    assert room.store.team_version(room.teams[0].id) > desk and room.store.team_version(room.teams[1].id) == ops


def test_events_need_the_key(room):
    with pytest.raises(AccessDenied):
        room.store.events(room.workshop.id, "")
    assert room.store.events(room.workshop.id, room.key)[-1].kind == "workshop_created"
