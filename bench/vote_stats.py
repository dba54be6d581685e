"""What bench/load_vote.py records while it runs: the measurements, each simulated participant, and a once-a-second
sample of the server's and the client's CPU."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field

from procstats import CLK_TCK, cpu_busy, cpu_ticks


@dataclass
class Stats:
    loads: list[float] = field(default_factory=list)
    ticks: list[tuple[float, float]] = field(default_factory=list)  # (sent, latency)
    ticks_sent: int = 0
    ticks_unanswered: int = 0
    clicks: list[float] = field(default_factory=list)
    taps_unanswered: int = 0
    votes: list[dict] = field(default_factory=list)  # sent, confirm, finished (seconds)
    errors: list[str] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    phases: dict = field(default_factory=dict)
    traces: list[dict] = field(default_factory=list)


@dataclass
class Participant:
    index: int
    participant_id: int
    token: str
    vote_offsets: list[float] = field(default_factory=list)  # seconds after the window opens: clicks..., submit
    cards: list[int] = field(default_factory=list)
    confirmed: bool = False
    outcome: str = "never connected"


async def sample_cpu(pid: int, stats: Stats, stop: asyncio.Event, t0: float) -> None:
    """Once a second: server CPU % of one core, this client's CPU %, and what was sent."""
    last_wall, last_ticks, last_client = time.perf_counter(), cpu_ticks(pid), sum(os.times()[:2])
    last_busy = cpu_busy()
    last_sent = 0
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)
        wall, ticks, client, busy = time.perf_counter(), cpu_ticks(pid), sum(os.times()[:2]), cpu_busy()
        span = wall - last_wall
        if span <= 0:
            continue
        per_cpu = {
            name: round((b - last_busy[name][0]) / max(1, t - last_busy[name][1]) * 100, 1)
            for name, (b, t) in busy.items()
            if name in last_busy
        }
        stats.timeline.append(
            {
                "t": round(wall - t0, 2),
                "server_cpu_pct": round((ticks - last_ticks) / CLK_TCK / span * 100, 1),
                "client_cpu_pct": round((client - last_client) / span * 100, 1),
                "cpu_busy_pct": per_cpu,
                "ticks_sent": stats.ticks_sent - last_sent,
                "votes_confirmed": sum(1 for v in stats.votes if v.get("confirm") is not None),
            }
        )
        last_wall, last_ticks, last_client, last_sent, last_busy = wall, ticks, client, stats.ticks_sent, busy
