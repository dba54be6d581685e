"""The outside-in pages in AppTest: the programme (behind the key), a scout's page and the feedback channel."""

from __future__ import annotations

import datetime

import pytest

from abc_workshop.domain import InvalidInput
from abc_workshop.outside_in import MAX_PHOTO_BYTES, Briefing, FeedbackStatus, VisitStatus
from tests.pages.conftest import open_page, query_value, texts


def unlocked_programme(room):
    at = open_page("pages/programme.py", w=room.workshop.join_code)
    [t for t in at.text_input if t.label == "Facilitator key"][0].input(room.key)
    [b for b in at.button if b.label == "Unlock"][0].click().run()
    assert not at.exception
    return at


def a_visit(room, person="Sam", team="Operations"):
    return room.store.plan_visit(
        room.workshop.id,
        room.key,
        kind="call_centre",
        person=person,
        team=team,
        role="Engineer",
        place="Claims call centre",
        activity="A customer reports a lost card by phone",
        visit_on=datetime.date.today(),
        briefing=Briefing("Listen to the hold times", "What do you tell callers?", "Three moments"),
    )


def button(at, label):
    return [b for b in at.button if b.label == label][0]


def test_the_programme_needs_the_key(page_room):
    at = open_page("pages/programme.py", w=page_room.workshop.join_code)
    assert "needs its facilitator key" in texts(at)
    [t for t in at.text_input if t.label == "Facilitator key"][0].input("WRONG-KEY-0000")
    button(at, "Unlock").click().run()
    assert "That facilitator key is not right" in texts(at)
    assert len(at.tabs) == 0, "nothing of the programme is drawn"
    assert len(unlocked_programme(page_room).tabs) == 5


def test_planning_a_visit_from_the_template_gives_the_scout_a_link(page_room):
    at = unlocked_programme(page_room)
    assert "Acme IT" in texts(at)
    values = {
        "Who goes": "Sam",
        "IT team": "Operations",
        "Role": "Engineer",
        "Where": "Store 12",
        "The one customer activity to observe": "A customer returns a kettle",
    }
    for label, value in values.items():
        [t for t in at.text_input if t.label == label][0].input(value)
    look_for = [t for t in at.text_area if t.label == "What to look for"][0]
    assert "one activity" in look_for.value  # the business unit template is the default kind
    button(at, "Plan visit").click().run()
    [visit] = page_room.store.visits(page_room.workshop.id, page_room.key)
    assert (visit.person, visit.place, visit.kind, visit.look_for.startswith("Watch one person")) == (
        "Sam",
        "Store 12",
        "business_unit",
        True,
    )
    assert any(f"scout?v={visit.token}" in c.value for c in at.code)


def test_planning_with_bad_input_says_why_and_stores_nothing(page_room):
    at = unlocked_programme(page_room)
    button(at, "Plan visit").click().run()
    assert "Please fill in the name of who goes." in texts(at)
    assert page_room.store._value("SELECT count(*) FROM visits") == 0


def test_coverage_shows_the_gaps_and_who_is_due(page_room):
    done = a_visit(page_room)
    page_room.store.set_visit_status(page_room.workshop.id, page_room.key, done.id, "done")
    page_room.store.add_person(page_room.workshop.id, page_room.key, "Kim", "Service Desk", "Analyst")
    at = unlocked_programme(page_room)
    assert "Nobody from Service Desk has had a visit yet" in texts(at)
    assert "Kim · Service Desk · Analyst · last visit: never" in texts(at)


def test_the_inbox_moves_feedback_on_and_shows_overdue_items(page_room):
    org = page_room.store.programme(page_room.workshop.id, page_room.key)
    token = page_room.store.send_feedback(org.channel_token, stage="support", positive=False, what_happened="Nobody called back")
    page_room.store.db.conn.execute("UPDATE feedback SET created_at = created_at - 8 * 86400")
    page_room.store.db.conn.commit()
    at = unlocked_programme(page_room)
    assert "1 overdue" in texts(at)
    button(at, "Acknowledged").click().run()
    assert "Please fill in the owner." in texts(at)
    [t for t in at.text_input if t.label == "Owner"][0].input("Service Desk lead")
    button(at, "Acknowledged").click().run()
    [t for t in at.text_area if t.label == "Answer to the writer"][0].input("We call back within a day from now on")
    button(at, "Answered").click().run()
    item = page_room.store.feedback_by_token(token)
    assert (item.status, item.owner, item.answer) == (
        FeedbackStatus.ANSWERED,
        "Service Desk lead",
        "We call back within a day from now on",
    )


def test_the_lead_sees_moments_with_internal_marks_and_deletes_a_photo(page_room):
    visit = a_visit(page_room)
    from abc_workshop.qr import qr_png

    png = qr_png("https://example.org", scale=2)
    moment = page_room.store.record_moment(
        visit.token,
        stage="finding",
        positive=False,
        what_happened="Could not find the form",
        internal=True,
        photo=png,
        photo_type="image/png",
        card_ids=page_room.card_ids(1),
    )
    at = unlocked_programme(page_room)
    assert "🔒 internal" in "\n".join(e.label for e in at.expander)
    assert "Could not find the form" in texts(at)  # the lead sees it; the room's evidence per card leaves it out
    assert "No moment of truth from this organisation's scouts or feedback channel points at a card yet." in texts(at)
    button(at, "Delete photo").click().run()
    assert page_room.store.moment_photo(moment, workshop_id=page_room.workshop.id, key=page_room.key) is None
    assert not at.exception


def test_a_scout_records_a_moment_with_suggested_cards_and_debriefs(page_room):
    visit = a_visit(page_room)
    at = open_page("pages/scout.py", v=visit.token)
    assert "A customer reports a lost card by phone" in texts(at) and "Listen to the hold times" in texts(at)
    photo = at.file_uploader[0]
    assert photo.label == "Photo (optional, up to 2 MB)" and photo.proto.max_upload_size_mb * 1024 * 1024 == MAX_PHOTO_BYTES
    [t for t in at.text_area if t.label == "What happened"][0].input(
        "The change went live untested; the claims screen failed in production"
    )
    [t for t in at.text_input if t.label.startswith("What the customer said")][0].input("Is *anyone* testing this?")
    button(at, "Next: link ABC cards").click().run()
    picked = at.multiselect[0].value
    assert picked, "cards are suggested from the text"
    button(at, "Save moment of truth").click().run()
    [moment] = page_room.store.scout_moments(visit.token)
    assert moment.card_ids == tuple(sorted(picked)) and moment.customer_words == "Is *anyone* testing this?"
    assert "Your moments of truth (1)" in texts(at)
    [t for t in at.text_area if t.label == "Your summary of the visit"][0].input("Hold times are the moment of truth")
    button(at, "Save debrief").click().run()
    assert page_room.store.visit_by_token(visit.token).status is VisitStatus.DONE


def test_a_wrong_scout_link_reaches_nothing(page_room):
    a_visit(page_room)
    at = open_page("pages/scout.py", v="not-a-token")
    assert "This scout link is not valid" in texts(at) and not at.text_area


def test_the_channel_takes_feedback_and_the_own_link_shows_the_answer(page_room):
    org = page_room.store.programme(page_room.workshop.id, page_room.key)
    at = open_page("pages/feedback.py", c=org.channel_token)
    assert "Acme IT" in texts(at)
    button(at, "Send to IT").click().run()
    assert "Please fill in the description of what happened." in texts(at)
    [t for t in at.text_area if t.label == "What happened"][0].input("The rules say I have to print the form")
    button(at, "Send to IT").click().run()
    token = query_value(at, "f")
    assert "Received" in texts(at) and page_room.store._value("SELECT count(*) FROM feedback") == 1
    item = page_room.store.feedback_by_token(token)
    page_room.store.advance_feedback(page_room.workshop.id, page_room.key, item.id, "acknowledged", owner="Ops")
    page_room.store.advance_feedback(page_room.workshop.id, page_room.key, item.id, "answered", answer="You can upload it now")
    again = open_page("pages/feedback.py", f=token)
    assert "You can upload it now" in texts(again) and "IT has answered." in texts(again)
    assert "does not lead to any feedback" in texts(open_page("pages/feedback.py", f="guess"))
    assert "not valid" in texts(open_page("pages/feedback.py", c="guess"))


def test_the_facilitator_page_shows_evidence_and_puts_a_card_on_the_projector(page_room):
    visit = a_visit(page_room)
    card = page_room.card_ids(1)[0]
    page_room.store.record_moment(
        visit.token, stage="using", positive=False, what_happened="Screen froze", customer_words="Again?!", card_ids=[card]
    )
    nxt, nxt_key = page_room.store.create_workshop("Next", "acme it", creator_key=page_room.key)
    at = open_page("pages/facilitate.py", w=nxt.join_code)
    at.text_input[0].input(nxt_key)
    at.button[0].click().run()
    at.segmented_control(key="section").set_value("after").run()
    assert "📣 1 moment of truth" in texts(at) and "Again?!" in texts(at)
    button(at, "Project").click().run()
    assert page_room.store.projector_view(nxt.id) == {"mode": "evidence", "card_id": card}
    assert not at.exception and button(at, "On the projector").disabled
    assert page_room.store.projector_now(nxt.id).sentence == f"Evidence from outside: {page_room.store.card(card).title}"
    projector = open_page("pages/projector.py", w=nxt.join_code)
    assert "Again?!" in texts(projector) and not projector.exception


def test_the_projector_control_cannot_show_evidence_without_a_card(page_room):
    with pytest.raises(InvalidInput, match="Evidence from outside"):
        page_room.store.set_projector_view(page_room.workshop.id, page_room.key, "evidence")
    assert page_room.store.projector_view(page_room.workshop.id) == {"mode": "round"}


def _evidence_script():
    import streamlit as st

    from ui.outside_in_projector import evidence_view
    from ui.store import get_store

    store = get_store()
    evidence_view(store, store.workshop_by_code(st.query_params["w"]), int(st.query_params["card"]))


def test_the_projectors_evidence_view_shows_counts_and_escaped_quotes(page_room):
    from streamlit.testing.v1 import AppTest

    visit = a_visit(page_room)
    card = page_room.card_ids(1)[0]
    page_room.store.record_moment(
        visit.token, stage="using", positive=False, what_happened="x", customer_words="<script>alert(1)</script>", card_ids=[card]
    )
    page_room.store.record_moment(
        visit.token, stage="using", positive=False, what_happened="Secret: Jane's account", internal=True, card_ids=[card]
    )
    at = AppTest.from_function(_evidence_script, default_timeout=30)
    at.query_params.update({"w": page_room.workshop.join_code, "card": str(card)})
    at.run()
    html = "\n".join(m.value for m in at.markdown)
    assert "1 moment of truth · 👎 1 negative" in html and page_room.store.card(card).title in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html and "Jane" not in html
    assert "font-size: 56px" in html and "font-size: 34px" in html
