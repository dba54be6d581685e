"""axe-core in real Chromium: no critical and no serious violations on the pages people use.

axe-core comes from npm (tests/browser/axe/package.json pins it; scripts/test.sh runs `npm ci` there) and is
injected into each page once Streamlit has drawn it. Every page is checked as its users see it, with data
made through the store: a participant's ballot in an open round, a team's workspace after the reveal, the
facilitator's sections, a survey, and the compare and decks pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page, expect

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import PollScale, RoundSpec
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DRAWN = 30_000  # ms: a cold page on a loaded 2-core machine
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def workshop(app_db_path, door_key):
    """A workshop with a revealed first round (teams have a shortlist), an open second round and an open poll."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/browser/axe (scripts/test.sh does it)", pytrace=False)
    store = Store(app_db_path)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop(
        "Accessible workshop", "Axe Org", team_names=["Service Desk", "Operations"], creator_key=door_key
    )
    teams = store.teams(workshop.id)
    deck = store.decks()[0].id
    cards = [c.id for c in store.cards(deck)]
    first = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which do you recognise?", deck, pick_limit=3)).id, key
    )
    ann = store.join(workshop.id, "Ann", teams[0].id)
    bob = store.join(workshop.id, "Bob", teams[1].id)
    store.submit_ballot(workshop.id, ann.token, first.id, first.attempt, cards[:3])
    store.submit_ballot(workshop.id, bob.token, first.id, first.attempt, cards[1:4])
    store.reveal_round(first.id, key)
    store.ensure_shortlist(first.id, teams[0].id)
    topic = store.team_topics(first.id, teams[0].id)[0]
    store.add_note(workshop.id, topic.id, "value", "Projects deliver late", token=ann.token)
    poll = store.create_poll(
        workshop.id, key, "Customer focus", ["We are still not customer focused enough in IT"], PollScale.AGREE3
    )
    store.open_poll(poll.id, key, None)
    second = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which would our users pick?", deck, pick_limit=3)).id, key
    )
    yield {"workshop": workshop, "key": key, "ann": ann, "poll": poll, "round": second, "first": first}
    store.close()


def _selector(part) -> str:
    """axe names an element inside a shadow root as a list: the host's selector, then the one inside."""
    return " >> ".join(part) if isinstance(part, list) else part


def violations(page: Page) -> list[str]:
    """axe-core's critical and serious findings on the page as drawn, one readable line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    lines = []
    for rule in found:
        if rule["impact"] in BLOCKING:
            targets = ", ".join(" ".join(_selector(part) for part in node["target"]) for node in rule["nodes"][:4])
            lines.append(f"{rule['impact']} {rule['id']}: {rule['help']} ({len(rule['nodes'])}x: {targets})")
    return lines


def drawn(page: Page, url: str, text: str) -> Page:
    page.goto(url)
    expect(page.get_by_text(text).first).to_be_visible(timeout=DRAWN)
    expect(page.get_by_test_id("stStatusWidget").get_by_text("Running")).to_have_count(0, timeout=DRAWN)
    return page


def test_start_page(app_url, new_page):
    page = drawn(new_page("start", viewport={"width": 1366, "height": 768}), app_url, "ABC")
    assert violations(page) == []


def test_vote_page_with_an_open_ballot(app_url, new_page, workshop):
    w, ann = workshop["workshop"], workshop["ann"]
    page = drawn(
        new_page("vote", viewport={"width": 390, "height": 844}),
        f"{app_url}/vote?w={w.join_code}&p={ann.token}",
        "Which would our users pick?",
    )
    assert violations(page) == []


def test_team_page(app_url, new_page, workshop):
    w, ann = workshop["workshop"], workshop["ann"]
    page = drawn(
        new_page("team", viewport={"width": 390, "height": 844}),
        f"{app_url}/team?w={w.join_code}&p={ann.token}",
        "Projects deliver late",
    )
    assert violations(page) == []


@pytest.mark.parametrize(
    ("section", "label", "text"),
    [
        ("room", "Room", "Join code"),
        ("rounds", "Rounds", "Enter a paper ballot"),
        ("after", "After the vote", "Projects deliver late"),
        ("polls", "Polls", "Customer focus"),
    ],
)
def test_facilitator_sections(app_url, new_page, workshop, section, label, text):
    w = workshop["workshop"]
    page = drawn(
        new_page(f"facilitator-{section}", viewport={"width": 1366, "height": 768}),
        f"{app_url}/facilitate?w={w.join_code}",
        "needs its facilitator key",
    )
    page.get_by_label("Facilitator key", exact=True).fill(workshop["key"].lower())
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("radio", name=label, exact=True).click()
    expect(page.get_by_text(text).first).to_be_visible(timeout=DRAWN)
    if section != "room":  # the default section leaves the URL clean
        name_in_url = "(\\+|%20)".join(re.escape(quote_plus(word)) for word in label.split())
        expect(page).to_have_url(re.compile(f"[?&]section={name_in_url}(&|$)"), timeout=DRAWN)
    expect(page.get_by_test_id("stStatusWidget").get_by_text("Running")).to_have_count(0, timeout=DRAWN)
    assert violations(page) == []


def test_survey_page(app_url, new_page, workshop):
    page = drawn(
        new_page("survey", viewport={"width": 390, "height": 844}),
        f"{app_url}/survey?s={workshop['poll'].survey_code}",
        "Customer focus",
    )
    assert violations(page) == []


def test_compare_page(app_url, new_page, workshop):
    page = drawn(new_page("compare", viewport={"width": 1366, "height": 768}), f"{app_url}/compare", "Compare")
    assert violations(page) == []


def test_decks_page(app_url, new_page):
    page = drawn(new_page("decks", viewport={"width": 1366, "height": 768}), f"{app_url}/decks", "Decks")
    assert violations(page) == []
