"""Two Streamlit processes behind HAProxy (abc_workshop/cluster.py) in real browsers, on one database.

Each browser is pinned to a process by the sticky cookie set before its first request, as HAProxy would have set it:
the facilitator's to process 1, the phones' and the projector's to process 2. HAProxy names the process that served
each response in a header, so the test sees that every request of a browser went where it was pinned; what one
process writes reaches the other's pages through the database alone. The second test kills process 2 while a phone
is voting and a projector shows the room: both pages reconnect through HAProxy to process 1 by themselves, and the
phone carries on as the same participant; then process 2 is started again and serves a new browser. It runs last,
so the first test always has both processes as they first started.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from abc_workshop.cluster import COOKIE, SERVED_BY, Cluster, free_port
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store
from tests.browser.conftest import EXPECT_TIMEOUT_MS, make_door_key, server_env
from tests.browser.test_live_round import DESKTOP, PHONE, PROJECTOR, create_workshop, join, vote

pytestmark = pytest.mark.browser

# A process restart sits between the kill and the phone's next answer: Streamlit's page backs off between attempts.
RECONNECT_TIMEOUT_MS = 3 * EXPECT_TIMEOUT_MS
BLAME, NOT_MINE, NINE_TO_FIVE = "Blame culture", "Not my responsibility", "9 to 5 culture"
DECK_CSV = """id,type,theme,title,description
cl-1,A,Cluster,Nobody owns the deploy,Each team waits for another to press the button.
cl-2,B,Cluster,Tickets closed unsolved,A ticket counts as done when it is closed.
cl-3,C,Cluster,Heroes over habits,The one who fixes the outage at night is praised; the one who prevented it is not.
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two processes of the app and HAProxy in front, on a database of their own."""
    folder = tmp_path_factory.mktemp("abc-cluster")
    with Cluster(
        2, free_port(), db_path=folder / "cluster.sqlite3", log_dir=folder / "logs", address="127.0.0.1", env=server_env()
    ) as running:
        yield running


@pytest.fixture(scope="module")
def cluster_key(cluster) -> str:
    return make_door_key(cluster.db_path)


class Pinned:
    """A browser of its own, its sticky cookie naming `server`, that records which process served each response."""

    def __init__(self, new_page, name: str, cluster: Cluster, server: str, **options):
        self.page: Page = new_page(name, **options)
        self.cluster = cluster
        self.page.context.add_cookies([{"name": COOKIE, "value": server, "url": cluster.url}])
        self.served: list[tuple[str, str]] = []  # (address, process) of each response from HAProxy
        self.page.on("response", self._record)

    def _record(self, response) -> None:
        server = response.headers.get(SERVED_BY.lower())
        if server:
            self.served.append((response.url, server))

    def servers(self, since: int = 0) -> set[str]:
        return {server for _, server in self.served[since:]}

    def cookie(self) -> str | None:
        return next((c["value"] for c in self.page.context.cookies(self.cluster.url) if c["name"] == COOKIE), None)


def query_token(page: Page) -> str:
    (token,) = parse_qs(urlsplit(page.url).query)["p"]
    return token


def wait_for(page: Page, condition, timeout_ms: int, what: str) -> None:
    """Check `condition` until it holds. Between checks Playwright's wait, not time.sleep: the sync API hands the
    browser's events (responses, websocket frames) to their handlers only while it is called."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(100)


def test_a_room_split_over_two_processes_runs_a_round_uploads_and_downloads(cluster, cluster_key, new_page, tmp_path):
    assert cluster.servers() == {"app1": "UP", "app2": "UP"}
    facilitator = Pinned(new_page, "facilitator", cluster, "app1", accept_downloads=True, **DESKTOP)
    code, _ = create_workshop(facilitator.page, cluster.url, cluster_key)
    facilitator.page.get_by_role("radio", name="Rounds", exact=True).click()
    facilitator.page.get_by_role("spinbutton", name="Cards each participant picks").fill("3")
    facilitator.page.get_by_role("button", name="Create round").click()
    expect(facilitator.page.get_by_role("combobox", name="Round")).to_have_value(re.compile(r"Round 1 · draft"))

    # The phones and the projector, on process 2, wait for the round that process 1 will open.
    phones = []
    for name, team in (("Ada", "Service Desk"), ("Linus", "Operations")):
        phone = Pinned(new_page, name, cluster, "app2", **PHONE)
        join(phone.page, cluster.url, code, name, team)
        expect(phone.page.get_by_text("Waiting for the facilitator to open a round")).to_be_visible()
        phones.append(phone)
    projector = Pinned(new_page, "projector", cluster, "app2", **PROJECTOR)
    projector.page.goto(f"{cluster.url}/projector?w={code}")
    expect(projector.page.locator(".join-code")).to_have_text(code)

    # Process 1 opens the round; process 2's pages draw it without a reload, from their own event stream.
    facilitator.page.get_by_role("button", name="Open voting").click()
    vote(phones[0].page, [BLAME, NOT_MINE], pick_limit=3)
    vote(phones[1].page, [BLAME, NINE_TO_FIVE, NOT_MINE], pick_limit=3)
    expect(facilitator.page.get_by_text("2 of 2 have voted")).to_be_visible()
    expect(projector.page.get_by_test_id("live-progress")).to_have_text("2 of 2 have voted")

    facilitator.page.get_by_role("button", name="Close and reveal").click()
    for phone in phones:
        expect(phone.page.get_by_text("2 participants voted")).to_be_visible()
    expect(phones[0].page.locator(".phone-result").first.locator("li").first).to_have_text(f"{BLAME}: 2 (100%)")
    result = projector.page.locator(".pj-result")
    expect(result.locator(".pj-row").first).to_contain_text(BLAME)
    expect(result.locator(".pj-num").filter(has_text=re.compile(r"^2 · 100%$"))).to_have_count(2)

    # An upload through HAProxy: Streamlit's upload route checks the XSRF cookie and needs the session's process.
    deck_file = tmp_path / "cluster-deck.csv"
    deck_file.write_text(DECK_CSV, encoding="utf-8")
    facilitator.page.get_by_role("radio", name="Decks", exact=True).click()
    uploader = facilitator.page.get_by_test_id("stFileUploader").filter(has_text="Deck file")
    uploader.locator("input[type=file]").set_input_files(str(deck_file))
    expect(uploader.get_by_text("cluster-deck.csv")).to_be_visible()
    facilitator.page.get_by_label("Deck name").fill("Cluster deck")
    facilitator.page.get_by_role("button", name="Load deck").click()
    expect(facilitator.page.get_by_text("Deck loaded")).to_be_visible()
    store = Store(cluster.db_path)
    try:
        assert "Cluster deck" in {deck.name for deck in store.decks()}
    finally:
        store.close()

    # A download through HAProxy: the file is kept by the session's process and served from there.
    facilitator.page.get_by_role("radio", name="After the vote", exact=True).click()
    facilitator.page.get_by_role("button", name="Build Report (PDF)").click()
    # Two server processes, HAProxy and four browsers share the machine's two cores here: the report takes longer to
    # build than beside one process, so its button is waited for as long as a reconnection.
    built = facilitator.page.get_by_role("button", name="Download Report (PDF)")
    expect(built).to_be_visible(timeout=RECONNECT_TIMEOUT_MS)
    with facilitator.page.expect_download() as download:
        built.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # Every response each browser had came from the process it was pinned to, its live stream included.
    assert facilitator.servers() == {"app1"} and facilitator.cookie() == "app1"
    for pinned in (*phones, projector):
        assert pinned.servers() == {"app2"} and pinned.cookie() == "app2"
        assert any("/live/" in address for address, _ in pinned.served)


def test_a_phone_whose_process_dies_carries_on_through_the_other(cluster, cluster_key, new_page):
    store = Store(cluster.db_path)
    try:
        workshop, key = store.create_workshop("Failover", "Failover Org", team_names=["Desk"], creator_key=cluster_key)
        deck = store.decks()[0]
        rnd = store.create_round(workshop.id, key, RoundSpec("Which do you see?", deck.id, pick_limit=3))
        store.open_round(rnd.id, key)

        phone = Pinned(new_page, "phone", cluster, "app2", **PHONE)
        page = phone.page
        answered: list[bool] = []  # one entry a websocket the page opened: True once a frame came back on it

        def watch(socket) -> None:
            answered.append(False)
            index = len(answered) - 1
            socket.on("framereceived", lambda _: answered.__setitem__(index, True))

        page.on("websocket", watch)
        token = join(page, cluster.url, workshop.join_code, "Grace", "Desk")
        projector = Pinned(new_page, "projector", cluster, "app2", **PROJECTOR)
        projector.page.goto(f"{cluster.url}/projector?w={workshop.join_code}")
        vote(page, [BLAME, NOT_MINE], pick_limit=3)
        expect(projector.page.get_by_test_id("live-progress")).to_have_text("1 of 1 have voted")
        assert phone.servers() == projector.servers() == {"app2"}

        # Process 2 dies as in a crash. HAProxy sends the page's next requests to process 1 and says so in a new
        # cookie; Streamlit's page opens a new websocket, and the new session reruns the page from its address.
        before_kill, sockets_before = len(phone.served), len(answered)
        cluster.kill(2)
        wait_for(page, lambda: phone.cookie() == "app1", RECONNECT_TIMEOUT_MS, "the phone's sticky cookie names process 1")
        wait_for(page, lambda: any(answered[sockets_before:]), RECONNECT_TIMEOUT_MS, "process 1 answers a new websocket")
        assert phone.servers(since=before_kill) == {"app1"}
        wait_for(page, lambda: cluster.servers()["app2"] == "DOWN", RECONNECT_TIMEOUT_MS, "HAProxy counts process 2 down")

        # The same participant, with the ballot they cast through process 2, votes again through process 1.
        assert query_token(page) == token
        expect(page.get_by_text("You: Grace · team Desk")).to_be_visible(timeout=RECONNECT_TIMEOUT_MS)
        expect(page.get_by_text("Your ballot is saved (2 cards)")).to_be_visible(timeout=RECONNECT_TIMEOUT_MS)
        third = page.get_by_role("button", name=NINE_TO_FIVE, exact=True)
        third.click()
        expect(third).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name="Submit my 3 cards").click()
        expect(page.get_by_text("Your ballot is saved (3 cards)")).to_be_visible(timeout=RECONNECT_TIMEOUT_MS)
        progress = store.progress(rnd.id)
        assert (progress.joined, progress.voted) == (1, 1)  # no second participant, no second ballot
        counts, _ = store.pick_counts(rnd.id)
        titles = {card.id: card.title for card in store.cards(deck.id)}
        assert sorted(titles[row["card_id"]] for row in counts) == sorted([BLAME, NOT_MINE, NINE_TO_FIVE])

        store.reveal_round(store.close_round(rnd.id, key).id, key)
        expect(page.get_by_text("1 participant voted")).to_be_visible(timeout=RECONNECT_TIMEOUT_MS)
        expect(page.locator(".phone-result").first).to_contain_text(NINE_TO_FIVE)
        expect(projector.page.locator(".pj-result")).to_contain_text(NINE_TO_FIVE, timeout=RECONNECT_TIMEOUT_MS)
        assert projector.cookie() == "app1"

        # Process 2 started again on its port, as scripts/cluster.py does: HAProxy counts it up, and a browser sent
        # to it is served there, while the browsers that moved stay on process 1.
        cluster.restart(2)
        wait_for(page, lambda: cluster.servers()["app2"] == "UP", RECONNECT_TIMEOUT_MS, "HAProxy counts process 2 up again")
        late = Pinned(new_page, "late projector", cluster, "app2", **PROJECTOR)
        late.page.goto(f"{cluster.url}/projector?w={workshop.join_code}")
        expect(late.page.locator(".pj-result")).to_contain_text(NINE_TO_FIVE, timeout=RECONNECT_TIMEOUT_MS)
        assert late.servers() == {"app2"} and phone.cookie() == "app1"
    finally:
        store.close()
