"""The projector in a real browser at 1920x1080: a round that opens takes the screen from a poll, and with
30 teams every view fits the screen (no scrolling) with no text under 28 px.

The room is made through the store (tests/browser/room_at_size.py) on the server's own database file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store
from tests.browser.room_at_size import build

pytestmark = pytest.mark.browser

FULL_HD = {"viewport": {"width": 1920, "height": 1080}}
FOLLOW = 20_000  # ms: the projector polls every 1-2 s; a cold browser on a loaded 2-core machine is slow
MIN_FONT_PX = 28

# Every element with its own visible text inside Streamlit's main area: the smallest font size, and the
# heights that tell whether anything would scroll.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  let smallest = Infinity, where = '';
  for (const el of main.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility !== 'visible' || style.display === 'none') continue;
    const size = parseFloat(style.fontSize);
    if (size < smallest) { smallest = size; where = el.textContent.trim().slice(0, 60); }
  }
  return {smallest, where, page: document.scrollingElement.scrollHeight, main: main.scrollHeight, viewport: innerHeight};
}"""


@pytest.fixture(scope="module")
def room(app_db_path):
    store = Store(app_db_path, server_key="room-at-size-test-key")  # only this test's own Store accepts it
    store.load_shipped_decks(CARDS_DIR)
    yield store, build(store)
    store.close()


def assert_fits_and_readable(page: Page, view: str) -> None:
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=FOLLOW)
    seen = page.evaluate(MEASURE)
    assert seen["page"] <= seen["viewport"] and seen["main"] <= seen["viewport"], f"{view} scrolls: {seen}"
    assert seen["smallest"] >= MIN_FONT_PX, f"{view}: {seen['where']!r} is {seen['smallest']} px"


def test_opening_a_round_takes_the_projector_from_a_poll(app_url, new_page, room):
    store, big = room
    key, code = big.key, big.workshop.join_code
    store.show_poll_on_projector(big.poll_id, key, True)
    projector = new_page("projector", **FULL_HD)
    projector.goto(f"{app_url}/projector?w={code}")
    expect(projector.get_by_text("answer on your voting page")).to_be_visible(timeout=FOLLOW)

    store.open_round(big.next_round_id, key)
    expect(projector.get_by_text("Which of these hurt our customers most?")).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".join-code")).to_have_text(code)
    qr = projector.get_by_role("img", name=re.compile(r"^QR code to join the workshop: \S+vote\?w=" + code + "$"))
    expect(qr).to_be_visible()
    assert projector.evaluate("img => img.naturalWidth > 0 && img.getBoundingClientRect().width >= 300", qr.element_handle())
    expect(projector.get_by_text(re.compile(r"^120 joined$"))).to_be_visible()
    expect(projector.get_by_text("answer on your voting page")).to_have_count(0)
    store.reset_round(big.next_round_id, key, "Only a test of the join screen")  # a draft again, for the next test


def test_with_30_teams_every_view_fits_1080p_in_28_px_or_more(app_url, new_page, room):
    store, big = room
    wid, key, code = big.workshop.id, big.key, big.workshop.join_code
    store.open_round(big.next_round_id, key)
    projector = new_page("projector", **FULL_HD)
    fetched: list[str] = []
    projector.on("request", lambda request: fetched.append(request.url))
    projector.goto(f"{app_url}/projector?w={code}")
    expect(projector.locator(".join-code")).to_have_text(code, timeout=FOLLOW)
    assert_fits_and_readable(projector, "join screen")
    store.reset_round(big.next_round_id, key, "Back to round 1's result for the views below")
    store.reopen_round(big.round_id, key)
    store.reveal_round(big.round_id, key)

    expect(projector.get_by_text("120 participants voted", exact=False)).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".pj-row")).to_have_count(10)
    assert_fits_and_readable(projector, "result")

    store.show_next_result_page(wid, key)
    expect(projector.get_by_text("Teams 1-6 of 30", exact=False)).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".pj-team")).to_have_count(6)
    assert_fits_and_readable(projector, "teams' results")

    store.set_projector_view(wid, key, "summary", team_id=store.teams(wid)[29].id)
    expect(projector.get_by_text("Team 30 with a rather long name · our top cards")).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".pj-topic")).to_have_count(3)
    expect(projector.get_by_text("Not acceptable: Our users pay", exact=False).first).to_be_visible()
    assert_fits_and_readable(projector, "team summary")

    store.set_projector_view(wid, key, "iceberg")
    expect(projector.get_by_text("The iceberg · round 1")).to_be_visible(timeout=FOLLOW)
    assert_fits_and_readable(projector, "iceberg")
    labels = projector.locator(".pj-iceberg .pj-label, .pj-iceberg .pj-num, .pj-zone-title")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = min(a["x"] + a["width"], b["x"] + b["width"]) > max(a["x"], b["x"]) and min(
                a["y"] + a["height"], b["y"] + b["height"]
            ) > max(a["y"], b["y"])
            assert not overlap, f"iceberg labels overlap: {a} {b}"

    store.set_projector_view(wid, key, "review")
    expect(projector.get_by_text("What we promised last time", exact=False)).to_be_visible(timeout=FOLLOW)
    expect(projector.locator(".pj-review-row")).to_have_count(9)
    expect(projector.get_by_text("and 3 more actions")).to_be_visible()
    assert_fits_and_readable(projector, "earlier actions")

    store.show_poll_on_projector(big.poll_id, key, True)
    expect(projector.get_by_text("answer on your voting page")).to_be_visible(timeout=FOLLOW)
    assert_fits_and_readable(projector, "poll")
    heavy = [url for url in fetched if "plotly" in url.lower()]
    assert not heavy and fetched, f"the projector fetched a chart library: {heavy}"
