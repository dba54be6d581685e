"""The compare page in a real browser: a lead filters a small imported history and downloads the Excel export.

The history is imported straight into the server's database file (WAL lets two processes share it) under
organisation names no other test uses, and undone afterwards.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

# Browser North: 15 ballots (Desk 6 + Ops 4 in 2023, Desk 5 in 2024); abc-06 (A) picked 6 times, abc-02 (C) 5 times.
HISTORY = b"""organisation,workshop,date,country,team,perspective,card,picks,participants
Browser North,North 2023,2023-02-01,Netherlands,Desk,recognise,abc-06,5,6
Browser North,North 2023,2023-02-01,Netherlands,Desk,recognise,abc-02,2,6
Browser North,North 2023,2023-02-01,Netherlands,Ops,recognise,abc-02,3,4
Browser North,North 2024,2024-02-01,Netherlands,Desk,recognise,abc-06,1,5
Browser South,South 2024,2024-03-01,Belgium,Desk,recognise,abc-09,7,7
"""


@pytest.fixture
def history(app_url, app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    record = store.import_results("browser-history.csv", HISTORY)
    yield record
    store.undo_import(record.id, door_key)  # other tests' workshops are here: undoing needs a key
    store.close()


def metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_a_lead_filters_the_history_and_downloads_the_excel_export(new_page, app_url, history, tmp_path):
    page = new_page("lead", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{app_url}/compare")
    expect(page.get_by_role("heading", name="Compare workshops")).to_be_visible()

    organisation = page.get_by_role("combobox", name="Organisation")
    organisation.click()
    page.get_by_role("option", name="Browser North", exact=True).click()
    page.keyboard.press("Escape")
    expect(metric(page, "Ballots")).to_have_text("15")
    expect(metric(page, "Workshops")).to_have_text("2")
    expect(page.get_by_test_id("stPlotlyChart")).to_be_visible()

    page.get_by_role("button", name="A · Attitude").click()
    expect(page).to_have_url(re.compile(r"org=Browser\+North.*&type=A"))  # the view is in the address: it can be shared

    page.get_by_role("tab", name="Export").click()
    export = page.get_by_role("tabpanel", name="Export")
    export.get_by_role("button", name="Build Excel workbook").click()  # built on request, with a progress bar
    button = export.get_by_role("button", name="Download Excel workbook")
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    book = openpyxl.load_workbook(saved)
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Selection"] == "We recognise this in our organisation · Browser North · Attitude cards"
    assert about["Participants' ballots"] == 15
    top = list(book["Top cards"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[4], row[5]) for row in top] == [("abc-06", "A", 6, 15)], "only attitude cards, of North only"
    counts = list(book["Card counts"].iter_rows(min_row=2, values_only=True))
    assert {(row[1], row[4], row[8], row[11]) for row in counts} == {
        ("North 2023", "Desk", "abc-06", 5),
        ("North 2024", "Desk", "abc-06", 1),
    }
