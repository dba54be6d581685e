"""People's text in a real browser: a participant joins a team named with a tracking-pixel image, votes on cards
named with markdown, reads the result and writes a note; the facilitator looks at the team's work. Every text
shows as typed, no link is drawn from it and nothing is fetched from the addresses it names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.shown_text import JOINER
from abc_workshop.store import Store
from tests.browser.test_accessibility import DRAWN
from tests.payloads import PAYLOADS, TRACKER

pytestmark = pytest.mark.browser

TEAM = f"![t]({TRACKER})"  # the audit's tracking pixel, as a team name
ONE_LINE = [p for p in PAYLOADS if "\n" not in p]
OUTSIDE = re.compile(r"track\.example|e\.ex\b")


def deck_file() -> bytes:
    rows = ["id,type,theme,title,description"]
    for i, text in enumerate(ONE_LINE):
        quoted = '"' + text.replace('"', '""') + '"'
        rows.append(f"p-{i},{'ABC'[i % 3]},{quoted},{quoted},{quoted}")
    return "\n".join(rows).encode()


@pytest.fixture
def workshop(app_db_path, door_key):
    """A workshop whose title, organisation, teams, question, perspective and cards are payloads; a round is open."""
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop(
        PAYLOADS[0], PAYLOADS[2], team_names=[TEAM, PAYLOADS[5], PAYLOADS[7], "$& $' {n} {team}"], creator_key=door_key
    )
    deck = store.import_deck(workshop.id, key, "Payload deck " + workshop.join_code, "deck.csv", deck_file())
    spec = RoundSpec(question=PAYLOADS[4], deck_id=deck.id, pick_limit=2, perspective="custom", perspective_label=PAYLOADS[3])
    rnd = store.open_round(store.create_round(workshop.id, key, spec).id, key)
    yield store, workshop, key, rnd
    store.close()


def shown(locator) -> list[str]:
    """The texts a locator's elements show, without the invisible word joiners (abc_workshop/shown_text.py)."""
    return [" ".join(text.replace(JOINER, "").split()) for text in locator.all_inner_texts()]


def nothing_from_people(page) -> None:
    """No link or image from people's text on the page, and no request for the addresses it names."""
    assert page.locator("a[href*='e.ex'], a[href*='track.example'], a[href^='mailto:']").count() == 0
    assert page.locator("img[src*='track.example'], img[src='x']").count() == 0


def test_a_participant_s_journey_through_payload_text(app_url, new_page, workshop):
    store, w, key, rnd = workshop
    phone = new_page("phone", viewport={"width": 400, "height": 900})
    fetched: list[str] = []
    phone.context.on("request", lambda request: fetched.append(request.url))

    phone.goto(f"{app_url}/vote?w={w.join_code}")
    expect(phone.get_by_role("radiogroup", name="Your team")).to_be_visible(timeout=DRAWN)
    assert shown(phone.get_by_role("heading", level=1)) == [" ".join(PAYLOADS[0].split())]
    teams = phone.get_by_role("radiogroup", name="Your team")
    options = shown(teams.locator("label"))
    assert [" ".join(t.split()) for t in (TEAM, PAYLOADS[5], PAYLOADS[7], "$& $' {n} {team}")] == options[:4]
    nothing_from_people(phone)

    phone.get_by_label("Your name (leave empty to stay anonymous)").fill("$& {n} <b>Bea</b>")
    teams.locator("label").filter(has_text="$&").click()
    phone.get_by_role("button", name="Join").click()
    ballot = phone.locator(".phone")
    expect(ballot.locator(".ballot-question")).to_have_text(PAYLOADS[4].replace("\n", " "), timeout=DRAWN)
    expect(phone.get_by_text("You: $& {n} <b>Bea</b> · team $& $' {n} {team}")).to_be_visible()
    titles = shown(ballot.locator(".ballot-title"))
    assert sorted(titles) == sorted(" ".join(t.split()) for t in ONE_LINE)
    ballot.locator(".ballot-pick").filter(has_text="Click to re-join").click()
    ballot.locator(".ballot-pick").filter(has_text="![t]").click()
    ballot.locator(".ballot-submit").click()
    expect(ballot.locator(".ballot-status")).to_contain_text("2", timeout=DRAWN)
    nothing_from_people(phone)

    store.reveal_round(rnd.id, key)
    expect(ballot.locator(".phone-question")).to_contain_text(PAYLOADS[4].replace("\n", " "), timeout=DRAWN)
    expect(ballot.locator(".phone-heading").first).to_contain_text("$& $' {n} {team}")
    team_link = ballot.locator("a.phone-link")
    expect(team_link).to_contain_text("Work on $& $' {n} {team}'s top cards")
    team_link.click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("$& $' {n} {team} · after the vote", timeout=DRAWN)
    tabs = shown(phone.get_by_role("tab"))
    assert {re.sub(r"^\d+\. ", "", t) for t in tabs} <= {" ".join(t.split()) for t in ONE_LINE}
    note = f"See {TRACKER} and [this](https://e.ex/n) &copy; :smile: -- ok"
    box = phone.get_by_role("tabpanel").get_by_label("Add a note on value")
    box.fill(note)
    box.press("Enter")
    written = phone.get_by_role("tabpanel").locator("p").filter(has_text="See https")
    expect(written).to_be_visible(timeout=DRAWN)
    assert shown(written)[0].startswith(note + " — "), shown(written)  # as typed, then its author
    nothing_from_people(phone)

    phone.goto(f"{app_url}/vote?w={PAYLOADS[0]}")
    alert = phone.get_by_test_id("stAlert")
    expect(alert).to_contain_text("No workshop has the join code", timeout=DRAWN)
    assert f"No workshop has the join code '{PAYLOADS[0]}'" in shown(alert)[0]
    nothing_from_people(phone)
    # The app's own address may carry the payload (the /vote?w= above); nothing else may name its hosts.
    assert [url for url in fetched if not url.startswith(app_url) and OUTSIDE.search(url)] == []
