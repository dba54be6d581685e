"""load_vote.py's set-up and check: the server it starts, the app copy it runs, the workshop it creates
through the Store, and the database check that every ballot arrived exactly once."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from procstats import free_port

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SNAPSHOT_IGNORE = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", "results", "test-artifacts", "*.sqlite3*")
TEAMS = ["Service Desk", "Operations", "Business users"]
PICKS = 10  # cards each simulated participant picks


# ---------------------------------------------------------------------------------------------
# Server process
# ---------------------------------------------------------------------------------------------


class Server:
    def __init__(self, args: argparse.Namespace, app_dir: Path, db_path: Path, log_path: Path):
        self.port = args.port or free_port()
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        if args.gc:
            command += ["--runner.postScriptGC", "true"]
        command += args.server_arg
        if args.pin:
            command = ["taskset", "-c", str(args.server_cpu), *command]
        if args.nice:
            command = ["nice", "-n", str(args.nice), *command]
        self.command = command
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["ABC_DB_PATH"] = str(db_path)
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - open for the server's whole life, closed in stop()
        self.proc = subprocess.Popen(
            command, cwd=app_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.proc.pid  # taskset execs the command: same pid

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 60) -> float:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with status {self.proc.returncode}; see {self.log_path}")
            try:
                with opener.open(f"{self.base}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server not healthy after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()


# ---------------------------------------------------------------------------------------------
# Setup and database check
# ---------------------------------------------------------------------------------------------
def prepare_app(mode: str, rev: str, tmp: Path) -> tuple[Path, dict]:
    """The app the server runs, and where it came from (commit, uncommitted changes)."""

    def git(*argv: str) -> str:
        return subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, check=True).stdout

    try:
        commit = git("rev-parse", "--verify", f"{rev if mode == 'head' else 'HEAD'}^{{commit}}").strip()
        origin = {
            "mode": mode,
            "commit": commit,
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no").strip()),
        }
    except (OSError, subprocess.CalledProcessError):
        origin = {"mode": mode, "commit": None, "uncommitted_changes": None}
    if mode == "live":
        return REPO, origin
    app_dir = tmp / "app"
    if mode == "head":
        archive = subprocess.run(
            ["git", "archive", "--format=tar", origin["commit"] or rev], cwd=REPO, capture_output=True, check=True
        ).stdout
        app_dir.mkdir()
        subprocess.run(["tar", "-x", "-C", str(app_dir)], input=archive, check=True)
        origin["uncommitted_changes"] = False
    else:
        shutil.copytree(REPO, app_dir, ignore=SNAPSHOT_IGNORE)
    return app_dir, origin


def set_up(app_dir: Path, db_path: Path, participants: int) -> tuple[str, int, int, list[tuple[int, str]], dict[str, list[int]]]:
    """Workshop, open round and participants, written with the Store of the app that is being run."""
    sys.path.insert(0, str(app_dir))
    from abc_workshop.domain import RoundSpec
    from abc_workshop.store import Store

    store = Store(db_path)
    try:
        store.load_shipped_decks(app_dir / "cards")
        workshop, key = store.create_workshop("Bench", "Bench Org", team_names=TEAMS)
        deck = store.decks()[0]
        rnd = store.create_round(workshop.id, key, RoundSpec(question="Which?", deck_id=deck.id, pick_limit=PICKS))
        store.open_round(rnd.id, key)
        teams = store.teams(workshop.id)
        joined = [store.join(workshop.id, f"Bench {i}", teams[i % len(teams)].id) for i in range(participants)]
        groups: dict[str, list[int]] = {}
        for card in store.cards(deck.id):  # deck order, as the ballot's pill groups list them
            groups.setdefault(card.type, []).append(card.id)
        return workshop.join_code, workshop.id, rnd.id, [(p.id, p.token) for p in joined], groups
    finally:
        store.close()


def check_database(db_path: Path, workshop_id: int, round_id: int, people: list) -> dict:
    """Ballots per participant (all rounds and attempts) and the picks of each, straight from SQLite."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        ballots: dict[int, list[int]] = {}
        for participant_id, ballot_id in db.execute(
            "SELECT p.id, b.id FROM participants p LEFT JOIN ballots b ON b.participant_id = p.id WHERE p.workshop_id = ?",
            (workshop_id,),
        ):
            ballots.setdefault(participant_id, [])
            if ballot_id is not None:
                ballots[participant_id].append(ballot_id)
        picks: dict[int, set[int]] = {}
        for ballot_id, card_id in db.execute(
            "SELECT b.id, k.card_id FROM ballots b JOIN picks k ON k.ballot_id = b.id WHERE b.round_id = ?", (round_id,)
        ):
            picks.setdefault(ballot_id, set()).add(card_id)
        total_ballots = db.execute("SELECT count(*) FROM ballots WHERE round_id = ?", (round_id,)).fetchone()[0]
    finally:
        db.close()
    lost, duplicated, wrong_picks, unconfirmed_but_stored = [], [], [], []
    missing_by_outcome: dict[str, int] = {}
    for p in people:
        mine = ballots.get(p.participant_id, [])
        if not mine:
            lost.append(p.index)
            missing_by_outcome[p.outcome] = missing_by_outcome.get(p.outcome, 0) + 1
            continue
        if len(mine) > 1:
            duplicated.append(p.index)
        for ballot_id in mine:
            stored = picks.get(ballot_id, set())
            if len(stored) != PICKS or (p.cards and stored != set(p.cards)):
                wrong_picks.append(p.index)
        if not p.confirmed:
            unconfirmed_but_stored.append(p.index)
    return {
        "ballots_in_round": total_ballots,
        "lost": len(lost),
        # Why each missing ballot is missing, as the client saw it. "confirmed" here would be a real loss:
        # the page said "saved" and the database has nothing.
        "missing_by_client_outcome": missing_by_outcome,
        "duplicated": len(duplicated),
        "wrong_picks": len(wrong_picks),
        "stored_but_not_confirmed": len(unconfirmed_but_stored),
        "lost_examples": lost[:10],
        "duplicated_examples": duplicated[:10],
        "wrong_pick_examples": wrong_picks[:10],
    }
