"""Statement polls: the rules the schema enforces (open only, before the deadline, one answer each, on the scale),
the facilitator's controls, and answers compared across workshops and countries."""

from __future__ import annotations

import datetime
import sqlite3
import time

import pytest

from abc_workshop import compare
from abc_workshop.domain import AccessDenied, CompareFilter, InvalidInput, NotFound, PollScale, RoundState, VoteRejected

STATEMENT = "We are still not customer focused enough in IT"


@pytest.fixture
def poll(room):
    return room.store.create_poll(
        room.workshop.id, room.key, "Customer focus", [STATEMENT, "IT listens to its users"], PollScale.AGREE3
    )


def answer(room, participant, poll, *values):
    room.store.submit_answers(room.workshop.id, participant.token, poll.id, {s.id: v for s, v in zip(poll.statements, values)})


def test_creating_a_poll_checks_its_statements_and_needs_the_key(room):
    store, wid, key = room.store, room.workshop.id, room.key
    with pytest.raises(InvalidInput, match="at least one statement"):
        store.create_poll(wid, key, "Empty", ["", "  "], "agree3")
    with pytest.raises(InvalidInput, match="listed twice"):
        store.create_poll(wid, key, "Twice", ["Same", "same"], "agree3")
    with pytest.raises(InvalidInput, match="at most 10"):
        store.create_poll(wid, key, "Long", [f"S{i}" for i in range(11)], "agree3")
    with pytest.raises(AccessDenied):
        store.create_poll(wid, "WRONG-KEY", "No", ["S"], "agree3")
    made = store.create_poll(wid, key, "Fine", ["  One  ", "Two"], "scale5")
    assert ([s.text for s in made.statements], made.scale, made.state) == (["One", "Two"], PollScale.SCALE5, RoundState.DRAFT)
    assert store.poll_by_code(made.survey_code).id == made.id
    with pytest.raises(NotFound):
        store.poll_by_code("nope")


def test_answers_only_while_open_one_per_statement_and_changeable(room, poll):
    store = room.store
    ann = room.join("Ann")
    with pytest.raises(VoteRejected, match="not open"):
        answer(room, ann, poll, 3, 1)
    stage = store.poll_stage(room.workshop.id)
    store.open_poll(poll.id, room.key)
    assert store.poll_stage(room.workshop.id) != stage, "phones follow the poll stage"
    answer(room, ann, poll, 3, 1)
    answer(room, ann, poll, 2)  # changes the first answer, keeps the second
    assert store.my_answers(ann.id, poll.id) == {poll.statements[0].id: 2, poll.statements[1].id: 1}
    assert store._value("SELECT count(*) FROM answers") == 2
    store.close_poll(poll.id, room.key)
    with pytest.raises(VoteRejected, match="not open"):
        answer(room, ann, poll, 3)
    assert store.my_answers(ann.id, poll.id)[poll.statements[0].id] == 2, "a refused change leaves the answer as it was"
    store.reopen_poll(poll.id, room.key)
    answer(room, ann, poll, 3)


def test_the_schema_refuses_out_of_range_strangers_duplicates_and_deletes(room, poll):
    store, conn = room.store, room.store.db.conn
    store.open_poll(poll.id, room.key)
    ann = room.join("Ann")
    with pytest.raises(VoteRejected, match="not on this poll's scale"):
        answer(room, ann, poll, 4)
    stranger_workshop, _ = store.create_workshop("Other", "Elsewhere", creator_key=room.key)
    stranger = store.join(stranger_workshop.id, "Eve", None)
    with pytest.raises(NotFound):
        store.submit_answers(room.workshop.id, stranger.token, poll.id, {poll.statements[0].id: 1})
    statement = poll.statements[0].id
    for sql, code in [
        (f"INSERT INTO answers VALUES ({statement}, {stranger.id}, 1, 0)", "not_in_this_workshop"),
        (f"INSERT INTO answers VALUES ({statement}, {ann.id}, 0, 0)", "CHECK"),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match=code):
            conn.execute(sql)
        conn.rollback()
    answer(room, ann, poll, 1)
    for sql, code in [
        (f"INSERT INTO answers VALUES ({statement}, {ann.id}, 2, 0)", "UNIQUE"),
        ("DELETE FROM answers", "answers_are_kept"),
        (f"UPDATE answers SET value = 5 WHERE participant_id = {ann.id}", "answer_out_of_range"),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match=code):
            conn.execute(sql)
        conn.rollback()


def test_a_survey_closes_by_itself_at_its_closing_time(room, poll):
    store = room.store
    with pytest.raises(InvalidInput, match="has passed"):
        store.open_poll(poll.id, room.key, time.time() - 60)
    store.open_poll(poll.id, room.key, time.time() + 3600)
    ann = room.join("Ann")
    answer(room, ann, poll, 3, 3)
    store.db.execute("UPDATE polls SET closes_at = ? WHERE id = ?", (time.time() - 1, poll.id))  # an hour later
    with pytest.raises(VoteRejected, match="closing time"):
        answer(room, ann, poll, 1)
    assert store.close_poll_if_expired(poll.id) and store.poll(poll.id).state is RoundState.CLOSED
    assert not store.close_poll_if_expired(poll.id)
    assert [e.kind for e in store.events(room.workshop.id, room.key)][0] == "poll_timer_closed"


def test_one_poll_at_a_time_on_the_projector(room, poll):
    store = room.store
    with pytest.raises(InvalidInput, match="Open the poll"):
        store.show_poll_on_projector(poll.id, room.key, True)
    other = store.create_poll(room.workshop.id, room.key, "Second", ["S"], "agree3")
    for p in (poll, other):
        store.open_poll(p.id, room.key)
    store.show_poll_on_projector(poll.id, room.key, True)
    store.show_poll_on_projector(other.id, room.key, True)
    assert store.projected_poll(room.workshop.id).id == other.id
    store.show_poll_on_projector(other.id, room.key, False)
    assert store.projected_poll(room.workshop.id) is None


def test_results_per_statement_map_both_scales_onto_disagree_partly_agree(room, poll):
    store = room.store
    store.open_poll(poll.id, room.key)
    for values in [(3, 1), (3, 2), (1, 2)]:
        answer(room, room.join(None), poll, *values)
    table = compare.agreement(store.poll_results(poll.id)).sort_values("grp")
    assert table[["label", "Disagree", "Partly", "Agree", "answers"]].values.tolist() == [
        [STATEMENT, 1, 0, 2, 3],
        ["IT listens to its users", 1, 2, 0, 3],
    ]
    assert store.poll_respondents(poll.id) == 3
    five = store.create_poll(room.workshop.id, room.key, "Five", ["Scale"], "scale5")
    store.open_poll(five.id, room.key)
    for value in (1, 2, 3, 4, 5, 5):
        answer(room, room.join(None), five, value)
    row = compare.agreement(store.poll_results(five.id)).iloc[0]
    assert (row["Disagree"], row["Partly"], row["Agree"]) == (2, 1, 3)


def test_statements_compare_across_workshops_and_countries_matching_their_wording(store):
    answers = {"Netherlands": ("agree3", [3, 3, 3, 1]), "Belgium": ("scale5", [5, 4, 3, 1, 2])}
    key = None  # the first workshop's key opens the doors to the second
    for country, (scale, values) in answers.items():
        workshop, key = store.create_workshop(
            f"Survey {country}", f"Org {country}", datetime.date(2024, 1, 1), country=country, creator_key=key
        )
        text = STATEMENT if country == "Netherlands" else STATEMENT.upper()
        poll = store.create_poll(workshop.id, key, "Survey", [text], scale)
        store.open_poll(poll.id, key)
        for value in values:
            participant = store.join(workshop.id, None, None)
            store.submit_answers(workshop.id, participant.token, poll.id, {poll.statements[0].id: value})
    choices = store.statement_choices(CompareFilter())
    assert choices[["workshops", "answers"]].values.tolist() == [[2, 9]]
    table = compare.agreement(store.statement_agreement(CompareFilter(), STATEMENT, "country"))
    assert table[["label", "Agree", "Partly", "Disagree", "answers"]].values.tolist() == [
        ["Netherlands", 3, 0, 1, 4],
        ["Belgium", 2, 1, 2, 5],
    ]
    belgium = compare.agreement(store.statement_agreement(CompareFilter(countries=("Belgium",)), STATEMENT, "organisation"))
    assert belgium["label"].tolist() == ["Org Belgium"]
    exported = store.answer_rows(CompareFilter())
    assert sorted(exported["answer"]) == sorted(["agree", "disagree", "1", "2", "3", "4", "5"])
    assert int(exported["count"].sum()) == 9
