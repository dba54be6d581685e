"""A workshop in German, with one phone voting in Dutch and one in English, in real browsers.

The facilitator's browser speaks German and creates the workshop in German; the projector's browser speaks English
and still shows the room's German. One phone's browser speaks Dutch; the other's speaks German, and its person taps
"English", which stays after a reload. Both pick the same two cards by their titles in their own language: the
projector shows the German result with both ballots counted for the same cards, and the PDF report is German.
Every label is looked up in the catalogues (abc_workshop/locales/), so the test reads what the app's people read.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from abc_workshop import i18n
from abc_workshop.store import Store
from tests.browser.test_live_round import DESKTOP, PHONE, PROJECTOR, query_param

pytestmark = pytest.mark.browser

CARD_KEYS = ("abc-02", "abc-04")  # Blame culture, 9 to 5 culture


def say(code: str, message: str, **values) -> str:
    with i18n.speaking(code):
        text = i18n._(message)
    return text.format(**values) if values else text


def say_n(code: str, singular: str, plural: str, n: int, **values) -> str:
    with i18n.speaking(code):
        return i18n.ngettext(singular, plural, n).format(n=n, **values)


def titles(store: Store, code: str) -> list[str]:
    """The two cards' titles in a language (the store reads cards in the caller's language)."""
    with i18n.speaking(code):
        cards = {card.key: card.title for card in store.cards(store.decks()[0].id)}
    return [cards[key] for key in CARD_KEYS]


def overflowing(page: Page) -> list[str]:
    """Buttons, links and headings whose words do not fit their box (German words are long): none should."""
    return page.evaluate(
        """() => [...document.querySelectorAll('button, a, h1, h2, h3, .pj-row')]
            .filter((e) => e.offsetParent !== null && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)
            .map((e) => e.innerText.trim().slice(0, 60))"""
    )


def create_german_workshop(page: Page, app_url: str, door_key: str) -> str:
    page.goto(f"{app_url}/facilitate")
    page.get_by_label(say("de", "Workshop title")).fill("Workshop auf Deutsch")
    page.get_by_label(say("de", "Organisation")).fill("Sprachen GmbH")
    page.get_by_label(say("de", "Your facilitator key")).fill(door_key)
    language = page.get_by_role("combobox", name=say("de", "Language of the room"))
    expect(language).to_have_value("Deutsch")  # the browser's language is the form's first choice
    page.get_by_role("button", name=say("de", "Create workshop")).click()
    page.wait_for_url(re.compile(r"[?&]w=[A-Z0-9]+"))
    dialog = page.get_by_role("dialog")
    key_block = dialog.get_by_test_id("stCode").filter(has_text=re.compile(r"^\s*[A-Z0-9]{4}(-[A-Z0-9]{4}){3}\s*$"))
    expect(key_block).to_have_count(1)
    dialog.get_by_role("button", name=say("de", "I have saved the key")).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    return query_param(page, "w")


def join_and_vote(page: Page, language: str, name: str, team: str, cards: list[str]) -> None:
    """Join in the phone's language and pick the two cards by their titles in it."""
    page.get_by_label(say(language, "Your name (leave empty to stay anonymous)")).fill(name)
    page.get_by_role("radiogroup", name=say(language, "Your team")).get_by_text(team, exact=True).click()
    page.get_by_role("button", name=say(language, "Join"), exact=True).click()
    page.wait_for_url(re.compile(r"[?&]p="))
    expect(page.get_by_text(say(language, "{n} of {limit} picked", n=0, limit=3), exact=True)).to_be_visible()
    for title in cards:
        card = page.get_by_role("button", name=title, exact=True)
        card.click()
        expect(card).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name=say_n(language, "Submit my {n} card", "Submit my {n} cards", 2)).click()
    saved = say_n(
        language,
        "✓ Your ballot is saved ({n} card). You can change it until the round closes.",
        "✓ Your ballot is saved ({n} cards). You can change it until the round closes.",
        2,
    )
    expect(page.get_by_text(saved)).to_be_visible()


def test_a_german_room_with_a_dutch_and_an_english_phone(app_url: str, app_db_path, new_page, door_key) -> None:
    store = Store(app_db_path)
    try:
        german, dutch, english = titles(store, "de"), titles(store, "nl"), titles(store, "en")
        assert len({*german, *dutch, *english}) == 6, "the deck must carry the two cards in three languages"

        # 1. The facilitator's browser speaks German: the page does, and the workshop is created in German.
        facilitator = new_page("facilitator", locale="de-DE", **DESKTOP)
        code = create_german_workshop(facilitator, app_url, door_key)
        assert store.workshop_by_code(code).language == "de"
        facilitator.get_by_role("radio", name=say("de", "Rounds"), exact=True).click()
        facilitator.get_by_role("spinbutton", name=say("de", "Cards each participant picks")).fill("3")
        facilitator.get_by_role("button", name=say("de", "Create round")).click()
        facilitator.get_by_role("button", name=say("de", "Open voting")).click()
        expect(facilitator.get_by_role("button", name=say("de", "Close and reveal"))).to_be_visible()

        # 2. The projector's browser speaks English; the projector speaks the room's German.
        projector = new_page("projector", locale="en-US", **PROJECTOR)
        projector.goto(f"{app_url}/projector?w={code}")
        expect(projector.get_by_test_id("live-progress")).to_have_text(
            say("de", "{voted} of {joined} have voted", voted=0, joined=0)
        )

        # 3. A phone whose browser speaks Dutch votes in Dutch.
        nl_phone = new_page("phone-nl", locale="nl-NL", **PHONE)
        nl_phone.goto(f"{app_url}/vote?w={code}")
        team = store.teams(store.workshop_by_code(code).id)[0].name
        join_and_vote(nl_phone, "nl", "Anke", team, dutch)

        # 4. A phone whose browser speaks German switches to English in one tap, before joining; it stays English.
        en_phone = new_page("phone-en", locale="de-DE", **PHONE)
        en_phone.goto(f"{app_url}/vote?w={code}")
        expect(en_phone.get_by_role("button", name=say("de", "Join"), exact=True)).to_be_visible()
        en_phone.get_by_role("link", name="English", exact=True).click()
        join_and_vote(en_phone, "en", "Emma", team, english)
        workshop = store.workshop_by_code(code)
        emma = store.participant(workshop.id, query_param(en_phone, "p"))
        assert emma is not None and emma.language == "en"  # stored with her, not only in the address
        en_phone.goto(f"{app_url}/vote?w={code}&p={emma.token}")  # a reload from the link, without ?lang=
        expect(en_phone.get_by_text(say("en", "{n} of {limit} picked", n=2, limit=3), exact=True)).to_be_visible()
        expect(en_phone.get_by_role("button", name=english[0], exact=True)).to_be_visible()

        # 5. Both ballots count for the same two cards.
        rnd = store.round(workshop.current_round_id)
        counts, ballots = store.pick_counts(rnd.id)
        deck = {card.key: card.id for card in store.cards(rnd.deck_id)}
        picks = {row["card_id"]: row["picks"] for row in counts}  # both phones joined the same team
        assert sum(ballots.values()) == 2 and picks == {deck[key]: 2 for key in CARD_KEYS}

        # 6. The reveal: the projector shows the German titles, each picked by both.
        facilitator.get_by_role("button", name=say("de", "Close and reveal")).click()
        result = projector.locator(".pj-result")
        expect(result).to_be_visible()
        for title in german:
            row = result.locator(".pj-row").filter(has_text=title)
            expect(row).to_have_count(1)
            expect(row.locator(".pj-num")).to_have_text(re.compile(r"^2 · 100\s?%$"))
        expect(projector.get_by_text(say_n("de", "{n} participant voted", "{n} participants voted", 2))).to_be_visible()
        expect(nl_phone.get_by_text(say_n("nl", "{n} participant voted", "{n} participants voted", 2))).to_be_visible()
        for page in (projector, nl_phone, en_phone, facilitator):
            assert overflowing(page) == [], page.url

        # 7. The PDF report is German: its headings and the cards' titles.
        facilitator.get_by_role("radio", name=say("de", "After the vote"), exact=True).click()
        pdf_label = say("de", "Report (PDF)")
        facilitator.get_by_role("button", name=say("de", "Build {file}", file=pdf_label)).click()
        with facilitator.expect_download() as download:
            facilitator.get_by_role("button", name=say("de", "Download {file}", file=pdf_label)).click()
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
        text = " ".join(text.split())
        assert german[0] in text and english[0] not in text
        for heading in ("Voting rounds", "After the vote: each team's analysis", "Everyone"):
            assert say("de", heading) in text and say("de", heading) != heading
    finally:
        store.close()
