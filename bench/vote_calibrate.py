"""The sequential cost of each interaction of the vote page, for `python3 bench/load_vote.py --calibrate`.

One tab at a time, one request in flight: the server's CPU per operation is read from /proc around a few hundred
repeats, less what the idle server burns meanwhile (bench/README.md, "Vote page under load").
"""

from __future__ import annotations

import argparse
import asyncio
import time

from procstats import CLK_TCK, cpu_ticks, summary
from vote_report import TICK_OP
from vote_setup import PICKS, Server
from wsclient import VoteSession


async def open_root_page(url: str, timeout: float) -> float:
    """The facilitator opening the app's start page ("/"): runs app.py once in the server."""
    session = VoteSession(url, "", page_name="")
    await session.connect(open_timeout=timeout)
    try:
        interaction = await session._wait(await session._send("load", session._client_state()), timeout)
        return interaction.finished - interaction.sent
    finally:
        await session.close()


async def calibrate(args: argparse.Namespace, server: Server, people: list, code: str) -> dict:
    """Sequential cost of each interaction: one request in flight, server CPU from /proc per operation."""
    url = f"ws://127.0.0.1:{server.port}/_stcore/stream"
    if args.facilitator_first:
        await open_root_page(url, args.load_timeout)
    tab = VoteSession(url, f"w={code}&p={people[0].token}")
    await tab.connect()
    await tab.load(args.load_timeout)
    choices = tab.page.choices
    results: dict[str, dict] = {}
    # What the server burns doing nothing (its event loop, timers, the file watcher) is subtracted from each operation.
    cpu_before, wall_before = cpu_ticks(server.pid), time.perf_counter()
    await asyncio.sleep(10)
    idle_per_s = (cpu_ticks(server.pid) - cpu_before) / CLK_TCK / (time.perf_counter() - wall_before)
    results["_idle_cpu_pct"] = round(idle_per_s * 100, 2)

    async def measure(name: str, operation, repeat: int) -> None:
        await operation()  # warm up
        latencies = []
        cpu_before, wall_before = cpu_ticks(server.pid), time.perf_counter()
        for _ in range(repeat):
            start = time.perf_counter()
            await operation()
            latencies.append(time.perf_counter() - start)
        cpu_after, wall_after = cpu_ticks(server.pid), time.perf_counter()
        busy = (cpu_after - cpu_before) / CLK_TCK - idle_per_s * (wall_after - wall_before)
        results[name] = {
            "server_cpu_ms_per_op": round(max(0.0, busy) / repeat * 1000, 2),
            "server_cpu_ms_per_op_raw": round((cpu_after - cpu_before) / CLK_TCK / repeat * 1000, 2),
            "latency": summary(latencies),
            "repeat": repeat,
            "ops_per_s": round(repeat / (wall_after - wall_before), 1),
        }

    async def tick() -> None:
        await tab._wait(await tab.tick(), args.timeout)

    await measure(TICK_OP, tick, 300)
    tab.send_widget_states = False
    await measure("poll tick (no widget states)", tick, 300)
    tab.send_widget_states = True

    flip = [False]

    async def tap() -> None:
        flip[0] = not flip[0]
        await tab.pick(choices[-1], flip[0], args.timeout)

    await measure("a tap on a card (ballot fragment rerun)", tap, 100)
    if flip[0]:
        await tab.pick(choices[-1], False, args.timeout)  # untap it, as a person would, before the submits

    async def submit() -> None:
        await tab.vote(choices[:PICKS], args.timeout)  # resubmitting replaces the ballot: one row stays

    await measure("submit 10 cards (ballot fragment rerun + DB write)", submit, 50)

    async def full_rerun() -> None:
        await tab._wait(await tab._send("load", tab._client_state()), args.timeout)

    await measure("full page rerun (same tab, e.g. after a facilitator change)", full_rerun, 40)

    async def new_tab() -> None:
        other = VoteSession(url, f"w={code}&p={people[1].token}")
        await other.connect()
        try:
            await other.load(args.load_timeout)
        finally:
            await other.close()

    await measure("new tab: connect + first page load", new_tab, 40)
    await tab.close()
    results["_poll_interval"] = tab.page.poll_interval
    results["_ballot"] = "pills" if any(c.group for c in choices) else "checkboxes"
    return results
