"""The feedback channel, coverage and the evidence for the next workshop, on a real SQLite file."""

from __future__ import annotations

import datetime
import io
import sqlite3

import openpyxl
import pytest

from abc_workshop import report, report_pdf
from abc_workshop.domain import AccessDenied, InvalidInput, NotFound
from abc_workshop.outside_in import Briefing, FeedbackStatus
from abc_workshop.outside_in_charts import journey_heatmap

TODAY = datetime.date(2026, 11, 30)


def channel(room):
    return room.store.programme(room.workshop.id, room.key).channel_token


def send(room, text="The rules say I have to print the form", **extra):
    values = {"stage": "accessing", "positive": False, "what_happened": text, **extra}
    return room.store.send_feedback(channel(room), **values)


def item(room, token):
    return room.store.feedback_by_token(token)


def test_anyone_with_the_channel_link_writes_and_sees_only_their_own_item(room):
    mine = send(room, writer_name="Lee", business_unit="Finance")
    other = send(room, "Password reset took two days")
    found = item(room, mine)
    assert (found.status, found.writer_name, found.moment.business_unit, found.moment.source) == (
        FeedbackStatus.NEW,
        "Lee",
        "Finance",
        "feedback",
    )
    assert item(room, other).moment.what_happened == "Password reset took two days"
    assert item(room, "guess") is None and item(room, "") is None
    with pytest.raises(AccessDenied, match="not valid"):
        room.store.send_feedback("guess", stage="using", positive=True, what_happened="x")
    assert room.store._value("SELECT count(*) FROM feedback") == 2


def test_the_name_is_optional_and_bad_feedback_changes_nothing(room):
    assert item(room, send(room)).writer_name is None
    with pytest.raises(InvalidInput, match="what happened"):
        send(room, " ")
    assert room.store._value("SELECT count(*) FROM moments") == 1


def test_each_step_needs_its_text_and_is_stamped_and_the_writer_sees_the_answer(room):
    token = send(room)
    fid = item(room, token).id
    advance = lambda status, **extra: room.store.advance_feedback(room.workshop.id, room.key, fid, status, **extra)
    with pytest.raises(InvalidInput, match="owner"):
        advance("acknowledged")
    advance("acknowledged", owner="Service Desk lead")
    with pytest.raises(InvalidInput, match="answer"):
        advance("answered")
    advance("answered", answer="We will accept the form online from next week")
    advance("acted_upon", action_taken="The online form is live")
    done = item(room, token)
    assert done.status is FeedbackStatus.ACTED_UPON and done.answer.startswith("We will accept")
    assert done.created_at <= done.acknowledged_at <= done.answered_at <= done.acted_upon_at
    assert all(hours is not None for step, hours in done.step_hours().items() if step != "declined")


@pytest.mark.parametrize("path", [["answered"], ["acknowledged", "acted_upon"], ["acknowledged", "acknowledged_again"]])
def test_steps_cannot_be_skipped(room, path):
    fid = item(room, send(room)).id
    extra = {"owner": "Ops", "answer": "A", "action_taken": "B"}
    with pytest.raises((InvalidInput, ValueError)):
        for status in path:
            room.store.advance_feedback(room.workshop.id, room.key, fid, status, **extra)


def test_the_order_holds_for_any_writer_and_declined_needs_a_reason(room):
    token = send(room)
    fid = item(room, token).id
    conn = room.store.db.conn
    with pytest.raises(sqlite3.IntegrityError, match="feedback_status_order"):
        conn.execute("UPDATE feedback SET status = 'answered', owner = 'x', answer = 'y' WHERE id = ?", (fid,))
    conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE feedback SET status = 'declined' WHERE id = ?", (fid,))
    conn.rollback()
    with pytest.raises(InvalidInput, match="reason"):
        room.store.advance_feedback(room.workshop.id, room.key, fid, "declined")
    room.store.advance_feedback(room.workshop.id, room.key, fid, "declined", reason="The form is required by law")
    declined = item(room, token)
    assert (
        declined.status is FeedbackStatus.DECLINED
        and declined.declined_at
        and declined.decline_reason == "The form is required by law"
    )
    with pytest.raises(InvalidInput, match="not next"):
        room.store.advance_feedback(room.workshop.id, room.key, fid, "acknowledged", owner="x")


def test_items_unanswered_after_five_working_days_are_overdue(room):
    _, fresh, answered = send(room, "Old"), send(room, "Fresh"), send(room, "Answered")
    monday = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC).timestamp()
    room.store.db.conn.execute("UPDATE feedback SET created_at = ?", (monday,))
    room.store.db.conn.execute("UPDATE feedback SET created_at = ? WHERE token = ?", (monday + 3 * 86400, fresh))
    room.store.db.conn.commit()
    fid = item(room, answered).id
    room.store.advance_feedback(room.workshop.id, room.key, fid, "acknowledged", owner="Ops")
    room.store.advance_feedback(room.workshop.id, room.key, fid, "answered", answer="Fixed")
    next_monday = monday + 7 * 86400 + 60
    inbox = {i.moment.what_happened: i for i in room.store.feedback_inbox(room.workshop.id, room.key)}
    assert inbox["Old"].overdue(next_monday) and not inbox["Old"].overdue(next_monday - 120)
    assert not inbox["Fresh"].overdue(next_monday) and not inbox["Answered"].overdue(next_monday)


def test_another_organisations_facilitator_cannot_touch_the_feedback(room):
    fid = item(room, send(room)).id
    other, other_key = room.store.create_workshop("Elsewhere", "Globex", creator_key=room.key)
    with pytest.raises(NotFound):
        room.store.advance_feedback(other.id, other_key, fid, "acknowledged", owner="x")
    assert room.store.feedback_inbox(other.id, other_key) == []


def visit(room, person, team, role, on, status="done", kind="store"):
    v = room.store.plan_visit(
        room.workshop.id,
        room.key,
        kind=kind,
        person=person,
        team=team,
        role=role,
        place="Store 1",
        activity="Buy a gift card",
        visit_on=on,
        briefing=Briefing("", "", ""),
    )
    if status != "planned":
        room.store.set_visit_status(room.workshop.id, room.key, v.id, status)
    return v


def test_coverage_counts_visits_that_took_place_by_period_team_and_role(room):
    visit(room, "Ana", "Operations", "Engineer", TODAY - datetime.timedelta(days=20))
    visit(room, "Ben", "Operations", "Manager", TODAY - datetime.timedelta(days=200))
    visit(room, "Cy", "Service Desk", "Engineer", TODAY - datetime.timedelta(days=10), status="cancelled")
    visit(room, "Dee", "Development", "Engineer", TODAY + datetime.timedelta(days=5), status="planned")
    visit(room, "Eve from Sales", "Operations", "Buyer", TODAY - datetime.timedelta(days=3), kind="undercover_customer")
    room.store.add_person(room.workshop.id, room.key, "Fay", "Service Desk", "Analyst")
    cover = lambda by, period: {
        r.group: (r.people, r.visited) for r in room.store.coverage(room.workshop.id, room.key, by, period, TODAY)
    }
    assert cover("team", "quarter") == {"Operations": (2, 1), "Service Desk": (2, 0), "Development": (1, 0)}
    assert cover("team", "year") == {"Operations": (2, 2), "Service Desk": (2, 0), "Development": (1, 0)}
    assert cover("role", "quarter") == {"Engineer": (3, 1), "Manager": (1, 0), "Analyst": (1, 0)}
    rows = room.store.coverage(room.workshop.id, room.key, "team", "quarter", TODAY)
    assert [r.group for r in rows if r.gap] == ["Development", "Service Desk"]
    assert next(r for r in rows if r.group == "Operations").last_visit == (TODAY - datetime.timedelta(days=20)).isoformat()
    due = room.store.due_people(room.workshop.id, room.key, TODAY)
    assert [d["name"] for d in due] == ["Cy", "Fay", "Ben"]  # never visited first; Ana went lately, Dee has one planned
    with pytest.raises(InvalidInput):
        room.store.coverage(room.workshop.id, room.key, "team", "week", TODAY)


def test_the_next_workshop_sees_evidence_per_card_without_internal_notes(room):
    scout = visit(room, "Ana", "Operations", "Engineer", TODAY, status="planned")
    card, other_card = room.card_ids(2)
    room.store.record_moment(
        scout.token,
        stage="support",
        positive=False,
        what_happened="Waited an hour",
        customer_words="Never again",
        card_ids=[card],
    )
    room.store.record_moment(scout.token, stage="using", positive=True, what_happened="Quick refund", card_ids=[card, other_card])
    room.store.record_moment(
        scout.token,
        stage="using",
        positive=False,
        what_happened="Customer Jane Doe's address shown",
        internal=True,
        card_ids=[card],
    )
    fid = item(room, send(room, "Nobody called back")).moment.id
    room.store.link_cards(room.workshop.id, room.key, fid, [other_card])
    nxt, _nxt_key = room.store.create_workshop("Next", "ACME IT", creator_key=room.key)
    evidence = room.store.card_evidence(nxt.id)
    assert (evidence[card].moments, evidence[card].negative, evidence[card].positive) == (2, 1, 1)
    assert set(evidence[card].quotes) == {"Never again", "Quick refund"}
    assert evidence[other_card].moments == 2 and room.store.cards_with_evidence(nxt.id) == {card, other_card}
    assert all("Jane" not in q for e in evidence.values() for q in e.quotes)
    assert room.store.evidence_for_card(nxt.id, card).quotes == evidence[card].quotes
    elsewhere, _ = room.store.create_workshop("Elsewhere", "Globex", creator_key=room.key)
    assert room.store.card_evidence(elsewhere.id) == {}
    observed = room.store.observed_card_counts(("Acme IT",))
    assert observed["moments"].tolist() == [3, 2] and abs(observed.loc[observed["moments"].idxmax(), "share"] - 3 / 4) < 1e-9
    assert room.store.observed_card_counts(("Globex",)).empty


def test_the_report_and_workbook_carry_the_programme(room):
    scout = visit(room, "Ana", "Operations", "Engineer", TODAY, status="planned")
    room.store.record_moment(
        scout.token, stage="support", positive=False, what_happened="<b>Waited</b> an hour", card_ids=room.card_ids(1)
    )
    send(room, business_unit="Finance")
    tables = room.store.programme_tables(room.workshop.id, room.key, TODAY)
    assert tables["Journey x card"]["Getting support"].sum() == 1
    assert set(tables["Journey x business unit"]["business_unit"]) == {"Store 1", "Finance"}
    assert tables["Moments over time"]["negative"].sum() == 2 and len(tables["Feedback"]) == 1
    figure = journey_heatmap(tables["Journey x card"], "card")
    assert figure.data[0].z[0][3] == 1 and list(figure.data[0].x) == ["Finding", "Accessing", "Using", "Getting support"]
    units = journey_heatmap(tables["Journey x business unit"].assign(business_unit=["<b>Store</b>", "Finance"]), "business_unit")
    assert "&lt;b&gt;Store&lt;/b&gt;" in units.data[0].y
    gathered = report.gather(room.store, room.workshop.id, room.key)
    page = report.html(gathered)
    assert "Between workshops: what we observed" in page and "&lt;b&gt;Waited&lt;/b&gt;" in page
    assert report_pdf.pdf(gathered).startswith(b"%PDF")
    sheets = openpyxl.load_workbook(io.BytesIO(report.workbook(gathered))).sheetnames
    assert {"Immersion visits", "Moments of truth", "Journey x card", "Feedback", "Coverage over time"} <= set(sheets)
