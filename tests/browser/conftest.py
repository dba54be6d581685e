"""Fixtures for the real-browser tests: one `streamlit run` server and one headless Chromium per test session.

Plain pytest fixtures around playwright.sync_api (no pytest-playwright plugin). Chromium is Debian's
(/usr/bin/chromium); `playwright install` cannot download browsers here. On a failing test every page
opened through the `new_page` fixture is saved as a screenshot under test-artifacts/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the tests import abc_workshop, also under a bare `pytest`
    sys.path.insert(0, str(ROOT))
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def app_db_path(tmp_path_factory) -> Path:
    """The SQLite file the server uses; tests may open their own Store on it (WAL makes that safe)."""
    return tmp_path_factory.mktemp("abc-db") / "browser.sqlite3"


@pytest.fixture(scope="session")
def app_url(app_db_path: Path, tmp_path_factory):
    """Start `python3 -m streamlit run app.py` on a free port and yield its base URL."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ABC_PUBLIC_URL", "ABC_FACILITATOR_KEY")}
    env["ABC_DB_PATH"] = str(app_db_path)
    env["PYTHONUNBUFFERED"] = "1"
    log_path = tmp_path_factory.mktemp("abc-server") / "streamlit.log"
    log = open(log_path, "w+b")  # noqa: SIM115 - the server writes to it until the fixture closes it
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def server_log() -> str:
        log.flush()
        return log_path.read_text(errors="replace")[-5000:]

    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not _healthy(url):
        if server.poll() is not None:
            failure = f"streamlit exited with code {server.returncode} before it was healthy; its log:\n{server_log()}"
            log.close()
            pytest.fail(failure, pytrace=False)
        if time.monotonic() > deadline:
            server.kill()
            server.wait()
            failure = f"streamlit not healthy at {url} after {SERVER_START_TIMEOUT:.0f} s; its log:\n{server_log()}"
            log.close()
            pytest.fail(failure, pytrace=False)
        time.sleep(0.1)
    try:
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def door_key(app_db_path: Path) -> str:
    """A facilitator key of this session's server, for the tests that create workshops: once any key exists, a new
    workshop needs one (README.md, "Doors"). Its workshop is made with a throwaway server key, which opens the door
    however many workshops the tests made before."""
    import secrets

    from abc_workshop.config import CARDS_DIR
    from abc_workshop.store import Store

    opener = f"browser-tests-{secrets.token_urlsafe(12)}"
    store = Store(app_db_path, server_key=opener)
    store.load_shipped_decks(CARDS_DIR)
    _, key = store.create_workshop("Doors of the browser tests", "Browser tests", creator_key=opener)
    store.close()
    return key


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
