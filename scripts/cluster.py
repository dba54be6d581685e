"""Run several processes of the app behind one address: `python3 scripts/cluster.py --processes 4 --port 8501`.

Starts one `streamlit run app.py` per process on this machine, all on the one database, and HAProxy in front of them
(abc_workshop/cluster.py); runs until Ctrl-C, then stops them all. docs/several-processes.md explains when and why.
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


def watch(cluster: Cluster) -> int:
    """Say when a process stops by itself; return when HAProxy or every process has stopped."""
    reported: set[str] = set()
    while True:
        for backend in cluster.exited():
            if backend.name not in reported:
                reported.add(backend.name)
                assert backend.process is not None
                print(
                    f"{backend.name} stopped (exit code {backend.process.returncode}); HAProxy sends its browsers to the "
                    f"other processes. Its log: {backend.log}",
                    file=sys.stderr,
                )
        if len(reported) == len(cluster.backends):
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
