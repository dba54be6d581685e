"""After the vote in real browsers: two teammates write notes at the same moment; both survive, both
screens show both, and the facilitator's report download contains them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture
def revealed_workshop(app_db_path, door_key):
    """A revealed round in which two Service Desk members voted, set up through the store."""
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop(
        "Notes test", "Notes Org", team_names=["Service Desk", "Operations"], creator_key=door_key
    )
    team = store.teams(workshop.id)[0]
    deck = store.decks()[0]
    rnd = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which do you recognise?", deck.id, pick_limit=3)).id, key
    )
    cards = [c.id for c in store.cards(deck.id)[:3]]
    people = [store.join(workshop.id, name, team.id) for name in ("Dana", "Eli")]
    for person in people:
        store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, cards)
    store.reveal_round(rnd.id, key)
    yield workshop, key, people
    store.close()


def test_two_teammates_write_at_once_and_the_report_keeps_both(app_url, new_page, revealed_workshop):
    workshop, key, (dana, eli) = revealed_workshop
    pages = []
    for person in (dana, eli):
        page = new_page(person.display_name, viewport={"width": 1280, "height": 1000})
        page.goto(f"{app_url}/team?w={workshop.join_code}&p={person.token}")
        expect(page.get_by_text("Service Desk · after the vote")).to_be_visible()
        pages.append(page)

    notes = {"Dana": "Damaged business reputation", "Eli": "Lost revenue from late fixes"}
    # Both type at once; then each submits as soon as the other's note has landed. (Back-to-back
    # submits can meet a Streamlit 1.67 race that drops a finished run's output under load, see
    # bench/README.md; the store's thread test covers truly simultaneous writes.)
    # The box of the card on show: role locators see only the visible tab panel, never a hidden card's box.
    boxes = [page.get_by_role("tabpanel").get_by_label("Add a note on risks") for page in pages]
    for box, text in zip(boxes, notes.values()):
        box.fill(text)
    for page, box, text in zip(pages, boxes, notes.values()):
        box.press("Enter")
        expect(page.get_by_text(text)).to_be_visible()

    for page in pages:
        for text in notes.values():
            expect(page.get_by_text(text)).to_be_visible()

    facilitator = new_page("facilitator", viewport={"width": 1280, "height": 1000})
    facilitator.goto(f"{app_url}/facilitate?w={workshop.join_code}")
    facilitator.get_by_label("Facilitator key", exact=True).fill(key)
    facilitator.get_by_role("button", name="Unlock").click()
    facilitator.get_by_role("radio", name="After the vote", exact=True).click()
    facilitator.get_by_role("button", name="Build Report (HTML)").click()
    with facilitator.expect_download() as download_info:
        facilitator.get_by_role("button", name="Download Report (HTML)").click()
    html = download_info.value.path().read_text(encoding="utf-8")
    for text in notes.values():
        assert text in html
    assert "Notes test" in html and "Service Desk" in html
