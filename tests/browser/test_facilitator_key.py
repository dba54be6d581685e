"""The facilitator key in a real browser: shown once in a dialog with copy and download, never on the page behind
it, typed back in small letters it still unlocks, and the dialog passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import DRAWN, violations

pytestmark = pytest.mark.browser


def test_the_key_is_shown_once_in_a_dialog_and_typed_back_in_any_case(app_url, new_page, door_key):
    page = new_page("facilitator", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page.goto(f"{app_url}/facilitate")
    page.get_by_label("Workshop title").fill("Key test workshop")
    page.get_by_label("Organisation").fill("Key Org")
    page.get_by_label("Your facilitator key").fill(door_key)  # the server has workshops: a new one needs a key of one
    page.get_by_role("button", name="Create workshop").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("it is shown only once")).to_be_visible(timeout=DRAWN)
    key = dialog.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(r"[ACEFGHKMNPRTWXY34679]{4}(-[ACEFGHKMNPRTWXY34679]{4}){3}", key)
    expect(dialog.get_by_text("small or capital letters")).to_be_visible()
    assert violations(page) == []
    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Download the key (text file)").click()
    saved = download_info.value.path().read_text(encoding="utf-8")
    assert f"Facilitator key: {key}" in saved and "Key test workshop" in saved
    dialog.get_by_role("button", name="I have saved the key").click()
    expect(page.get_by_role("dialog")).to_have_count(0, timeout=DRAWN)
    expect(page.get_by_text("Join code")).to_be_visible()
    expect(page.get_by_text(key)).to_have_count(0)
    code = re.search(r"[?&]w=([A-Z0-9]+)", page.url).group(1)

    other = new_page("other-laptop", viewport={"width": 1366, "height": 768})
    other.goto(f"{app_url}/facilitate?w={code}")
    other.get_by_label("Facilitator key", exact=True).fill(key.lower().replace("-", " "))
    other.get_by_role("button", name="Unlock").click()
    expect(other.get_by_role("radiogroup", name="Section")).to_be_visible(timeout=DRAWN)
    expect(other.get_by_role("dialog")).to_have_count(0)
