"""The phone ballot and the projector in each language the app speaks: `python3 scripts/screenshots_languages.py`.

Starts its own server on a throw-away database (as scripts/screenshots.py does), runs one workshop per language with
the same cards picked, and writes docs/screenshots/lang-<code>-phone.png (a ballot with two cards picked and one
card's description open), lang-<code>-projector-voting.png and lang-<code>-projector-result.png.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import ARGS, OUT, serving

from abc_workshop import i18n
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

PORT = 8598
WORKSHOPS = {
    "en": ("ABC workshop: Service Desk and Operations", "Which worst practices do you recognise in our organisation?"),
    "nl": ("ABC-workshop: Servicedesk en Beheer", "Welke worst practices herken je in onze organisatie?"),
    "de": ("ABC-Workshop: Service Desk und Betrieb", "Welche Worst Practices erkennen Sie in unserer Organisation wieder?"),
}
TEAMS = {
    "en": ["Service Desk", "Operations", "Business users"],
    "nl": ["Servicedesk", "Beheer", "Gebruikers"],
    "de": ["Service Desk", "Betrieb", "Fachbereiche"],
}
FAVOURITES = ["abc-02", "abc-04", "abc-07", "abc-11", "abc-15", "abc-21"]


def main() -> None:
    with serving("languages.sqlite3", PORT) as (db, url):
        store = Store(db)
        store.load_shipped_decks(CARDS_DIR)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            opener = None
            for code in i18n.LANGUAGES:
                opener = room(store, url, browser, code, opener)
            browser.close()
        store.close()
    print(f"screenshots written to {OUT}")


def room(store: Store, url: str, browser, code: str, opener: str | None) -> str:
    """One workshop in `code`: 14 ballots through the store, then a phone and the projector in a browser."""
    title, question = WORKSHOPS[code]
    workshop, key = store.create_workshop(title, "Acme Insurance IT", team_names=TEAMS[code], language=code, creator_key=opener)
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    with i18n.speaking(code):
        cards = store.cards(deck.id)
    by_key = {card.key: card for card in cards}
    rnd = store.open_round(store.create_round(workshop.id, key, RoundSpec(question, deck.id, pick_limit=5)).id, key)
    rng = random.Random(7)
    favourites = [by_key[k].id for k in FAVOURITES]
    for i in range(14):
        person = store.join(workshop.id, f"P{i + 1}", teams[i % 3].id)
        picks = rng.sample(favourites, 4) + rng.sample([c.id for c in cards if c.id not in favourites], 1)
        store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, picks)

    projector = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB").new_page()
    projector.goto(f"{url}/projector?w={workshop.join_code}")
    projector.get_by_test_id("live-progress").wait_for(timeout=30_000)
    time.sleep(1.5)
    projector.screenshot(path=str(OUT / f"lang-{code}-projector-voting.png"))

    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale={"en": "en-GB", "nl": "nl-NL", "de": "de-DE"}[code],
    ).new_page()
    sam = store.join(workshop.id, "Sam", teams[1].id)
    phone.goto(f"{url}/vote?w={workshop.join_code}&p={sam.token}")
    with i18n.speaking(code):
        picked = i18n._("{n} of {limit} picked")
        about = i18n._("About")
    phone.get_by_text(picked.format(n=0, limit=5), exact=True).wait_for(timeout=30_000)
    for card_key in FAVOURITES[:2]:
        phone.get_by_role("button", name=by_key[card_key].title, exact=True).click()
    phone.get_by_role("button", name=f"{about}: {by_key[FAVOURITES[0]].title}").click()
    phone.get_by_text(picked.format(n=2, limit=5), exact=True).wait_for(timeout=10_000)
    phone.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    time.sleep(0.3)
    phone.screenshot(path=str(OUT / f"lang-{code}-phone.png"))

    store.reveal_round(rnd.id, key)
    projector.locator(".pj-result").wait_for(timeout=15_000)
    projector.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    projector.screenshot(path=str(OUT / f"lang-{code}-projector-result.png"), full_page=True)
    return key


if __name__ == "__main__":
    main()
