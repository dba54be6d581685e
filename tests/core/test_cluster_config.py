"""What abc_workshop/cluster.py hands HAProxy and each Streamlit process, checked without starting any of them, and the
configuration checked by the real `haproxy -c` (scripts/test.sh installs it). tests/browser/test_cluster.py runs one."""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path

import pytest

from abc_workshop.cluster import (
    COOKIE,
    INSTALL_HINT,
    Cluster,
    cookie_secret,
    haproxy_binary,
    haproxy_config,
    prepare_database,
)
from abc_workshop.store import Store

PORTS = [9101, 9102, 9103]
KEEP_ALIVE_SECONDS = 30  # the event stream's comment interval (ui/live_routes.py)


@pytest.fixture
def config(tmp_path) -> str:
    return haproxy_config(PORTS, 8501, "0.0.0.0", tmp_path / "haproxy.sock")


def directives(config: str) -> list[str]:
    """The configuration's lines without comments and indentation."""
    return [line.split("#")[0].strip() for line in config.splitlines() if line.split("#")[0].strip()]


def seconds(config: str, name: str) -> float:
    (value,) = [line.split()[-1] for line in directives(config) if line.startswith(f"timeout {name} ")]
    number, unit = re.fullmatch(r"(\d+)(ms|s|m|h)?", value).groups()
    return int(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 0.001}[unit]


def test_the_config_keeps_each_browser_on_its_process_by_cookie(config):
    lines = directives(config)
    assert "mode http" in lines
    assert "balance roundrobin" in lines and not any(line.startswith("balance source") for line in lines)
    assert f"cookie {COOKIE} insert indirect nocache httponly" in lines
    servers = [line for line in lines if line.startswith("server ")]
    assert servers == [f"server app{i} 127.0.0.1:{port} check cookie app{i}" for i, port in enumerate(PORTS, 1)]


def test_the_config_checks_health_and_sends_a_dead_process_browsers_elsewhere(config):
    lines = directives(config)
    assert "option httpchk GET /_stcore/health" in lines
    assert "http-check expect string ok" in lines
    assert "default-server inter 1s fall 2 rise 2" in lines
    assert any(line.startswith("option redispatch") for line in lines)
    assert any(re.fullmatch(r"retries [1-9]", line) for line in lines)
    assert "option forwardfor" in lines
    assert any(line.startswith("log stderr") for line in lines)


def test_the_timeouts_outlast_the_event_streams_silence_and_keep_websockets_open(config):
    assert seconds(config, "client") > 2 * KEEP_ALIVE_SECONDS
    assert seconds(config, "server") > 2 * KEEP_ALIVE_SECONDS
    assert seconds(config, "tunnel") >= 3600


def test_haproxy_accepts_the_config(config, tmp_path):
    binary = haproxy_binary()
    if binary is None:
        pytest.fail(f"HAProxy is missing: {INSTALL_HINT} (scripts/test.sh does it)", pytrace=False)
    path = tmp_path / "haproxy.cfg"
    path.write_text(config)
    checked = subprocess.run([binary, "-c", "-f", str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_process_gets_the_same_cookie_secret_and_database_on_its_own_port(tmp_path, monkeypatch):
    monkeypatch.delenv("ABC_COOKIE_SECRET", raising=False)
    db = tmp_path / "abc.sqlite3"
    cluster = Cluster(3, db_path=db, log_dir=tmp_path / "logs", backend_ports=PORTS, env={"ABC_PUBLIC_URL": "http://x:1"})
    launches = cluster.launches(cookie_secret(db))
    ports = [command[command.index("--server.port") + 1] for command, _ in launches]
    assert ports == [str(port) for port in PORTS]
    assert all(command[command.index("--server.address") + 1] == "127.0.0.1" for command, _ in launches)
    secrets = {env["STREAMLIT_SERVER_COOKIE_SECRET"] for _, env in launches}
    assert len(secrets) == 1 and len(secrets.pop()) >= 32
    assert {env["ABC_DB_PATH"] for _, env in launches} == {str(db)}
    assert {env["ABC_PUBLIC_URL"] for _, env in launches} == {"http://x:1"}  # the app's own settings pass through
    assert not any("cookieSecret" in part for command, _ in launches for part in command)  # `ps` shows command lines


def test_the_cookie_secret_is_kept_beside_the_database_for_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("ABC_COOKIE_SECRET", raising=False)
    db = tmp_path / "data" / "abc.sqlite3"
    first = cookie_secret(db)
    kept = db.with_name("abc.sqlite3.cookie-secret")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert cookie_secret(db) == first  # a restart keeps the cookies browsers hold valid
    monkeypatch.setenv("ABC_COOKIE_SECRET", "from-the-environment")
    assert cookie_secret(db) == "from-the-environment"


def test_the_database_is_made_with_the_shipped_decks_before_any_process_starts(tmp_path):
    db = tmp_path / "new.sqlite3"
    prepare_database(db)
    store = Store(db)
    try:
        assert store.decks()
    finally:
        store.close()


def _script():
    """scripts/cluster.py as a module: the command's watcher is what is checked here."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "scripts" / "cluster.py"
    spec = importlib.util.spec_from_file_location("cluster_script", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Process:
    def __init__(self, returncode: int | None):
        self.returncode = returncode

    def poll(self) -> int | None:
        return self.returncode


class _Cluster:
    """Stands in for a running Cluster: which processes have stopped, and what `restart` was asked to start."""

    def __init__(self, codes: list[int | None], failing: set[int] = frozenset()):
        from abc_workshop.cluster import Backend

        self.backends = [
            Backend(f"app{i}", 9100 + i, Path("/tmp") / f"app{i}.log", _Process(code)) for i, code in enumerate(codes, 1)
        ]
        self.failing = failing
        self.restarted: list[int] = []

    def restart(self, index: int) -> None:
        from abc_workshop.cluster import StartFailed

        self.restarted.append(index)
        if index in self.failing:
            raise StartFailed(f"app{index} did not come up")
        self.backends[index - 1].process = _Process(None)


def test_the_command_starts_a_stopped_process_again_and_leaves_a_crash_loop_stopped():
    script = _script()
    cluster = _Cluster([None, -9, None])  # app2 was killed
    started = {"app1": 0.0, "app2": 0.0, "app3": 0.0}
    given_up: set[str] = set()
    said = script.tend(cluster, started, given_up, now=600.0)
    assert cluster.restarted == [2] and given_up == set()
    assert said[0].startswith("app2 stopped (exit code -9)") and said[-1] == "app2 runs again."
    assert script.tend(cluster, started, given_up, now=601.0) == [] and cluster.restarted == [2], "nothing else to do"

    cluster.backends[1].process = _Process(1)  # app2 stops again right after its restart
    said = script.tend(cluster, started, given_up, now=started["app2"] + 5)
    assert cluster.restarted == [2] and given_up == {"app2"} and "left stopped" in said[0]
    assert script.tend(cluster, started, given_up, now=started["app2"] + 60) == [], "a process left stopped stays so"


def test_the_command_says_so_when_a_process_does_not_start_again():
    script = _script()
    cluster = _Cluster([-9], failing={1})
    given_up: set[str] = set()
    said = script.tend(cluster, {"app1": 0.0}, given_up, now=600.0)
    assert cluster.restarted == [1] and given_up == {"app1"} and said[-1] == "app1 did not start again: app1 did not come up"
