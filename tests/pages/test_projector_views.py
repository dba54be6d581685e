"""Each projector view in AppTest: what the server says is up is what the page draws, as HTML without a chart
library, with people's text escaped and never anything picked before reveal."""

from __future__ import annotations

import datetime
import html
import re

import pytest

from abc_workshop.domain import PollScale, RoundSpec
from tests.pages.conftest import open_page

STATEMENT = "We are still not customer focused enough in IT"


def projector(room):
    return open_page("pages/projector.py", w=room.workshop.join_code)


def markup(at) -> str:
    """The page's HTML blocks, unescaped, so a test can search them as the room would read them."""
    return html.unescape("\n".join(str(m.value) for m in at.markdown if not str(m.value).startswith("<style>")))


@pytest.fixture
def voted(page_room):
    """Round 1: Ann and Bob (Service Desk) and Cid (Operations) voted."""
    rnd = page_room.open_round(pick_limit=2)
    c1, c2, c3 = page_room.card_ids(3)
    page_room.vote(page_room.join("Ann"), rnd, [c1, c2])
    page_room.vote(page_room.join("Bob"), rnd, [c1, c3])
    page_room.vote(page_room.join("Cid", team=1), rnd, [c1])
    page_room.rnd = rnd
    page_room.titles = [c.title for c in page_room.store.cards(page_room.deck_id)[:3]]
    return page_room


def test_the_join_screen_shows_the_code_the_qr_code_with_its_link_and_who_joined(page_room):
    page_room.join("Ann")
    page_room.join("Bob", team=1)
    at = projector(page_room)
    shown = markup(at)
    assert "Join now: the first round starts soon" in shown and "2 joined" in shown
    code = page_room.workshop.join_code
    assert re.search(
        rf"<img class='pj-qr' src='data:image/png;base64,[^']+' alt='QR code to join the workshop: [^']*/vote\?w={code}'>", shown
    )
    assert f"<div class='join-code' aria-label='Join code'>{code}</div>" in shown
    assert not at.get("plotly_chart")


def test_while_voting_the_screen_shows_the_question_and_progress_never_the_picks(voted):
    at = projector(voted)
    shown = markup(at)
    assert "Which cards do you recognise?" in shown and "pick up to 2 cards" in shown and "3 joined" in shown
    assert "2 of 3 have voted" not in shown and "3 of 3 have voted" in shown
    assert {m.label: m.value for m in at.metric} == {"Service Desk": "2 / 2", "Operations": "1 / 1"}
    assert not any(title in shown for title in voted.titles)
    assert "pj-row" not in shown


def test_the_reveal_draws_the_room_s_top_cards_as_html_bars_from_number_ten_up(voted):
    voted.store.reveal_round(voted.rnd.id, voted.key)
    at = projector(voted)
    assert not at.get("plotly_chart"), "nothing heavy to fetch before the first reveal"
    shown = markup(at)
    assert "3 participants voted" in shown
    rows = re.findall(
        r"<div class='pj-row' style='--pj-delay: ([0-9.]+)s'><span class='pj-rank'>(\d+)</span>.*?"
        r"<span class='pj-label'>(.*?)</span>.*?<span class='pj-num'>(.*?)</span>",
        shown,
    )
    assert [(rank, title, numbers) for _, rank, title, numbers in rows] == [
        ("1", voted.titles[0], "3 · 100%"),
        ("2", min(voted.titles[1:]), "1 · 33%"),
        ("2", sorted(voted.titles[1:])[1], "1 · 33%"),
    ]
    delays = [float(d) for d, *_ in rows]
    assert delays == sorted(delays, reverse=True) and delays[-1] == 0, "number 1 arrives last"
    assert "width: 100.0%" in shown  # the top card's bar: all three picked it
    assert re.search(r"class='pj-mk pj-mk-[ABC]' title='(Attitude|Behaviour|Culture)'>[ABC]<", shown)


def test_the_facilitator_steps_through_the_teams_results_a_page_at_a_time(voted):
    store, wid, key = voted.store, voted.workshop.id, voted.key
    store.reveal_round(voted.rnd.id, key)
    store.show_next_result_page(wid, key)
    shown = markup(projector(voted))
    assert "Each team’s top cards · Teams 1-2 of 2" in shown
    assert "Service Desk" in shown and "Operations" in shown and "2 votes" in shown and "1 vote<" in shown
    assert store.projector_now(wid).sentence == "Round 1: result - teams 1-2 of 2"
    store.show_next_result_page(wid, key)  # one page of teams: back to the room's result
    assert "3 participants voted" in markup(projector(voted))


def test_people_s_text_on_the_projector_is_escaped(page_room):
    store = page_room.store
    workshop, key = store.create_workshop(
        "<b>Big</b> day", "Acme IT", team_names=["<script>x</script>"], creator_key=page_room.key
    )
    rnd = store.create_round(
        workshop.id, key, RoundSpec(question="Is <i>this</i> **bold**?", deck_id=page_room.deck_id, pick_limit=1)
    )
    store.open_round(rnd.id, key)
    at = open_page("pages/projector.py", w=workshop.join_code)
    raw = "\n".join(str(m.value) for m in at.markdown)
    assert "Is &lt;i&gt;this&lt;/i&gt; **bold**?" in raw and "<i>this</i>" not in raw
    assert "&lt;b&gt;Big&lt;/b&gt; day" in raw


def test_the_iceberg_shows_the_chosen_round_above_and_below_the_waterline(voted):
    store, wid, key = voted.store, voted.workshop.id, voted.key
    store.reveal_round(voted.rnd.id, key)
    store.ensure_shortlist(voted.rnd.id, voted.teams[0].id)  # Service Desk's top cards; Operations has not looked
    second = voted.open_round(question="Round two")
    store.reveal_round(second.id, key)
    store.set_projector_view(wid, key, "iceberg", round_id=voted.rnd.id)
    shown = markup(projector(voted))
    assert "The iceberg · round 1" in shown and "Which cards do you recognise?" in shown
    above, below = shown.split("Below the waterline")
    assert voted.titles[0] in above and "100% · 1 team" in above
    assert "Nothing hidden" in below


def test_a_team_summary_shows_what_the_team_wrote(voted):
    store, wid, key = voted.store, voted.workshop.id, voted.key
    store.reveal_round(voted.rnd.id, key)
    desk = voted.teams[0]
    store.ensure_shortlist(voted.rnd.id, desk.id)
    topic = store.team_topics(voted.rnd.id, desk.id)[0]
    store.add_note(wid, topic.id, "risks", "Damaged <business> reputation", key=key)
    store.add_note(wid, topic.id, "risks", "A second risk", key=key)
    store.decide_risk(wid, topic.id, "no", "Users pay for it", key=key)
    store.add_behaviour(wid, topic.id, "We ask users first", key=key)
    store.add_action(wid, topic.id, "Invite users to reviews", "Sam", datetime.date(2027, 1, 31), key=key)
    store.set_projector_view(wid, key, "summary", team_id=desk.id)
    shown = markup(projector(voted))
    assert "Service Desk · our top cards" in shown and "Round 1: Which cards do you recognise?" in shown
    assert "<b>Risks:</b> Damaged <business> reputation" in shown and "(+1 more note)" in shown
    assert "Not acceptable: Users pay for it" in shown
    assert "“We ask users first”" in shown
    assert "☐ <b>Sam</b> by Jan 31, 2027: Invite users to reviews" in shown  # the due day in the room's language


def test_the_review_lists_earlier_actions(page_room):
    page_room.store.set_projector_view(page_room.workshop.id, page_room.key, "review")
    assert "No actions from earlier workshops." in markup(projector(page_room))


def test_a_projected_poll_shows_its_statements_then_its_result_then_the_live_round_again(page_room):
    store, wid, key = page_room.store, page_room.workshop.id, page_room.key
    poll = store.create_poll(wid, key, "Customer focus", [STATEMENT], PollScale.SCALE5)
    store.open_poll(poll.id, key)
    store.show_poll_on_projector(poll.id, key, True)
    for value in (5, 4, 4, 2, 3, 5):
        store.submit_answers(wid, page_room.join(None).token, poll.id, {poll.statements[0].id: value})
    shown = markup(projector(page_room))
    assert STATEMENT in shown and "6 answered" in shown and "pj-stack" not in shown, "no result while answers come in"
    assert "alt='QR code to join the workshop" in shown, "latecomers can still join"
    store.reveal_poll(poll.id, key)
    shown = markup(projector(page_room))
    assert "Customer focus: the result" in shown and "✓ 67% · ~ 17% · ✗ 17%" in shown
    store.show_poll_on_projector(poll.id, key, False)
    shown = markup(projector(page_room))
    assert "Customer focus" not in shown and "Join now" in shown, "back to the live round"
