"""Limits that protect the room: how much one participant and one team may write about a card; and two smaller
defects of the room's counts (a reset's shortlist, survey respondents in a live round)."""

from __future__ import annotations

import threading

import pytest

from abc_workshop.analysis import WRITING_CAPS
from abc_workshop.domain import InvalidInput
from abc_workshop.store.pulse import read_pulse


@pytest.fixture
def topic(room):
    rnd = room.open_round(pick_limit=1)
    room.ann = room.join("Ann")
    room.vote(room.ann, rnd, room.card_ids(1))
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    room.rnd = rnd
    return room.store.team_topics(rnd.id, room.teams[0].id)[0]


WRITE = {
    "note": lambda room, topic, n, **who: room.store.add_note(room.workshop.id, topic.id, "value", f"Note {n}", **who),
    "behaviour": lambda room, topic, n, **who: room.store.add_behaviour(room.workshop.id, topic.id, f"We do {n}", **who),
    "action": lambda room, topic, n, **who: room.store.add_action(room.workshop.id, topic.id, f"Act {n}", "Ann", None, **who),
}


@pytest.mark.parametrize("kind", list(WRITE))
def test_one_participant_writes_a_bounded_number_about_a_card_and_is_told_so(room, topic, kind):
    each, _ = WRITING_CAPS[kind]
    for n in range(each):
        WRITE[kind](room, topic, n, token=room.ann.token)
    with pytest.raises(InvalidInput, match=f"You have written {each} {kind}s on this card, the most one person may"):
        WRITE[kind](room, topic, each, token=room.ann.token)
    table = {"note": "impact_notes", "behaviour": "behaviours", "action": "actions"}[kind]
    assert room.store._value(f"SELECT count(*) FROM {table}") == each
    WRITE[kind](room, topic, each, key=room.key)  # the facilitator moderates and is not capped


def test_a_team_writes_a_bounded_number_about_a_card_and_hiding_makes_room(room, topic):
    each, team = WRITING_CAPS["note"]
    members = [room.join(f"Member {m}") for m in range(team // each)]
    for member in members:
        for n in range(each):
            WRITE["note"](room, topic, n, token=member.token)
    with pytest.raises(InvalidInput, match=f"Your team has written {team} notes on this card, the most a team may"):
        WRITE["note"](room, topic, 0, token=room.ann.token)
    spam = room.store._value("SELECT min(id) FROM impact_notes")
    room.store.set_hidden(room.workshop.id, "note", spam, True, key=room.key)
    WRITE["note"](room, topic, 0, token=room.ann.token)
    with pytest.raises(InvalidInput, match="You have written 20 notes"):
        for n in range(each):
            WRITE["note"](room, topic, n, token=members[0].token)


def test_a_script_writing_from_many_threads_stops_exactly_at_the_cap(room, topic):
    each, _ = WRITING_CAPS["note"]
    refused = []

    def spam():
        for n in range(each):
            try:
                WRITE["note"](room, topic, n, token=room.ann.token)
            except InvalidInput as refusal:
                refused.append(refusal)

    threads = [threading.Thread(target=spam) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert room.store._value("SELECT count(*) FROM impact_notes") == each and len(refused) == 5 * each


def test_after_a_reset_and_a_new_reveal_the_shortlist_holds_the_new_votes_only(room):
    rnd = room.open_round(pick_limit=1)
    first, second, added = room.card_ids(3)
    ann, bob = room.join("Ann"), room.join("Bob")
    room.vote(ann, rnd, [first])
    room.store.reveal_round(rnd.id, room.key)
    desk = room.teams[0].id
    room.store.ensure_shortlist(rnd.id, desk)
    room.store.add_to_shortlist(room.workshop.id, rnd.id, desk, added, token=ann.token)
    topic = room.store.team_topics(rnd.id, desk)[0]
    room.store.add_note(room.workshop.id, topic.id, "value", "Written before the reset", token=ann.token)
    room.store.reset_round(rnd.id, room.key, "Wrong deck")
    again = room.store.open_round(rnd.id, room.key)
    room.vote(bob, again, [second])
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, desk)
    shortlist = {t.card_id: t.picks for t in room.store.team_topics(rnd.id, desk)}
    assert shortlist == {second: 1, added: 0}, "the old vote's card is gone; the card the team added stays"
    assert first not in {t.card_id for t in room.store.round_topics(rnd.id)}
    history = room.store.shortlist_history(room.workshop.id, rnd.id, desk)
    changes = [(h["change"], h["by"]) for h in history][-3:]
    assert changes == [("added", "Ann"), ("removed", "Facilitator"), ("from_votes", "Votes")]
    room.store.reset_round(rnd.id, room.key, "Again")
    room.store.open_round(rnd.id, room.key)
    room.vote(bob, room.store.round(rnd.id), [first])
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, desk)
    back = room.store.team_topics(rnd.id, desk)
    assert {t.card_id for t in back} == {first, added}
    assert [n.text for t in back if t.card_id == first for n in t.notes] == ["Written before the reset"], "its notes come back"


def test_survey_respondents_do_not_count_as_joined_in_a_live_round(room):
    poll = room.store.create_poll(room.workshop.id, room.key, "Pulse", ["We listen"], "agree3")
    room.store.open_poll(poll.id, room.key)
    for _ in range(5):
        room.store.join_survey(poll.id, room.teams[0].id)
    rnd = room.open_round(pick_limit=1)
    ann = room.join("Ann")
    room.join("Bob", 1)
    room.vote(ann, rnd, room.card_ids(1))
    progress = room.store.progress(rnd.id)
    assert (progress.joined, progress.voted) == (2, 1)
    assert [(t.team_name, t.joined, t.voted) for t in progress.teams] == [("Service Desk", 1, 1), ("Operations", 1, 0)]
    pulse = read_pulse(room.store.db.conn, room.workshop.id)
    assert (pulse["progress"]["joined"], pulse["progress"]["voted"]) == (2, 1)
    assert pulse["progress"]["teams"] == [["Service Desk", 1, 1], ["Operations", 1, 0]]
