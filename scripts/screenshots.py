"""Take the README's screenshots from the real app: `python3 scripts/screenshots.py` (needs /usr/bin/chromium,
and Debian's fonts-noto-color-emoji for the emoji in labels).

Starts its own server on a throw-away database, plays a small workshop (the set-up through the
store, the screens through the browser) and writes PNG files to docs/screenshots/.
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

OUT = ROOT / "docs" / "screenshots"
PORT = 8599
ARGS = [
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    with serving("screens.sqlite3", PORT) as (db, url):
        play(db, url)


@contextlib.contextmanager
def serving(file_name: str, port: int) -> Iterator[tuple[Path, str]]:
    """A server of the app on a throw-away database, for as long as the block runs: (the database, its address)."""
    OUT.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp()) / file_name
    env = {**os.environ, "ABC_DB_PATH": str(db), "ABC_PUBLIC_URL": "http://192.168.1.20:8501"}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}")
        yield db, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_healthy(url: str) -> None:
    for _ in range(100):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def play(db: Path, url: str) -> None:
    store = Store(db)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop(
        "ABC workshop: Service Desk and Operations",
        "Acme Insurance IT",
        team_names=["Service Desk", "Operations", "Business users"],
    )
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    cards = store.cards(deck.id)
    rnd = store.create_round(
        workshop.id, key, RoundSpec("Which worst practices do you recognise in our organisation?", deck.id, pick_limit=5)
    )
    store.open_round(rnd.id, key)
    rng = random.Random(7)
    favourites = [
        c.id
        for c in cards
        if c.title
        in {
            "Not my responsibility",
            "Blame culture",
            "IT hero",
            "Them and us culture",
            "IT is too internally focused",
            "9 to 5 culture",
            "IT superiority complex",
            "My tool will solve all your problems",
        }
    ]
    people = []
    for i in range(17):
        person = store.join(workshop.id, f"Person {i + 1}", teams[i % 3].id)
        people.append(person)
        picks = rng.sample(favourites, 4) + rng.sample([c.id for c in cards if c.id not in favourites], 1)
        store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, picks)
    store.join(workshop.id, "Late Lou", teams[0].id)
    desk_person = people[0]

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        wide = {"viewport": {"width": 1440, "height": 900}}
        projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        projector.goto(f"{url}/projector?w={workshop.join_code}")
        projector.get_by_text("have voted").wait_for(timeout=20_000)
        time.sleep(1.5)
        projector.screenshot(path=str(OUT / "1-projector-voting.png"))

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        phone.goto(f"{url}/vote?w={workshop.join_code}&p={store.join(workshop.id, 'Sam', teams[1].id).token}")
        phone.get_by_text("0 of 5 picked", exact=True).wait_for(timeout=20_000)
        for title in ("Not my responsibility", "IT hero"):  # the ballot answers in the browser: no wait per tap
            phone.get_by_role("button", name=title, exact=True).click()
        phone.get_by_role("button", name="About: Not my responsibility").click()
        phone.get_by_text("2 of 5 picked", exact=True).wait_for(timeout=5_000)
        phone.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")  # Streamlit scrolls its own container
        time.sleep(0.3)
        phone.screenshot(path=str(OUT / "2-phone-ballot.png"))

        phone.get_by_role("button", name="Submit my 2 cards").click()
        phone.get_by_text("Your ballot is saved (2 cards)", exact=False).wait_for(timeout=10_000)
        store.reveal_round(rnd.id, key)
        projector.get_by_text("participants voted").wait_for(timeout=10_000)
        projector.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )  # the reveal's arrival
        projector.screenshot(path=str(OUT / "3-projector-result.png"), full_page=True)
        phone.get_by_text("participants voted").wait_for(timeout=10_000)  # the phone draws the result from the stream
        phone.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        phone.screenshot(path=str(OUT / "8-phone-result.png"))

        store.ensure_shortlist(rnd.id, teams[0].id)
        topic = store.team_topics(rnd.id, teams[0].id)[0]
        for heading, text in [
            ("value", "Solutions don't meet business needs"),
            ("outcomes", "Dissatisfied customers"),
            ("costs", "Higher costs: tickets bounce between teams"),
            ("risks", "Damaged business reputation"),
        ]:
            store.add_note(workshop.id, topic.id, heading, text, token=desk_person.token)
        desk = [person for person in people if person.team_id == teams[0].id]
        for person, scores in zip(desk, [(4, 5, 3, 5), (3, 4, 4, 5), (5, 4, 3, 4)]):
            for heading, score in zip(("value", "outcomes", "costs", "risks"), scores):
                store.set_score(workshop.id, topic.id, heading, score, token=person.token)
        store.decide_risk(workshop.id, topic.id, "no", "If we were users we would not find this amusing", token=desk_person.token)
        store.add_behaviour(workshop.id, topic.id, "We will tell you if we can't do it", token=desk_person.token)
        store.add_action(
            workshop.id,
            topic.id,
            "Every desk analyst spends a day in the claims department",
            "Head of Service Desk",
            None,
            token=desk_person.token,
        )
        team_page = browser.new_context(**wide).new_page()
        team_page.goto(f"{url}/team?w={workshop.join_code}&p={desk_person.token}")
        team_page.get_by_text("Our top cards").wait_for(timeout=20_000)
        time.sleep(1.5)
        team_page.screenshot(path=str(OUT / "4-team-analysis.png"), full_page=True)

        for team in teams:
            store.ensure_shortlist(rnd.id, team.id)
        store.set_projector_view(workshop.id, key, "iceberg")
        projector.get_by_text("The iceberg").wait_for(timeout=10_000)
        time.sleep(2)
        projector.screenshot(path=str(OUT / "5-projector-iceberg.png"), full_page=True)

        store.set_projector_view(workshop.id, key, "summary", team_id=teams[0].id)
        projector.get_by_text("our top cards").wait_for(timeout=10_000)
        time.sleep(2)
        projector.screenshot(path=str(OUT / "6-projector-team-summary.png"), full_page=True)

        facilitator = browser.new_context(**wide).new_page()
        facilitator.goto(f"{url}/facilitate?w={workshop.join_code}")
        facilitator.get_by_label("Facilitator key", exact=True).fill(key)
        facilitator.get_by_role("button", name="Unlock").click()
        facilitator.get_by_role("radio", name="Rounds", exact=True).click()
        time.sleep(2)
        facilitator.screenshot(path=str(OUT / "7-facilitator-rounds.png"), full_page=True)
        big_room(store, url, browser, key)
        outside_in(store, url, browser, workshop, key, [c for c in cards if c.id in favourites])
        browser.close()
    print(f"screenshots written to {OUT}")


def big_room(store: Store, url: str, browser, opener: str) -> None:
    """A room of 30 teams and 240 people on the projector: the join screen with every team's progress,
    then the revealed result's teams, six a page. `opener`: the first workshop's key, which lets a second one
    of the same organisation be created (README.md, "Doors")."""
    names = [
        "Service Desk",
        "Operations",
        "Applications",
        "Networks",
        "Security",
        "Data",
        "Workplace",
        "Cloud",
        "Architecture",
        "Testing",
        "Releases",
        "Licences",
        "Procurement",
        "Finance IT",
        "HR systems",
        "Claims IT",
        "Sales IT",
        "Web",
        "Mobile",
        "Integration",
        "Databases",
        "Identity",
        "Print",
        "Telecom",
        "Field services",
        "Projects",
        "PMO",
        "Governance",
        "Suppliers",
        "Business users",
    ]
    workshop, key = store.create_workshop("All of IT, one morning", "Acme Insurance IT", team_names=names, creator_key=opener)
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    cards = [c.id for c in store.cards(deck.id)]
    rnd = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which do you recognise?", deck.id, pick_limit=5)).id, key
    )
    rng = random.Random(30)
    for index in range(240):
        person = store.join(workshop.id, f"P{index}", teams[index % 30].id)
        if index % 7:  # most have voted
            store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, rng.sample(cards[:20], 4) + rng.sample(cards, 1))
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{url}/projector?w={workshop.join_code}")
    projector.get_by_text("have voted").wait_for(timeout=20_000)
    time.sleep(1.5)
    projector.screenshot(path=str(OUT / "9-projector-30-teams.png"))
    store.reveal_round(rnd.id, key)
    store.show_next_result_page(workshop.id, key)
    projector.get_by_text("Teams 1-6 of 30", exact=False).wait_for(timeout=20_000)
    projector.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    projector.screenshot(path=str(OUT / "10-projector-30-teams-results.png"))


def outside_in(store: Store, url: str, browser, workshop, key: str, cards) -> None:
    """Between workshops: a scout's phone during a visit, the business's feedback channel, the lead's programme,
    and the evidence on the projector of the organisation's next workshop."""
    import datetime

    from abc_workshop.outside_in import Briefing

    visit = store.plan_visit(
        workshop.id,
        key,
        kind="call_centre",
        person="Sam Jones",
        team="Service Desk",
        role="Analyst",
        place="Claims call centre",
        activity="A customer reports a car accident by phone",
        visit_on=datetime.date.today(),
        briefing=Briefing(
            "How long the agent waits for the claims system",
            "What do you do when the system is slow?",
            "Two moments of truth, with the customer's words",
        ),
    )
    store.record_moment(
        visit.token,
        stage="support",
        positive=False,
        what_happened="The claims screen froze twice during the call",
        customer_words="I have told you this three times already",
        effort=5,
        card_ids=[cards[0].id],
    )
    channel = store.programme(workshop.id, key).channel_token
    store.send_feedback(
        channel,
        stage="accessing",
        positive=False,
        what_happened="The rules say I have to print the form and bring it in",
        effort=4,
    )
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{url}/scout?v={visit.token}")
    phone.get_by_text("A customer reports a car accident by phone").wait_for(timeout=20_000)
    time.sleep(1)
    phone.screenshot(path=str(OUT / "11-scout-phone.png"))
    business = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    business.goto(f"{url}/feedback?c={channel}")
    business.get_by_label("What happened").wait_for(timeout=20_000)
    time.sleep(1)
    business.screenshot(path=str(OUT / "12-feedback-channel.png"))
    lead = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    lead.goto(f"{url}/programme?w={workshop.join_code}")
    lead.get_by_label("Facilitator key", exact=True).fill(key)
    lead.get_by_role("button", name="Unlock").click()
    lead.get_by_role("tab", name="Feedback channel").click()
    inbox = lead.get_by_role("tabpanel", name="Feedback channel")
    inbox.get_by_text("The rules say I have to print the form", exact=False).first.wait_for(timeout=20_000)
    time.sleep(2)
    lead.screenshot(path=str(OUT / "13-programme-feedback.png"))
    following, following_key = store.create_workshop("Autumn workshop", "Acme Insurance IT", creator_key=key)
    store.set_projector_view(following.id, following_key, "evidence", card_id=cards[0].id)
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    projector.goto(f"{url}/projector?w={following.join_code}")
    projector.get_by_text("What our scouts and customers saw").wait_for(timeout=20_000)
    time.sleep(1)
    projector.screenshot(path=str(OUT / "14-projector-evidence.png"))


if __name__ == "__main__":
    main()
