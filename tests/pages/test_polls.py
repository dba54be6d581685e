"""Statement polls in AppTest: the facilitator's Polls tab, the participant's voting page, the projector and a survey's own page."""

from __future__ import annotations

from abc_workshop.domain import PollScale, RoundState
from tests.pages.conftest import open_page, texts

STATEMENT = "We are still not customer focused enough in IT"


def unlocked(room):
    at = open_page("pages/facilitate.py", w=room.workshop.join_code)
    at.text_input[0].input(room.key)
    at.button[0].click().run()
    return at.segmented_control(key="section").set_value("polls").run()


def submit(at, form: str, label: str):
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def test_the_facilitator_creates_opens_reveals_and_projects_a_poll(page_room):
    store = page_room.store
    at = unlocked(page_room)
    [t for t in at.text_input if t.label == "Poll title"][0].input("Customer focus")
    submit(at, "new-poll", "Create poll")
    poll = store.polls(page_room.workshop.id)[0]
    assert [s.text for s in poll.statements] == [STATEMENT] and poll.state is RoundState.DRAFT
    [c for c in at.checkbox if c.label.startswith("Leave it open as a survey")][0].check()
    submit(at, f"open-poll-{poll.id}", "Open the poll")
    poll = store.poll(poll.id)
    assert poll.state is RoundState.OPEN and poll.closes_at is not None, "left open as a survey until its closing time"
    at.button(key=f"poll-Close and reveal-{poll.id}").click().run()
    at.button(key=f"poll-projector-{poll.id}").click().run()
    assert store.poll(poll.id).state is RoundState.REVEALED and store.projected_poll(page_room.workshop.id).id == poll.id
    kinds = [e.kind for e in store.events(page_room.workshop.id, page_room.key)][:3]
    assert kinds == ["poll_projector", "poll_reveal", "poll_open"]


def test_a_participant_answers_an_open_poll_on_the_voting_page(page_room):
    store = page_room.store
    poll = store.create_poll(page_room.workshop.id, page_room.key, "Customer focus", [STATEMENT, "IT listens"], PollScale.AGREE3)
    store.open_poll(poll.id, page_room.key)
    ann = page_room.join("Ann")
    at = open_page("pages/vote.py", w=page_room.workshop.join_code, p=ann.token)
    assert "Customer focus" in texts(at)
    at.radio(key=f"answer-{poll.id}-{poll.statements[0].id}").set_value(3)
    submit(at, f"poll-{poll.id}", "Send my answers")
    assert store.my_answers(ann.id, poll.id) == {poll.statements[0].id: 3}
    assert "your answers are saved" in texts(at)
    store.reveal_poll(poll.id, page_room.key)
    at = open_page("pages/vote.py", w=page_room.workshop.join_code, p=ann.token)
    assert f"{STATEMENT}: 1 agree, 0 partly, 0 disagree (1 answer)" in texts(at), "one answer: counts, not percentages"


def test_a_survey_link_lets_anyone_join_and_answer_until_it_closes(page_room):
    store = page_room.store
    poll = store.create_poll(page_room.workshop.id, page_room.key, "Customer focus", [STATEMENT], PollScale.AGREE3)
    at = open_page("pages/survey.py", s=poll.survey_code)
    assert "not open for answers" in texts(at)
    store.open_poll(poll.id, page_room.key)
    at = open_page("pages/survey.py", s=poll.survey_code)
    at.radio[0].set_value(page_room.teams[1])
    submit(at, "survey-join", "Start")
    token = at.query_params["p"][0] if isinstance(at.query_params["p"], list) else at.query_params["p"]
    participant = store.participant(page_room.workshop.id, token)
    assert participant.team_id == page_room.teams[1].id and participant.display_name is None
    at.radio(key=f"answer-{poll.id}-{poll.statements[0].id}").set_value(1)
    submit(at, f"poll-{poll.id}", "Send my answers")
    assert store.my_answers(participant.id, poll.id) == {poll.statements[0].id: 1}
    store.close_poll(poll.id, page_room.key)
    at.run()
    assert "not open for answers" in texts(at)
    assert "no poll has that code" in texts(open_page("pages/survey.py", s="wrong"))
