"""A round that shows names to the facilitator says so before anyone votes: in the join form, and on the ballot of
every phone, the one that joined before the round and the one that joins through the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store
from ui.forms import NAMES_SHOWN
from ui.phone import texts

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def named_round(app_url, app_db_path, door_key):
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Named test", "Named Org", team_names=["Desk", "Ops"], creator_key=door_key)
    rnd = store.create_round(workshop.id, key, RoundSpec("Who picks what?", store.decks()[0].id, pick_limit=2, show_names=True))
    early = store.join(workshop.id, "Early", store.teams(workshop.id)[0].id)
    yield store, workshop, key, rnd, early
    store.close()


def test_every_phone_is_told_that_names_are_shown_before_it_votes(app_url, new_page, named_round):
    store, workshop, key, rnd, early = named_round
    first = new_page("early-phone", **PHONE)
    first.goto(f"{app_url}/vote?w={workshop.join_code}&p={early.token}")
    expect(first.get_by_text("Waiting for the facilitator to open a round")).to_be_visible()

    joining = new_page("joining-phone", **PHONE)
    joining.goto(f"{app_url}/vote?w={workshop.join_code}")
    expect(joining.get_by_text(NAMES_SHOWN)).to_be_visible()
    joining.get_by_label("Your name (leave empty to stay anonymous)").fill("Late")
    joining.get_by_role("radiogroup", name="Your team").get_by_text("Ops", exact=True).click()
    joining.get_by_role("button", name="Join").click()
    expect(joining.get_by_text("Waiting for the facilitator to open a round")).to_be_visible()

    store.open_round(rnd.id, key)
    for phone in (first, joining):
        expect(phone.get_by_text(texts()["named"], exact=True)).to_be_visible()
        expect(phone.get_by_text("0 of 2 picked", exact=True)).to_be_visible()
    assert store._value("SELECT count(*) FROM ballots WHERE round_id = ?", (rnd.id,)) == 0, "told before anyone voted"
