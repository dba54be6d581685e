"""The live layer without Streamlit: what a page watches, and the one watcher per server process.

Real SQLite files; the watcher is driven by calling check() (its thread does the same every 150 ms).
"""

from __future__ import annotations

import time

import pytest

from abc_workshop.live import UnknownTopic, Watcher, change_source, digest, parse_topics, project
from abc_workshop.store import Store


@pytest.fixture
def heard():
    return []


@pytest.fixture
def watcher(room, db_path, heard):
    source = change_source(db_path)
    watcher = Watcher(source, lambda workshop_id, pulse: heard.append((workshop_id, pulse)))
    watcher.watch(room.workshop.id)
    watcher.check()  # the first look only learns the database's counter
    heard.clear()
    yield watcher
    source.close()


def stages(heard) -> list:
    return [pulse["stage"][1] for _, pulse in heard]


def test_topics_are_checked_sorted_and_without_repeats():
    assert parse_topics("stage, polls,stage,team:3") == ("polls", "stage", "team:3")
    for bad in ("", "stage,ballots", "team:x", "team:"):
        with pytest.raises(UnknownTopic):
            parse_topics(bad)


def test_a_projection_holds_only_what_the_page_shows(room):
    pulse = room.store.pulse(room.workshop.id)
    team = str(room.teams[0].id)
    assert project(pulse, ("stage", f"team:{team}")) == {"stage": pulse["stage"], f"team:{team}": pulse["teams"][team]}
    assert project(None, ("stage",)) == {"gone": True}
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1}) != digest({"a": 2, "b": [1, 2]})


def test_a_change_is_noticed_once_and_in_order(room, watcher, heard):
    rnd = room.new_round()
    assert watcher.check() == [room.workshop.id]
    room.store.open_round(rnd.id, room.key)
    watcher.check()
    assert watcher.check() == [] and watcher.check() == []  # nothing new: nothing told, nothing read
    room.store.close_round(rnd.id, room.key)
    room.store.reveal_round(rnd.id, room.key)
    watcher.check()
    # A draft round is no stage yet (participants still wait); two commits between looks: the latest state, once.
    assert stages(heard) == [None, "open", "revealed"]
    versions = [pulse["version"] for _, pulse in heard]
    assert versions == sorted(versions) and len(set(versions)) == 3


def test_nothing_is_read_while_nothing_changes(room, watcher):
    reads = watcher.reads
    for _ in range(20):
        watcher.check()
    assert watcher.reads == reads and watcher.checks >= 20


def test_changes_made_through_another_connection_or_process_are_seen(room, db_path, watcher, heard):
    other = Store(db_path)  # another process's store on the same file looks the same to SQLite
    try:
        other.add_team(room.workshop.id, room.key, "Architects")
    finally:
        other.close()
    watcher.check()
    assert len(heard) == 1 and "Architects" in [team[0] for team in heard[0][1]["progress"]["teams"]]


def test_ballots_move_progress_but_not_what_phones_watch(room, watcher, heard):
    rnd = room.open_round()
    watcher.check()
    phone = digest(project(room.store.pulse(room.workshop.id), ("polls", "stage")))
    projector = digest(project(room.store.pulse(room.workshop.id), ("progress",)))
    room.vote(room.join("Ann"), rnd, room.card_ids(2))
    watcher.check()
    pulse = heard[-1][1]
    assert pulse["progress"]["voted"] == 1
    assert digest(project(pulse, ("polls", "stage"))) == phone
    assert digest(project(pulse, ("progress",))) != projector


def test_a_new_watcher_after_a_restart_starts_from_the_current_state(room, db_path, watcher, heard):
    rnd = room.open_round()
    watcher.check()
    watcher.source.close()
    restarted_heard = []
    restarted = Watcher(change_source(db_path), lambda w, p: restarted_heard.append(p))
    try:
        assert restarted.watch(room.workshop.id)["stage"][1] == "open"  # what a reconnecting page is sent first
        restarted.check()
        room.store.close_round(rnd.id, room.key)
        restarted.check()
        assert [p["stage"][1] for p in restarted_heard] == ["closed"]
    finally:
        restarted.source.close()


def test_the_watcher_closes_a_round_whose_timer_ran_out(room, db_path, heard):
    rnd = room.open_round(timer_seconds=30)
    now = [time.time()]
    source = change_source(db_path)
    closed = []

    def expire(workshop_id, pulse):
        closed.append(room.store.close_if_expired(pulse["stage"][0]))

    watcher = Watcher(source, lambda w, p: heard.append((w, p)), expire=expire, clock=lambda: now[0])
    try:
        watcher.watch(room.workshop.id)
        watcher.check()
        assert closed == []
        room.store._now = lambda: now[0]
        now[0] += 31
        watcher.check()
        assert closed == [True] and room.store.round(rnd.id).state.value == "closed"
        assert stages(heard)[-1] == "closed"
    finally:
        source.close()


def test_unwatched_workshops_are_not_read(room, watcher, heard):
    watcher.unwatch(room.workshop.id)
    room.new_round()
    assert watcher.check() == [] and heard == []
    assert watcher.watched() == {}


def test_a_phone_is_sent_the_round_and_once_revealed_its_result_without_asking(room, watcher, heard):
    rnd = room.open_round(pick_limit=2)
    ann, bob = room.join("Ann"), room.join("Bob", team=1)
    first, second = room.card_ids(2)
    room.vote(ann, rnd, [first, second])
    room.vote(bob, rnd, [second])
    watcher.check()
    phone = project(heard[-1][1], ("result", "round"))
    assert phone["round"]["stage"][1] == "open" and phone["result"] is None  # nothing of the result while voting
    assert phone["round"]["spec"] == {
        "position": 1,
        "question": rnd.question,
        "perspective": rnd.perspective_text,
        "limit": 2,
        "deck": rnd.deck_id,
        "named": False,
    }
    room.store.close_round(rnd.id, room.key)
    watcher.check()
    assert project(heard[-1][1], ("result",)) == {"result": None}  # closed: still nothing to show
    room.store.reveal_round(rnd.id, room.key)
    watcher.check()
    result = heard[-1][1]["result"]
    assert result == {
        "voted": 2,
        "top": [[1, second, 2], [2, first, 1]],
        "teams": {
            str(room.teams[0].id): [1, result["teams"][str(room.teams[0].id)][1]],
            str(room.teams[1].id): [1, [[1, second, 1]]],
        },
    }
    assert sorted(row[1] for row in result["teams"][str(room.teams[0].id)][1]) == sorted([first, second])
    assert room.store.pulse(room.workshop.id)["result"] is None  # a page run reads no result unless it shows one


def test_a_part_digest_changes_only_with_its_part(room):
    from abc_workshop.live import part_digests

    before = part_digests(project(room.store.pulse(room.workshop.id), ("polls", "round")))
    room.open_round()
    after = part_digests(project(room.store.pulse(room.workshop.id), ("polls", "round")))
    assert before["polls"] == after["polls"] and before["round"] != after["round"]


def test_phones_learn_the_deck_of_a_round_being_prepared_but_not_its_question(room):
    assert room.store.pulse(room.workshop.id)["drafts"] == []
    room.new_round()
    pulse = room.store.pulse(room.workshop.id)
    assert project(pulse, ("round",))["round"] == {"stage": [None, None, None, None], "spec": None, "drafts": [room.deck_id]}


def test_a_revealed_result_is_counted_once_and_again_only_when_the_ballots_change(room, monkeypatch):
    from abc_workshop.store import pulse as pulse_module

    counted = []
    real = pulse_module._count_result
    monkeypatch.setattr(pulse_module, "_count_result", lambda *args: counted.append(args[1:]) or real(*args))
    rnd = room.open_round(pick_limit=2)
    ann = room.join("Ann")
    room.vote(ann, rnd, room.card_ids(1))
    room.store.close_round(rnd.id, room.key)
    room.store.reveal_round(rnd.id, room.key)
    for _ in range(3):
        assert room.store.pulse(room.workshop.id, result=True)["result"]["voted"] == 1
    room.join("Bob")  # a newcomer while the result is up: no recount
    assert room.store.pulse(room.workshop.id, result=True)["result"]["voted"] == 1
    assert counted == [(rnd.id, rnd.attempt)]
    room.store.reopen_round(rnd.id, room.key)
    room.vote(room.join("Cy"), rnd, room.card_ids(2))
    room.store.close_round(rnd.id, room.key)
    room.store.reveal_round(rnd.id, room.key)
    assert room.store.pulse(room.workshop.id, result=True)["result"]["voted"] == 2
    assert counted == [(rnd.id, rnd.attempt)] * 2
