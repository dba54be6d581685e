"""A live round in real browsers: the facilitator runs it, the projector and three phones follow it.

Each person has their own browser context (nothing shared, as on separate devices). Waiting is done
with Playwright's web-first assertions; pages follow the facilitator through the server's event stream
(ui/live.py). How fast they follow is measured by bench/live_room.py, not asserted here: the waits are
the suite's default (tests/browser/conftest.py), long enough for a cold browser on a busy machine.
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from abc_workshop.domain import RoundState, VoteRejected
from abc_workshop.store import Store

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PROJECTOR = {"viewport": {"width": 1600, "height": 1000}}

BLAME, NOT_MINE, NINE_TO_FIVE = "Blame culture", "Not my responsibility", "9 to 5 culture"
# (name or None for anonymous, team, cards, browser options): 3x Blame, 2x Not mine, 1x 9 to 5.
PARTICIPANTS = [
    ("Alice", "Service Desk", [BLAME, NOT_MINE, NINE_TO_FIVE], PHONE),
    ("Bob", "Operations", [BLAME, NOT_MINE], DESKTOP),
    (None, "Business users", [BLAME], PHONE),
]


def query_param(page: Page, name: str) -> str:
    values = parse_qs(urlsplit(page.url).query).get(name)
    assert values, f"no ?{name}= in {page.url}"
    return values[0]


def create_workshop(page: Page, app_url: str, door_key: str) -> tuple[str, str]:
    """Fill the facilitator's form (with the key of a workshop here: the server has some); returns the join code and
    the facilitator key shown once."""
    page.goto(f"{app_url}/facilitate")
    page.get_by_label("Workshop title").fill("Browser test workshop")
    page.get_by_label("Organisation").fill("Test Org")
    page.get_by_label("Your facilitator key").fill(door_key)
    expect(page.get_by_label("Teams, one per line")).to_have_value("Service Desk\nOperations\nBusiness users")
    page.get_by_role("button", name="Create workshop").click()
    page.wait_for_url(re.compile(r"[?&]w=[A-Z0-9]+"))
    code = query_param(page, "w")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("it is shown only once")).to_be_visible()
    key_block = dialog.get_by_test_id("stCode").filter(has_text=re.compile(r"^\s*[A-Z0-9]{4}(-[A-Z0-9]{4}){3}\s*$"))
    expect(key_block).to_have_count(1)
    key = key_block.inner_text().strip()
    dialog.get_by_role("button", name="I have saved the key").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    return code, key


def join(page: Page, app_url: str, code: str, name: str | None, team: str) -> str:
    """Open the join link, join with a name (or none) and a team; returns the participant's token."""
    page.goto(f"{app_url}/vote?w={code}")
    if name:
        page.get_by_label("Your name (leave empty to stay anonymous)").fill(name)
    page.get_by_role("radiogroup", name="Your team").get_by_text(team, exact=True).click()
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"[?&]p="))
    expect(page.get_by_text(f"You: {name or 'Anonymous'} · team {team}")).to_be_visible()
    return query_param(page, "p")


def vote(page: Page, cards: list[str], pick_limit: int) -> None:
    """Tap the cards (the ballot answers in the browser) and submit."""
    expect(page.get_by_text(f"0 of {pick_limit} picked")).to_be_visible()
    for picked, title in enumerate(cards, start=1):
        card = page.get_by_role("button", name=title, exact=True)
        card.click()
        expect(card).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_text(f"{picked} of {pick_limit} picked", exact=True)).to_be_visible()
    expect(page.get_by_text("Nothing is saved until you submit.")).to_be_visible()
    submit = page.get_by_role("button", name=f"Submit my {len(cards)} card{'s' if len(cards) != 1 else ''}")
    submit.click()
    expect(page.get_by_text(f"Your ballot is saved ({len(cards)} card{'s' if len(cards) != 1 else ''})")).to_be_visible()


def test_live_round_end_to_end(app_url: str, app_db_path, new_page, door_key) -> None:
    # 1. The facilitator creates the workshop and a 3-pick round, and opens voting.
    facilitator = new_page("facilitator", **DESKTOP)
    code, key = create_workshop(facilitator, app_url, door_key)
    facilitator.get_by_role("radio", name="Rounds", exact=True).click()
    facilitator.get_by_role("spinbutton", name="Cards each participant picks").fill("3")
    facilitator.get_by_role("button", name="Create round").click()
    expect(facilitator.get_by_role("combobox", name="Round")).to_have_value(re.compile(r"Round 1 · draft"))
    facilitator.get_by_role("button", name="Open voting").click()
    expect(facilitator.get_by_role("button", name="Close and reveal")).to_be_visible()
    expect(facilitator.get_by_text("0 of 0 have voted")).to_be_visible()

    # 2. The projector shows how to join and the progress, never the picks.
    projector = new_page("projector", **PROJECTOR)
    projector.goto(f"{app_url}/projector?w={code}")
    expect(projector.locator(".join-code")).to_have_text(code)
    expect(projector.get_by_test_id("live-progress")).to_have_text("0 of 0 have voted")
    expect(projector.get_by_text("pick up to 3 cards")).to_be_visible()

    # 3. Three participants join from the link (one anonymous) and vote.
    phones: list[tuple[Page, str]] = []
    for index, (name, team, cards, options) in enumerate(PARTICIPANTS, start=1):
        page = new_page(f"participant{index}", **options)
        token = join(page, app_url, code, name, team)
        vote(page, cards, pick_limit=3)
        phones.append((page, token))

    # 4. The projector follows without a reload.
    expect(projector.get_by_test_id("live-progress")).to_have_text("3 of 3 have voted")
    expect(facilitator.get_by_text("3 of 3 have voted")).to_be_visible()
    expect(projector.locator(".pj-row")).to_have_count(0)  # nothing of the picks while voting is open

    # 5. A reload keeps the participant's identity and ballot; the database holds exactly three ballots.
    reloaded, _ = phones[1]
    reloaded.reload()
    expect(reloaded.get_by_text("Your ballot is saved (2 cards)")).to_be_visible()
    expect(reloaded.get_by_text("2 of 3 picked", exact=True)).to_be_visible()
    expect(reloaded.get_by_label("Your name (leave empty to stay anonymous)")).to_have_count(0)
    store = Store(app_db_path)
    try:
        workshop = store.workshop_by_code(code)
        rnd = store.round(workshop.current_round_id)
        assert rnd.state is RoundState.OPEN and rnd.pick_limit == 3
        assert store.key_is_valid(workshop.id, key), f"the key shown once ({key!r}) does not unlock the workshop"
        with sqlite3.connect(app_db_path) as db:
            (ballots,) = db.execute("SELECT count(*) FROM ballots WHERE round_id = ?", (rnd.id,)).fetchone()
        assert ballots == 3
        progress = store.progress(rnd.id)
        assert (progress.joined, progress.voted) == (3, 3)

        # 6. Close and reveal: every phone follows without a reload, and so does the projector.
        facilitator.get_by_role("button", name="Close and reveal").click()
        for page, _ in phones:
            expect(page.get_by_text("Result:", exact=False)).to_be_visible()
            expect(page.get_by_text("3 participants voted")).to_be_visible()
            expect(page.get_by_role("button", name=re.compile("^Submit my"))).to_have_count(0)
        top = phones[0][0].locator(".phone-result").first.locator("li").first  # the room's number 1, as a list item
        expect(top).to_have_text(f"{BLAME}: 3 (100%)")
        expect(top).to_have_attribute("value", "1")
        expect(projector.get_by_text("3 participants voted")).to_be_visible()
        result = projector.locator(".pj-result")
        expect(result).to_be_visible()
        numbers = result.locator(".pj-num")  # drawn as HTML bars: no chart library to fetch first
        expect(numbers.filter(has_text=re.compile(r"^3 · 100%$"))).to_have_count(1)
        expect(numbers.filter(has_text=re.compile(r"^2 · 67%$"))).to_have_count(1)
        expect(numbers.filter(has_text=re.compile(r"^1 · 33%$"))).to_have_count(1)
        expect(result.locator(".pj-row").first).to_contain_text(BLAME)
        expect(projector.get_by_test_id("live-progress")).to_have_count(0)

        # 7. After the close, a newcomer gets no ballot, and the store refuses a late vote.
        late = new_page("late-participant", **PHONE)
        late_token = join(late, app_url, code, "Late Larry", "Operations")
        expect(late.get_by_text("Result:", exact=False)).to_be_visible()
        expect(late.get_by_text("You did not vote in this round.")).to_be_visible()
        expect(late.get_by_role("button", name=BLAME, exact=True)).to_have_count(0)
        expect(late.get_by_role("button", name=re.compile("^Submit my"))).to_have_count(0)
        blame_id = next(card.id for card in store.cards(rnd.deck_id) if card.title == BLAME)
        with pytest.raises(VoteRejected):
            store.submit_ballot(workshop.id, late_token, rnd.id, rnd.attempt, [blame_id])
        with sqlite3.connect(app_db_path) as db:
            (ballots,) = db.execute("SELECT count(*) FROM ballots WHERE round_id = ?", (rnd.id,)).fetchone()
        assert ballots == 3
    finally:
        store.close()


def test_wrong_join_code_is_refused(app_url: str, new_page) -> None:
    page = new_page("start", **PHONE)
    page.goto(app_url)
    page.get_by_role("textbox", name="Join code", exact=True).fill("ZZZZ99")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_text("No workshop has the join code 'ZZZZ99'")).to_be_visible()
    assert "/vote" not in page.url
