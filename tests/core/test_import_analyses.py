"""Teams' analyses as an import shape, and files of one workshop imported one after the other: a later file adds what
the earlier import did not bring, and is undone before it."""

from __future__ import annotations

import datetime
import sqlite3

import pytest

from abc_workshop import importer
from abc_workshop.domain import CompareFilter, InvalidInput
from tests.core.test_imports import ANSWERS, COUNTS, PICKS, problems

HEADER = (
    "organisation,workshop,date,team,perspective,card,shortlisted,heading,severity,scores,decision,reason,action,owner,due,status"
)
ANALYSES = f"""{HEADER}
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,,value,5,2,,,,,,
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,,value,2,1,no,Costs us customers,,,,
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,yes,Risks,4,,,,Blameless reviews,Ann,2020-03-01,open
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,,,,,no,,Name an owner,Bob,,done
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-03,no,costs,5,3,Acceptable risk,,Stop it,Cy,01.01.2999,open
"""
ANSWERS_OF_THE_SESSION = ANSWERS.replace("Survey Co,Survey 2012,2012-01-01,Denmark", "Beta Bank,Old session,2020-02-02,")


def impact(store, f=CompareFilter(perspectives=())) -> dict[str, list]:
    def rows(frame, *columns):
        return sorted(tuple(row) for row in frame[list(columns)].itertuples(index=False))

    return {
        "severity": rows(store.severity_by_heading(f, "team"), "label", "heading", "mean_score", "scores", "topics", "severe"),
        "decisions": rows(store.risk_decisions_by_group(f, "team"), "label", "decision", "topics"),
        "actions": rows(store.actions_by_group(f, "team"), "label", "status", "actions", "overdue"),
    }


def test_an_analyses_file_gives_the_impact_view_what_the_team_recorded(store):
    record = store.import_results("analyses.csv", ANALYSES.encode("utf-8"))
    assert record.summary == ("1 workshop, 1 round, analyses of 2 cards (7 severity scores, 2 risk decisions, 3 actions)"), (
        "a round with nothing but analyses is a round of its own"
    )
    # abc-02 on the shortlist: value 5, 5, 2 (mean 4, two severe), risks 4. abc-03 was taken off the shortlist: its
    # scores and decision are not counted, its action is (open, due in 2999: not overdue). 2020-03-01 is long past.
    assert impact(store) == {
        "severity": [("Desk", "risks", 4.0, 1, 1, 1), ("Desk", "value", 4.0, 3, 1, 2)],
        "decisions": [("Desk", "no", 1)],
        "actions": [("Desk", "done", 1, 0), ("Desk", "open", 2, 1)],
    }
    reasons = [tuple(row.values()) for row in store._rows("SELECT decision, reason FROM risk_decisions ORDER BY decision")]
    assert reasons == [("no", "Costs us customers"), ("yes", None)], "a decision said twice keeps the reason one line gave"
    by_card = store.severity_by_heading(CompareFilter(perspectives=()), "card")
    assert set(by_card["label"]) == {"Blame culture"}
    assert store.severity_by_heading(CompareFilter(card_types=("B",), perspectives=()), "team").empty


@pytest.mark.parametrize(
    "line, expected",
    [
        (",,valour,3,,,,,,,", "Line 2: heading is 'valour'; use value, outcomes, costs or risks."),
        (",,value,,,,,,,,", "Line 2: severity is empty; give the score from 1 (minor) to 5 (severe) for the heading."),
        (",,value,6,,,,,,,", "Line 2: severity is 6; it must be between 1 and 5."),
        (",,,4,,,,,,,", "Line 2: severity needs its heading: value, outcomes, costs or risks."),
        (",,,,,maybe,,,,,", "Line 2: decision is 'maybe'; is it an acceptable business risk? Write yes, no or undecided."),
        (",,,,,,Because,,,,", "Line 2: reason belongs to a decision: give the decision (yes, no or undecided) on its line."),
        (",,,,,,,Fix it,,,", "Line 2: owner is empty; an action needs the person who holds it."),
        (",,,,,,,,Ann,2024-06,", "Line 2: owner and due belong to an action: give the action on its line."),
        (
            ",,,,,,,Fix it,Ann,2024-06,",
            "Line 2: due is '2024-06'; an action is due on a day: write it as 2024-06-30, 30.06.2024 or 30/06/2024.",
        ),
        (",,,,,,,Fix it,Ann,soon,", "Line 2: due is 'soon'; write it as 2012, 2012-09, 2012-09-30, 30.09.2012 or 30/09/2012."),
        (",,,,,,,Fix it,Ann,,later", "Line 2: status is 'later'; use open, done or dropped."),
        (",maybe,value,3,,,,,,,", "Line 2: shortlisted is 'maybe'; write yes or no (empty means yes)."),
        (
            ",,,,,,,,,,",
            "Line 2: the line holds no analysis: give a heading with its severity, a decision, or an action with its owner.",
        ),
    ],
)
def test_a_bad_analysis_line_is_named_with_what_to_write_instead(store, line, expected):
    text = f"{HEADER}\nBeta Bank,Old session,2020-02-02,Desk,users_pick{line.replace(',', ',abc-02,', 1)}\n"
    assert problems(store, text) == [expected]
    assert store.imports() == [] and store._value("SELECT count(*) FROM topics") == 0


def test_what_only_several_lines_show_is_one_message_per_cause(store):
    text = ANALYSES + (
        "Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,,,,,yes,,,,,\n"
        "Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,no,,,,,,Again,Ann,,\n"
        "Beta Bank,Old session,2020-02-02,,users_pick,abc-02,,value,3,,,,,,,\n"
        "Beta Bank,Old session,2020-02-02,,users_pick,abc-04,,value,3,,,,,,,\n"
    )
    assert problems(store, text) == [
        "Line 7: the risk decision differs from line 3 for this team and card; a team decides once per card.",
        "Line 8: shortlisted differs from line 4 for this team and card; a card is on the shortlist or not.",
        "Lines 9–10: team is empty; an analysis is a team's (for a room without teams, name the room as its team).",
    ]
    two_shapes = "organisation,workshop,date,team,perspective,card,picks,participants,heading,severity\n"
    assert problems(store, two_shapes + "B,S,2020,Desk,recognise,abc-01,1,2,value,3\n")[0].startswith(
        "Line 1: the header must name one of the columns"
    )


def test_counts_then_answers_then_analyses_of_one_workshop_come_one_after_the_other_and_leave_in_reverse(store):
    counts = store.import_results("counts.csv", COUNTS.encode("utf-8"))
    answers = store.import_results("answers.csv", ANSWERS_OF_THE_SESSION.encode("utf-8"))
    analyses = store.import_results("analyses.csv", ANALYSES.encode("utf-8"))
    assert answers.summary == "added to 1 workshop of an earlier import: 100 answers to 1 statement"
    assert analyses.summary.startswith("added to 1 workshop of an earlier import: analyses of 2 cards")
    assert store._value("SELECT count(*) FROM workshops") == 1 and store._value("SELECT count(*) FROM rounds") == 1
    assert store.compare_overview(CompareFilter(perspectives=()))["workshops"] == 1
    assert impact(store)["decisions"] == [("Desk", "no", 1)]

    again = COUNTS.replace("abc-03,4,4,3", "abc-05,4,4,3")
    assert problems(store, again)[0] == (
        "Lines 2–4 (3 lines): the workshop 'Old session' of 'Beta Bank' on 2020-02-02 already has its card results (picks, "
        "counts or a published ranking) from import #1 (counts.csv). Undo that import under Imports so far to import them "
        "again, or give this workshop another title."
    )
    with pytest.raises(InvalidInput, match=r"Imports #2, #3 added to the workshops of import #1; undo them first"):
        store.undo_import(counts.id)
    store.undo_import(analyses.id)
    assert store._value("SELECT count(*) FROM topics") == 0 and store._value("SELECT count(*) FROM imported_impact_scores") == 0
    assert store._value("SELECT count(*) FROM tally_cards") == 3, "the counts stay"
    store.undo_import(answers.id)
    store.undo_import(counts.id)
    for table in ("workshops", "teams", "rounds", "polls", "statements", "participants", "topics", "actions"):
        assert store._value(f"SELECT count(*) FROM {table}") == 0, table


def test_picks_may_follow_the_answers_of_their_workshop_and_leave_with_their_participants(store):
    answers = ANSWERS.replace("Survey Co,Survey 2012,2012-01-01,Denmark", "Acme IT,Paper 1,2023-05-01,Netherlands")
    store.import_results("answers.csv", answers.encode("utf-8"))
    picks = store.import_results("picks.csv", PICKS.encode("utf-8"))
    assert picks.summary == "added to 1 workshop of an earlier import: 1 round, 3 participants' ballots, 5 picks"
    assert store._value("SELECT count(*) FROM participants") == 3 and store._value("SELECT count(*) FROM teams") == 2
    store.undo_import(picks.id)
    assert [store._value(f"SELECT count(*) FROM {table}") for table in ("participants", "teams", "rounds", "polls")] == [
        0,
        0,
        0,
        1,
    ], "the picks' participants and teams leave with them; the answers stay"


def test_analyses_name_a_round_the_earlier_import_stored_and_cannot_come_before_the_card_results(store):
    store.import_results("counts.csv", COUNTS.encode("utf-8"))
    elsewhere = ANALYSES.replace("Desk,users_pick", "Desk,recognise")
    assert problems(store, elsewhere) == [
        (
            "Lines 2–6 (5 lines): import #1 (counts.csv) stored no round 'Imported: We recognise this in our organisation' "
            "(recognise) for this workshop; its rounds are users_pick: 'Imported: As users, we see this in IT'. Write the "
            "round's perspective and question as they are there."
        )
    ]
    first = ANALYSES.replace("Beta Bank", "Gamma Gov")
    store.import_results("analyses-first.csv", first.encode("utf-8"))
    assert problems(store, COUNTS.replace("Beta Bank", "Gamma Gov"))[0].endswith(
        "holds teams' analyses of its rounds from import #2 (analyses-first.csv), so its card results cannot follow on "
        "their own: undo that import, then choose this file and analyses-first.csv together in the uploader (one import)."
    )


def test_a_workshop_run_live_is_never_added_to_and_case_is_ignored_beyond_ascii(store):
    store.create_workshop("Old session", "Beta Bank", datetime.date(2020, 2, 2), team_names=["Desk"])
    assert problems(store, ANALYSES) == [
        (
            "Lines 2–6 (5 lines): the workshop 'Old session' of 'Beta Bank' on 2020-02-02 was run live here; imported results "
            "never join live ones, so give it another title."
        )
    ]
    store.import_results("counts.csv", COUNTS.replace("Beta Bank", "Ärzte AG").encode("utf-8"))
    assert "already has its card results" in problems(store, COUNTS.replace("Beta Bank", "ÄRZTE AG"))[0]


def test_a_file_checked_before_another_import_changed_its_workshop_is_not_stored(store):
    store.import_results("counts.csv", COUNTS.encode("utf-8"))
    checked = importer.parse_import(ANALYSES.encode("utf-8"), "analyses.csv", store.import_catalogue())
    store.import_results("answers.csv", ANSWERS_OF_THE_SESSION.encode("utf-8"))
    with pytest.raises(InvalidInput, match="changed while the file was checked"):
        store.store_import(checked)
    assert store._value("SELECT count(*) FROM topics") == 0


def test_the_database_keeps_imported_rows_out_of_live_workshops(store, room):
    rnd = room.open_round()
    room.vote(room.join(), rnd, room.card_ids(1))
    store.reveal_round(rnd.id, room.key)
    store.ensure_shortlist(rnd.id, room.teams[0].id)
    topic = store._value("SELECT id FROM topics")
    conn = store.db.conn
    record = store.import_results("counts.csv", COUNTS.encode("utf-8"))
    for statement, code in [
        (
            f"INSERT INTO imported_impact_scores (topic_id, heading, score, scores) VALUES ({topic}, 'value', 3, 1)",
            "imported_round_is_final",
        ),
        (
            (
                f"INSERT INTO rounds (workshop_id, position, question, deck_id, perspective, pick_limit, import_id)"
                f" VALUES ({room.workshop.id}, 9, 'q', 1, 'recognise', 3, {record.id})"
            ),
            "imported_workshop_is_read_only",
        ),
        (
            (
                f"INSERT INTO polls (workshop_id, title, scale, survey_code, import_id)"
                f" VALUES ({room.workshop.id}, 't', 'agree3', 'code', {record.id})"
            ),
            "imported_workshop_is_read_only",
        ),
        ("UPDATE teams SET import_id = NULL WHERE import_id IS NOT NULL", "import_id_is_fixed"),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match=code):
            conn.execute(statement)
        conn.rollback()
