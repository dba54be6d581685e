"""Several `streamlit run app.py` processes on one machine behind one HAProxy, all on the one SQLite file.

A Streamlit session lives in the memory of the process that opened it (its widgets, its uploads, its downloads), and
one process runs Python on one core. So a room is spread over one process per core, and HAProxy keeps each browser on
its own process with a cookie. Everything one person must see of another lives in the database, and each process's
watcher sees the others' commits (abc_workshop/live.py), so a round opened through one process reaches the phones
on every other. docs/several-processes.md explains the setup for people; scripts/cluster.py starts it.

This module builds HAProxy's configuration and each process's command line, and `Cluster` starts and stops them
together. No Streamlit in it: the script and the tests use it.
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Self

from .config import CARDS_DIR, ROOT

COOKIE = "ABC_SERVER"  # HAProxy's sticky cookie: which process holds this browser's session
SERVED_BY = "X-ABC-Server"  # the response header that names the process which served a request
BACKEND = "streamlit"
START_TIMEOUT = 60.0  # a cold start of several processes on a busy 2-core machine
STOP_TIMEOUT = 10.0
INSTALL_HINT = "sudo apt-get install -y haproxy"


class StartFailed(RuntimeError):
    """A process did not come up; the message says which and ends with the tail of its log."""


def free_port() -> int:
    """A port nothing listens on now (the caller binds it soon after, so another program taking it is unlikely)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    """True when the Streamlit server (or HAProxy in front of some) at `url` answers its health check with `ok`."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def log_tail(path: Path, characters: int = 5000) -> str:
    return path.read_text(errors="replace")[-characters:] if path.exists() else ""


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float, name: str = "streamlit") -> None:
    """Wait until `url` is healthy; raise StartFailed, with the log's tail, when `process` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while not healthy(url):
        if process.poll() is not None:
            raise StartFailed(f"{name} exited with code {process.returncode} before it was healthy; its log:\n{log_tail(log)}")
        if time.monotonic() > deadline:
            raise StartFailed(f"{name} not healthy at {url} after {timeout:.0f} s; its log:\n{log_tail(log)}")
        time.sleep(0.1)


def stop_process(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM to the process's group (each is started in its own session), SIGKILL if it is still there after
    `timeout`: whatever it started goes with it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def streamlit_command(port: int) -> list[str]:
    """How one process of the app is started: on 127.0.0.1 only, since browsers reach it through HAProxy."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    return command + ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


def streamlit_env(base: dict[str, str], db_path: Path, secret: str) -> dict[str, str]:
    """The environment of one process of a cluster: `base` (ABC_FACILITATOR_KEY, ABC_PUBLIC_URL... pass through), the
    database, and the cookie secret every process shares. Streamlit signs its cookies with that secret, so one process
    accepts what another set, as after a failover. Streamlit takes it from the environment only, never from the
    command line, where anyone on the machine could read it."""
    return {**base, "ABC_DB_PATH": str(db_path), "STREAMLIT_SERVER_COOKIE_SECRET": secret, "PYTHONUNBUFFERED": "1"}


def haproxy_binary() -> str | None:
    """Debian installs HAProxy in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("haproxy")
    if found:
        return found
    return "/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None


def server_name(index: int) -> str:
    """The name of process `index` (from 1) in HAProxy's configuration, its stats and its sticky cookie."""
    return f"app{index}"


def haproxy_config(backend_ports: list[int], port: int, address: str, stats_socket: Path) -> str:
    """HAProxy's configuration for Streamlit processes on 127.0.0.1 at `backend_ports`, served at address:port.

    Each choice is explained beside it in the text, so the file reads on its own."""
    servers = "\n".join(
        f"    server {server_name(i)} 127.0.0.1:{p} check cookie {server_name(i)}" for i, p in enumerate(backend_ports, 1)
    )
    return f"""\
# HAProxy in front of {len(backend_ports)} Streamlit processes of ABC Workshop, made by abc_workshop/cluster.py
# (docs/several-processes.md explains it).
global
    # Every request as one line on HAProxy's standard error: the log a cluster's operator reads.
    log stderr format raw local0 info
    # The stats socket: Cluster.servers() asks it which processes are up.
    stats socket {stats_socket} mode 600 level user
defaults
    mode http
    log global
    option httplog
    # The app counts wrong codes and keys per address (ui/guard.py): it reads the address HAProxy appends last.
    option forwardfor
    # A browser whose process died is sent to another at once: the first retry of a refused connection goes to a live
    # process (redispatch 1), which HAProxy names in a new cookie. The identity (?p= in the address) and the ballots
    # are in the database, so the page carries on there.
    retries 3
    option redispatch 1
    timeout connect 5s
    # Every open page listens to /live/<code>, an event stream that is silent but for a comment every 30 s
    # (ui/live_routes.py); these two must be longer than that, or HAProxy cuts every quiet stream.
    timeout client 120s
    timeout server 120s
    # Streamlit's websocket (/_stcore/stream) once upgraded: quiet for as long as nobody touches the page.
    timeout tunnel 1h
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    # A process too busy to answer its health check in 3 s counts as failed for that check.
    timeout check 3s

frontend abc_workshop
    bind {address}:{port}
    default_backend {BACKEND}

backend {BACKEND}
    # New browsers are dealt out in turn; each then stays where its session is.
    balance roundrobin
    # Sticky by cookie, not by source address: a whole room often reaches the server from one venue address.
    # Inserted by HAProxy (indirect: the processes never see it), never cached by a proxy, unreadable to scripts.
    # The websocket, uploads (/_stcore/upload_file) and downloads (/media) must all reach the session's process.
    cookie {COOKIE} insert indirect nocache httponly
    # Streamlit's own health check; a process failing 2 checks 1 s apart gets no new requests, and 2 passes
    # bring it back.
    option httpchk GET /_stcore/health
    http-check expect string ok
    default-server inter 1s fall 2 rise 2
    # Which process served a response, for whoever debugs a browser (the cookie says the same).
    http-response set-header {SERVED_BY} %[srv_name]
{servers}
"""


def cookie_secret(db_path: Path) -> str:
    """ABC_COOKIE_SECRET, else the secret kept beside the database (made on first use, readable by its owner only),
    so a restart keeps the cookies browsers hold valid."""
    from_env = (os.environ.get("ABC_COOKIE_SECRET") or "").strip()
    if from_env:
        return from_env
    path = db_path.with_name(db_path.name + ".cookie-secret")
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as made:
            made.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def prepare_database(db_path: Path | str) -> None:
    """Create or migrate the file and load the shipped decks once, as ui/store.py does on a first page, before any
    process starts: N processes never race to create it."""
    from .store import Store  # imported here: building a configuration needs none of the store

    store = Store(db_path)
    try:
        store.load_shipped_decks(CARDS_DIR)
    finally:
        store.close()


@dataclass
class Backend:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Cluster:
    """`processes` Streamlit processes of the app and HAProxy in front of them at address:port, for a `with` block.

    Entering prepares the database, starts the processes on `backend_ports` (free ports when not given) and waits
    until each is healthy, then starts HAProxy and waits until it answers and counts every process up. Leaving
    stops HAProxy and the processes. Each one's output goes to a file in `log_dir`."""

    def __init__(
        self,
        processes: int,
        port: int = 8501,
        *,
        db_path: Path,
        log_dir: Path,
        address: str = "0.0.0.0",
        backend_ports: list[int] | None = None,
        env: dict[str, str] | None = None,
    ):
        if processes < 1:
            raise ValueError("A cluster needs at least one process.")
        ports = backend_ports or [free_port() for _ in range(processes)]
        if len(ports) != processes:
            raise ValueError(f"{processes} processes need {processes} ports, not {len(ports)}.")
        self.port, self.address, self.db_path, self.log_dir = port, address, Path(db_path), Path(log_dir)
        self.env = dict(os.environ if env is None else env)
        self.backends = [Backend(server_name(i), p, self.log_dir / f"{server_name(i)}.log") for i, p in enumerate(ports, 1)]
        self.haproxy: subprocess.Popen | None = None
        self._run_dir: Path | None = None
        self._logs: list[IO[bytes]] = []

    @property
    def url(self) -> str:
        """The one address browsers use (127.0.0.1 when HAProxy listens on every address of the machine)."""
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::", "") else self.address
        return f"http://{host}:{self.port}"

    @property
    def stats_socket(self) -> Path:
        if self._run_dir is None:
            raise RuntimeError("The cluster is not running.")
        return self._run_dir / "haproxy.sock"

    def __enter__(self) -> Self:
        binary = haproxy_binary()
        if binary is None:
            raise StartFailed(f"HAProxy is not installed; install it with: {INSTALL_HINT}")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._run_dir = Path(tempfile.mkdtemp(prefix="abc-cluster-"))
        try:
            self._start(binary)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _spawn(self, command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
        output = open(log, "ab")  # noqa: SIM115 - the child writes to it until stop() closes it
        self._logs.append(output)
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

    def _start(self, binary: str) -> None:
        # The processes' database: ABC_DATABASE_URL's PostgreSQL when the environment names one, else the SQLite file.
        prepare_database((self.env.get("ABC_DATABASE_URL") or "").strip() or self.db_path)
        for backend, (command, env) in zip(self.backends, self.launches(cookie_secret(self.db_path))):
            backend.process = self._spawn(command, backend.log, env)
        deadline = time.monotonic() + START_TIMEOUT
        for backend in self.backends:
            assert backend.process is not None
            wait_until_healthy(backend.url, backend.process, backend.log, deadline - time.monotonic(), backend.name)
        config = self.stats_socket.with_name("haproxy.cfg")
        config.write_text(haproxy_config([b.port for b in self.backends], self.port, self.address, self.stats_socket))
        haproxy_log = self.log_dir / "haproxy.log"
        self.haproxy = self._spawn([binary, "-f", str(config), "-db"], haproxy_log, self.env)
        wait_until_healthy(self.url, self.haproxy, haproxy_log, deadline - time.monotonic(), "haproxy")
        while set(self.servers().values()) != {"UP"}:
            if time.monotonic() > deadline:
                raise StartFailed(f"HAProxy does not count every process up: {self.servers()}")
            time.sleep(0.1)

    def launches(self, secret: str) -> list[tuple[list[str], dict[str, str]]]:
        """Each process's command line and environment, in the order of `backends`."""
        return [(streamlit_command(b.port), streamlit_env(self.env, self.db_path, secret)) for b in self.backends]

    def stop(self) -> None:
        """Stop HAProxy first (no new requests), then every process; close the logs and remove the run folder."""
        for process in [self.haproxy] + [b.process for b in self.backends]:
            if process is not None:
                stop_process(process)
        for output in self._logs:
            output.close()
        self._logs.clear()
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None

    def kill(self, index: int) -> None:
        """SIGKILL process `index` (from 1) and whatever it started, as a crash would: for tests and benchmarks."""
        process = self.backends[index - 1].process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def restart(self, index: int, timeout: float = START_TIMEOUT) -> None:
        """Start process `index` (from 1) again on its own port, as it was started, and wait until it is healthy.
        HAProxy's health check counts it up again within a couple of seconds and sends new browsers to it; the
        browsers that moved away stay where they are (their cookie names their new process)."""
        backend = self.backends[index - 1]
        if backend.process is not None and backend.process.poll() is None:
            raise RuntimeError(f"{backend.name} is running; stop it before starting it again.")
        command, env = self.launches(cookie_secret(self.db_path))[index - 1]
        backend.process = self._spawn(command, backend.log, env)
        wait_until_healthy(backend.url, backend.process, backend.log, timeout, backend.name)

    def exited(self) -> list[Backend]:
        """The processes that are no longer running."""
        return [b for b in self.backends if b.process is not None and b.process.poll() is not None]

    def servers(self) -> dict[str, str]:
        """Each process's state as HAProxy's health checks see it ("UP", "DOWN", "UP 1/2"...), by name."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stats:
            stats.settimeout(5)
            stats.connect(str(self.stats_socket))
            stats.sendall(b"show stat\n")
            chunks = []
            while chunk := stats.recv(65536):
                chunks.append(chunk)
        lines = b"".join(chunks).decode().lstrip("# ").splitlines()
        rows = csv.DictReader(line for line in lines if line)
        return {row["svname"]: row["status"] for row in rows if row["pxname"] == BACKEND and row["svname"] != "BACKEND"}
