"""After the vote: shortlists, notes, scores, decisions, behaviours, actions and who may change them."""

from __future__ import annotations

import datetime
import threading

import pytest

from abc_workshop.analysis import ActionStatus, RiskDecision
from abc_workshop.domain import AccessDenied, InvalidInput, NotFound


@pytest.fixture
def revealed(room):
    """A revealed round: Service Desk picked cards 1-3 (card 1 twice, 2 and 3 tied), Operations card 4."""
    rnd = room.open_round(pick_limit=3)
    c1, c2, c3, c4 = room.card_ids(4)
    ann, bob, cid = room.join("Ann", 0), room.join("Bob", 0), room.join("Cid", 1)
    room.vote(ann, rnd, [c1, c2])
    room.vote(bob, rnd, [c1, c3])
    room.vote(cid, rnd, [c4])
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    room.people = {"ann": ann, "bob": bob, "cid": cid}
    room.rnd = rnd
    return room


def desk_topics(room, **kwargs):
    return room.store.team_topics(room.rnd.id, room.teams[0].id, **kwargs)


def test_the_shortlist_starts_as_the_team_s_top_three_with_ties_kept(revealed):
    topics = desk_topics(revealed)
    c1, c2, c3, _ = revealed.card_ids(4)
    assert [t.card_id for t in topics][0] == c1
    assert {t.card_id for t in topics} == {c1, c2, c3}
    assert [t.picks for t in topics] == [2, 1, 1]
    history = revealed.store.shortlist_history(revealed.workshop.id, revealed.rnd.id, revealed.teams[0].id)
    assert [h["by"] for h in history] == ["Votes"] * 3


def test_ties_beyond_three_all_stay_on_the_shortlist(room):
    rnd = room.open_round(pick_limit=5)
    room.vote(room.join("Ann"), rnd, room.card_ids(5))
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    assert len(room.store.team_topics(rnd.id, room.teams[0].id)) == 5


def test_no_shortlist_before_reveal(room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(2))
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    assert room.store.team_topics(rnd.id, room.teams[0].id) == []


def test_the_team_changes_its_shortlist_by_agreement_and_it_is_recorded_who(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topics = desk_topics(revealed)
    extra = revealed.card_ids(6)[5]
    store.remove_from_shortlist(revealed.workshop.id, topics[2].id, token=ann.token)
    store.add_to_shortlist(revealed.workshop.id, revealed.rnd.id, revealed.teams[0].id, extra, key=revealed.key)
    assert {t.card_id for t in desk_topics(revealed)} == {topics[0].card_id, topics[1].card_id, extra}
    history = store.shortlist_history(revealed.workshop.id, revealed.rnd.id, revealed.teams[0].id)
    assert [(h["change"], h["by"]) for h in history[-2:]] == [("removed", "Ann"), ("added", "Facilitator")]
    with pytest.raises(InvalidInput, match="already"):
        store.add_to_shortlist(revealed.workshop.id, revealed.rnd.id, revealed.teams[0].id, extra, token=ann.token)


def test_a_participant_cannot_touch_another_team_s_analysis(revealed):
    topic = desk_topics(revealed)[0]
    cid = revealed.people["cid"]
    for attempt in (
        lambda: revealed.store.add_note(revealed.workshop.id, topic.id, "value", "Not mine", token=cid.token),
        lambda: revealed.store.remove_from_shortlist(revealed.workshop.id, topic.id, token=cid.token),
        lambda: revealed.store.decide_risk(revealed.workshop.id, topic.id, "yes", None, token=cid.token),
        lambda: revealed.store.set_score(revealed.workshop.id, topic.id, "costs", 3, token=cid.token),
    ):
        with pytest.raises(AccessDenied, match="Only members of Service Desk"):
            attempt()
    with pytest.raises(AccessDenied, match="Join the workshop first"):
        revealed.store.add_note(revealed.workshop.id, topic.id, "value", "x", token="forged")
    assert desk_topics(revealed)[0].notes == ()


def test_notes_are_appended_limited_and_only_their_author_edits_them(revealed):
    store, ann, bob = revealed.store, revealed.people["ann"], revealed.people["bob"]
    topic = desk_topics(revealed)[0]
    note = store.add_note(revealed.workshop.id, topic.id, "risks", "Damaged business reputation", token=ann.token)
    store.add_note(revealed.workshop.id, topic.id, "risks", "Lost revenue", token=bob.token)
    with pytest.raises(InvalidInput, match="501 characters long; the limit is 500"):
        store.add_note(revealed.workshop.id, topic.id, "risks", "x" * 501, token=ann.token)
    with pytest.raises(InvalidInput, match="Unknown heading"):
        store.add_note(revealed.workshop.id, topic.id, "morale", "x", token=ann.token)
    with pytest.raises(AccessDenied, match="only your own notes"):
        store.edit_note(revealed.workshop.id, note, "Rewritten by Bob", token=bob.token)
    store.edit_note(revealed.workshop.id, note, "Damaged reputation with customers", token=ann.token)
    notes = desk_topics(revealed)[0].notes_under("risks")
    assert [(n.text, n.author, n.edited) for n in notes] == [
        ("Damaged reputation with customers", "Ann", True),
        ("Lost revenue", "Bob", False),
    ]


def test_the_facilitator_edits_or_hides_any_note_and_it_is_logged(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topic = desk_topics(revealed)[0]
    note = store.add_note(revealed.workshop.id, topic.id, "costs", "Higher costs", token=ann.token)
    store.edit_note(revealed.workshop.id, note, "Higher support costs", key=revealed.key)
    store.set_hidden(revealed.workshop.id, "note", note, True, key=revealed.key)
    with pytest.raises(AccessDenied):
        store.set_hidden(revealed.workshop.id, "note", note, False, key="wrong")
    assert desk_topics(revealed)[0].notes_under("costs", include_hidden=True) == [], "the room never receives it"
    topic = desk_topics(revealed, include_hidden=True)[0]
    assert topic.notes_under("costs") == []
    assert [n.text for n in topic.notes_under("costs", include_hidden=True)] == ["Higher support costs"]
    kinds = [e.kind for e in store.events(revealed.workshop.id, revealed.key)[:2]]
    assert kinds == ["note_hidden", "note_edited"]


def test_severity_shows_the_team_s_median_and_spread_and_each_member_scores_once(revealed):
    store, ann, bob = revealed.store, revealed.people["ann"], revealed.people["bob"]
    topic = desk_topics(revealed)[0]
    store.set_score(revealed.workshop.id, topic.id, "value", 2, token=ann.token)
    store.set_score(revealed.workshop.id, topic.id, "value", 5, token=bob.token)
    store.set_score(revealed.workshop.id, topic.id, "value", 4, token=ann.token)  # Ann changes her mind
    with pytest.raises(InvalidInput, match="1 \\(minor\\) to 5"):
        store.set_score(revealed.workshop.id, topic.id, "value", 6, token=ann.token)
    with pytest.raises(AccessDenied):
        store.set_score(revealed.workshop.id, topic.id, "value", 3, token=None)
    topic = store.team_topics(revealed.rnd.id, revealed.teams[0].id, viewer_id=ann.id)[0]
    value = topic.severities["value"]
    assert (value.scores, value.median, value.spread) == ((4, 5), 4.5, 1)
    assert value.describe() == "median 4.5 (range 4–5, 2 scored)"
    assert topic.my_scores == {"value": 4}
    assert topic.severities["risks"].describe() == "no scores yet"


def test_the_risk_decision_is_recorded_with_a_reason_and_logged(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topic = desk_topics(revealed)[0]
    store.decide_risk(revealed.workshop.id, topic.id, RiskDecision.NO, "Users would not find this amusing", token=ann.token)
    topic = desk_topics(revealed)[0]
    assert (topic.decision, topic.decision_reason) == (RiskDecision.NO, "Users would not find this amusing")
    assert store.events(revealed.workshop.id, revealed.key)[0].detail == "Service Desk: Not acceptable (Ann)", (
        "reasons can be hidden"
    )
    with pytest.raises(ValueError):
        store.decide_risk(revealed.workshop.id, topic.id, "maybe", None, token=ann.token)


def test_behaviours_and_actions_are_linked_to_the_card_and_team(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topic = desk_topics(revealed)[0]
    store.add_behaviour(revealed.workshop.id, topic.id, "We will tell you if we can't do it", token=ann.token)
    action = store.add_action(
        revealed.workshop.id, topic.id, "Spend a day with users", "Ann", datetime.date(2027, 1, 31), token=ann.token
    )
    with pytest.raises(InvalidInput, match="fill in the owner"):
        store.add_action(revealed.workshop.id, topic.id, "Something", " ", None, token=ann.token)
    topic = desk_topics(revealed)[0]
    assert [b.statement for b in topic.behaviours] == ["We will tell you if we can't do it"]
    assert [(a.what, a.owner, a.due_on, a.status) for a in topic.actions] == [
        ("Spend a day with users", "Ann", "2027-01-31", ActionStatus.OPEN)
    ]
    rows = store.workshop_actions(revealed.workshop.id)
    assert [(r["id"], r["team_name"], r["card_title"]) for r in rows] == [(action, "Service Desk", topic.card_title)]


def test_open_actions_come_back_for_review_at_the_next_workshop_of_the_organisation(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topic = desk_topics(revealed)[0]
    kept = store.add_action(revealed.workshop.id, topic.id, "Meet five users", "Ann", None, token=ann.token)
    done = store.add_action(revealed.workshop.id, topic.id, "Publish the desk's hours", "Bob", None, token=ann.token)
    store.set_action_status(revealed.workshop.id, done, "done", token=ann.token)
    later, later_key = store.create_workshop(
        "Follow-up", " acme it ", datetime.date.today() + datetime.timedelta(days=90), creator_key=revealed.key
    )
    other, other_key = store.create_workshop("Elsewhere", "Globex", creator_key=revealed.key)
    review = store.actions_to_review(later.id)
    assert [(r["id"], r["status"]) for r in review] == [(kept, "open"), (done, "done")]
    assert store.actions_to_review(other.id) == []
    with pytest.raises(AccessDenied):
        store.set_action_status(other.id, kept, "done", key=other_key)
    with pytest.raises(AccessDenied):
        store.set_action_status(later.id, kept, "done", key="wrong")
    store.set_action_status(later.id, kept, "dropped", "Replaced by the user panel", key=later_key)
    assert {r["id"]: r["status"] for r in store.actions_to_review(later.id)} == {kept: "dropped", done: "done"}
    assert store.events(later.id, later_key)[0].detail.endswith("-> dropped: Replaced by the user panel")


def test_the_iceberg_lists_shortlisted_cards_and_popular_ones_nobody_shortlisted(revealed):
    store = revealed.store
    c1, c2, c3, c4 = revealed.card_ids(4)
    rows = {r["card_id"]: r for r in store.iceberg(revealed.rnd.id)}
    assert set(rows) == {c1, c2, c3, c4}
    assert rows[c1]["shortlisted_by"] == 1 and rows[c1]["share"] == pytest.approx(2 / 3)
    assert rows[c4]["shortlisted_by"] == 0  # Operations has not looked at its shortlist yet


def test_an_unknown_topic_or_note_is_not_found(revealed):
    with pytest.raises(NotFound):
        revealed.store.add_note(revealed.workshop.id, 9999, "value", "x", key=revealed.key)
    with pytest.raises(NotFound):
        revealed.store.edit_note(revealed.workshop.id, 9999, "x", key=revealed.key)


def test_notes_written_at_the_same_time_from_many_threads_are_all_kept(revealed):
    store = revealed.store
    topic = desk_topics(revealed)[0]
    writers = [store.join(revealed.workshop.id, f"W{i}", revealed.teams[0].id) for i in range(8)]
    errors = []

    def write(person):
        try:
            for n in range(15):
                store.add_note(revealed.workshop.id, topic.id, "outcomes", f"{person.display_name} note {n}", token=person.token)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = {n.text for n in desk_topics(revealed)[0].notes_under("outcomes")}
    assert texts == {f"W{i} note {n}" for i in range(8) for n in range(15)}


def test_the_facilitator_hides_a_behaviour_without_quoting_it_in_the_log(revealed):
    store, ann = revealed.store, revealed.people["ann"]
    topic = desk_topics(revealed)[0]
    behaviour = store.add_behaviour(revealed.workshop.id, topic.id, "We never answer the phone", token=ann.token)
    with pytest.raises(AccessDenied):
        store.set_hidden(revealed.workshop.id, "behaviour", behaviour, True, key=ann.token)
    store.set_hidden(revealed.workshop.id, "behaviour", behaviour, True, key=revealed.key)
    assert [b.hidden for b in desk_topics(revealed, include_hidden=True)[0].behaviours] == [True]
    assert desk_topics(revealed)[0].behaviours == ()
    event = store.events(revealed.workshop.id, revealed.key)[0]
    assert (event.kind, event.detail) == ("behaviour_hidden", f"Behaviour {behaviour} hidden by the facilitator")
    with pytest.raises(NotFound, match="no such note"):
        store.set_hidden(revealed.workshop.id, "note", behaviour + 100, True, key=revealed.key)
