"""The workshop report and workbook contain what was recorded, escaped, at any moment."""

from __future__ import annotations

import io

import openpyxl

from abc_workshop import report


def analysed(room):
    rnd = room.open_round(pick_limit=2)
    ann, cid = room.join("Ann", 0), room.join("Cid", 1)
    c1, c2 = room.card_ids(2)
    room.vote(ann, rnd, [c1, c2])
    room.vote(cid, rnd, [c1])
    room.store.reveal_round(rnd.id, room.key)
    room.store.ensure_shortlist(rnd.id, room.teams[0].id)
    topic = room.store.team_topics(rnd.id, room.teams[0].id)[0]
    room.store.add_note(room.workshop.id, topic.id, "risks", "Damaged <b>business</b> reputation", token=ann.token)
    room.store.set_score(room.workshop.id, topic.id, "risks", 4, token=ann.token)
    room.store.decide_risk(room.workshop.id, topic.id, "no", "Users would not accept it", token=ann.token)
    room.store.add_behaviour(room.workshop.id, topic.id, "We will listen to you", token=ann.token)
    room.store.add_action(room.workshop.id, topic.id, '=HYPERLINK("x")', "Ann", None, token=ann.token)
    return rnd, topic


def test_the_html_report_has_results_analysis_and_actions_escaped(room):
    rnd, _topic = analysed(room)
    page = report.html(report.gather(room.store, room.workshop.id, room.key))
    assert "<h1>Pilot</h1>" in page
    assert f"Round 1: {rnd.question}" in page
    assert "2 voters" in page and "2 (100%)" in page
    assert "Damaged &lt;b&gt;business&lt;/b&gt; reputation" in page and "<b>business</b>" not in page
    assert "median 4 (range 4, 1 scored)" in page
    assert "Not acceptable — Users would not accept it" in page
    assert "“We will listen to you”" in page
    assert "small group" in page  # teams of fewer than 5 are flagged
    assert "<script" not in page


def test_a_hidden_note_stays_out_of_the_html_report(room):
    rnd, _topic = analysed(room)
    note_id = room.store.team_topics(rnd.id, room.teams[0].id)[0].notes[0].id
    room.store.set_hidden(room.workshop.id, "note", note_id, True, key=room.key)
    assert "Damaged" not in report.html(report.gather(room.store, room.workshop.id, room.key))


def test_the_workbook_has_one_sheet_per_kind_of_record(room):
    analysed(room)
    book = openpyxl.load_workbook(io.BytesIO(report.workbook(report.gather(room.store, room.workshop.id, room.key))))
    assert book.sheetnames == [
        "Workshop",
        "Rounds",
        "Results",
        "Shortlists",
        "Impact notes",
        "Severity",
        "Risk decisions",
        "Behaviours",
        "Actions",
        "Earlier actions",
        "Log",
    ]
    notes = list(book["Impact notes"].values)
    assert notes[0][:5] == ("round", "team", "card", "heading", "note")
    assert notes[1][3:6] == ("Risks", "Damaged <b>business</b> reputation", "Ann")
    actions = list(book["Actions"].values)
    assert actions[1][actions[0].index("what")] == '\'=HYPERLINK("x")'  # a formula stays text
    results = list(book["Results"].values)
    header = results[0]
    everyone = [r for r in results[1:] if r[header.index("group")] == "Everyone"]
    assert [(r[header.index("picks")], r[header.index("share")]) for r in everyone] == [(2, 1.0), (1, 0.5)]


def test_a_report_can_be_made_before_anything_was_voted(room):
    page = report.html(report.gather(room.store, room.workshop.id, room.key))
    assert "No team has a shortlist yet." in page
    assert report.workbook(report.gather(room.store, room.workshop.id, room.key))[:2] == b"PK"
