"""The command line of bench/load_vote.py."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DESCRIPTION = (
    "Load benchmark for the participant page: N phones on /vote, each polling and voting once. "
    "Starts and stops its own server; talks only to 127.0.0.1."
)
# The last commit whose vote page reran on a timer, the page this benchmark's tabs speak to (a poll fragment, pills
# and a submit button). Since then phones draw the round from the event stream: bench/live_room.py measures them.
POLLED_PAGE = "241b175"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=DESCRIPTION,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--participants", "-n", type=int, default=300, help="simulated participants (websocket sessions)")
    parser.add_argument(
        "--window", type=float, default=30.0, help="voting window in seconds: each participant votes at a random moment in it"
    )
    parser.add_argument(
        "--vote-mode",
        choices=["single", "clicks"],
        default="single",
        help="single: one ballot-fragment rerun sets the 10 picks and triggers submit; "
        "clicks: 10 taps (a ballot-fragment rerun each, like a person picking) spread over the window, then the submit",
    )
    parser.add_argument(
        "--gc", action="store_true", help="run the server with --runner.postScriptGC true (the repo's config turns it off)"
    )
    parser.add_argument(
        "--facilitator-first",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="before the participants connect, one session opens the app's root page (as the facilitator does). "
        "Without it the server stays in pages/-directory mode and app.py (with its TCP_NODELAY fix) never runs; see README",
    )
    parser.add_argument(
        "--pin", action=argparse.BooleanOptionalAction, default=True, help="pin the server to --server-cpu with taskset"
    )
    parser.add_argument("--server-cpu", type=int, default=0, help="CPU the server is pinned to")
    parser.add_argument(
        "--nice",
        type=int,
        default=-10 if os.geteuid() == 0 else 0,
        help="nice value for the server and this client (negative needs root): keeps unrelated processes on a shared "
        "machine from taking the benchmark's CPUs",
    )
    parser.add_argument(
        "--client-cpu", type=int, default=1, help="CPU this load client is pinned to (if the machine has it; -1: do not pin)"
    )
    parser.add_argument("--connect-concurrency", type=int, default=4, help="page loads in flight while the sessions connect")
    parser.add_argument(
        "--settle",
        type=float,
        default=10.0,
        help="seconds of polling only, after all sessions loaded and before the voting window",
    )
    parser.add_argument("--drain", type=float, default=30.0, help="seconds after the window to wait for unanswered votes")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds one click or submit may take before it counts as an error"
    )
    parser.add_argument(
        "--load-timeout", type=float, default=120.0, help="seconds one page load may take before the participant counts as failed"
    )
    parser.add_argument(
        "--connect-timeout", type=float, default=300.0, help="seconds all sessions together may take to connect and load the page"
    )
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for vote moments and card choices")
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for `streamlit run` (repeatable), e.g. --server-arg=--runner.fastReruns=false",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="instead of the load test: one tab at a time, measure the server CPU each kind of interaction costs "
        "(poll tick, a tap on a card, submit, full rerun, new tab) and what that means for N participants",
    )
    parser.add_argument(
        "--code",
        choices=["head", "worktree", "live"],
        default="head",
        help="which app to run: head = `git archive <--rev>` into the temp dir (reproducible, immune to edits during the run); "
        "worktree = a copy of the working tree as it is now; live = the repository itself (edits during the run reach the "
        "server through Streamlit's file watcher)",
    )
    parser.add_argument(
        "--rev",
        default=POLLED_PAGE,
        help="with --code head: the commit to run (default: the last one whose vote page polled; bench/README.md says why)",
    )
    parser.add_argument(
        "--results", type=Path, default=BENCH_DIR / "results", help="directory for the JSON result and the server log"
    )
    parser.add_argument("--label", default="", help="free text stored in the JSON result")
    args = parser.parse_args(argv)
    if args.participants < 1:
        parser.error("--participants must be at least 1")
    if args.window <= 0:
        parser.error("--window must be positive")
    return args
