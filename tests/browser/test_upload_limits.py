"""Every uploader states its real limit, as a real browser draws it. Streamlit writes an uploader's limit in whole
megabytes under its drop zone; a deck file may have 512 KB, so the deck uploader hides that line and its label says
the limit, while the import uploader's own line says its 20 MB."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store
from tests.browser.test_accessibility import DRAWN

pytestmark = pytest.mark.browser


@pytest.fixture
def workshop(app_url, app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    yield store.create_workshop("Upload limits", "Upload Limits Org", creator_key=door_key)
    store.close()


def test_the_deck_and_import_uploaders_say_their_own_limits(app_url, new_page, workshop):
    created, key = workshop
    page = new_page("facilitator", viewport={"width": 1366, "height": 768})
    page.goto(f"{app_url}/facilitate?w={created.join_code}")
    page.get_by_label("Facilitator key", exact=True).fill(key)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("radio", name="Decks", exact=True).click()
    deck = page.get_by_test_id("stFileUploader").filter(has_text="Deck file")
    expect(deck.get_by_text("Deck file (CSV, at most 512 KB)")).to_be_visible(timeout=DRAWN)
    expect(deck.get_by_test_id("stFileUploaderDropzone")).to_be_visible()
    streamlit_line = deck.get_by_test_id("stFileUploaderDropzoneInstructions")
    expect(streamlit_line).to_have_count(1)
    expect(streamlit_line).to_be_hidden()

    page.goto(f"{app_url}/compare?view=Import")
    imports = page.get_by_role("tabpanel", name="Import").get_by_test_id("stFileUploaderDropzoneInstructions")
    expect(imports).to_contain_text("20MB per file", timeout=DRAWN)
