"""The projector's state machine: what takes the screen, what lasts until a round opens, and the
sentence the facilitator reads."""

from __future__ import annotations

import pytest

from abc_workshop.domain import AccessDenied, InvalidInput, NotFound


@pytest.fixture
def room2(room):
    """Round 1 revealed (one ballot), round 2 still a draft, and an open poll."""
    first = room.open_round()
    room.vote(room.join("Ann"), first, room.card_ids(3))
    room.store.reveal_round(first.id, room.key)
    room.first = room.store.round(first.id)
    room.second = room.new_round(question="Which of these hurt most?")
    room.poll = room.store.create_poll(room.workshop.id, room.key, "Customer focus", ["IT listens"], "agree3")
    room.store.open_poll(room.poll.id, room.key)
    return room


def now(room):
    return room.store.projector_now(room.workshop.id)


def test_before_any_round_the_projector_shows_the_join_screen(room):
    shown = now(room)
    assert (shown.kind, shown.live, shown.sentence) == ("waiting", True, "Waiting for the first round - join screen")
    room.new_round()
    assert now(room).sentence == "Waiting for the first round - join screen"  # a draft is not current until it opens


def test_the_live_round_s_faces_follow_its_state(room):
    rnd = room.open_round()
    assert (now(room).kind, now(room).sentence) == ("voting", "Round 1: voting open - join screen")
    room.store.close_round(rnd.id, room.key)
    assert (now(room).kind, now(room).sentence) == ("closed", "Round 1: voting closed - result coming up")
    room.store.reveal_round(rnd.id, room.key)
    assert (now(room).kind, now(room).sentence, now(room).round_id) == ("result", "Round 1: result", rnd.id)
    room.store.reset_round(rnd.id, room.key, "Wrong deck")
    assert (now(room).kind, now(room).sentence) == ("waiting", "Round 1 starts soon - join screen")


def test_opening_a_round_takes_the_screen_from_a_poll(room2):
    store = room2.store
    store.show_poll_on_projector(room2.poll.id, room2.key, True)
    assert (now(room2).kind, now(room2).sentence, now(room2).live) == ("poll", "Poll: Customer focus", False)
    store.open_round(room2.second.id, room2.key)
    assert store.projected_poll(room2.workshop.id) is None
    assert (now(room2).kind, now(room2).sentence, now(room2).live) == ("voting", "Round 2: voting open - join screen", True)


@pytest.mark.parametrize("mode", ["iceberg", "summary", "review"])
def test_opening_a_round_takes_the_screen_from_every_chosen_view(room2, mode):
    store = room2.store
    store.set_projector_view(room2.workshop.id, room2.key, mode)
    assert not now(room2).live
    store.open_round(room2.second.id, room2.key)
    assert store.projector_view(room2.workshop.id) == {"mode": "round"}
    assert now(room2).kind == "voting"


def test_reopening_and_revealing_take_the_screen_too_but_closing_does_not(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.set_projector_view(wid, key, "iceberg")
    store.reopen_round(room2.first.id, key)
    assert now(room2).sentence == "Round 1: voting open - join screen"
    store.show_poll_on_projector(room2.poll.id, key, True)
    store.close_round(room2.first.id, key)
    assert now(room2).kind == "poll"  # closing is the facilitator's own step; the poll stays
    store.reveal_round(room2.first.id, key)
    assert (now(room2).kind, now(room2).sentence) == ("result", "Round 1: result")
    assert store.projected_poll(wid) is None


def test_a_refused_opening_leaves_the_projector_as_it_was(room2):
    store = room2.store
    store.show_poll_on_projector(room2.poll.id, room2.key, True)
    with pytest.raises(InvalidInput):
        store.open_round(room2.first.id, room2.key)  # revealed: it can be reopened, not opened
    with pytest.raises(AccessDenied):
        store.open_round(room2.second.id, "WRONG-KEY")
    assert now(room2).kind == "poll"


def test_taking_a_poll_off_brings_back_the_live_round_not_the_earlier_choice(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.open_round(room2.second.id, key)
    store.set_projector_view(wid, key, "review")
    store.show_poll_on_projector(room2.poll.id, key, True)
    store.show_poll_on_projector(room2.poll.id, key, False)
    assert (now(room2).kind, now(room2).live) == ("voting", True)
    with pytest.raises(InvalidInput, match="not on the projector"):
        store.show_poll_on_projector(room2.poll.id, key, False)


def test_choosing_a_view_takes_a_poll_off(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.show_poll_on_projector(room2.poll.id, key, True)
    store.set_projector_view(wid, key, "iceberg")
    assert store.projected_poll(wid) is None
    assert (now(room2).kind, now(room2).sentence, now(room2).round_id) == ("iceberg", "Iceberg of round 1", room2.first.id)
    store.show_poll_on_projector(room2.poll.id, key, True)
    store.set_projector_view(wid, key, "round")
    assert (store.projected_poll(wid), now(room2).kind) == (None, "result")


def test_iceberg_and_summary_use_the_chosen_round_default_the_latest_revealed(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.open_round(room2.second.id, key)
    store.reveal_round(room2.second.id, key)
    store.set_projector_view(wid, key, "iceberg")
    assert store.projector_view(wid) == {"mode": "iceberg", "round_id": room2.second.id}
    store.set_projector_view(wid, key, "iceberg", round_id=room2.first.id)
    assert now(room2).sentence == "Iceberg of round 1"
    ops = room2.teams[1]
    store.set_projector_view(wid, key, "summary", team_id=ops.id)  # stepping to a team keeps the round on screen
    assert store.projector_view(wid) == {"mode": "summary", "round_id": room2.first.id, "team_id": ops.id}
    assert (now(room2).sentence, now(room2).team_id, now(room2).round_id) == (
        "Operations's summary of round 1",
        ops.id,
        room2.first.id,
    )
    store.set_projector_view(wid, key, "summary")
    assert now(room2).team_id == room2.teams[0].id  # no team given: the first
    assert now(room2).sentence == "Service Desk's summary of round 1"


def test_a_chosen_round_that_is_reset_falls_back_to_the_latest_revealed(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.open_round(room2.second.id, key)
    store.reveal_round(room2.second.id, key)
    store.set_projector_view(wid, key, "iceberg", round_id=room2.first.id)
    store.db.execute("UPDATE rounds SET state = 'draft' WHERE id = ?", (room2.first.id,))  # as a reset leaves it
    assert now(room2).sentence == "Iceberg of round 2"


def test_bad_view_choices_are_refused_and_change_nothing(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    store.set_projector_view(wid, key, "review")
    version = store.version(wid)
    with pytest.raises(InvalidInput, match="Unknown projector view"):
        store.set_projector_view(wid, key, "disco")
    with pytest.raises(InvalidInput, match="Only a revealed round"):
        store.set_projector_view(wid, key, "iceberg", round_id=room2.second.id)
    with pytest.raises(NotFound):
        store.set_projector_view(wid, key, "summary", team_id=999)
    with pytest.raises(AccessDenied):
        store.set_projector_view(wid, "", "iceberg")
    other, _other_key = store.create_workshop("Other", "Acme IT", team_names=["X"], creator_key=key)
    with pytest.raises(NotFound):
        store.set_projector_view(wid, key, "summary", team_id=store.teams(other.id)[0].id)
    assert (store.version(wid), now(room2).kind) == (version, "review")


def test_without_a_revealed_round_the_chosen_views_say_so(room):
    store, wid, key = room.store, room.workshop.id, room.key
    store.set_projector_view(wid, key, "iceberg")
    assert now(room).sentence == "Iceberg: no round revealed yet"
    store.set_projector_view(wid, key, "review")
    assert now(room).sentence == "Earlier actions of Acme IT"


def test_every_change_of_view_moves_the_version_and_is_logged(room2):
    store, wid, key = room2.store, room2.workshop.id, room2.key
    version = store.version(wid)
    store.set_projector_view(wid, key, "iceberg")
    assert store.version(wid) == version + 1
    assert store.events(wid, key)[0].detail == "Projector: Iceberg of round 1"


def test_joined_counts_everyone_in_the_workshop(room):
    assert room.store.joined_count(room.workshop.id) == 0
    room.join("Ann")
    room.join("Bob", team=1)
    assert room.store.joined_count(room.workshop.id) == 2


def test_a_projector_follows_the_team_of_the_summary_up_and_every_team_under_the_iceberg(room2):
    from abc_workshop.projector import followed_teams

    store, wid, key = room2.store, room2.workshop.id, room2.key
    assert followed_teams(store.pulse(wid)) == () and followed_teams(None) == ()
    store.set_projector_view(wid, key, "summary", team_id=room2.teams[1].id)
    assert followed_teams(store.pulse(wid)) == (f"team:{room2.teams[1].id}",)
    store.set_projector_view(wid, key, "iceberg")
    assert followed_teams(store.pulse(wid)) == ("teams",)
    store.set_projector_view(wid, key, "review")
    assert followed_teams(store.pulse(wid)) == ()
