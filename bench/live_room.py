"""The live room on one core: idle screens, a facilitator's changes, a vote, a join storm; with a reference.

    python3 bench/live_room.py -n 1000              # figures in bench/README.md
    python3 bench/live_room.py -n 300 --servers 2   # two server processes on one SQLite file

Starts `streamlit run app.py` pinned to CPU 0 (the load runs on CPU 1) on a fresh database with one
workshop of 30 teams and N participants, opens N vote pages that speak Streamlit's websocket and listen
to the event stream as a browser does (bench/live_client.py), then measures, in this order:

1. idle: server CPU while nothing happens, and the cost per idle screen against the reference;
2. open, close and reveal made by another process (like a facilitator's): when each screen had the new
   stage (the event) and its full redraw (the rerun that drew it);
3. the vote: every participant submits 10 cards at a random moment of --window seconds; confirmation
   times, then the database is checked for missing, duplicated or wrong ballots;
4. a join storm: --joiners new phones open the join link and join through the form within 60 s.

The reference is a trivial Streamlit page (one `st.fragment(run_every=2)` showing a number), measured in the
same run: with the same number of sessions ticking every 2 s (what polling would cost this room: its CPU
and how many of the ticks it still answers), and with at most REFERENCE_TICK sessions, a load it keeps up
with, for the cost of one tick; the figures hold as ratios across machines.
Every run is bounded in time and talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from live_client import Tab, TabError
from procstats import cpu_ticks, free_port, summary

REPO = Path(__file__).resolve().parent.parent
HZ = os.sysconf("SC_CLK_TCK")
REFERENCE_TICK = 200  # sessions of the trivial page at which one core still answers every tick
TRIVIAL_PAGE = """import streamlit as st


@st.fragment(run_every=2)
def number():
    st.write(st.session_state.setdefault("n", 0))


number()
"""


class Server:
    def __init__(self, script: str, cwd: Path, db: Path, cpu: int | None, port: int | None = None):
        self.port = port or free_port()  # a port given: a restart where the phones were (bench/faults.py)
        command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", "--server.fileWatcherType", "none", "--runner.postScriptGC", "false",
                   "--browser.gatherUsageStats", "false"]  # fmt: skip
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["ABC_DB_PATH"] = str(db)
        self.log = open(db.with_suffix(f".{self.port}.log"), "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"server on {self.port} did not start; see {self.log.name}")
            time.sleep(0.2)

    def cpu(self) -> float:
        return cpu_ticks(self.proc.pid) / HZ

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


async def gather_limited(coroutines, limit: int):
    gate = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines), return_exceptions=True)


async def busy(servers: list[Server], seconds: float) -> float:
    """Server CPU over `seconds`, as a share of one core (summed over the servers)."""
    before = sum(s.cpu() for s in servers)
    await asyncio.sleep(seconds)
    return (sum(s.cpu() for s in servers) - before) / seconds


async def reference(n: int, seconds: float, tmp: Path, cpu: int) -> dict:
    """The trivial polling page with n sessions: its CPU, and the server time one tick costs."""
    (tmp / "trivial").mkdir(exist_ok=True)
    (tmp / "trivial" / "trivial.py").write_text(TRIVIAL_PAGE)
    server = Server("trivial.py", tmp / "trivial", tmp / "trivial.sqlite3", cpu)
    tabs = [Tab("127.0.0.1", server.port, "", "") for _ in range(n)]
    try:
        await gather_limited([t.open() for t in tabs], 50)
        stop = asyncio.Event()
        ticks = [0]

        async def keep_ticking(tab: Tab):
            await asyncio.sleep(random.uniform(0, 2))
            while not stop.is_set():
                sent = time.perf_counter()
                asyncio.ensure_future(tab.tick())  # a browser's timer fires whether or not the last tick was answered
                ticks[0] += 1
                await asyncio.sleep(max(0.0, 2 - (time.perf_counter() - sent)))

        runners = [asyncio.create_task(keep_ticking(t)) for t in tabs if t.auto_rerun]
        await asyncio.sleep(4)
        finished_before, sent_before = sum(t.runs_finished for t in tabs), ticks[0]
        share = await busy([server], seconds)
        finished = sum(t.runs_finished for t in tabs) - finished_before
        stop.set()
        for runner in runners:
            runner.cancel()
        return {"sessions": n, "cpu_share": round(share, 3), "ticks_sent": ticks[0] - sent_before, "ticks_answered": finished,
                "ms_per_tick": round(1000 * share * seconds / max(finished, 1), 2)}  # fmt: skip
    finally:
        await gather_limited([t.close() for t in tabs], 200)
        server.stop()


def set_up(db: Path, n: int, teams: int) -> dict:
    from abc_workshop.config import CARDS_DIR
    from abc_workshop.domain import RoundSpec
    from abc_workshop.store import Store

    store = Store(db)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Live room", "Bench Org", team_names=[f"Team {i + 1:02d}" for i in range(teams)])
    team_ids = [t.id for t in store.teams(workshop.id)]
    deck = store.decks()[0]
    rnd = store.create_round(workshop.id, key, RoundSpec(question="Which do you recognise?", deck_id=deck.id, pick_limit=10))
    people = [store.join(workshop.id, f"P{i}", team_ids[i % teams]) for i in range(n)]
    return {
        "store": store,
        "workshop": workshop,
        "key": key,
        "round": rnd,
        "people": people,
        "cards": [c.id for c in store.cards(deck.id)],
    }


def stage_of(event: dict) -> list:
    """The round's stage in an event, whether the page watches the stage alone or the whole round (a phone)."""
    view = event["view"]
    return view.get("stage") or (view.get("round") or {}).get("stage") or [None, None, None, None]


def latencies(tabs: list[Tab], since: float, state: str) -> dict:
    """Per screen: the first event showing `state` after `since`, and the first redraw of that state."""
    event_times, redraw_times, missing = [], [], 0
    for tab in tabs:
        event = next(((at, e) for at, e in tab.events if at >= since and stage_of(e)[1] == state), None)
        if event is None:
            missing += 1
            continue
        event_times.append(event[0] - since)
        redraw = next((at for at, digest in tab.redraws if at >= event[0] and digest == event[1]["digest"]), None)
        if redraw is not None:
            redraw_times.append(redraw - since)
    return {"screens": len(tabs), "without_event": missing, "stage": summary(event_times),
            "redrawn": len(redraw_times), "redraw": summary(redraw_times)}  # fmt: skip


async def wait_for(tabs: list[Tab], since: float, state: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        result = latencies(tabs, since, state)
        if result["redrawn"] == len(tabs):
            return
        await asyncio.sleep(0.25)


def check_ballots(db: Path, round_id: int, expected: dict[int, list[int]]) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT b.participant_id, b.id FROM ballots b WHERE b.round_id = ?", (round_id,)).fetchall()
    picks: dict[int, set[int]] = {}
    for ballot_id, card_id in conn.execute("SELECT ballot_id, card_id FROM picks"):
        picks.setdefault(ballot_id, set()).add(card_id)
    conn.close()
    by_person: dict[int, list[int]] = {}
    for participant_id, ballot_id in rows:
        by_person.setdefault(participant_id, []).append(ballot_id)
    missing = [p for p in expected if p not in by_person]
    duplicated = [p for p, ballots in by_person.items() if len(ballots) > 1]
    wrong = [p for p, ballots in by_person.items() if p in expected and picks.get(ballots[0], set()) != set(expected[p])]
    return {"ballots": len(rows), "missing": len(missing), "duplicated": len(duplicated), "wrong": len(wrong)}


def live_status(server: Server) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/live/status", timeout=10) as answer:
        return json.loads(answer.read())


async def room(args, tmp: Path) -> dict:
    db = tmp / "room.sqlite3"
    room_ = set_up(db, args.participants, args.teams)
    store, workshop, key, rnd = room_["store"], room_["workshop"], room_["key"], room_["round"]
    cpus = [0, 1] if args.servers == 2 else [0]
    servers = [Server("app.py", REPO, db, cpu if args.pin else None) for cpu in cpus]
    report: dict = {"participants": args.participants, "teams": args.teams, "servers": args.servers}
    tabs = [Tab("127.0.0.1", servers[i % len(servers)].port, "vote", f"w={workshop.join_code}&p={p.token}")
            for i, p in enumerate(room_["people"])]  # fmt: skip
    followers: list[asyncio.Task] = []
    try:
        started = time.perf_counter()
        opened = await gather_limited([t.open() for t in tabs], 50)
        failures = [str(o) for o in opened if isinstance(o, BaseException)]
        report["open"] = {"seconds": round(time.perf_counter() - started, 1), "failed": len(failures), "examples": failures[:3],
                          "page_run": summary([o for o in opened if isinstance(o, float)])}  # fmt: skip
        tabs = [t for t, o in zip(tabs, opened) if isinstance(o, float)]
        for tab in tabs:
            tab.listen()
            followers.append(asyncio.create_task(tab.follow_forever()))
        await asyncio.sleep(5)
        report["streams"] = [live_status(s) for s in servers]

        share = await busy(servers, args.idle)
        report["idle"] = {"seconds": args.idle, "cpu_share": round(share, 4),
                          "ms_per_screen_per_2s": round(1000 * share * 2 / max(len(tabs), 1), 4)}  # fmt: skip

        for action, state in (("open", "open"),):
            since = time.perf_counter()
            cpu_before = sum(s.cpu() for s in servers)
            getattr(store, f"{action}_round")(rnd.id, key)
            await wait_for(tabs, since, state, 60)
            report[action] = latencies(tabs, since, state) | {"cpu_seconds": round(sum(s.cpu() for s in servers) - cpu_before, 2)}

        expected: dict[int, list[int]] = {}
        person_of = {p.token: p.id for p in room_["people"]}
        rng = random.Random(7)

        async def vote(tab: Tab):
            await asyncio.sleep(rng.uniform(0, args.window))
            cards = rng.sample(room_["cards"], 10)
            expected[person_of[tab.query.split("p=")[1]]] = cards
            return await tab.submit(cards, f"n{rng.random():.12f}")

        cpu_before = sum(s.cpu() for s in servers)
        votes = await asyncio.gather(*(vote(t) for t in tabs), return_exceptions=True)
        confirmed = [v for v in votes if isinstance(v, float)]
        report["vote"] = {"window": args.window, "confirmed": len(confirmed), "failed": len(votes) - len(confirmed),
                          "examples": [str(v) for v in votes if not isinstance(v, float)][:3], "confirmation": summary(confirmed),
                          "cpu_share": round((sum(s.cpu() for s in servers) - cpu_before) / args.window, 3),
                          "database": check_ballots(db, rnd.id, expected)}  # fmt: skip

        for action, state in (("close", "closed"), ("reveal", "revealed")):
            since = time.perf_counter()
            cpu_before = sum(s.cpu() for s in servers)
            getattr(store, f"{action}_round")(rnd.id, key)
            await wait_for(tabs, since, state, 60)
            report[action] = latencies(tabs, since, state) | {"cpu_seconds": round(sum(s.cpu() for s in servers) - cpu_before, 2)}
        report["errors"] = sum(len(t.errors) for t in tabs)
        report["error_examples"] = [e for t in tabs for e in t.errors][:3]

        if args.joiners:
            joiners = [
                Tab("127.0.0.1", servers[i % len(servers)].port, "vote", f"w={workshop.join_code}") for i in range(args.joiners)
            ]

            async def join(tab: Tab, index: int):
                await asyncio.sleep(rng.uniform(0, args.join_window))
                load = await tab.open()
                await tab.join(f"J{index}", f"Team {index % args.teams + 1:02d}")
                return load

            started = time.perf_counter()
            loads = await asyncio.gather(*(join(t, i) for i, t in enumerate(joiners)), return_exceptions=True)
            joined = store._value(
                "SELECT count(*) FROM participants WHERE workshop_id = ? AND display_name LIKE 'J%'", (workshop.id,)
            )
            report["join"] = {"phones": args.joiners, "window": args.join_window, "joined": joined,
                              "seconds": round(time.perf_counter() - started, 1),
                              "failed": [str(x) for x in loads if not isinstance(x, float)][:3],
                              "page_load": summary([x for x in loads if isinstance(x, float)])}  # fmt: skip
            await gather_limited([t.close() for t in joiners], 200)
    finally:
        for follower in followers:
            follower.cancel()
        await gather_limited([t.close() for t in tabs], 200)
        for server in servers:
            server.stop()
        store.close()
    return report


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--participants", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--idle", type=float, default=30, help="seconds of idle room to measure")
    parser.add_argument("--window", type=float, default=120, help="seconds over which the participants submit")
    parser.add_argument("--joiners", type=int, default=1000, help="new phones in the join storm (0: none)")
    parser.add_argument("--join-window", type=float, default=60)
    parser.add_argument(
        "--reference",
        type=int,
        default=None,
        help="sessions on the trivial polling page (default: as many as participants; 0: none)",
    )
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin the server(s) to CPU 0 (and 1)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args()
    if args.reference is None:
        args.reference = args.participants
    if args.pin and args.servers == 1:
        os.sched_setaffinity(0, {1})  # the load on the other core
    tmp = Path(tempfile.mkdtemp(prefix="abc-live-room-"))
    try:
        report = await room(args, tmp)
        if args.reference:
            cpu = 0 if args.pin else None
            report["reference"] = await reference(args.reference, args.idle, tmp, cpu)
            report["reference_tick"] = await reference(min(args.reference, REFERENCE_TICK), args.idle, tmp, cpu)
            tick = report["reference_tick"]["ms_per_tick"]
            report["idle"]["vs_trivial_tick"] = round(report["idle"]["ms_per_screen_per_2s"] / tick, 4) if tick else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.mkdir(exist_ok=True)
    name = args.out / f"live-room-{time.strftime('%Y%m%d-%H%M%S')}-n{args.participants}-s{args.servers}.json"
    name.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(f"written to {name}")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except TabError as error:
        sys.exit(f"benchmark failed: {error}")
