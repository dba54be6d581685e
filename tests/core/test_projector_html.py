"""The projector's HTML views: people's text escaped, lists cut to what fits one screen, small groups as counts."""

from __future__ import annotations

import pandas as pd

from abc_workshop import projector_html, projector_text
from abc_workshop.analysis import HEADINGS, Action, ActionStatus, Behaviour, Note, RiskDecision, Severity, Topic
from abc_workshop.projector import ProjectorNow, team_span

EVIL = "<img src=x onerror=alert(1)> & 'quotes'"


def top(n: int, title: str = "Card") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": range(1, n + 1),
            "type": ["A", "B", "C"] * (n // 3) + ["A"] * (n % 3),
            "title": [f"{title} {i}" for i in range(1, n + 1)],
            "picks": range(n, 0, -1),
            "share": [i / n for i in range(n, 0, -1)],
        }
    )


def test_the_overall_result_escapes_titles_and_stops_at_ten_saying_how_many_tied():
    table = top(12, EVIL)
    table.loc[9:, "rank"] = 10  # three cards tied at place 10
    shown = projector_html.result_overall("T", "", table, 12)
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;quotes&#x27;" in shown
    assert shown.count("class='pj-row'") == 10 and "and 2 more cards tied at place 10" in shown
    assert "12 · 100%" in shown and "width: 100.0%" in shown


def test_the_iceberg_takes_only_the_lines_that_fit():
    rows = [
        {
            "card_id": i,
            "title": ("x" * 80 if i % 2 else f"Card {i}"),
            "type": "B",
            "picks": 5,
            "share": 0.5,
            "shortlisted_by": 1 if i < 12 else 0,
        }
        for i in range(20)
    ]
    shown = projector_html.iceberg("Ice", "", rows)
    above, below = shown.split("Below the waterline")
    lines = lambda part: part.count("Card ") + 2 * part.count("x" * 80)  # two lines for a long title
    assert lines(above) <= projector_html.ICEBERG_LINES_ABOVE and "more card" in above
    assert lines(below) <= projector_html.ICEBERG_LINES_BELOW and "more card" in below


def test_team_pages_are_named_for_the_facilitator():
    assert team_span(5, 30) == "teams 25-30 of 30" and team_span(1, 4) == "teams 1-4 of 4"
    now = ProjectorNow("result", "", True, 1, page=5, pages=5, teams=30)
    assert (now.next_page, now.next_page_label) == (0, "Show the room's result")
    assert ProjectorNow("result", "", True, 1, page=0, pages=5, teams=30).next_page_label == "Show teams 1-6 of 30"


def test_the_team_summary_shows_first_notes_decision_behaviour_and_owned_actions_escaped():
    topic = Topic(
        1,
        1,
        1,
        "Desk",
        1,
        "A1",
        EVIL,
        "A",
        3,
        True,
        notes=(
            Note(1, "value", "First <note>", None, "Ann", False, False),
            Note(2, "value", "Second", None, "Bob", False, False),
            Note(3, "costs", "Hidden one", None, "Ann", True, False),
        ),
        severities={h: Severity((3, 5) if h == "risks" else ()) for h in HEADINGS},
        decision=RiskDecision.NO,
        decision_reason="Costs <us>",
        behaviours=(Behaviour(1, "Hidden behaviour", "Ann", True), Behaviour(2, "We ask first", "Bob", False)),
        actions=tuple(Action(i, 1, f"Do {i}", f"Owner {i}", None, ActionStatus.OPEN, "", "") for i in range(3)),
    )
    shown = projector_text.team_summary("Desk & co", "Round 1", [topic] * 4)
    assert shown.count("class='pj-topic'") == 3 and "1 more card on the shortlist" in shown
    assert "Desk &amp; co" in shown and "&lt;img" in shown and "<img" not in shown
    assert "<b>Value:</b> First &lt;note&gt; <span class='pj-quiet'>(+1 more note)</span>" in shown
    assert "Hidden one" not in shown and "Hidden behaviour" not in shown
    assert "Risks <b>4</b>" in shown and "Value <b>–</b>" in shown
    assert "Not acceptable: Costs &lt;us&gt;" in shown and "“We ask first”" in shown
    assert "<b>Owner 0</b>: Do 0" in shown and "<b>Owner 1</b>" in shown and "Owner 2" not in shown and "+1 more action" in shown


def test_a_poll_result_shows_counts_for_a_small_group_and_shares_otherwise():
    table = pd.DataFrame(
        [
            {
                "grp": 1,
                "label": EVIL,
                "Disagree": 1,
                "Partly": 1,
                "Agree": 2,
                "answers": 4,
                "Disagree share": 0.25,
                "Partly share": 0.25,
                "Agree share": 0.5,
            }
        ]
    )
    assert "✓ 2 · ~ 1 · ✗ 1" in projector_text.poll_result("P", "", table, lambda n: True)
    shown = projector_text.poll_result("P", "", table, lambda n: False)
    assert "✓ 50% · ~ 25% · ✗ 25%" in shown and "<img" not in shown


def test_the_review_lists_open_actions_and_says_how_many_more():
    rows = [
        {"status": "open" if i % 2 else "done", "what": f"Act {i}", "owner": "Sam", "team_name": "Desk", "workshop_title": "May"}
        for i in range(12)
    ]
    shown = projector_text.action_review("Acme <IT>", rows)
    assert shown.count("pj-review-row") == projector_text.REVIEW_ROWS and "and 3 more actions" in shown
    assert "6 of 12 still open" in shown and "Acme &lt;IT&gt;" in shown and "☑ done" in shown
