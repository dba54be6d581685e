"""Paper ballots: the facilitator enters a ballot for someone without a device, under the same rules as any ballot."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from abc_workshop.domain import AccessDenied, InvalidInput, VoteRejected
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations


def test_a_paper_ballot_counts_like_any_other_and_is_marked(room):
    rnd = room.open_round(pick_limit=3)
    room.vote(room.join("Ann"), rnd, room.card_ids(1))
    dora = room.store.enter_paper_ballot(rnd.id, room.key, " Dora ", room.teams[1].id, room.card_ids(3))
    assert (dora.display_name, dora.team_id) == ("Dora", room.teams[1].id)
    assert room.store.ballot_cards(dora.id, rnd.id, rnd.attempt) == sorted(room.card_ids(3))
    assert room.store.paper_participants(room.workshop.id) == [dora.id]
    progress = room.store.progress(rnd.id)
    assert (progress.joined, progress.voted) == (2, 2)
    _counts, ballots = room.store.pick_counts(rnd.id)
    assert ballots == {room.teams[0].id: 1, room.teams[1].id: 1}
    [event] = [e for e in room.store.events(room.workshop.id, room.key) if e.kind == "paper_ballot"]
    assert event.detail == "Paper ballot entered by the facilitator for Dora (Operations): 3 cards"


def test_entering_again_for_the_same_person_replaces_their_ballot(room):
    rnd = room.open_round(pick_limit=3)
    first = room.store.enter_paper_ballot(rnd.id, room.key, "Dora", room.teams[0].id, room.card_ids(3))
    again = room.store.enter_paper_ballot(rnd.id, room.key, "dora", room.teams[0].id, room.card_ids(1))
    assert again.id == first.id
    assert room.store.ballot_cards(first.id, rnd.id, rnd.attempt) == room.card_ids(1)
    assert room.store.progress(rnd.id).voted == 1
    assert room.store.paper_ballots(rnd.id) == [{"name": "Dora", "team": "Service Desk", "cards": 1}]
    other_team = room.store.enter_paper_ballot(rnd.id, room.key, "Dora", room.teams[1].id, room.card_ids(1))
    assert other_team.id != first.id, "a namesake in another team is another person"


def test_the_same_person_is_reused_in_a_later_round(room):
    first = room.open_round(pick_limit=3)
    dora = room.store.enter_paper_ballot(first.id, room.key, "Dora", room.teams[0].id, room.card_ids(2))
    room.store.close_round(first.id, room.key)
    second = room.open_round(pick_limit=1)
    assert room.store.enter_paper_ballot(second.id, room.key, "Dora", room.teams[0].id, room.card_ids(1)).id == dora.id
    assert room.store.progress(second.id).joined == 1


@pytest.mark.parametrize(
    ("name", "team", "cards", "error", "message"),
    [
        ("", 0, 1, InvalidInput, "Please fill in the person's name."),
        ("Dora", None, 1, InvalidInput, "Please choose the person's team."),
        ("Dora", 0, 0, VoteRejected, "Choose at least one card from the paper ballot."),
        ("Dora", 0, 4, VoteRejected, "The paper ballot has 4 cards; this round allows 3."),
        ("x" * 41, 0, 1, InvalidInput, "The person's name is 41 characters long; the limit is 40."),
    ],
)
def test_bad_paper_ballots_are_refused_and_change_nothing(room, name, team, cards, error, message):
    rnd = room.open_round(pick_limit=3)
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        room.store.enter_paper_ballot(
            rnd.id, room.key, name, room.teams[team].id if team is not None else None, room.card_ids(cards)
        )
    assert room.store.paper_participants(room.workshop.id) == []
    assert room.store.progress(rnd.id).voted == 0


def test_only_the_facilitator_may_enter_one(room):
    rnd = room.open_round()
    with pytest.raises(AccessDenied):
        room.store.enter_paper_ballot(rnd.id, "AAAA-AAAA-AAAA-AAAA", "Dora", room.teams[0].id, room.card_ids(1))
    assert room.store.paper_participants(room.workshop.id) == []


def test_the_schema_s_triggers_refuse_a_closed_round_and_leave_no_one_behind(room):
    rnd = room.open_round(pick_limit=3)
    room.store.close_round(rnd.id, room.key)
    with pytest.raises(VoteRejected, match="Voting is closed"):
        room.store.enter_paper_ballot(rnd.id, room.key, "Dora", room.teams[0].id, room.card_ids(2))
    assert room.store.paper_participants(room.workshop.id) == [], "the participant was rolled back with the ballot"


def test_a_card_from_another_deck_is_refused_by_the_trigger(room):
    deck = room.store.import_deck(
        room.workshop.id, room.key, "Own deck", "own.csv", b"id,type,theme,title,description\nx1,A,T,Other,D\n"
    )
    other = room.store.cards(deck.id)[0].id
    rnd = room.open_round(pick_limit=3)
    with pytest.raises(VoteRejected, match="not in this round's deck"):
        room.store.enter_paper_ballot(rnd.id, room.key, "Dora", room.teams[0].id, [room.card_ids(1)[0], other])
    assert room.store.progress(rnd.id).voted == 0


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_a_database_before_paper_ballots_upgrades_and_its_people_are_not_marked(db_path):
    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0005_paper_ballots")
    old.execute("INSERT INTO workshops (join_code, title, organisation, key_hash) VALUES ('ACEFGH', 'Old', 'Acme', 'x')")
    old.execute("INSERT INTO participants (workshop_id, token, display_name) VALUES (1, 'tok', 'Ann')")
    old.conn.commit()
    old.close()
    store = Store(db_path)
    assert store._value("SELECT entered_by_facilitator FROM participants WHERE token = 'tok'") == 0
    assert store.paper_participants(1) == []
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.db.conn.execute("UPDATE participants SET entered_by_facilitator = 2")
    store.db.conn.rollback()
