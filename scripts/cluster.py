"""Run several processes of the app behind one address: `python3 scripts/cluster.py --processes 4 --port 8501`.

Starts one `streamlit run app.py` per process on this machine, all on the one database, and HAProxy in front of them
(abc_workshop/cluster.py); starts again a process that stops by itself, runs until Ctrl-C, then stops them all.
docs/several-processes.md explains when and why.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from abc_workshop.cluster import INSTALL_HINT, Cluster, StartFailed, haproxy_binary
from abc_workshop.config import database_path

EPILOG = """\
The app's settings come from the environment as with `streamlit run` (README.md, "Configuration"): ABC_DB_PATH,
ABC_FACILITATOR_KEY and ABC_PUBLIC_URL reach every process. ABC_COOKIE_SECRET sets the secret the processes share;
without it one is kept beside the database."""


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=EPILOG)
    cores = os.cpu_count() or 1
    parser.add_argument(
        "--processes", type=int, default=cores, help=f"how many Streamlit processes (default: {cores}, one a core)"
    )
    parser.add_argument("--port", type=int, default=8501, help="the port browsers use (default: 8501)")
    parser.add_argument(
        "--address", default="0.0.0.0", help="the address HAProxy listens on (default: every address of this machine)"
    )
    parser.add_argument("--logs", type=Path, help="the folder for each process's log (default: cluster-logs beside the database)")
    parsed = parser.parse_args(argv)
    if parsed.processes < 1:
        parser.error("--processes needs at least 1")
    return parsed


CRASH_LOOP_SECONDS = 30.0  # a process that stops again this soon after a restart is left stopped: it would only loop


def tend(cluster: Cluster, started: dict[str, float], given_up: set[str], now: float) -> list[str]:
    """One look at the processes: each one that stopped by itself is started again on its port, unless it stopped
    within CRASH_LOOP_SECONDS of its last start (then it is left stopped and said so). Returns what to tell people."""
    said = []
    for index, backend in enumerate(cluster.backends, start=1):
        if backend.name in given_up or backend.process is None or backend.process.poll() is None:
            continue
        code = backend.process.returncode
        if now - started[backend.name] < CRASH_LOOP_SECONDS:
            given_up.add(backend.name)
            said.append(
                f"{backend.name} stopped again (exit code {code}) {now - started[backend.name]:.0f} s after it started;"
                f" it is left stopped and HAProxy sends its browsers to the others. Its log: {backend.log}"
            )
            continue
        said.append(f"{backend.name} stopped (exit code {code}); HAProxy sends its browsers to the others. Starting it again.")
        try:
            cluster.restart(index)
        except StartFailed as failure:
            given_up.add(backend.name)
            said.append(f"{backend.name} did not start again: {failure}")
            continue
        started[backend.name] = time.monotonic()
        said.append(f"{backend.name} runs again.")
    return said


def watch(cluster: Cluster) -> int:
    """Start again each process that stops by itself (tend); return when HAProxy has stopped or every process is left
    stopped."""
    started = {backend.name: time.monotonic() for backend in cluster.backends}
    given_up: set[str] = set()
    while True:
        for line in tend(cluster, started, given_up, time.monotonic()):
            print(line, file=sys.stderr, flush=True)
        if len(given_up) == len(cluster.backends):
            print("Every process has stopped; stopping HAProxy.", file=sys.stderr)
            return 1
        if cluster.haproxy is not None and cluster.haproxy.poll() is not None:
            print(f"HAProxy stopped; its log: {cluster.log_dir / 'haproxy.log'}", file=sys.stderr)
            return 1
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if haproxy_binary() is None:
        print(f"HAProxy is not installed. Install it with\n\n    {INSTALL_HINT}\n\nand run this again.", file=sys.stderr)
        return 1
    db_path = database_path()
    log_dir = args.logs or db_path.parent / "cluster-logs"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a service manager's stop leaves through the with block too
    processes = f"{args.processes} process{'es' if args.processes != 1 else ''}"
    print(f"Starting {processes} on {db_path} ...", flush=True)
    try:
        with Cluster(args.processes, args.port, db_path=db_path, log_dir=log_dir, address=args.address) as cluster:
            print(f"ABC Workshop runs at {cluster.url} ({processes} behind HAProxy).")
            if os.environ.get("ABC_PUBLIC_URL"):
                print(f"Phones join through {os.environ['ABC_PUBLIC_URL']}.")
            else:
                print(f"Phones reach it at this machine's network address, port {args.port} (or set ABC_PUBLIC_URL).")
            print(f"Logs: {log_dir}. Stop with Ctrl-C.", flush=True)
            return watch(cluster)
    except StartFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
