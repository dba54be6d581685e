"""Export -> import into a fresh database gives the same tables for every view, on a history with every kind of record:
live ballots, a live poll, imported ranked and unranked picks, counts per team, published rankings dated by year and by
month, statement answers, another deck whose cards count as the default deck's, and teams' analyses (the Impact view),
live ones and imported ones, the latter added to an earlier import's workshop by a second file."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pandas as pd
import pytest

from abc_workshop import compare
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import CompareFilter, PollScale
from abc_workshop.export import csv_bytes
from abc_workshop.import_batch import Decisions, ImportFileError
from abc_workshop.store import Store
from tests.core.lead_history import lead_history
from ui.compare_export import workbook

OLD_DECK = (
    b"id,type,theme,title,description,counts_as\n"
    b"old-1,C,Culture,Blaming people,An older edition's card,abc-02\n"
    b"old-2,A,Attitude,Not my job,An older edition's card,Not my responsibility\n"
    b"old-3,B,Behaviour,Only in the old deck,An older edition's card,\n"
)
PICKS = """organisation,workshop,date,country,team,perspective,participant,card,rank
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P1,abc-02,1
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P1,abc-06,2
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P2,abc-04,1
Acme IT,Paper 1,2023-05-01,Netherlands,Desk,recognise,P2,abc-02,2
Acme IT,Paper 1,2023-05-01,Netherlands,Ops,recognise,P3,abc-06,
Acme IT,Paper 1,2023-05-01,Netherlands,Ops,recognise,P3,abc-07,
"""
COUNTS = """organisation,workshop,date,team,perspective,deck,card,picks,participants,pick_limit
Beta Bank,Old edition session,2019-09,Desk,recognise,Old edition,old-1,3,4,3
Beta Bank,Old edition session,2019-09,Desk,recognise,Old edition,old-2,2,4,3
Beta Bank,Old edition session,2019-09,Desk,recognise,Old edition,old-3,1,4,3
Beta Bank,Paper 2,2020-02-02,,users_pick,,abc-03,4,6,3
"""
RANKS = """organisation,workshop,date,perspective,rank,card
itSMF,Survey,2011,resistance,1,Blame culture
itSMF,Survey,2011,resistance,2,Everything has the highest priority….according to the users
itSMF,Survey,2012,resistance,1,Everything has the highest priority…according to the users
itSMF,Survey,2012,resistance,2,Blame culture
itSMF,Survey,2012,resistance,3,IT heroes
"""
ANSWERS = """organisation,workshop,date,country,survey,statement,scale,answer,count
Survey Co,Survey 2012,2012-06,Denmark,Customer focus,We are still not customer focused enough in IT,agree3,agree,89
Survey Co,Survey 2012,2012-06,Denmark,Customer focus,We are still not customer focused enough in IT,agree3,disagree,11
Survey Co,Survey 2012,2012-06,Denmark,Scale,IT listens,scale5,4,3
"""
ANALYSES = """organisation,workshop,date,team,perspective,deck,card,shortlisted,heading,severity,scores,decision,reason,\
action,owner,due,status
Acme IT,Paper 1,2023-05-01,Desk,recognise,,abc-02,,value,4,2,no,"Costs us; customers",,,,
Acme IT,Paper 1,2023-05-01,Desk,recognise,,abc-02,,costs,1,1,,,=SUM(A1),"Ann, Desk",2023-06-30,open
Acme IT,Paper 1,2023-05-01,Ops,recognise,,abc-06,no,risks,5,3,yes,,Review it,Bob,2999-01-01,dropped
Beta Bank,Old edition session,2019-09,Desk,recognise,Old edition,old-1,,outcomes,3,4,undecided,,Tell people,Cy,,done
"""
STATEMENTS = ["We are still not customer focused enough in IT", "IT listens"]
FILTERS = [
    CompareFilter(),
    CompareFilter(perspectives=("recognise",)),
    CompareFilter(perspectives=("resistance",)),
    CompareFilter(perspectives=("recognise",), teams=("Desk",)),
    CompareFilter(countries=("Netherlands",)),
    CompareFilter(date_from="2011-01-01", date_to="2019-12-31"),
    CompareFilter(perspectives=(), card_types=("C",)),
]
IMPACT = {
    "severity": ("severity_by_heading", ["heading", "mean_score", "scores", "topics", "severe"]),
    "decisions": ("risk_decisions_by_group", ["decision", "topics"]),
    "actions": ("actions_by_group", ["status", "actions", "overdue"]),
}


def import_all(store: Store, data: bytes, name: str) -> None:
    try:
        store.import_results(name, data)
    except ImportFileError as asked:
        if asked.causes:
            raise
        decided = {(u.deck_id, u.key): u.suggestions[0] for u in asked.questions.unmatched}
        store.import_results(name, data, decisions=Decisions(cards=decided))


def fresh(tmp_path, name: str) -> tuple[Store, str]:
    """A new database with the old deck loaded, and the key of the workshop that loaded it."""
    store = Store(tmp_path / f"{name}.sqlite3")
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Deck loader", "Nobody")
    store.import_deck(workshop.id, key, "Old edition", "old.csv", OLD_DECK)
    return store, key


@pytest.fixture
def history(tmp_path) -> Store:
    store, key = fresh(tmp_path, "source")
    lead = lead_history(store, creator_key=key)
    workshop, key = lead.workshops["W1"]
    poll = store.create_poll(workshop.id, key, "Live poll", STATEMENTS, PollScale.AGREE3)
    store.open_poll(poll.id, key)
    for value in (3, 3, 1):
        participant = store.join(workshop.id, None, store.teams(workshop.id)[0].id)
        store.submit_answers(workshop.id, participant.token, poll.id, {s.id: value for s in store.poll(poll.id).statements})
    store.close_poll(poll.id, key)
    for name, text in (("picks.csv", PICKS), ("counts.csv", COUNTS), ("ranks.csv", RANKS), ("answers.csv", ANSWERS)):
        import_all(store, text.encode("utf-8"), name)
    analyse_live(lead)
    added = store.import_results("analyses.csv", ANALYSES.encode("utf-8"))
    assert added.summary.startswith("added to 2 workshops of an earlier import")
    yield store
    store.close()


def analyse_live(lead) -> None:
    """W1's Desk team scores, decides and acts on two of its recognise cards, then takes one off its shortlist."""
    store = lead.store
    workshop, key = lead.workshops["W1"]
    played = lead.rounds[("W1", "recognise")]
    desk = store.teams(workshop.id)[0]
    store.ensure_shortlist(played.round.id, desk.id)
    topics = {t.card_id: t.id for t in store.team_topics(played.round.id, desk.id)}
    one, two = topics[lead.card["01"]], topics[lead.card["02"]]
    for participant, score in zip(played.participants["Desk"], (5, 3, 5)):
        store.set_score(workshop.id, one, "value", score, token=participant.token)
    store.set_score(workshop.id, two, "risks", 2, token=played.participants["Desk"][0].token)
    store.decide_risk(workshop.id, one, "no", "+1 for the customer", key=key)
    store.decide_risk(workshop.id, two, "undecided", None, key=key)
    store.add_action(workshop.id, one, "Name an owner per service", "Ann", datetime.date(2020, 1, 1), key=key)
    done = store.add_action(workshop.id, two, "Blameless reviews", "Bob", None, key=key)
    store.set_action_status(workshop.id, done, "done", key=key)
    store.remove_from_shortlist(workshop.id, two, key=key)


def views(store: Store) -> dict[str, list]:
    """Every view's table, keyed by what does not depend on row ids."""
    seen: dict[str, list] = {}
    for n, f in enumerate(FILTERS):
        for by in ("team", "workshop", "organisation", "country", "card"):
            for name, (method, columns) in IMPACT.items():
                table = getattr(store, method)(f, by)
                seen[f"impact {name} {n} {by}"] = sorted(table[["label", *columns]].astype(str).values.tolist())
        cards, decks = store.card_totals(f)
        top = compare.top_cards(cards, decks)
        seen[f"top {n}"] = sorted(
            top[["key", "picks", "ballots", "borda", "top3_teams", "teams", "rank"]].astype(str).values.tolist()
        )
        seen[f"overview {n}"] = sorted(store.compare_overview(f).items())
        for by in ("team", "workshop", "organisation", "country"):
            sizes = store.group_sizes(f, by)
            labels = dict(zip(sizes["grp"], sizes["label"]))
            seen[f"sizes {n} {by}"] = sorted(sizes[["label", "ballots"]].astype(str).values.tolist())
            picks = store.cards_by_group(f, by, list(labels))
            keys = dict(zip(top["card_id"], top["key"]))
            seen[f"groups {n} {by}"] = sorted(
                (str(labels[g]), str(keys.get(c, c)), int(p)) for c, g, p in picks.itertuples(index=False)
            )
        gap_cards, _gap_sizes = store.perspective_gap(f)
        seen[f"gap {n}"] = sorted(gap_cards[["perspective", "title", "picks"]].astype(str).values.tolist())
        ranks = store.published_rankings(f)
        seen[f"published {n}"] = ranks[["workshop", "held_on", "precision", "key", "rank"]].astype(str).values.tolist()
        for statement in STATEMENTS:
            table = store.statement_agreement(f, statement, "workshop")
            seen[f"statement {n} {statement}"] = sorted(table.drop(columns=["grp"]).astype(str).values.tolist())
    for organisation in ("Acme IT", "Beta Bank", "itSMF"):
        ids = [int(c) for c in store._frame("SELECT id FROM cards WHERE deck_id = 1 ORDER BY position LIMIT 8")["id"]]
        trend = store.card_trend(CompareFilter(perspectives=()), organisation, ids, "workshop")
        seen[f"trend {organisation}"] = trend.drop(columns=["point"]).astype(str).values.tolist()
    seen["workshops"] = sorted(
        map(
            tuple,
            store._frame(
                "SELECT organisation, title, held_on, date_precision, country FROM workshops WHERE import_id IS NOT NULL"
                " OR id IN (SELECT workshop_id FROM rounds WHERE state IN ('closed', 'revealed'))"
            ).values.tolist(),
        )
    )
    return seen


def exported_csv_files(store: Store) -> list[tuple[str, bytes]]:
    everything = CompareFilter(perspectives=())
    return [
        ("cards.csv", csv_bytes(store.export_rows(everything))),
        ("answers.csv", csv_bytes(store.answer_rows(everything))),
        ("analyses.csv", csv_bytes(store.analysis_rows(everything))),
    ]


def test_the_csv_exports_import_into_a_fresh_database_with_the_same_tables(history, tmp_path):
    before = views(history)
    assert before["published 0"][:2] == [
        ["Survey", "2011-01-01", "year", "abc-02", "1"],
        ["Survey", "2011-01-01", "year", "abc-01", "2"],
    ]
    assert any("2019-09-01" in str(row) and "month" in str(row) for row in before["workshops"])
    # Desk's value scores: live 5, 3, 5 and imported 4 (twice); the live 2 for risks is off the shortlist, and so is Ops'
    # imported card. Beta Bank's Desk scored another deck's card 3 (four times) for its outcomes.
    assert before["impact severity 0 team"] == [
        ["Desk", "costs", "1.0", "1", "1", "0"],
        ["Desk", "outcomes", "3.0", "4", "1", "0"],
        ["Desk", "value", "4.2", "5", "2", "4"],
    ]
    everything = CompareFilter(perspectives=())
    assert history.analysis_export_size(everything) == len(history.analysis_rows(everything)) == 17, (
        "a line per heading and severity scored (live 5, 3, 5 are two), per decision and per action"
    )
    other, _ = fresh(tmp_path, "other")
    record = other.import_results("cards.csv + answers.csv + analyses.csv", exported_csv_files(history))
    assert record.summary.startswith("9 workshops"), "the three files are one import: a workshop's cards, poll and analyses meet"
    after = views(other)
    for name in before:
        assert after[name] == before[name], name
    other.close()


def test_the_csv_exports_imported_one_after_the_other_give_the_same_tables(history, tmp_path):
    before = views(history)
    other, _ = fresh(tmp_path, "one-by-one")
    records = [other.import_results(name, data) for name, data in exported_csv_files(history)]
    assert records[1].summary == "1 workshop, 109 answers to 4 statements (some of it added to 1 workshop of an earlier import)"
    assert records[2].summary.startswith("added to 3 workshops of an earlier import: analyses of 5 cards")
    assert views(other) == before
    other.close()


def european(book, sheet: str) -> bytes:
    """A sheet of the workbook as Excel saves it as CSV in a European locale: semicolons, day-first dates, Windows-1252."""
    rows = list(book[sheet].iter_rows(values_only=True))
    table = pd.DataFrame(rows[1:], columns=rows[0])
    for column in ("date", "due"):
        if column in table:
            day = table[column].str.len() == 10
            table.loc[day, column] = table.loc[day, column].map(lambda iso: f"{iso[8:]}.{iso[5:7]}.{iso[:4]}")
    return table.to_csv(index=False, sep=";").encode("cp1252")


def test_the_workbook_imports_directly_and_again_after_excel_saved_it_the_european_way(history, tmp_path):
    before = views(history)
    data = workbook(history, CompareFilter(perspectives=()), "everything")
    other, _ = fresh(tmp_path, "from-workbook")
    record = other.import_results("abc-compare.xlsx", data)
    assert "published ranking" in record.summary and "answers" in record.summary and "analyses of 5 cards" in record.summary
    assert views(other) == before
    other.close()

    book = openpyxl.load_workbook(io.BytesIO(data))
    counts, analyses = european(book, "Card counts"), european(book, "Team analyses")
    assert b";" in counts.splitlines()[0] and b"01.03.2023" in counts
    assert b"30.06.2023" in analyses and b'"Costs us; customers"' in analyses and b"'=SUM(A1)" in analyses
    again, _ = fresh(tmp_path, "from-excel")
    answers = csv_bytes(history.answer_rows(CompareFilter(perspectives=())))
    again.import_results(
        "edited", [("edited in Excel.csv", counts), ("answers.csv", answers), ("analyses edited in Excel.csv", analyses)]
    )
    assert views(again) == before
    again.close()
