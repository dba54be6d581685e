"""Importing past results: the three file shapes, every kind of bad line reported by number, all or nothing, undo."""

from __future__ import annotations

import sqlite3

import pytest

from abc_workshop import compare, importer
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import AccessDenied, CompareFilter, InvalidInput
from abc_workshop.export import csv_bytes
from abc_workshop.importer import ImportFileError
from abc_workshop.store import Store
from tests.core.lead_history import card_ids, lead_history

PICKS = """organisation,workshop,date,country,team,perspective,participant,card,rank
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P1,abc-02,1
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P1,Not my responsibility,2
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P2,abc-02,1
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P2,ABC-04,2
Acme IT,Paper 1,2023-05-01,Netherlands,Ops,We recognise this in our organisation,P3,abc-06,
"""
COUNTS = """organisation,workshop,date,team,perspective,card,picks,participants,pick_limit
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,3,4,3
Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-03,4,4,3
Beta Bank,Old session,2020-02-02,,users_pick,abc-03,1,2,3
"""
ANSWERS = """organisation,workshop,date,country,statement,scale,answer,count
Survey Co,Survey 2012,2012-01-01,Denmark,We are still not customer focused enough in IT,agree3,agree,89
Survey Co,Survey 2012,2012-01-01,Denmark,We are still not customer focused enough in IT,agree3,partly,0
Survey Co,Survey 2012,2012-01-01,Denmark,We are still not customer focused enough in IT,agree3,disagree,11
"""


def totals(store, f=CompareFilter()):
    cards, decks = store.card_totals(f)
    return compare.top_cards(cards, decks), decks


def problems(store, text: str) -> list[str]:
    with pytest.raises(ImportFileError) as refused:
        store.import_results("bad.csv", text.encode("utf-8"))
    return refused.value.problems


def test_picks_per_participant_become_ballots_with_ranks_and_borda_points(store):
    record = store.import_results("paper.csv", PICKS.encode("utf-8"))
    assert (record.kind, record.rows) == ("picks", 5)
    assert record.summary == "1 workshop, 1 round, 3 participants' ballots, 5 picks"
    table, decks = totals(store)
    ids = card_ids(store)
    picks = {row.card_id: (row.picks, row.borda) for row in table.itertuples()}
    # pick limit = 2 (the longest ballot), so rank 1 scores 2 points and rank 2 one; P3's pick is unranked.
    assert picks == {ids["02"]: (2, 4), ids["06"]: (2, 1), ids["04"]: (1, 1)}
    assert (int(decks["ballots"].sum()), int(decks["ranked"].sum())) == (3, 2)
    assert store.compare_overview(CompareFilter(countries=("netherlands",)))["workshops"] == 1


def test_a_file_saved_by_excel_with_semicolons_and_a_byte_order_mark_reads_the_same(store):
    record = store.import_results("excel.csv", ("\ufeff" + PICKS.replace(",", ";")).encode("utf-8"))
    assert record.summary == "1 workshop, 1 round, 3 participants' ballots, 5 picks"


def test_counts_per_team_and_answer_counts_are_stored_as_they_are(store):
    store.import_results("counts.csv", COUNTS.encode("utf-8"))
    table, decks = totals(store, CompareFilter(perspectives=("users_pick",)))
    assert {row.key: row.picks for row in table.itertuples()} == {"abc-03": 5, "abc-02": 3}
    assert int(decks["ballots"].sum()) == 6 and int(decks["teams"].sum()) == 1, "the row without a team is not a team"
    store.import_results("answers.csv", ANSWERS.encode("utf-8"))
    agreement = compare.agreement(
        store.statement_agreement(CompareFilter(), "we are still NOT customer focused enough in IT", "country")
    )
    assert agreement[["label", "Agree", "Partly", "Disagree", "answers"]].values.tolist() == [["Denmark", 89, 0, 11, 100]]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            PICKS.replace("2023-05-01,Netherlands,Ops", "2023-13-01,Netherlands,Ops"),
            [
                (
                    "Line 6: date is '2023-13-01', which is not a day of the calendar; "
                    "write it as 2012, 2012-09, 2012-09-30, 30.09.2012 or 30/09/2012."
                )
            ],
        ),
        (
            PICKS.replace("Ops,We recognise", "Ops,We love"),
            [
                (
                    "Line 6: perspective is 'We love this in our organisation'; use one of recognise, users_would_pick, users_pick, resistance "
                    "(or their wording on the facilitator page)."
                )
            ],
        ),
        (PICKS.replace("P2,ABC-04,2", "P2,abc-02,2"), ["Line 5: participant 'P2' picked card 'abc-02' twice in this round."]),
        (PICKS.replace("P2,ABC-04,2", "P2,ABC-04,1"), ["Line 5: participant 'P2' has rank 1 twice in this round."]),
        (
            PICKS.replace("Ops,We recognise this in our organisation,P3", "Ops,recognise,P1"),
            ["Line 6: participant 'P1' is in team 'Desk' on an earlier line of this workshop."],
        ),
        (
            PICKS.replace("Netherlands,Ops", "Belgium,Ops"),
            ["Line 6: country 'Belgium' differs from 'Netherlands' given for this workshop on line 2."],
        ),
        (
            PICKS.replace("P2,ABC-04,2", "P2,ABC-04,"),
            ["Line 5: participant 'P2' ranks some picks (line 4) but not this one; rank all of a participant's picks or none."],
        ),
        (
            COUNTS.replace("abc-03,4,4", "abc-03,5,4"),
            ["Line 3: picks (5) exceed participants (4); each participant picks a card at most once."],
        ),
        (
            COUNTS.replace(",,users_pick,abc-03,1,2,3", ",Desk,users_pick,abc-03,1,5,3"),
            ["Line 4: participants is 5, but 4 for this team and round on an earlier line."],
        ),
        (
            COUNTS.replace("abc-02,3,4,3", "abc-02,3,4,1"),
            ["Lines 3–4: pick_limit is 3, but 1 for this round on an earlier line."],
        ),
        (
            (
                "organisation,workshop,date,team,perspective,card,picks,participants,pick_limit\n"
                "B,S,2020-02-02,Desk,users_pick,abc-02,2,2,1\nB,S,2020-02-02,Desk,users_pick,abc-03,2,2,1\n"
            ),
            [
                (
                    "Round 'Imported: As users, we see this in IT' of 'S': team 'Desk' has 4 picks, more than its 2 participants "
                    "could make with 1 picks each (set pick_limit)."
                )
            ],
        ),
        (
            COUNTS.replace("Desk,users_pick,abc-02,3,4,3", "Desk,users_pick,abc-02,three,4,3"),
            ["Line 2: picks is 'three'; a whole number is needed."],
        ),
        (
            ANSWERS.replace("agree3,agree,89", "agree3,strongly,89"),
            ["Line 2: answer is 'strongly'; on this scale use agree, partly or disagree."],
        ),
        (
            ANSWERS.replace("agree3,partly", "scale5,partly"),
            ["Line 3: scale scale5 differs from agree3 given earlier for this survey."],
        ),
        (
            "organisation,workshop,date,perspective,card\nA,B,2020-01-01,recognise,abc-01\n",
            [
                (
                    "Line 1: the header must name one of the columns participant (picks per participant), picks (counts per team), "
                    "rank (a published ranking), statement (answers), heading, decision or action (teams' analyses) or "
                    "what_happened (moments of truth); see docs/import-format.md."
                )
            ],
        ),
        ("organisation,workshop,participant,card\n", ["Line 1: the header lacks the column(s) date, perspective."]),
        ("organisation,workshop,date,perspective,participant,card\n", ["The file has a header but no rows."]),
        (
            PICKS.replace("Desk,recognise,P1,abc-02,1", "Desk,recognise,P1,abc-02,1,Blame, culture"),
            ["Line 2: it has 11 fields but the header 9; a comma (or semicolon) inside a text needs quotes around the text."],
        ),
        (
            PICKS.replace("Desk,recognise,P2,abc-02,1", 'Desk,recognise,P2,"abc-02,1'),
            ["Line 4: field 'card' opens a quote that is never closed; add the closing quote or remove the opening one."],
        ),
    ],
)
def test_a_bad_file_names_each_bad_line_and_imports_nothing(store, text, expected):
    assert problems(store, text) == expected
    assert store.imports() == [] and store._value("SELECT count(*) FROM workshops") == 0


def test_files_that_are_not_utf8_or_too_large_are_refused(store, monkeypatch):
    assert problems(store, "") == ["The file is empty: it needs a header row and at least one row below it."]
    with pytest.raises(ImportFileError, match="cannot be read as UTF-8 or Windows-1252 text"):
        store.import_results("broken.csv", b"organisation\nCaf\x81")
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError, match="may be at most"):
        store.import_results("big.csv", PICKS.encode("utf-8"))


def test_a_workshop_already_stored_and_a_file_imported_twice_are_refused(store):
    checked = importer.parse_import(PICKS.encode("utf-8"), "paper.csv", store.import_catalogue())
    store.store_import(checked)
    with pytest.raises(ImportFileError) as refused:
        store.import_results("paper-again.csv", PICKS.replace("P3,abc-06,", "P3,abc-07,").encode("utf-8"))
    assert refused.value.problems == [
        (
            "Lines 2–6 (5 lines): the workshop 'Paper 1' of 'Acme IT' on 2023-05-01 already has its card results (picks, counts "
            "or a published ranking) from import #1 (paper.csv). Undo that import under Imports so far to import them again, "
            "or give this workshop another title."
        )
    ], "one cause, one message, with every line it affects"
    with pytest.raises(InvalidInput, match="imported already"):
        store.store_import(checked)  # checked before the first import landed: the transaction checks again


def test_undo_removes_everything_the_import_brought_and_keeps_the_record(store):
    lead = lead_history(store)
    before = totals(store)[0]
    live_ballots = store._value("SELECT count(*) FROM ballots")
    record = store.import_results("paper.csv", PICKS.encode("utf-8"))
    store.import_results("answers.csv", ANSWERS.encode("utf-8"))
    imported = store._value("SELECT id FROM workshops WHERE import_id = ?", (record.id,))
    undone = store.undo_import(record.id, lead.workshops["W1"][1])  # live workshops here: a key opens the door
    assert undone.undone_at is not None and [r.id for r in store.imports() if r.undone_at] == [record.id]
    assert totals(store)[0].equals(before), "the live history is untouched"
    assert store._value("SELECT count(*) FROM ballots") == live_ballots
    for table in ("workshops", "rounds", "participants", "teams", "tally_cards", "tally_teams", "events"):
        column = "id" if table == "workshops" else "workshop_id"
        assert store._value(f"SELECT count(*) FROM {table} WHERE {column} = ?", (imported,)) == 0, table
    assert store._value("SELECT count(*) FROM polls WHERE import_id IS NOT NULL") == 1, "the other import stays"
    with pytest.raises(InvalidInput, match="undone already"):
        store.undo_import(record.id, lead.workshops["W1"][1])
    with pytest.raises(sqlite3.IntegrityError, match="ballots_are_kept"):
        store.db.conn.execute("DELETE FROM ballots WHERE round_id = ?", (lead.rounds[("W1", "recognise")].round.id,))
    store.db.conn.rollback()
    store.import_results("paper.csv", PICKS.encode("utf-8"))  # once undone, the same file may come back


def test_imported_workshops_rounds_and_polls_stay_as_imported(store):
    record = store.import_results("paper.csv", PICKS.encode("utf-8"))
    store.import_results("answers.csv", ANSWERS.encode("utf-8"))
    workshop_id, round_id = store._row("SELECT workshop_id, id FROM rounds WHERE import_id = ?", (record.id,)).values()
    conn = store.db.conn
    for statement, code in [
        (f"UPDATE rounds SET state = 'open' WHERE id = {round_id}", "imported_round_is_final"),
        (f"UPDATE workshops SET import_id = NULL WHERE id = {workshop_id}", "import_id_is_fixed"),
        (
            f"INSERT INTO rounds (workshop_id, position, question, deck_id, perspective, pick_limit) VALUES ({workshop_id}, 9, 'q', 1, 'recognise', 3)",
            "imported_workshop_is_read_only",
        ),
        ("UPDATE polls SET state = 'open' WHERE import_id IS NOT NULL", "imported_poll_is_final"),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match=code):
            conn.execute(statement)
        conn.rollback()


def test_only_the_server_key_imports_once_the_server_has_one(db_path):
    store = Store(db_path, server_key="LEAD-KEY")
    store.load_shipped_decks(CARDS_DIR)
    with pytest.raises(AccessDenied):
        store.import_results("paper.csv", PICKS.encode("utf-8"))
    record = store.import_results("paper.csv", PICKS.encode("utf-8"), "LEAD-KEY")
    with pytest.raises(AccessDenied):
        store.undo_import(record.id, "WRONG")
    store.undo_import(record.id, "LEAD-KEY")
    store.close()


def test_an_export_imports_into_another_server_with_the_same_numbers(store, tmp_path):
    lead_history(store)
    exported = csv_bytes(store.export_rows(CompareFilter()))
    other = Store(tmp_path / "other.sqlite3")
    other.load_shipped_decks(CARDS_DIR)
    other.import_results("export.csv", exported)
    for f in (
        CompareFilter(),
        CompareFilter(perspectives=("recognise",), teams=("Desk",)),
        CompareFilter(countries=("Belgium",)),
    ):
        here, there = totals(store, f), totals(other, f)
        columns = ["key", "picks", "share", "rank", "top3_teams"]
        assert here[0][columns].sort_values("key").values.tolist() == there[0][columns].sort_values("key").values.tolist()
        assert int(here[1]["ballots"].sum()) == int(there[1]["ballots"].sum())
    other.close()


def test_changing_an_imported_workshop_through_the_store_gets_a_sentence_not_a_database_error(db_path):
    from abc_workshop.domain import RoundSpec, WorkshopError

    store = Store(db_path, server_key="LEAD-KEY")
    store.load_shipped_decks(CARDS_DIR)
    record = store.import_results("paper.csv", PICKS.encode("utf-8"), key="LEAD-KEY")
    workshop_id = store._value("SELECT workshop_id FROM rounds WHERE import_id = ?", (record.id,))
    with pytest.raises(WorkshopError, match="holds imported results; it cannot be changed here"):
        store.create_round(workshop_id, "LEAD-KEY", RoundSpec("New question", store.decks()[0].id))
