"""Pages follow the room without a reload: through the event stream, and by polling when the stream is cut.

Three phones, the projector and the facilitator are open before anything happens; the facilitator then
opens, closes and reveals the round from the page, and every screen follows. One more phone cannot reach
the event stream at all (its requests to /live/ are refused, as a proxy that does not pass them would,
the deck's address included): it falls back to polling, gets the cards with the page, and follows just
the same.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
QUESTION = "Which of these do you see in our department?"


@pytest.fixture
def room(app_url, app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Follow test", "Follow Org", team_names=["Desk", "Ops"], creator_key=door_key)
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    store.create_round(workshop.id, key, RoundSpec(QUESTION, deck.id, pick_limit=2))
    people = [store.join(workshop.id, f"Phone {i}", teams[i % 2].id) for i in range(4)]
    yield store, workshop, key, people, [c.title for c in store.cards(deck.id)]
    store.close()


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_phones_projector_and_facilitator_follow_open_close_reveal(app_url, new_page, room):
    store, workshop, key, people, titles = room
    phones = []
    for index, person in enumerate(people):
        phone = new_page(f"phone{index}", **PHONE)
        if index == 3:
            phone.route("**/live/**", lambda route: route.abort())  # this phone never reaches the stream
        phone.goto(f"{app_url}/vote?w={workshop.join_code}&p={person.token}")
        expect(phone.get_by_text("Waiting for the facilitator to open a round")).to_be_visible()
        phones.append(phone)
    projector = new_page("projector", viewport={"width": 1920, "height": 1080})
    projector.goto(f"{app_url}/projector?w={workshop.join_code}")
    expect(projector.get_by_text(workshop.join_code).first).to_be_visible()
    facilitator = new_page("facilitator", viewport={"width": 1366, "height": 768})
    facilitator.goto(f"{app_url}/facilitate?w={workshop.join_code}")
    facilitator.get_by_label("Facilitator key", exact=True).fill(key)
    click(facilitator, "Unlock")
    facilitator.get_by_role("radio", name="Rounds", exact=True).click()

    click(facilitator, "Open voting")
    for phone in phones:
        expect(phone.get_by_text("0 of 2 picked", exact=True)).to_be_visible()
    expect(projector.get_by_test_id("live-progress")).to_have_text("0 of 4 have voted")

    voters = (phones[0], phones[3])  # one phone on the stream, one polling
    for phone in voters:
        phone.get_by_role("button", name=titles[0], exact=True).click()
        click(phone, "Submit my 1 card")
        expect(phone.get_by_text("Your ballot is saved (1 card)")).to_be_visible()
    expect(projector.get_by_test_id("live-progress")).to_have_text("2 of 4 have voted")
    expect(facilitator.get_by_text("2 of 4 have voted")).to_be_visible()

    click(facilitator, "Close voting")
    for phone in phones:
        expect(phone.get_by_text("Voting has closed. Watch the screen for the result.")).to_be_visible()
        mine = titles[0] if phone in voters else "You did not vote in this round."
        expect(phone.get_by_text(mine, exact=True)).to_be_visible()
        expect(phone.get_by_role("button", name="Submit my 1 card")).to_have_count(0)

    click(facilitator, "Reveal")
    for phone in phones:
        expect(phone.get_by_text("2 participants voted")).to_be_visible()
    expect(projector.locator(".pj-result")).to_contain_text(titles[0])
    assert store.round(store.workshop(workshop.id).current_round_id).state.value == "revealed"
