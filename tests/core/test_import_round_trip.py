"""Export -> import into a fresh database gives the same tables for every card and statement view, on a history
with every kind of record: live ballots, a live poll, imported ranked and unranked picks, counts per team, published
rankings dated by year and by month, statement answers, and another deck whose cards count as the default deck's.

The team analyses behind the Impact view are not part of the export (README.md, Comparing workshops)."""

from __future__ import annotations

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
STATEMENTS = ["We are still not customer focused enough in IT", "IT listens"]
FILTERS = [
    CompareFilter(),
    CompareFilter(perspectives=("recognise",)),
    CompareFilter(perspectives=("resistance",)),
    CompareFilter(perspectives=("recognise",), teams=("Desk",)),
    CompareFilter(countries=("Netherlands",)),
    CompareFilter(date_from="2011-01-01", date_to="2019-12-31"),
]


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
    yield store
    store.close()


def views(store: Store) -> dict[str, list]:
    """Every card and statement view's table, keyed by what does not depend on row ids."""
    seen: dict[str, list] = {}
    for n, f in enumerate(FILTERS):
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
        gap_cards, gap_sizes = store.perspective_gap(f)
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


def test_the_csv_exports_import_into_a_fresh_database_with_the_same_tables(history, tmp_path):
    before = views(history)
    assert before["published 0"][:2] == [
        ["Survey", "2011-01-01", "year", "abc-02", "1"],
        ["Survey", "2011-01-01", "year", "abc-01", "2"],
    ]
    assert any("2019-09-01" in str(row) and "month" in str(row) for row in before["workshops"])
    other, _ = fresh(tmp_path, "other")
    everything = CompareFilter(perspectives=())
    files = [
        ("cards.csv", csv_bytes(history.export_rows(everything))),
        ("answers.csv", csv_bytes(history.answer_rows(everything))),
    ]
    record = other.import_results("cards.csv + answers.csv", files)
    assert record.summary.startswith("9 workshops"), "the two files are one import: a workshop's cards and its poll meet"
    after = views(other)
    for name in before:
        assert after[name] == before[name], name
    other.close()


def test_the_workbook_imports_directly_and_again_after_excel_saved_it_the_european_way(history, tmp_path):
    before = views(history)
    data = workbook(history, CompareFilter(perspectives=()), "everything")
    other, _ = fresh(tmp_path, "from-workbook")
    record = other.import_results("abc-compare.xlsx", data)
    assert "published ranking" in record.summary and "answers" in record.summary
    assert views(other) == before
    other.close()

    book = openpyxl.load_workbook(io.BytesIO(data))
    counts = pd.DataFrame(
        list(book["Card counts"].iter_rows(values_only=True))[1:], columns=[c.value for c in book["Card counts"][1]]
    )
    day = counts["date"].str.len() == 10
    counts.loc[day, "date"] = counts.loc[day, "date"].map(lambda iso: f"{iso[8:]}.{iso[5:7]}.{iso[:4]}")
    european = counts.to_csv(index=False, sep=";").encode("cp1252")
    assert b";" in european.splitlines()[0] and b"01.03.2023" in european
    again, _ = fresh(tmp_path, "from-excel")
    answers = csv_bytes(history.answer_rows(CompareFilter(perspectives=())))
    again.import_results("edited", [("edited in Excel.csv", european), ("answers.csv", answers)])
    assert views(again) == before
    again.close()
