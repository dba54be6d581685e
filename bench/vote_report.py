"""Printing load_vote.py's results and its calibration as tables a reader can compare run by run."""

from __future__ import annotations

TICK_OP = "poll tick (with the ballot's widget states, as a browser sends them)"


def print_calibration(result: dict) -> None:
    ops = result["operations"]
    width = max(len(k) for k in ops)
    print("-" * (width + 60))
    _heading("ABC Workshop interaction costs (one at a time)", result)
    print(f"server: postScriptGC {'on' if result['gc'] else 'off'}; {' '.join(result['server_args']) or 'no extra server args'}")
    print("-" * (width + 60))
    print(f"ballot: {result['ballot']}; poll interval announced by the page: {result['poll_interval']} s")
    print(f"server CPU with one idle tab: {result['server_idle_cpu_pct']}% (subtracted below)")
    print(f"{'operation'.ljust(width)}  server CPU/op   latency p50   p95")
    for name, op in ops.items():
        print(
            f"{name.ljust(width)}  {op['server_cpu_ms_per_op']:8.2f} ms   {ms(op['latency']['p50']):>9}  {ms(op['latency']['p95']):>9}"
        )
    print("-" * (width + 60))
    tick = ops[TICK_OP]["server_cpu_ms_per_op"]
    submit = ops["submit 10 cards (ballot fragment rerun + DB write)"]["server_cpu_ms_per_op"]
    interval = result["poll_interval"]
    for n in (100, 300, 500):
        polling = n / interval * tick / 10
        voting = n / result["window"] * submit / 10
        print(
            f"{n} participants: polling every {interval} s ~ {polling:.0f}% of a core; {n} votes in {result['window']:.0f} s ~ {voting:.0f}% more"
        )
    print(f"result: {result['result_file']}   server log: {result['server_log']}")


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"


def disturbed(r: dict) -> bool:
    """Other processes mattered: the server's CPU was (nearly) always busy and they took more than 10% of it."""
    for phase in (r["cpu_voting"], r["cpu_connect"]):
        other, busy = phase.get("other_load_on_server_core_pct"), phase.get("server_core_busy_pct")
        if other is not None and busy is not None and other > 10 and busy > 95:
            return True
    return False


def print_report(result: dict) -> None:
    r, db = result, result["database"]
    vote, tick, load = r["vote_confirm"], r["poll_tick"], r["page_load"]
    rows = [
        ("participants simulated", f"{r['participants']} ({r['sessions_loaded']} loaded the vote page)"),
        (
            "vote mode",
            r["vote_mode"]
            + f" ({r['ballot']} ballot)"
            + (
                f", tap p50/p95 {ms(r['click']['p50'])} / {ms(r['click']['p95'])}, {r['taps_unanswered']} taps never answered"
                if r["vote_mode"] == "clicks"
                else ""
            ),
        ),
        (
            "server",
            f"postScriptGC {'on (--gc)' if r['gc'] else 'off (repo config)'}, "
            + (f"pinned to CPU {r['server_cpu']}" if r["pin"] else "not pinned")
            + f", nice {r['nice']}, facilitator opened / first: {'yes' if r['facilitator_first'] else 'no'}"
            + (f", extra: {' '.join(r['server_args'])}" if r["server_args"] else ""),
        ),
        (
            "TCP_NODELAY on server sockets",
            "n/a"
            if not r["tcp_nodelay"]
            else f"listener {r['tcp_nodelay']['listening_nodelay']}, {r['tcp_nodelay']['connections_nodelay']}/{r['tcp_nodelay']['connections']} connections",
        ),
        ("voting window", f"{r['window']:.0f} s (offered {r['participants'] / r['window']:.1f} votes/s)"),
        ("votes confirmed", f"{vote['n']} / {r['participants']}"),
        ("votes/s (first submit .. last confirmation)", f"{r['votes_per_s']:.1f}" if r["votes_per_s"] else "-"),
        ("vote confirmation p50 / p95 / max", f"{ms(vote['p50'])} / {ms(vote['p95'])} / {ms(vote['max'])}"),
        ("  (until that run's script_finished p95)", ms(r["vote_finished"]["p95"])),
        ("poll tick p50 / p95 (during voting)", f"{ms(tick['p50'])} / {ms(tick['p95'])}  (max {ms(tick['max'])}, n={tick['n']})"),
        (
            "poll tick p50 / p95 (whole run)",
            f"{ms(r['poll_tick_all']['p50'])} / {ms(r['poll_tick_all']['p95'])}  (interval {r['poll_interval']} s, {r['ticks_unanswered']} unanswered at stop)",
        ),
        (
            "page load p50 / p95",
            f"{ms(load['p50'])} / {ms(load['p95'])}  ({r['cpu_connect']['seconds']:.0f} s to load all, concurrency {r['connect_concurrency']})",
        ),
        (
            "server CPU while voting",
            f"{r['cpu_voting']['server_cpu_pct']}% of one core (max 1-s sample {r['server_cpu_peak_voting']}%)",
        ),
        ("server CPU while connecting", f"{r['cpu_connect']['server_cpu_pct']}%"),
        (
            "other processes on the server's CPU",
            "-"
            if r["cpu_voting"]["other_load_on_server_core_pct"] is None
            else f"{r['cpu_voting']['other_load_on_server_core_pct']}% while voting, {r['cpu_connect']['other_load_on_server_core_pct']}% while connecting"
            + ("  <- the server's CPU was full and others took a share: figures disturbed" if disturbed(r) else ""),
        ),
        (
            "load client CPU while voting",
            f"{r['cpu_voting']['client_cpu_pct']}%"
            + ("  <- client near saturation, latencies overstated" if (r["cpu_voting"]["client_cpu_pct"] or 0) > 80 else ""),
        ),
        ("server RSS at end", f"{r['server_rss_mib']} MiB" if r["server_rss_mib"] else "-"),
        ("errors", str(len(r["errors"]))),
        ("ballots in DB (this round)", str(db["ballots_in_round"])),
        ("missing / duplicated / wrong picks", f"{db['lost']} / {db['duplicated']} / {db['wrong_picks']}"),
        ("  missing, by what the client saw", ", ".join(f"{k}: {v}" for k, v in db["missing_by_client_outcome"].items()) or "-"),
        ("stored but not confirmed to client", str(db["stored_but_not_confirmed"])),
    ]
    width = max(len(k) for k, _ in rows)
    line = "-" * (width + 50)
    print(line)
    _heading("ABC Workshop vote benchmark", r)
    print(line)
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")
    print(line)
    if r["errors"]:
        print("first errors:")
        for error in r["errors"][:10]:
            print("  " + error)
    verdict = "PASS" if db["lost"] == 0 and db["duplicated"] == 0 and db["wrong_picks"] == 0 else "FAIL"
    target = vote["p95"] is not None and vote["p95"] <= 0.250 and vote["n"] == r["participants"]
    print(f"ballots: {verdict}   target p95 vote confirmation <= 250 ms: {'met' if target else 'NOT met'}")
    print(f"result: {r['result_file']}   server log: {r['server_log']}")


def _heading(title: str, result: dict) -> None:
    """Which run this is and which code it measured, so tables from different commits are not confused."""
    print(f"{title}   {result['started']}")
    print(f"command: {result['command']}")
    app = result["app"]
    print(
        f"app: {app['mode']} at commit {(app['commit'] or '?')[:10]}"
        + (" + uncommitted changes" if app["uncommitted_changes"] else "")
    )
