"""One person, two tabs: a tab that comes back into view shows what the other tab saved, not its own old ballot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def switch_to(tab) -> None:
    """The person switches to this tab. Headless Chromium keeps every tab visible and focused and sends no
    event when one is brought to the front, so the event a real browser sends is sent here."""
    tab.bring_to_front()
    tab.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


@pytest.fixture
def open_round(app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Two tabs", "Tabs Org", team_names=["Desk"], creator_key=door_key)
    deck = store.decks()[0]
    rnd = store.open_round(store.create_round(workshop.id, key, RoundSpec("Which do you see?", deck.id, pick_limit=3)).id, key)
    person = store.join(workshop.id, "Tab Tess", store.teams(workshop.id)[0].id)
    yield store, workshop, rnd, person, [c.title for c in store.cards(deck.id)]
    store.close()


def test_a_tab_back_in_view_shows_the_ballot_another_tab_saved(app_url, new_page, open_round):
    store, workshop, rnd, person, titles = open_round
    first = new_page("first-tab", **PHONE)
    second = first.context.new_page()  # the same browser, another tab
    for tab in (first, second):
        tab.goto(f"{app_url}/vote?w={workshop.join_code}&p={person.token}")
        expect(tab.get_by_text("0 of 3 picked", exact=True)).to_be_visible()

    switch_to(first)
    for title in titles[:3]:
        first.get_by_role("button", name=title, exact=True).click()
    first.get_by_role("button", name="Submit my 3 cards").click()
    expect(first.get_by_text("Your ballot is saved (3 cards)", exact=False)).to_be_visible()

    switch_to(second)  # it was opened before anything was saved; back in view, it shows what the first tab saved
    expect(second.get_by_text("Your ballot is saved (3 cards)", exact=False)).to_be_visible()
    second.get_by_role("button", name=titles[0], exact=True).click()
    second.get_by_role("button", name="Submit my 2 cards").click()
    expect(second.get_by_text("Your ballot is saved (2 cards)", exact=False)).to_be_visible()

    switch_to(first)
    expect(first.get_by_text("Your ballot is saved (2 cards)", exact=False)).to_be_visible()
    expect(first.get_by_role("button", name=titles[0], exact=True)).to_have_attribute("aria-pressed", "false")
    for title in titles[1:3]:
        expect(first.get_by_role("button", name=title, exact=True)).to_have_attribute("aria-pressed", "true")
    saved = store.ballot_cards(person.id, rnd.id, rnd.attempt)
    assert sorted(saved) == sorted(c.id for c in store.cards(rnd.deck_id) if c.title in titles[1:3])
