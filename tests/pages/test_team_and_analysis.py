"""After the vote in AppTest: the team page, the facilitator's analysis tab and the projector's views."""

from __future__ import annotations

import json

import pytest

from tests.pages.conftest import open_page, texts


@pytest.fixture
def revealed(page_room):
    rnd = page_room.open_round(pick_limit=2)
    ann, bob, cid = page_room.join("Ann", 0), page_room.join("Bob", 0), page_room.join("Cid", 1)
    c1, c2, c3 = page_room.card_ids(3)
    page_room.vote(ann, rnd, [c1, c2])
    page_room.vote(bob, rnd, [c1, c3])
    page_room.vote(cid, rnd, [c3])
    page_room.store.reveal_round(rnd.id, page_room.key)
    page_room.rnd, page_room.people = rnd, {"ann": ann, "bob": bob, "cid": cid}
    return page_room


def team_page(room, person):
    return open_page("pages/team.py", w=room.workshop.join_code, p=person.token)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_the_vote_page_links_to_the_team_page_after_reveal(revealed):
    at = open_page("pages/vote.py", w=revealed.workshop.join_code, p=revealed.people["ann"].token)
    (phone,) = [json.loads(e.proto.json) for e in at.get("bidi_component") if e.key == "phone"]
    assert phone["view"]["round"]["stage"][1] == "revealed"  # the phone draws the link with the result
    assert phone["me"]["teamName"] == "Service Desk"
    assert phone["me"]["teamLink"].endswith(f"/team?w={revealed.workshop.join_code}&p={revealed.people['ann'].token}")


def test_the_team_page_seeds_the_shortlist_and_adds_a_note(revealed):
    at = team_page(revealed, revealed.people["ann"])
    cards = revealed.store.cards(revealed.deck_id)
    said = texts(at)
    assert "Service Desk · after the vote" in said
    assert f"1. {cards[0].title} (2 picks)" in said
    value_box = next(t for t in at.text_input if t.label == "Add a note on value")
    value_box.input("Solutions don't meet business needs")
    [b for b in at.button if b.label == "Add note"][0].click().run()  # the first note box is the first card's value
    topic = revealed.store.team_topics(revealed.rnd.id, revealed.teams[0].id)[0]
    assert [(n.heading, n.text, n.author) for n in topic.notes] == [("value", "Solutions don't meet business needs", "Ann")]
    assert "Solutions don't meet business needs" in texts(at)


def test_a_note_box_stops_at_the_store_s_limit_of_500_characters(revealed):
    """The browser cannot send more than the store accepts; the store's own refusal is a core test."""
    at = team_page(revealed, revealed.people["ann"])
    boxes = [t for t in at.text_input if t.label.startswith("Add a note")]
    assert boxes and {box.proto.max_chars for box in boxes} == {500}


def test_a_member_scores_severity_and_records_the_risk_decision(revealed):
    at = team_page(revealed, revealed.people["bob"])
    at.segmented_control[0].set_value(4).run()
    topic = revealed.store.team_topics(revealed.rnd.id, revealed.teams[0].id, viewer_id=revealed.people["bob"].id)[0]
    assert topic.my_scores == {"value": 4}
    assert "median 4 (range 4, 1 scored)" in texts(at)
    at.radio[0].set_value(at.radio[0].options[1])
    next(t for t in at.text_input if t.label == "Why (short)").input("Users would not find it amusing")
    button(at, "Record decision").click().run()
    topic = revealed.store.team_topics(revealed.rnd.id, revealed.teams[0].id)[0]
    assert (topic.decision.value, topic.decision_reason) == ("no", "Users would not find it amusing")


def test_a_participant_without_a_token_gets_no_workspace(revealed):
    at = open_page("pages/team.py", w=revealed.workshop.join_code)
    assert "Open your team's page from your voting page" in texts(at)
    assert not at.text_input


def test_the_facilitator_steps_the_projector_through_the_teams(revealed):
    at = open_page("pages/facilitate.py", w=revealed.workshop.join_code)
    at.text_input[0].input(revealed.key)
    at.button[0].click().run()
    at.segmented_control(key="section").set_value("after").run()
    at.button(key="projector-view-summary").click().run()
    assert at.button(key="projector-view-summary").disabled, "the view showing is drawn as chosen"
    assert revealed.store.projector_view(revealed.workshop.id) == {
        "mode": "summary",
        "round_id": revealed.rnd.id,
        "team_id": revealed.teams[0].id,
    }
    button(at, "Next team ▶").click().run()
    assert revealed.store.projector_view(revealed.workshop.id)["team_id"] == revealed.teams[1].id
    projector = open_page("pages/projector.py", w=revealed.workshop.join_code)
    assert "Operations · our top cards" in texts(projector)
    at.run()
    assert revealed.store.projector_view(revealed.workshop.id)["team_id"] == revealed.teams[1].id
    assert at.selectbox(key="analysis-team").value == revealed.teams[1].id, "the facilitator's team panel follows the projector"
    assert [m.value for m in at.markdown].count("**Projector shows**") == 1


def test_the_team_page_brings_its_people_to_the_next_round_or_poll(revealed):
    store, wid, key = revealed.store, revealed.workshop.id, revealed.key
    ann = revealed.people["ann"]
    assert "is open" not in texts(team_page(revealed, ann))
    poll = store.create_poll(wid, key, "Before we go on", ["We listen to our users"], "agree3")
    store.open_poll(poll.id, key)
    at = team_page(revealed, ann)
    assert "A poll is open: Before we go on. Answer it on your voting page." in texts(at)
    assert [link.label for link in at.get("page_link")][:1] == ["Answer the poll"]
    store.close_poll(poll.id, key)
    second = revealed.open_round(question="Round two")
    at = team_page(revealed, ann)
    assert f"Round {second.position} is open: vote now. Your team's notes stay here." in texts(at)
    assert [link.label for link in at.get("page_link")][:1] == [f"Vote in round {second.position}"]
    assert "Our top cards" in texts(at), "the team's work stays below"


def shown_notes(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("Wrote ")]


def test_however_much_a_team_writes_its_page_and_the_facilitators_panel_draw_a_page_of_it(revealed):
    store, desk = revealed.store, revealed.teams[0].id
    store.ensure_shortlist(revealed.rnd.id, desk)
    topic = store.team_topics(revealed.rnd.id, desk)[0]
    for person in ("ann", "bob"):
        for n in range(15):
            store.add_note(revealed.workshop.id, topic.id, "value", f"Wrote {person} {n}", token=revealed.people[person].token)
    at = team_page(revealed, revealed.people["ann"])
    first_card = shown_notes(at)
    assert len(first_card) == 8 and first_card[-1].startswith("Wrote bob 14"), "the newest page of the first card's notes"
    button(at, "Show earlier notes (22 not shown)").click().run()
    assert len(shown_notes(at)) == 16
    at = open_page("pages/facilitate.py", w=revealed.workshop.join_code)
    at.text_input[0].input(revealed.key)
    at.button[0].click().run()
    at.segmented_control(key="section").set_value("after").run()
    assert len(shown_notes(at)) == 8 and button(at, "Show earlier notes (22 not shown)")


def test_the_facilitator_hides_an_action_and_a_reason_from_the_team_panel(revealed):
    store, desk, ann = revealed.store, revealed.teams[0].id, revealed.people["ann"]
    store.ensure_shortlist(revealed.rnd.id, desk)
    topic = store.team_topics(revealed.rnd.id, desk)[0]
    store.add_action(revealed.workshop.id, topic.id, "Blame Bob", "Ann", None, token=ann.token)
    store.decide_risk(revealed.workshop.id, topic.id, "no", "Bob's fault", token=ann.token)
    at = open_page("pages/facilitate.py", w=revealed.workshop.join_code)
    at.text_input[0].input(revealed.key)
    at.button[0].click().run()
    at.segmented_control(key="section").set_value("after").run()
    button(at, "Hide").click().run()
    button(at, "Hide the reason").click().run()
    said = texts(team_page(revealed, ann))
    assert "Blame Bob" not in said and "Bob's fault" not in said and "reason hidden by the facilitator" in said
