#!/usr/bin/env python3
"""Load benchmark for the participant page: N phones on /vote, each polling and voting once.

It starts its own `streamlit run app.py` (pinned to CPU 0 with taskset by default) on a free port of
127.0.0.1 with a fresh database in a temporary directory, creates a workshop, an open round
(pick limit 10) and N participants directly through the Store (joining through the UI is not
what is measured), then opens N websocket sessions that behave like browser tabs (see
bench/wsclient.py): each loads /vote?w=CODE&p=TOKEN, keeps the page's poll fragment ticking at
the interval the server announces, and at a random moment of the voting window submits 10 cards.
Afterwards it checks in the database that every participant's ballot arrived exactly once with
the 10 cards that participant chose.

Exit status: 0 all ballots arrived exactly once and intact; 1 a ballot is missing, duplicated or
has the wrong cards; 2 the benchmark itself could not run (server did not start, no session
could load the page, ...).

Run from the repository root:  python3 bench/load_vote.py --participants 500
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from procstats import CLK_TCK, cpu_busy, cpu_model, cpu_ticks, rss_kib, summary, tcp_nodelay_census
from vote_args import parse_args
from vote_calibrate import calibrate, open_root_page
from vote_report import print_calibration, print_report
from vote_setup import PICKS, Server, check_database, prepare_app, set_up
from vote_stats import Participant, Stats, sample_cpu
from wsclient import Choice, ProtocolError, VoteSession

# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------


async def tick_loop(session: VoteSession, stats: Stats, stop: asyncio.Event) -> None:
    """The browser's setInterval for the poll fragment: tick every interval, answered or not."""
    interval = session.page.poll_interval
    loop = asyncio.get_running_loop()
    outstanding: set[asyncio.Future] = set()
    next_at = time.perf_counter() + interval
    while not stop.is_set():
        delay = next_at - time.perf_counter()
        if delay > 0:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                break
        try:
            interaction = await session.tick()
        except ProtocolError as error:
            stats.errors.append(f"tick: {error}")
            return
        stats.ticks_sent += 1

        def done(_future, interaction=interaction):
            if interaction.errors and stop.is_set():
                stats.ticks_unanswered += 1  # hung up on at the end of the run
            elif interaction.errors:
                stats.errors.append("tick: " + "; ".join(interaction.errors))
            elif interaction.finished is not None:
                stats.ticks.append((interaction.sent, interaction.finished - interaction.sent))

        interaction.done.add_done_callback(done)
        outstanding.add(interaction.done)
        outstanding = {f for f in outstanding if not f.done()}
        next_at += interval
        if next_at < time.perf_counter():  # fell behind by more than an interval: do not burst
            next_at = time.perf_counter() + interval
    # Give the last ticks a moment; what is still unanswered is reported, not an error.
    if outstanding:
        await asyncio.wait(outstanding, timeout=5)
    del loop


async def run_participant(
    p: Participant,
    args: argparse.Namespace,
    url: str,
    code: str,
    stats: Stats,
    connect_gate: asyncio.Semaphore,
    loaded: list,
    window_open: asyncio.Future,
    stop_ticks: asyncio.Event,
    tickers: list,
    rng: random.Random,
    sessions: list,
    groups: dict[str, list[int]],
) -> VoteSession | None:
    session = VoteSession(url, f"w={code}&p={p.token}")
    sessions.append(session)
    try:
        async with connect_gate:
            await session.connect(open_timeout=args.load_timeout)
            stats.loads.append(await session.load(timeout=args.load_timeout))
    except (TimeoutError, ProtocolError, OSError) as error:
        stats.errors.append(f"participant {p.index}: page load: {error}")
        if len(stats.traces) < 10:
            stats.traces.append(
                {
                    "participant": p.index,
                    "error": f"page load: {error}",
                    "trace": [f"{t:12.3f} {d} {what}" for t, d, what in session.trace][:80],
                }
            )
        await session.close()
        loaded.append(False)
        p.outcome = "page load failed"
        return None
    loaded.append(True)
    p.outcome = "loaded, did not vote"
    tickers.append(asyncio.create_task(tick_loop(session, stats, stop_ticks)))  # runs until stop_ticks
    try:
        window_start = await window_open
        choices = rng.sample(session.page.choices, PICKS)
        p.cards = [card_id(choice, groups) for choice in choices]
        if args.vote_mode == "clicks":
            # A person taps at their own pace: a pill changes in the browser at once, so the next tap does not
            # wait for the server's answer to the last one. Each answer is timed when it comes.
            for offset, choice in zip(p.vote_offsets[:-1], choices):
                await asyncio.sleep(max(0.0, window_start + offset - time.perf_counter()))
                tap = await session.tap(choice, True)

                def answered(_future, tap=tap):
                    if tap.errors or tap.finished is None:
                        stats.taps_unanswered += 1
                    else:
                        stats.clicks.append(tap.finished - tap.sent)

                tap.done.add_done_callback(answered)
        await asyncio.sleep(max(0.0, window_start + p.vote_offsets[-1] - time.perf_counter()))
        record = {"participant": p.index, "at": time.perf_counter() - window_start}
        stats.votes.append(record)
        p.outcome = "submit sent, not confirmed"
        interaction = await session.vote(choices, timeout=args.timeout, set_choices=args.vote_mode == "single")
        record["sent"] = interaction.sent - window_start
        record["confirm"] = interaction.confirmed - interaction.sent
        record["finished"] = interaction.finished - interaction.sent
        p.confirmed = True
        p.outcome = "confirmed"
    except (ProtocolError, OSError) as error:
        stats.errors.append(f"participant {p.index}: vote: {error}")
        if len(stats.traces) < 5:
            base = window_open.result() if window_open.done() and not window_open.cancelled() else 0
            lines = [f"{t - base:9.3f} {d} {what}" for t, d, what in session.trace]
            first = next((i for i, line in enumerate(lines) if "send submit" in line or "send click" in line), len(lines))
            stats.traces.append({"participant": p.index, "error": str(error), "trace": lines[max(0, first - 10) : first + 60]})
    finally:
        stats.errors.extend(f"participant {p.index}: {e}" for e in session.errors)
        session.errors.clear()
    return session


def card_id(choice: Choice, groups: dict[str, list[int]]) -> int:
    """The card a checkbox or pill stands for: a checkbox's key is the card id; a pill is the n-th card of its type in deck order."""
    if choice.group is None:
        return choice.key
    return groups[choice.group][choice.key]


async def drive(
    args: argparse.Namespace, server: Server, people: list[Participant], code: str, groups: dict[str, list[int]], stats: Stats
) -> dict:
    url = f"ws://127.0.0.1:{server.port}/_stcore/stream"
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    stop_sampler, stop_ticks = asyncio.Event(), asyncio.Event()
    sampler = asyncio.create_task(sample_cpu(server.pid, stats, stop_sampler, t0))
    phases = stats.phases
    cpu_marks: dict[str, tuple] = {}

    def mark(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(now - t0, 3)
        cpu_marks[name] = (now, cpu_ticks(server.pid), sum(os.times()[:2]), cpu_busy())

    mark("start")
    if args.facilitator_first:
        phases["facilitator_root_load_s"] = round(await open_root_page(url, args.timeout), 3)
    mark("connect_start")
    loop = asyncio.get_running_loop()
    window_open: asyncio.Future = loop.create_future()
    gate = asyncio.Semaphore(args.connect_concurrency)
    loaded: list[bool] = []
    tickers: list[asyncio.Task] = []
    all_sessions: list[VoteSession] = []
    tasks = [
        asyncio.create_task(
            run_participant(
                p,
                args,
                url,
                code,
                stats,
                gate,
                loaded,
                window_open,
                stop_ticks,
                tickers,
                random.Random(rng.random()),
                all_sessions,
                groups,
            )
        )
        for p in people
    ]
    deadline = time.perf_counter() + args.connect_timeout
    while len(loaded) < len(people) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    mark("all_connected")
    if not any(loaded):
        window_open.cancel()
        stop_ticks.set()
        stop_sampler.set()
        await asyncio.gather(*tasks, *tickers, return_exceptions=True)
        raise RuntimeError("no session could load the vote page: " + "; ".join(stats.errors[:3]))
    if len(loaded) < len(people):
        stats.errors.append(f"{len(people) - len(loaded)} sessions still connecting after --connect-timeout")
    await asyncio.sleep(args.settle)
    mark("window_start")
    window_open.set_result(time.perf_counter())
    # Wait for every participant's vote, at most until window + drain.
    done, pending = await asyncio.wait(
        tasks, timeout=args.window + args.drain + (PICKS * args.timeout if args.vote_mode == "clicks" else 0)
    )
    mark("votes_done")
    for task in pending:
        task.cancel()
    sessions = [t.result() for t in done if not t.cancelled() and t.exception() is None and t.result() is not None]
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            stats.errors.append(f"participant task crashed: {task.exception()!r}")
    if pending:
        stats.errors.append(f"{len(pending)} participants had not finished voting after window + drain")
    nodelay = tcp_nodelay_census(server.pid, server.port)
    # Stop ticking; each tick loop waits up to 5 s for its last answers, then the tabs hang up.
    stop_ticks.set()
    if tickers:
        await asyncio.wait(tickers, timeout=10)
    mark("end")
    stop_sampler.set()
    await sampler
    await asyncio.gather(*pending, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in all_sessions), return_exceptions=True)

    def cpu_between(a: str, b: str) -> dict:
        (wa, ta, ca, ba), (wb, tb, cb, bb) = cpu_marks[a], cpu_marks[b]
        span = wb - wa
        core = f"cpu{args.server_cpu}"
        core_busy = None
        if core in ba and core in bb and bb[core][1] > ba[core][1]:
            core_busy = round((bb[core][0] - ba[core][0]) / (bb[core][1] - ba[core][1]) * 100, 1)
        server_pct = round((tb - ta) / CLK_TCK / span * 100, 1) if span > 0 else None
        return {
            "seconds": round(span, 2),
            "server_cpu_pct": server_pct,
            "client_cpu_pct": round((cb - ca) / span * 100, 1) if span > 0 else None,
            # Busy % of the server's CPU from /proc/stat; minus the server's own share = other processes.
            "server_core_busy_pct": core_busy,
            "other_load_on_server_core_pct": round(core_busy - server_pct, 1)
            if core_busy is not None and server_pct is not None and args.pin
            else None,
        }

    return {
        "cpu_connect": cpu_between("connect_start", "all_connected"),
        "cpu_voting": cpu_between("window_start", "votes_done"),
        "cpu_whole": cpu_between("start", "end"),
        "window_start_abs": cpu_marks["window_start"][0],
        "votes_done_abs": cpu_marks["votes_done"][0],
        "sessions_loaded": sum(loaded),
        "poll_interval": sessions[0].page.poll_interval if sessions else None,
        "ballot": ("pills" if any(c.group for c in sessions[0].page.choices) else "checkboxes") if sessions else None,
        "msgs_received": sum(s.msgs_received for s in all_sessions),
        "bytes_received": sum(s.bytes_received for s in all_sessions),
        "tcp_nodelay": nodelay,
    }


# ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.nice:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, args.nice)
    if (
        args.client_cpu >= 0
        and hasattr(os, "sched_setaffinity")
        and args.client_cpu in os.sched_getaffinity(0)
        and len(os.sched_getaffinity(0)) > 1
    ):
        os.sched_setaffinity(0, {args.client_cpu})
    rng = random.Random(args.seed)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    if args.calibrate:
        args.participants = 2
    name = (
        "calibrate-" if args.calibrate else ""
    ) + f"{stamp}-n{args.participants}-{args.vote_mode}{'-gc' if args.gc else ''}{'' if args.facilitator_first else '-nofac'}"
    result_file, server_log = args.results / f"{name}.json", args.results / f"{name}-server.log"
    command_line = "python3 bench/load_vote.py " + " ".join(sys.argv[1:] if argv is None else argv)
    stats = Stats()

    with tempfile.TemporaryDirectory(prefix="abc-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        try:
            app_dir, origin = prepare_app(args.code, args.rev, Path(tmp))
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"benchmark could not prepare the app ({args.code}): {error}", file=sys.stderr)
            return 2
        server = Server(args, app_dir, db_path, server_log)

        def identity() -> dict:
            """What every result file starts with: when, what was run, and against which code."""
            return {
                "started": stamp,
                "label": args.label,
                "command": command_line,
                "server_command": " ".join(server.command),
                "app": origin,
            }

        try:
            try:
                healthy_after = server.wait_healthy()
            except RuntimeError as error:
                print(f"benchmark could not start: {error}", file=sys.stderr)
                return 2
            code, workshop_id, round_id, joined, groups = set_up(app_dir, db_path, args.participants)
            people = [Participant(i, pid, token) for i, (pid, token) in enumerate(joined)]
            for p in people:
                if args.vote_mode == "clicks":
                    p.vote_offsets = sorted(rng.uniform(0, args.window) for _ in range(PICKS + 1))
                else:
                    p.vote_offsets = [rng.uniform(0, args.window)]
            if args.calibrate:
                try:
                    operations = asyncio.run(asyncio.wait_for(calibrate(args, server, people, code), 600))
                except (TimeoutError, RuntimeError, OSError, ProtocolError) as error:
                    print(f"calibration could not run: {error!r}; server log {server_log}", file=sys.stderr)
                    return 2
                result = {
                    **identity(),
                    "server_args": args.server_arg,
                    "gc": args.gc,
                    "facilitator_first": args.facilitator_first,
                    "machine": {"nproc": os.cpu_count(), "cpu_model": cpu_model()},
                    "poll_interval": operations.pop("_poll_interval"),
                    "server_idle_cpu_pct": operations.pop("_idle_cpu_pct"),
                    "ballot": operations.pop("_ballot"),
                    "window": args.window,
                    "operations": operations,
                    "result_file": str(result_file),
                    "server_log": str(server_log),
                }
                result_file.write_text(json.dumps(result, indent=1))
                print_calibration(result)
                return 0
            budget = (
                args.connect_timeout
                + args.settle
                + args.window
                + args.drain
                + 120
                + (PICKS * args.timeout if args.vote_mode == "clicks" else 0)
            )
            try:
                run = asyncio.run(asyncio.wait_for(drive(args, server, people, code, groups, stats), budget))
            except (TimeoutError, RuntimeError, OSError, ProtocolError) as error:
                print(f"benchmark could not run: {error!r}; server log {server_log}", file=sys.stderr)
                return 2
            rss = rss_kib(server.pid)
        finally:
            server.stop()
        database = check_database(db_path, workshop_id, round_id, people)

    window_start, votes_done = run["window_start_abs"], run["votes_done_abs"]
    voting_ticks = [lat for sent, lat in stats.ticks if window_start <= sent <= votes_done]
    confirmed = [v for v in stats.votes if v.get("confirm") is not None]
    if confirmed:
        first_sent = min(v["sent"] for v in confirmed)
        last_confirmed = max(v["sent"] + v["confirm"] for v in confirmed)
        votes_per_s = len(confirmed) / (last_confirmed - first_sent) if last_confirmed > first_sent else None
    else:
        votes_per_s = None
    voting_samples = [
        s["server_cpu_pct"] for s in stats.timeline if stats.phases["window_start"] <= s["t"] <= stats.phases["votes_done"] + 1
    ]
    server_errors = [
        line
        for line in server_log.read_text(errors="replace").splitlines()
        if "Traceback" in line or " ERROR " in line or "Error" in line
    ]
    result = {
        **identity(),
        "participants": args.participants,
        "vote_mode": args.vote_mode,
        "window": args.window,
        "gc": args.gc,
        "pin": args.pin,
        "server_cpu": args.server_cpu,
        "facilitator_first": args.facilitator_first,
        "nice": args.nice,
        "server_args": args.server_arg,
        "connect_concurrency": args.connect_concurrency,
        "server_healthy_after_s": round(healthy_after, 2),
        "machine": {"nproc": os.cpu_count(), "cpu_model": cpu_model()},
        "sessions_loaded": run["sessions_loaded"],
        "poll_interval": run["poll_interval"],
        "ballot": run["ballot"],
        "page_load": summary(stats.loads),
        "poll_tick": summary(voting_ticks),
        "poll_tick_all": summary([lat for _, lat in stats.ticks]),
        "ticks_sent": stats.ticks_sent,
        "ticks_unanswered": stats.ticks_unanswered,
        "click": summary(stats.clicks),
        "taps_unanswered": stats.taps_unanswered,
        "vote_confirm": summary([v["confirm"] for v in confirmed]),
        "vote_finished": summary([v["finished"] for v in confirmed]),
        "votes_per_s": votes_per_s,
        "cpu_connect": run["cpu_connect"],
        "cpu_voting": run["cpu_voting"],
        "cpu_whole": run["cpu_whole"],
        "server_cpu_peak_voting": max(voting_samples) if voting_samples else None,
        "server_rss_mib": round(rss / 1024, 1) if rss else None,
        "tcp_nodelay": run["tcp_nodelay"],
        "msgs_received": run["msgs_received"],
        "bytes_received": run["bytes_received"],
        "errors": stats.errors + [f"server log: {line}" for line in server_errors[:20]],
        "database": database,
        "failed_vote_traces": stats.traces,
        "phases": stats.phases,
        "timeline": stats.timeline,
        "result_file": str(result_file),
        "server_log": str(server_log),
    }
    result_file.write_text(json.dumps(result, indent=1))
    print_report(result)
    return 0 if database["lost"] == 0 and database["duplicated"] == 0 and database["wrong_picks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
