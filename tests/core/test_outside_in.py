"""The outside-in programme on a real SQLite file: organisations, visits and briefings, scouts' links and moments of truth."""

from __future__ import annotations

import datetime
import sqlite3

import pytest

from abc_workshop.domain import AccessDenied, InvalidInput, NotFound
from abc_workshop.outside_in import (
    MAX_PHOTO_BYTES,
    VISIT_KINDS,
    Briefing,
    VisitStatus,
    briefing_templates,
    suggest_cards,
    working_days_between,
)
from abc_workshop.store.schema import migrations

DAY = datetime.date(2026, 11, 2)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def plan(room, person="Sam", team="Operations", role="Engineer", kind="store", on=DAY, **extra):
    brief = briefing_templates().get(kind, Briefing("", "", ""))
    return room.store.plan_visit(
        room.workshop.id,
        room.key,
        kind=kind,
        person=person,
        team=team,
        role=role,
        place="Store 12, Leeds",
        activity="Return a faulty kettle at the till",
        visit_on=on,
        briefing=brief,
        host="Priya (store manager)",
        **extra,
    )


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_the_migration_is_the_last_and_named_0004(store):
    names = [m.name for m in migrations.applied(store.db)]
    assert "0004_outside_in" in names
    assert (
        store._value("SELECT count(*) FROM sqlite_master WHERE name IN ('visits', 'moments', 'feedback', 'organisations')") == 4
    )


def test_every_kind_of_visit_has_a_default_briefing_in_the_data_file():
    templates = briefing_templates()
    assert set(templates) == set(VISIT_KINDS)
    for brief in templates.values():
        assert brief.look_for and brief.questions and brief.expected
        assert max(len(brief.look_for), len(brief.questions), len(brief.expected)) <= 1000


def test_workshops_of_one_organisation_share_its_programme_whatever_the_case_and_spaces(room):
    other, other_key = room.store.create_workshop("Second", "  acme it ", creator_key=room.key)
    stranger, stranger_key = room.store.create_workshop("Elsewhere", "Globex", creator_key=room.key)
    first = room.store.programme(room.workshop.id, room.key)
    assert room.store.programme(other.id, other_key) == first
    assert room.store.programme(stranger.id, stranger_key).id != first.id
    assert room.store.organisation_of(other.id) == first and first.name == "Acme IT"


def test_the_programme_needs_the_workshops_key(room):
    with pytest.raises(AccessDenied):
        room.store.programme(room.workshop.id, "WRONG-KEY-0000")
    with pytest.raises(AccessDenied):
        room.store.visits(room.workshop.id, None)
    assert room.store._value("SELECT count(*) FROM visits") == 0


def test_planning_a_visit_keeps_its_briefing_and_puts_the_person_on_the_it_list(room):
    visit = plan(room)
    assert (visit.kind, visit.person, visit.team, visit.status) == ("store", "Sam", "Operations", VisitStatus.PLANNED)
    assert visit.look_for == briefing_templates()["store"].look_for and len(visit.token) >= 20
    assert [(p["name"], p["team"], p["role"]) for p in room.store.people(room.workshop.id, room.key)] == [
        ("Sam", "Operations", "Engineer")
    ]
    room.store.edit_briefing(room.workshop.id, room.key, visit.id, Briefing("Watch the till", "Why?", "Two moments"))
    again = room.store.visit_by_token(visit.token)
    assert (again.look_for, again.questions, again.expected) == ("Watch the till", "Why?", "Two moments")


def test_an_undercover_customer_is_not_counted_as_it_staff(room):
    plan(room, person="Bea from Finance", team="Service Desk", role="Controller", kind="undercover_customer")
    assert room.store.people(room.workshop.id, room.key) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"person": " "}, "name of who goes"),
        ({"kind": "beach"}, "Unknown kind"),
        ({"on": "tomorrow"}, "date of the visit"),
        ({"team": "x" * 61}, "limit is 60"),
    ],
)
def test_bad_visit_input_is_refused_and_nothing_is_stored(room, change, message):
    with pytest.raises(InvalidInput, match=message):
        plan(room, **change)
    assert room.store._value("SELECT count(*) FROM visits") == 0


def test_a_long_briefing_is_refused(room):
    with pytest.raises(InvalidInput, match="what to look for"):
        room.store.plan_visit(
            room.workshop.id,
            room.key,
            kind="store",
            person="Sam",
            team="Ops",
            role="Eng",
            place="Store",
            activity="Buy",
            visit_on=DAY,
            briefing=Briefing("x" * 1001, "", ""),
        )


def test_a_visit_is_done_or_cancelled_once_and_the_database_holds_it(room):
    visit = plan(room)
    room.store.set_visit_status(room.workshop.id, room.key, visit.id, "cancelled")
    with pytest.raises(InvalidInput, match="already done or cancelled"):
        room.store.set_visit_status(room.workshop.id, room.key, visit.id, "done")
    with pytest.raises(sqlite3.IntegrityError, match="visit_is_final"):
        room.store.db.conn.execute("UPDATE visits SET status = 'planned' WHERE id = ?", (visit.id,))
    room.store.db.conn.rollback()


def test_a_scout_records_moments_of_truth_on_their_own_visit_only(room):
    mine, theirs = plan(room), plan(room, person="Kim")
    cards = room.card_ids(2)
    first = room.store.record_moment(
        mine.token,
        stage="support",
        positive=False,
        what_happened="Till froze; manager rebooted it",
        customer_words="Every time I come here!",
        effort=4,
        card_ids=cards,
    )
    room.store.record_moment(theirs.token, stage="using", positive=True, what_happened="Refund in one tap")
    moments = room.store.scout_moments(mine.token)
    assert [m.id for m in moments] == [first]
    assert (moments[0].stage, moments[0].positive, moments[0].effort, moments[0].card_ids) == (
        "support",
        False,
        4,
        tuple(sorted(cards)),
    )
    assert moments[0].business_unit == "Store 12, Leeds"
    with pytest.raises(AccessDenied):
        room.store.record_moment("not-a-token", stage="using", positive=True, what_happened="x")
    with pytest.raises(AccessDenied):
        room.store.moment_photo(first, token=theirs.token)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"stage": "shopping"}, "stage of the customer journey"),
        ({"effort": 6}, "Effort is 1"),
        ({"what_happened": "  "}, "what happened"),
        ({"card_ids": [999_999]}, "does not exist"),
        ({"photo": PNG, "photo_type": "application/pdf"}, "JPEG, PNG or WebP"),
        ({"photo": b"%PDF-1.4 not an image", "photo_type": "image/jpeg"}, "JPEG, PNG or WebP"),
        ({"photo": PNG + b"0" * MAX_PHOTO_BYTES, "photo_type": "image/png"}, "limit is 2 MB"),
    ],
)
def test_bad_moments_are_refused_and_nothing_is_stored(room, change, message):
    visit = plan(room)
    values = {"stage": "using", "positive": False, "what_happened": "Waited 10 minutes", **change}
    with pytest.raises(InvalidInput, match=message):
        room.store.record_moment(visit.token, **values)
    assert room.store._value("SELECT count(*) FROM moments") == 0


def test_the_photo_size_limit_holds_for_any_writer(room):
    visit = plan(room)
    org = room.store.programme(room.workshop.id, room.key)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        room.store.db.conn.execute(
            "INSERT INTO moments (organisation_id, visit_id, source, stage, positive, what_happened, photo, photo_type)"
            " VALUES (?, ?, 'scout', 'using', 0, 'x', zeroblob(?), 'image/png')",
            (org.id, visit.id, MAX_PHOTO_BYTES + 1),
        )
    room.store.db.conn.rollback()


def test_a_photo_is_seen_by_its_scout_and_deleted_by_the_facilitator_with_a_log_entry(room):
    visit = plan(room)
    moment = room.store.record_moment(
        visit.token, stage="using", positive=False, what_happened="Queue", photo=PNG, photo_type="image/png"
    )
    assert room.store.moment_photo(moment, token=visit.token) == (PNG, "image/png")
    room.store.delete_photo(room.workshop.id, room.key, moment)
    assert room.store.moment_photo(moment, workshop_id=room.workshop.id, key=room.key) is None
    assert any(e.kind == "photo_deleted" for e in room.store.events(room.workshop.id, room.key))
    with pytest.raises(NotFound):
        room.store.delete_photo(room.workshop.id, room.key, moment)


def test_another_organisations_facilitator_reaches_none_of_its_records(room):
    visit = plan(room)
    moment = room.store.record_moment(
        visit.token, stage="using", positive=False, what_happened="Queue", photo=PNG, photo_type="image/png"
    )
    other, other_key = room.store.create_workshop("Elsewhere", "Globex", creator_key=room.key)
    with pytest.raises(NotFound):
        room.store.edit_briefing(other.id, other_key, visit.id, Briefing("", "", ""))
    with pytest.raises(NotFound):
        room.store.delete_photo(other.id, other_key, moment)
    with pytest.raises(AccessDenied):
        room.store.moment_photo(moment, workshop_id=other.id, key=other_key)
    assert room.store.visits(other.id, other_key) == [] and room.store.programme_moments(other.id, other_key) == []


def test_the_debrief_finishes_the_visit_and_a_cancelled_visit_takes_no_moments(room):
    visit, cancelled = plan(room), plan(room, person="Kim")
    room.store.debrief(visit.token, "The till is the moment of truth", "Fix the till's restart")
    done = room.store.visit_by_token(visit.token)
    assert (done.status, done.summary, done.should_change) == (
        VisitStatus.DONE,
        "The till is the moment of truth",
        "Fix the till's restart",
    )
    room.store.set_visit_status(room.workshop.id, room.key, cancelled.id, "cancelled")
    with pytest.raises(InvalidInput, match="cancelled"):
        room.store.record_moment(cancelled.token, stage="using", positive=True, what_happened="x")
    with pytest.raises(InvalidInput, match="summary"):
        room.store.debrief(visit.token, " ")


def test_a_visit_can_carry_out_a_workshop_action_which_is_done_with_it(room):
    rnd = room.open_round()
    ann = room.join()
    room.vote(ann, rnd, room.card_ids(3))
    room.store.close_round(rnd.id, room.key)
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    topic = room.store.round_topics(rnd.id)[0]
    action_id = room.store.add_action(room.workshop.id, topic.id, "Spend a day in a store", "Sam", None, token=ann.token)
    assert [a["id"] for a in room.store.programme_actions(room.workshop.id, room.key)] == [action_id]
    visit = plan(room, action_id=action_id)
    room.store.debrief(visit.token, "Seen it")
    assert room.store.workshop_actions(room.workshop.id)[0]["status"] == "done"
    logged = room.store.events(room.workshop.id, room.key)[0]
    assert (logged.kind, logged.detail) == (
        "action_status",
        f"Action {action_id} -> done: immersion visit by Sam on {visit.visit_on}",
    )
    with pytest.raises(InvalidInput, match="not one of this organisation"):
        plan(room, action_id=action_id + 100)


def test_card_suggestions_come_from_the_words_of_the_moment(store):
    cards = store.cards(store.decks()[0].id)
    suggested = suggest_cards("Nobody tested the change before it went live and the defects hit production", cards)
    assert suggested and "tested" in suggested[0].title.lower()
    assert suggest_cards("ok", cards) == []


def test_working_days_skip_weekends():
    monday = datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC).timestamp()
    assert working_days_between(monday, monday + 7 * 86400) == 5
    assert working_days_between(monday, monday + 7 * 86400 - 1) == 4
    friday = monday + 4 * 86400
    assert working_days_between(friday, friday + 2 * 86400) == 0
    assert working_days_between(friday, friday + 3 * 86400) == 1
