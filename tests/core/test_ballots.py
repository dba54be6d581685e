"""The voting rules, checked against a real SQLite file: budget, one ballot, change, close, timer, reset."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from abc_workshop.domain import AccessDenied, NotFound, RoundState, VoteRejected


def ballots_of(room, rnd):
    return room.store._rows("SELECT participant_id, attempt FROM ballots WHERE round_id = ?", (rnd.id,))


def test_a_ballot_is_stored_with_its_picks(room):
    rnd = room.open_round()
    ann = room.join("Ann")
    room.vote(ann, rnd, room.card_ids(3))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted(room.card_ids(3))


def test_more_picks_than_the_budget_are_refused_and_nothing_changes(room):
    rnd = room.open_round(pick_limit=2)
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(2))
    with pytest.raises(VoteRejected, match="You picked 3 cards; this round allows 2"):
        room.vote(ann, rnd, room.card_ids(3))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted(room.card_ids(2))


def test_the_database_itself_refuses_a_pick_over_the_budget(room):
    """A writer that bypasses the store still meets the trigger."""
    rnd = room.open_round(pick_limit=2)
    ann = room.join()
    ballot_id = room.vote(ann, rnd, room.card_ids(2))
    conn = room.store.db.conn
    with pytest.raises(sqlite3.IntegrityError, match="pick_limit_exceeded"):
        conn.execute("INSERT INTO picks (ballot_id, card_id) VALUES (?, ?)", (ballot_id, room.card_ids(3)[2]))
    conn.rollback()


def test_a_second_ballot_replaces_the_first_instead_of_adding_one(room):
    rnd = room.open_round()
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(3))
    room.vote(ann, rnd, room.card_ids(1))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == room.card_ids(1)
    assert len(ballots_of(room, rnd)) == 1


def test_the_database_refuses_a_second_ballot_row_for_the_same_participant(room):
    rnd = room.open_round()
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(1))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        room.store.db.conn.execute(
            "INSERT INTO ballots (round_id, attempt, participant_id, submitted_at, updated_at) VALUES (?, ?, ?, 0, 0)",
            (rnd.id, rnd.attempt, ann.id),
        )
    room.store.db.conn.rollback()


def test_a_ballot_after_the_round_closed_is_refused_and_the_earlier_one_kept(room):
    rnd = room.open_round()
    ann, bob = room.join("Ann"), room.join("Bob")
    room.vote(ann, rnd, room.card_ids(2))
    room.store.close_round(rnd.id, room.key)
    with pytest.raises(VoteRejected, match="Voting is closed"):
        room.vote(ann, rnd, room.card_ids(1))
    with pytest.raises(VoteRejected, match="Voting is closed"):
        room.vote(bob, rnd, room.card_ids(1))
    assert room.store.ballot_cards(ann.id, rnd.id, rnd.attempt) == sorted(room.card_ids(2))
    assert [b["participant_id"] for b in ballots_of(room, rnd)] == [ann.id]


def test_a_draft_round_takes_no_ballots(room):
    rnd = room.new_round()
    with pytest.raises(VoteRejected, match="Voting is closed"):
        room.vote(room.join(), rnd, room.card_ids(1))


def test_the_database_refuses_to_delete_picks_of_a_closed_round(room):
    rnd = room.open_round()
    ballot_id = room.vote(room.join(), rnd, room.card_ids(2))
    room.store.close_round(rnd.id, room.key)
    with pytest.raises(sqlite3.IntegrityError, match="round_not_open"):
        room.store.db.conn.execute("DELETE FROM picks WHERE ballot_id = ?", (ballot_id,))
    room.store.db.conn.rollback()


def test_a_ballot_after_the_timer_ran_out_is_refused_even_before_anyone_closes_the_round(room):
    rnd = room.open_round(timer_seconds=60)
    ann = room.join()
    room.store.db.execute("UPDATE rounds SET closes_at = ? WHERE id = ?", (time.time() - 1, rnd.id))
    with pytest.raises(VoteRejected, match="Time is up"):
        room.vote(ann, rnd, room.card_ids(1))
    assert room.store.close_if_expired(rnd.id) is True
    assert room.store.round(rnd.id).state is RoundState.CLOSED
    assert room.store.close_if_expired(rnd.id) is False


def test_a_card_from_another_deck_is_refused(room):
    deck = room.store.import_deck(
        room.workshop.id,
        room.key,
        "Tiny deck",
        "tiny.csv",
        b"id,type,theme,title,description\nt1,A,Ownership,Only card,Just one card.\n",
    )
    rnd = room.open_round()
    foreign = room.store.cards(deck.id)[0].id
    with pytest.raises(VoteRejected, match="not in this round's deck"):
        room.vote(room.join(), rnd, [foreign])


def test_an_empty_ballot_or_an_unknown_participant_is_refused(room):
    rnd = room.open_round()
    with pytest.raises(VoteRejected, match="Pick at least one card"):
        room.vote(room.join(), rnd, [])
    with pytest.raises(NotFound, match="not joined"):
        room.store.submit_ballot(room.workshop.id, "no-such-token", rnd.id, rnd.attempt, room.card_ids(1))


def test_a_ballot_for_an_attempt_that_was_reset_is_refused(room):
    rnd = room.open_round()
    ann = room.join()
    room.store.reset_round(rnd.id, room.key, "wrong question")
    room.store.open_round(rnd.id, room.key)
    with pytest.raises(VoteRejected, match="reset this round"):
        room.vote(ann, rnd, room.card_ids(1))  # rnd still carries attempt 1


def test_concurrent_ballots_from_many_threads_each_arrive_exactly_once(room):
    rnd = room.open_round(pick_limit=3)
    people = [room.join(f"P{i}", team=i % 2) for i in range(40)]
    errors = []

    def vote(person, offset):
        try:
            for _ in range(3):  # each changes their mind twice
                room.vote(person, rnd, room.card_ids(3 + offset % 5)[offset % 5 :][:3])
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=vote, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = ballots_of(room, rnd)
    assert sorted(r["participant_id"] for r in rows) == sorted(p.id for p in people)
    assert room.store.progress(rnd.id).voted == 40
    picks = room.store._value("SELECT count(*) FROM picks p JOIN ballots b ON b.id = p.ballot_id WHERE b.round_id = ?", (rnd.id,))
    assert picks == 40 * 3


def test_names_are_shown_to_the_facilitator_only_in_rounds_created_with_names(room):
    named = room.open_round(show_names=True)
    ann, anon = room.join("Ann", 0), room.store.join(room.workshop.id, None, room.teams[1].id)
    room.vote(ann, named, room.card_ids(2))
    room.vote(anon, named, room.card_ids(1))
    titles = [c.title for c in room.store.cards(room.deck_id)[:2]]
    rows = room.store.named_ballots(named.id, room.key)
    assert rows == [
        {"participant": f"Anonymous #{anon.id}", "team": "Operations", "cards": titles[0]},
        {"participant": "Ann", "team": "Service Desk", "cards": " | ".join(titles)},
    ]
    with pytest.raises(AccessDenied):
        room.store.named_ballots(named.id, "")
    room.store.close_round(named.id, room.key)
    anonymous = room.open_round()
    with pytest.raises(AccessDenied, match="created anonymous"):
        room.store.named_ballots(anonymous.id, room.key)


def test_the_ballot_stamp_moves_with_each_submit_so_a_page_can_follow_its_own_ballot(room):
    rnd = room.open_round()
    ann = room.join()
    assert room.store.ballot_stamp(ann.id, rnd.id, rnd.attempt) is None
    room.vote(ann, rnd, room.card_ids(1))
    first = room.store.ballot_stamp(ann.id, rnd.id, rnd.attempt)
    room.vote(ann, rnd, room.card_ids(2))
    assert first is not None and room.store.ballot_stamp(ann.id, rnd.id, rnd.attempt) > first
