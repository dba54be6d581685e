"""The key journey of a lead with a published ranking, in a real browser: a ranks-only file with typographic titles is
imported, two suggested mappings are confirmed in the page, Top cards shows the published order and Trend the rank
change; a second file adds the panel's analysis of a card, which Impact shows; and the export (card counts, then
teams' analyses) imports into a fresh database with the same result.

The organisation name is used by no other test; the imports are undone afterwards, the later first.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import CompareFilter
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

ORGANISATION = "Browser Published"
RANKS = f"""organisation,workshop,date,perspective,rank,card
{ORGANISATION},Survey,2011,resistance,1,Not my responsibility
{ORGANISATION},Survey,2011,resistance,2,Everything has the highest priority….according to the users
{ORGANISATION},Survey,2011,resistance,3,No respect for or understanding of users
{ORGANISATION},Survey,2012,resistance,1,No respect for or understanding of users
{ORGANISATION},Survey,2012,resistance,2,Not my responsibility
{ORGANISATION},Survey,2012,resistance,3,Throwing ITIL solutions over the wall
{ORGANISATION},Survey,2012,resistance,4,Saying ‘Yes’ but meaning ‘No’
"""
EXPECTED = [  # what the file means, once typography is folded and the two mappings are confirmed
    ("2011", "abc-06", 1),
    ("2011", "abc-01", 2),
    ("2011", "abc-22", 3),
    ("2012", "abc-22", 1),
    ("2012", "abc-06", 2),
    ("2012", "abc-13", 3),
    ("2012", "abc-17", 4),
]
ANALYSIS = f"""organisation,workshop,date,team,perspective,card,heading,severity,scores,decision,action,owner,status
{ORGANISATION},Survey,2012,Panel,resistance,abc-22,value,4,3,no,Ask users before we change,Ann,open
{ORGANISATION},Survey,2012,Panel,resistance,abc-22,risks,2,1,,,,
"""
OUR_FILES = ("published-top.csv", "published-analysis.csv")
# Bound filters take their shown wording in the address (Streamlit's query-params binding).
FILTERS = "org=Browser+Published&perspective=Resistance+we+meet+when+we+change"


def published(store: Store) -> list[tuple]:
    rows = store.published_rankings(CompareFilter(organisations=(ORGANISATION,), perspectives=("resistance",)))
    return [(held_on[:4], key, rank) for held_on, key, rank in rows[["held_on", "key", "rank"]].itertuples(index=False)]


def severity(store: Store) -> list[tuple]:
    table = store.severity_by_heading(CompareFilter(organisations=(ORGANISATION,), perspectives=("resistance",)), "team")
    return sorted(table[["label", "heading", "mean_score", "scores"]].itertuples(index=False, name=None))


@pytest.fixture
def server_store(app_url, app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    yield store
    for record in store.imports():  # the latest first: an import that added to another is undone before it
        if record.file_name in OUR_FILES and not record.undone_at:
            store.undo_import(record.id, door_key)  # other tests' workshops are here: undoing needs a key
    store.close()


def test_a_lead_imports_a_published_ranking_and_its_export_round_trips(new_page, app_url, server_store, tmp_path):
    source = tmp_path / "published-top.csv"
    source.write_text(RANKS, encoding="utf-8")
    page = new_page("lead", viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page.goto(f"{app_url}/compare?view=Import")
    expect(page.get_by_role("heading", name="Compare workshops")).to_be_visible()

    panel = page.get_by_role("tabpanel", name="Import")
    panel.locator("input[type=file]").set_input_files(str(source))
    expect(panel.get_by_text("published-top.csv")).to_be_visible()
    panel.get_by_role("button", name="Check and import").click()

    first = panel.get_by_role("combobox", name="“No respect for or understanding of users” (lines 4–5) means")
    second = panel.get_by_role("combobox", name="“Throwing ITIL solutions over the wall” (line 7) means")
    expect(first).to_have_value("abc-22 · IT has no respect for or understanding of customers and users")
    expect(second).to_have_value("abc-13 · Throwing ITIL (IT) solutions over the wall and HOPING people will follow them")
    panel.get_by_role("button", name="Confirm 2 mappings and import").click()
    expect(
        panel.get_by_text(re.compile(r"Import #\d+ from published-top\.csv: 2 workshops, 2 rounds, 2 published rankings"))
    ).to_be_visible()
    assert published(server_store) == EXPECTED

    page.goto(f"{app_url}/compare?{FILTERS}&view=Top+cards")
    top = page.get_by_role("tabpanel", name="Top cards")
    expect(
        top.get_by_text(
            "Survey (2011, Browser Published): 1 Not my responsibility · 2 Everything has the highest "
            "priority...according to the users · 3 IT has no respect for or understanding of customers and users"
        )
    ).to_be_visible()
    expect(
        top.get_by_text(
            re.compile(
                r"Survey \(2012, Browser Published\): 1 IT has no respect .* · 2 Not my responsibility"
                r" · 3 Throwing ITIL \(IT\) solutions .* · 4 Saying 'Yes', but meaning 'No'"
            )
        )
    ).to_be_visible()
    expect(top.get_by_test_id("stPlotlyChart").filter(has_text="Published rankings")).to_be_visible()

    page.get_by_role("tab", name="Trend").click()
    trend = page.get_by_role("tabpanel", name="Trend")
    expect(
        trend.get_by_text(
            re.compile(
                r"IT has no respect for or understanding of customers and users: #3 published \(2011\) → "
                r"#1 published \(2012\)"
            )
        )
    ).to_be_visible()
    expect(trend.get_by_test_id("stPlotlyChart")).to_be_visible()

    analysis = tmp_path / "published-analysis.csv"
    analysis.write_text(ANALYSIS, encoding="utf-8")
    page.get_by_role("tab", name="Import").click()
    panel = page.get_by_role("tabpanel", name="Import")
    panel.locator("input[type=file]").set_input_files(str(analysis))
    # The uploader shortens a long name on screen; its remove button carries it whole.
    expect(panel.get_by_role("button", name="Remove published-analysis.csv")).to_be_visible()
    panel.get_by_role("button", name="Check and import").click()
    expect(
        panel.get_by_text(
            re.compile(
                r"Import #\d+ from published-analysis\.csv: added to 1 workshop of an earlier import: analyses of 1 card "
                r"\(4 severity scores, 1 risk decision, 1 action\)"
            )
        )
    ).to_be_visible()
    assert severity(server_store) == [("Panel", "risks", 2.0, 1), ("Panel", "value", 4.0, 3)]

    page.goto(f"{app_url}/compare?{FILTERS}&view=Impact")
    impact = page.get_by_role("tabpanel", name="Impact")
    expect(impact.get_by_test_id("stPlotlyChart").filter(has_text="Is it an acceptable business risk?")).to_be_visible()
    expect(impact.get_by_test_id("stPlotlyChart").filter(has_text="1 action · 0 open past their due date")).to_be_visible()

    page.get_by_role("tab", name="Export").click()
    export = page.get_by_role("tabpanel", name="Export")
    saved = {}
    for label in ("Card counts (CSV)", "Teams' analyses (CSV)"):
        export.get_by_role("button", name=f"Build {label}").click()
        download_button = export.get_by_role("button", name=f"Download {label}")
        expect(download_button).to_be_visible()
        with page.expect_download() as download:
            download_button.click()
        saved[label] = tmp_path / f"exported {len(saved)}.csv"
        download.value.save_as(saved[label])

    fresh = Store(tmp_path / "fresh.sqlite3")
    fresh.load_shipped_decks(CARDS_DIR)
    record = fresh.import_results("exported.csv", saved["Card counts (CSV)"].read_bytes())
    assert record.summary == "2 workshops, 2 rounds, 2 published rankings"
    assert published(fresh) == EXPECTED, "the same ranks, the same cards, each date at its precision"
    fresh.import_results("exported analyses.csv", saved["Teams' analyses (CSV)"].read_bytes())
    assert severity(fresh) == severity(server_store), "the panel's analysis came back, one file after the other"
    fresh.close()
