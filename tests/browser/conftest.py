"""Fixtures for the real-browser tests: one `streamlit run` server and one headless Chromium per test session.

Plain pytest fixtures around playwright.sync_api (no pytest-playwright plugin). Chromium is Debian's
(/usr/bin/chromium); `playwright install` cannot download browsers here. On a failing test every page
opened through the `new_page` fixture is saved as a screenshot under test-artifacts/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the tests import abc_workshop, also under a bare `pytest`
    sys.path.insert(0, str(ROOT))

from abc_workshop.cluster import StartFailed, free_port, stop_process, streamlit_command, wait_until_healthy

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 30.0
# A cold browser on a busy 2-core machine can take several seconds for a first render; a test waits for
# a state, never for a fixed time, and this is how long it waits by default.
EXPECT_TIMEOUT_MS = 20_000


def server_env() -> dict[str, str]:
    """This machine's environment for a test server, without the settings that would change what the tests see."""
    return {k: v for k, v in os.environ.items() if k not in ("ABC_PUBLIC_URL", "ABC_FACILITATOR_KEY")}


@pytest.fixture(scope="session")
def app_db_path(tmp_path_factory) -> Path:
    """The SQLite file the server uses; tests may open their own Store on it (WAL makes that safe)."""
    return tmp_path_factory.mktemp("abc-db") / "browser.sqlite3"


@pytest.fixture(scope="session")
def app_url(app_db_path: Path, tmp_path_factory):
    """Start `python3 -m streamlit run app.py` on a free port and yield its base URL."""
    port = free_port()
    env = {**server_env(), "ABC_DB_PATH": str(app_db_path), "PYTHONUNBUFFERED": "1"}
    log_path = tmp_path_factory.mktemp("abc-server") / "streamlit.log"
    log = open(log_path, "w+b")  # noqa: SIM115 - the server writes to it until the fixture closes it
    server = subprocess.Popen(
        streamlit_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server, log_path, SERVER_START_TIMEOUT)
    except StartFailed as failure:
        stop_process(server)
        log.close()
        pytest.fail(str(failure), pytrace=False)
    try:
        yield url
    finally:
        stop_process(server)
        log.close()


def make_door_key(db_path: Path) -> str:
    """A facilitator key of a workshop in the database at `db_path`, for tests that create workshops: once any key
    exists, a new workshop needs one (README.md, "Doors"). Its workshop is made with a throwaway server key, which opens
    the door however many workshops the tests made before."""
    import secrets

    from abc_workshop.config import CARDS_DIR
    from abc_workshop.store import Store

    opener = f"browser-tests-{secrets.token_urlsafe(12)}"
    store = Store(db_path, server_key=opener)
    store.load_shipped_decks(CARDS_DIR)
    _, key = store.create_workshop("Doors of the browser tests", "Browser tests", creator_key=opener)
    store.close()
    return key


@pytest.fixture(scope="session")
def door_key(app_db_path: Path) -> str:
    """A facilitator key of this session's server, for the tests that create workshops (make_door_key)."""
    return make_door_key(app_db_path)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test.sh does it)", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def new_page(request, browser):
    """Factory: `new_page("facilitator", viewport=...)` opens a page in its own browser context.

    Separate contexts share nothing (no cookies, no storage), like separate people's devices.
    After a failed test (or any test, with ABC_SCREENSHOTS=1), each page is saved as
    test-artifacts/<test>-<name>.png. Streamlit scrolls inside its own container, so a screenshot
    shows the page's viewport as it was scrolled, not the whole page.
    """
    contexts = []
    pages: list[tuple[str, object]] = []

    def factory(name: str, **context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(EXPECT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append((name, page))
        return page

    yield factory

    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed or os.environ.get("ABC_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        for name, page in pages:
            try:
                page.screenshot(path=str(ARTIFACTS / f"{test_name}-{name}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - a crashed page must not hide the test's own failure
                print(f"screenshot of {name} failed: {error}", file=sys.stderr)
    for context in contexts:
        context.close()
