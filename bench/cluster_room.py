"""How many participants 1, 2 and 4 server processes behind HAProxy hold: `python3 bench/cluster_room.py`.

For each number of processes, a fresh SQLite file with one workshop of 30 teams, the processes and HAProxy in front
(abc_workshop/cluster.py), then a join storm through HAProxy's one address: --phones simulated phones
(bench/live_client.py: Streamlit's websocket protocol, as a browser speaks it) open the join link and join through
the form, --in-flight at a time, as fast as the processes answer. Measured: joins per second, and from it the
participants the processes hold, that is, who can all open the link and join within one minute; the page load p95
(opening the link until the form is drawn); then every joined phone submits a ballot (confirmation p95, and the
ballots in the file against those confirmed). The scaling is read off as the ratio to one process in the same run.
The processes, HAProxy and the load client share the machine's cores, so the load client takes its share too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from live_client import Tab
from live_room import gather_limited
from procstats import cpu_ticks, free_port, summary

from abc_workshop.cluster import Cluster, prepare_database
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

TEAMS = 30
HZ = os.sysconf("SC_CLK_TCK")


def set_up(db: Path) -> tuple[str, int]:
    prepare_database(db)
    store = Store(db)
    workshop, key = store.create_workshop("Cluster room", "Bench Org", team_names=[f"Team {i + 1:02d}" for i in range(TEAMS)])
    deck = store.decks()[0]
    rnd = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which do you recognise?", deck.id, pick_limit=5)).id, key
    )
    store.close()
    return workshop.join_code, rnd.id


async def storm(port: int, code: str, phones: int, in_flight: int) -> tuple[list, list[Tab], float]:
    tabs = [Tab("127.0.0.1", port, "vote", f"w={code}") for _ in range(phones)]

    async def join(tab: Tab, index: int) -> float:
        load = await tab.open()
        await tab.join(f"J{index}", f"Team {index % TEAMS + 1:02d}")
        return load

    started = time.perf_counter()
    loads = await gather_limited([join(t, i) for i, t in enumerate(tabs)], in_flight)
    return loads, tabs, time.perf_counter() - started


async def vote(tabs: list[Tab], cards: list[int], in_flight: int) -> list:
    """Each phone listens to its event stream as ui/phone.js does, and once it holds the open round, submits."""
    for tab in tabs:
        tab.listen(follow=False)
    deadline = time.perf_counter() + 60
    while not all(t.events for t in tabs) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    rng = random.Random(7)
    return await gather_limited([t.submit(rng.sample(cards, 5), f"n{i}") for i, t in enumerate(tabs)], in_flight)


def measure(processes: int, args, tmp: Path) -> dict:
    db = tmp / f"cluster-{processes}.sqlite3"
    code, round_id = set_up(db)
    with Cluster(processes, free_port(), db_path=db, log_dir=tmp / f"logs-{processes}", address="127.0.0.1") as cluster:
        pids = [b.process.pid for b in cluster.backends if b.process]
        cards = [row[0] for row in sqlite3.connect(db).execute("SELECT id FROM cards ORDER BY id LIMIT 40")]
        loads, seconds, cpu, votes = asyncio.run(_storm_then_vote(cluster.port, code, cards, args, pids))
        joined_tabs = [load for load in loads if isinstance(load, float)]
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        joined = conn.execute("SELECT count(*) FROM participants WHERE display_name LIKE 'J%'").fetchone()[0]
        ballots = conn.execute("SELECT count(*) FROM ballots WHERE round_id = ?", (round_id,)).fetchone()[0]
        conn.close()
    confirmed = [v for v in votes if isinstance(v, float)]
    rate = len(joined_tabs) / seconds
    return {
        "processes": processes,
        "phones": args.phones,
        "joined": joined,
        "failed": [str(x) for x in loads if not isinstance(x, float)][:3],
        "seconds": round(seconds, 1),
        "joins_per_second": round(rate, 1),
        "held_in_a_minute": int(rate * 60),
        "page_load": summary([x for x in loads if isinstance(x, float)]),
        "server_cpu_seconds": round(cpu, 1),
        "votes_confirmed": len(confirmed),
        "votes_failed": [str(v) for v in votes if not isinstance(v, float)][:3],
        "confirmation": summary(confirmed),
        "ballots_in_file": ballots,
        "ballots_lost": len(confirmed) - ballots if ballots < len(confirmed) else 0,
    }


async def _storm_then_vote(port: int, code: str, cards: list[int], args, pids: list[int]) -> tuple[list, float, float, list]:
    """The join storm (its server CPU measured), then every joined phone's ballot; the tabs closed at the end."""
    cpu_before = sum(cpu_ticks(pid) for pid in pids)
    loads, tabs, seconds = await storm(port, code, args.phones, args.in_flight)
    cpu = (sum(cpu_ticks(pid) for pid in pids) - cpu_before) / HZ
    try:
        votes = await vote([t for t, load in zip(tabs, loads) if isinstance(load, float)], cards, args.in_flight)
    finally:
        await gather_limited([t.close() for t in tabs], 200)
    return loads, seconds, cpu, votes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=600, help="phones in each join storm")
    parser.add_argument("--in-flight", type=int, default=64, help="phones opening or joining at the same moment")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for processes in args.processes:
            results.append(measure(processes, args, Path(folder)))
            print(json.dumps(results[-1]), flush=True)
    base = results[0]["joins_per_second"]
    print(
        f"{'processes':>9} {'joined':>7} {'joins/s':>8} {'held in 1 min':>14} {'ratio':>6} {'load p95':>9} {'vote p95':>9} {'lost':>5}"
    )
    for r in results:
        print(
            f"{r['processes']:>9} {r['joined']:>7} {r['joins_per_second']:>8} {r['held_in_a_minute']:>14,} "
            f"{r['joins_per_second'] / base:>6.2f} {r['page_load']['p95'] or 0:>8.2f}s "
            f"{(r['confirmation']['p95'] or 0) * 1000:>7.0f}ms {r['ballots_lost']:>5}"
        )


if __name__ == "__main__":
    main()
