"""Round life-cycle: the allowed moves, one open round at a time, the logged reset, progress per team."""

from __future__ import annotations

import time

import pytest

from abc_workshop.domain import AccessDenied, InvalidInput, Perspective, RoundState
from abc_workshop.tallies import tally_round


def test_a_round_moves_draft_open_closed_revealed_and_can_be_reopened(room):
    rnd = room.new_round()
    assert rnd.state is RoundState.DRAFT
    assert room.store.open_round(rnd.id, room.key).state is RoundState.OPEN
    assert room.store.close_round(rnd.id, room.key).state is RoundState.CLOSED
    assert room.store.reveal_round(rnd.id, room.key).state is RoundState.REVEALED
    assert room.store.reopen_round(rnd.id, room.key).state is RoundState.OPEN
    assert room.store.current_round(room.workshop.id).id == rnd.id


@pytest.mark.parametrize(
    "setup, action, message",
    [
        ([], "close_round", "is draft; it cannot close"),
        ([], "reveal_round", "is draft; it cannot reveal"),
        (["open_round"], "open_round", "is open; it cannot open"),
        (["open_round", "close_round"], "open_round", "is closed; it cannot open"),
    ],
)
def test_moves_that_make_no_sense_are_refused(room, setup, action, message):
    rnd = room.new_round()
    for step in setup:
        getattr(room.store, step)(rnd.id, room.key)
    version = room.store.version(room.workshop.id)
    with pytest.raises(InvalidInput, match=message):
        getattr(room.store, action)(rnd.id, room.key)
    assert room.store.version(room.workshop.id) == version


def test_only_one_round_is_open_at_a_time(room):
    first = room.open_round()
    second = room.new_round()
    with pytest.raises(InvalidInput, match="Round 1 is still open"):
        room.store.open_round(second.id, room.key)
    room.store.close_round(first.id, room.key)
    assert room.store.open_round(second.id, room.key).state is RoundState.OPEN
    assert room.store.current_round(room.workshop.id).id == second.id


def test_every_facilitator_action_needs_the_key(room):
    rnd = room.new_round()
    for action in ("open_round", "close_round", "reveal_round", "reopen_round"):
        with pytest.raises(AccessDenied, match="needs the workshop's facilitator key"):
            getattr(room.store, action)(rnd.id, "")
        with pytest.raises(AccessDenied, match="not right"):
            getattr(room.store, action)(rnd.id, "WRONG-KEY")
    with pytest.raises(AccessDenied):
        room.store.reset_round(rnd.id, "nope", "because")
    assert room.store.round(rnd.id).state is RoundState.DRAFT


def test_a_reset_is_logged_keeps_old_ballots_and_counts_only_the_new_attempt(room):
    rnd = room.open_round()
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(3))
    reset = room.store.reset_round(rnd.id, room.key, "We asked the wrong question")
    assert (reset.state, reset.attempt) == (RoundState.DRAFT, 2)
    event = room.store.events(room.workshop.id, room.key)[0]
    assert event.kind == "round_reset"
    assert "1 ballot of attempt 1 set aside" in event.detail and "wrong question" in event.detail
    assert room.store._value("SELECT count(*) FROM ballots WHERE round_id = ?", (rnd.id,)) == 1
    reopened = room.store.open_round(rnd.id, room.key)
    assert room.store.progress(rnd.id).voted == 0
    assert room.store.pick_counts(rnd.id) == ([], {})
    room.vote(ann, reopened, room.card_ids(1))
    counts, ballots = room.store.pick_counts(rnd.id)
    assert ballots == {room.teams[0].id: 1} and len(counts) == 1


def test_a_reset_needs_a_reason(room):
    rnd = room.open_round()
    with pytest.raises(InvalidInput, match="reason"):
        room.store.reset_round(rnd.id, room.key, "  ")
    assert room.store.round(rnd.id).state is RoundState.OPEN


def test_round_settings_are_checked(room):
    with pytest.raises(InvalidInput, match="between 1 and 60"):
        room.new_round(pick_limit=0)
    with pytest.raises(InvalidInput, match="between 1 and 60"):
        room.new_round(pick_limit=61)
    tiny = room.store.import_deck(
        room.workshop.id, room.key, "Tiny", "tiny.csv", b"id,type,theme,title,description\nt1,A,Ownership,Only card,Just one.\n"
    )
    with pytest.raises(InvalidInput, match="only 1 card;"):
        room.new_round(deck_id=tiny.id, pick_limit=2)
    with pytest.raises(InvalidInput, match="timer"):
        room.new_round(timer_seconds=4 * 3600)
    with pytest.raises(InvalidInput, match="perspective wording"):
        room.new_round(perspective=Perspective.CUSTOM)
    with pytest.raises(InvalidInput, match="question is 301 characters"):
        room.new_round(question="x" * 301)
    custom = room.new_round(perspective=Perspective.CUSTOM, perspective_label="What our CIO would pick")
    assert custom.perspective_text == "What our CIO would pick"
    assert room.new_round(perspective=Perspective.USERS_WOULD_PICK).perspective_text == "Our users would pick this"


def test_a_timer_sets_when_the_round_closes(room):
    before = time.time()
    rnd = room.open_round(timer_seconds=90)
    assert before + 90 <= rnd.closes_at <= time.time() + 90
    assert rnd.seconds_left(rnd.closes_at + 5) == 0
    assert room.store.close_round(rnd.id, room.key).seconds_left(before) is None


def test_progress_counts_joined_and_voted_per_team_without_revealing_picks(room):
    rnd = room.open_round()
    ann, cid = room.join("Ann", 0), room.join(None, 1)
    room.join("Bob", 0)  # joined, has not voted
    room.vote(ann, rnd, room.card_ids(2))
    room.vote(cid, rnd, room.card_ids(1))
    progress = room.store.progress(rnd.id)
    assert (progress.joined, progress.voted) == (3, 2)
    assert [(t.team_name, t.joined, t.voted) for t in progress.teams] == [("Service Desk", 2, 1), ("Operations", 1, 1)]


def test_tally_of_a_round_counts_participants_per_card_overall_and_per_team(room):
    rnd = room.open_round()
    a, b, c = room.card_ids(3)
    room.vote(room.join("Ann", 0), rnd, [a, b])
    room.vote(room.join("Bob", 0), rnd, [a])
    room.vote(room.join("Cid", 1), rnd, [a, c])
    counts, ballots = room.store.pick_counts(rnd.id)
    result = tally_round(room.store.cards(room.deck_id), room.teams, counts, ballots)
    overall = result.overall.table.set_index("card_id")
    assert result.overall.ballots == 3
    assert overall.loc[a, "picks"] == 3 and overall.loc[a, "share"] == 1.0
    assert overall.loc[b, "picks"] == 1 and overall.loc[c, "picks"] == 1
    desk = result.teams[0].table.set_index("card_id")
    assert result.teams[0].ballots == 2 and desk.loc[a, "share"] == 1.0 and desk.loc[b, "share"] == 0.5
    assert result.teams[1].table.set_index("card_id").loc[c, "picks"] == 1


def test_the_participants_stage_changes_only_with_the_current_round(room):
    empty = room.store.stage(room.workshop.id)
    assert empty == (None, None, None, None)
    rnd = room.open_round()
    opened = room.store.stage(room.workshop.id)
    assert opened[:3] == (rnd.id, "open", 1)
    room.new_round()  # preparing the next round does not disturb the phones
    room.store.add_team(room.workshop.id, room.key, "Security")
    assert room.store.stage(room.workshop.id) == opened
    room.store.close_round(rnd.id, room.key)
    assert room.store.stage(room.workshop.id)[1] == "closed"
    room.store.reset_round(rnd.id, room.key, "again")
    assert room.store.stage(room.workshop.id)[1:3] == ("draft", 2)
