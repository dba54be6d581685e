"""Faults in a live room: the server killed mid-vote, and the database locked by another program.

    python3 bench/faults.py kill -n 50            # SIGKILL while 50 phones vote and teams write, then a restart
    python3 bench/faults.py kill-one -n 300       # two processes behind HAProxy, one of them killed for good
    python3 bench/faults.py lock -n 50 --hold 15  # another process holds the write lock for 15 s

One workshop on a fresh SQLite file: round 1 revealed (so each team has a shortlist to write notes on), round 2
open. N phones open the vote page and follow its event stream as ui/phone.js does (bench/live_client.py), and
submit ballots of 3 cards at random moments; one laptop per team writes notes and records risk decisions through
the team page's forms, over the same websocket protocol. A tab reconnects as Streamlit's frontend does (its
websocket, then a rerun of the page) and its stream as a browser's EventSource does (every RETRY seconds).

kill-one: two server processes behind HAProxy (abc_workshop/cluster.py), the tabs spread over them by its
round robin; after --before seconds one process gets SIGKILL and is not restarted. Its tabs reconnect through HAProxy,
which sends them to the other process; the same checks as for kill.
kill: after --before seconds the server gets SIGKILL, and a new one starts on the same file and port. Checked:
every ballot, note and decision confirmed before the kill is in the file afterwards (an unconfirmed one may be
there too), no ballot is half-written, and every phone comes back without a reload: its stream delivers an
event again and its next submit is answered.
lock: after --before seconds another process takes the write lock (BEGIN IMMEDIATE, one uncommitted change)
for --hold seconds. Checked: each submit meanwhile is saved or refused with the busy sentence, and what the file
holds while the lock is held is what was confirmed before it; afterwards every phone's next submit is saved.

Exit status 1 when a check fails. tests/faults/test_faults.py runs both at -n 50 in the suite; the figures are
in bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from live_client import Tab, TabError
from live_room import Server
from procstats import free_port
from streamlit.proto.ClientState_pb2 import ClientState
from websockets.exceptions import ConnectionClosed

from abc_workshop.cluster import Cluster
from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store

REPO = Path(__file__).resolve().parent.parent
TEAMS, PICKS = 5, 3
RETRY = 2.0  # ui/live_routes.py RETRY_MILLISECONDS: how soon a browser's EventSource tries again
BACK_WITHIN = 90.0  # seconds a tab may take to come back before the run counts it as lost
LOST = (ConnectionClosed, ConnectionError, OSError, TabError, asyncio.TimeoutError)


@dataclass
class Sent:
    what: object  # a ballot's cards, a note's text, a decision's reason
    at: float
    answered: float | None = None
    refused: str | None = None


@dataclass
class FaultTab(Tab):
    """A tab that finds its forms by their labels and comes back after its server went away."""

    participant_id: int = 0
    sent: list[Sent] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # markdown and alert texts the page drew, latest run last
    forms: list[tuple[str, str, str, str]] = field(default_factory=list)  # (kind, label, id, form id) in page order
    lost_at: float | None = None
    back_at: float | None = None  # websocket open and page drawn again
    stream_lost_at: float | None = None  # when its event stream last dropped

    def _handle(self, raw: bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind in ("markdown", "alert"):
                self.shown.append(getattr(element, kind).body)
            elif kind in ("text_input", "radio", "button"):
                widget = getattr(element, kind)
                entry = (kind, widget.label, widget.id, widget.form_id)
                if entry not in self.forms:
                    self.forms.append(entry)
        super()._handle(raw)

    async def submit_form(self, form_label: str, values: dict[str, str], button: str, timeout: float = 60) -> None:
        """Fill a form (found by one of its fields' labels, the first such form on the page) and press its button."""
        field_id, form = next((i, f) for kind, label, i, f in self.forms if label == form_label and f)
        state = ClientState()
        for kind, label, widget_id, form_id in self.forms:
            if form_id != form:
                continue
            if label in values or widget_id == field_id:
                widget = state.widget_states.widgets.add()
                widget.id, widget.string_value = widget_id, values[label]
            elif kind == "button" and label == button:
                widget = state.widget_states.widgets.add()
                widget.id, widget.trigger_value = widget_id, True
        await self._rerun(state, timeout)

    async def keep_connected(self, host_up: asyncio.Event) -> None:
        """As Streamlit's frontend: when the websocket closes, connect again and rerun the page."""
        while True:
            await self._reader
            self.lost_at = self.lost_at or time.perf_counter()
            await host_up.wait()
            while True:
                try:
                    await self.open(timeout=30)
                    break
                except LOST:
                    await asyncio.sleep(0.5)
            self.back_at = time.perf_counter()

    def connected(self) -> bool:
        return self._reader is not None and not self._reader.done()

    async def keep_listening(self) -> None:
        """As a browser's EventSource: when the stream drops, open it again every RETRY seconds."""
        listener = self.phone() or self.live()
        while True:
            with contextlib.suppress(*LOST):
                await self._listen(listener.data["url"], follow=False)
            self.stream_lost_at = time.perf_counter()
            await asyncio.sleep(RETRY)


def set_up(db: Path, n: int) -> dict:
    store = Store(db)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Faults", "Bench Org", team_names=[f"Team {i + 1}" for i in range(TEAMS)])
    teams = store.teams(workshop.id)
    deck = store.decks()[0]
    cards = [c.id for c in store.cards(deck.id)]
    people = [store.join(workshop.id, f"P{i}", teams[i % TEAMS].id) for i in range(n)]
    first = store.open_round(store.create_round(workshop.id, key, RoundSpec("Warm-up", deck.id, pick_limit=PICKS)).id, key)
    for person in people:
        store.submit_ballot(workshop.id, person.token, first.id, first.attempt, random.sample(cards[:8], PICKS))
    store.reveal_round(first.id, key)
    for team in teams:
        store.ensure_shortlist(first.id, team.id)
    spec = RoundSpec("Which do you recognise?", deck.id, pick_limit=PICKS)
    voting = store.open_round(store.create_round(workshop.id, key, spec).id, key)
    writers = [next(p for p in people if p.team_id == team.id) for team in teams]
    store.close()
    return {"code": workshop.join_code, "round": voting, "cards": cards, "people": people, "writers": writers}


async def vote(tab: FaultTab, cards: list[int], until: asyncio.Event, rng: random.Random) -> None:
    """Submit 3 random cards, again and again, as long as the run lasts."""
    while not until.is_set():
        await asyncio.sleep(rng.uniform(0.3, 2.0))
        if not tab.connected():
            continue
        chosen = rng.sample(cards, PICKS)
        sent = Sent(sorted(chosen), time.perf_counter())
        tab.sent.append(sent)
        try:
            await tab.submit(chosen, f"n{len(tab.sent)}-{rng.random():.6f}", timeout=40)
            sent.answered = time.perf_counter()
        except TabError as error:
            if str(error).startswith("ballot refused"):
                sent.answered, sent.refused = time.perf_counter(), str(error)
        except LOST:
            await asyncio.sleep(0.5)


async def write(tab: FaultTab, team: int, until: asyncio.Event, rng: random.Random) -> None:
    """Notes under value and a risk decision now and then, through the team page's forms."""
    number = 0
    while not until.is_set():
        await asyncio.sleep(rng.uniform(0.5, 1.5))
        if not tab.connected():
            continue
        number += 1
        decision = number % 3 == 0
        text = f"{'reason' if decision else 'note'} {team} {number} zq"
        sent = Sent(text, time.perf_counter())
        tab.sent.append(sent)
        try:
            if decision:
                await tab.submit_form("Why (short)", {"Why (short)": text, "Decision": "Not acceptable"}, "Record decision")
            else:
                await tab.submit_form("Add a note on value", {"Add a note on value": text}, "Add note")
            deadline = time.perf_counter() + 20
            while not any(text in shown for shown in tab.shown[-200:]):  # the page, run again, shows it: confirmed
                if any("busy" in shown for shown in tab.shown[-20:]):
                    sent.refused = "busy"
                    break
                if time.perf_counter() > deadline:
                    raise TabError("never shown")
                await asyncio.sleep(0.1)
            sent.answered = time.perf_counter()
        except (*LOST, StopIteration):
            await asyncio.sleep(0.5)


def hold_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another program: takes the write lock, changes a row without committing, holds it, then rolls back."""
    code = (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE');"
        " c.execute(\"UPDATE workshops SET title = 'held by another program'\"); print('locked', flush=True);"
        " time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()
    return proc


def file_state(db: Path, round_id: int) -> dict:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        ballots = {
            pid: sorted(json.loads(cards))
            for pid, cards in conn.execute(
                "SELECT b.participant_id, json_group_array(p.card_id) FROM ballots b JOIN picks p ON p.ballot_id = b.id"
                " JOIN rounds r ON r.id = b.round_id WHERE b.round_id = ? AND b.attempt = r.attempt GROUP BY b.id",
                (round_id,),
            )
        }
        return {
            "ballots": ballots,
            "texts": [t for (t,) in conn.execute("SELECT text FROM impact_notes UNION ALL SELECT reason FROM risk_decisions")],
            "half_written": conn.execute(
                "SELECT count(*) FROM ballots b WHERE (SELECT count(*) FROM picks p"
                " WHERE p.ballot_id = b.id) NOT BETWEEN 1 AND ?",
                (PICKS,),
            ).fetchone()[0],
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "title": conn.execute("SELECT title FROM workshops").fetchone()[0],
        }


def kept(sent: list[Sent], stored, since: float = float("inf")) -> bool:
    """What the file holds for one ballot (or decision) is the last answered one sent before `since`, or one sent
    after it whose answer never came (in flight when the server died)."""
    before = [s for s in sent if s.at < since]
    answered = [s for s in before if s.answered and not s.refused]
    if not answered:
        return True
    later = [s.what for s in before if s.at >= answered[-1].at and not (s.answered and not s.refused)]
    return stored in [answered[-1].what, *later]


async def room(mode: str, n: int, before: float, hold: float, seed: int) -> dict:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "faults.sqlite3"
        world = set_up(db, n)
        if mode == "kill-one":  # two processes behind HAProxy; the tabs reach them through its one address
            cluster = Cluster(2, free_port(), db_path=db, log_dir=Path(tmp) / "logs", address="127.0.0.1").__enter__()
            port = cluster.port
        else:
            server = Server("app.py", REPO, db, None)
            port = server.port
        phones = [
            FaultTab("127.0.0.1", port, "vote", f"w={world['code']}&p={p.token}", participant_id=p.id) for p in world["people"]
        ]
        laptops = [FaultTab("127.0.0.1", port, "team", f"w={world['code']}&p={p.token}") for p in world["writers"]]
        host_up, until, tasks = asyncio.Event(), asyncio.Event(), []
        host_up.set()
        result: dict = {"mode": mode, "phones": n, "teams": TEAMS}
        try:
            for tab in [*phones, *laptops]:
                await tab.open()
            for tab in phones:
                tab.listen(follow=False)
                tab._stream.cancel()  # keep_listening takes over, and reopens the stream when it drops
            tasks += [asyncio.create_task(t.keep_listening()) for t in phones]
            tasks += [asyncio.create_task(t.keep_connected(host_up)) for t in [*phones, *laptops]]
            tasks += [asyncio.create_task(vote(t, world["cards"], until, rng)) for t in phones]
            tasks += [asyncio.create_task(write(t, i + 1, until, rng)) for i, t in enumerate(laptops)]
            await asyncio.sleep(before)
            fault = time.perf_counter()
            if mode == "kill-one":  # no restart: the tabs of the killed process reconnect through HAProxy to the other
                cluster.kill(1)
                stored = file_state(db, world["round"].id)
            elif mode == "kill":
                host_up.clear()
                os.killpg(server.proc.pid, signal.SIGKILL)
                server.proc.wait()
                server.log.close()
                stored = file_state(db, world["round"].id)  # what the dead server left in the file
                server = Server("app.py", REPO, db, None, port=server.port)
                result["restart_seconds"] = time.perf_counter() - fault
                host_up.set()
            else:
                locker = hold_lock(db, hold)
                await asyncio.sleep(hold / 2)
                # Read while the lock is held, when nothing can land: once it goes, the writes that waited for it land
                # within milliseconds (StoreBase._begin tries every 2 ms), and they were sent after the fault.
                stored = file_state(db, world["round"].id)
                await asyncio.sleep(hold / 2)
                locker.wait()
            tabs = [*phones, *laptops]
            result["before"] = _answered(tabs, fault)
            result["lost"] = _lost(phones, laptops, stored, fault)
            recovered = time.perf_counter()
            await _until_back(phones, laptops, recovered)
            until.set()
            await asyncio.sleep(3)
            result.update(_after(phones, laptops, file_state(db, world["round"].id), fault, recovered, stored))
        finally:
            until.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.gather(*(t.close() for t in [*phones, *laptops]), return_exceptions=True)
            if mode == "kill-one":
                result["tabs_on_killed_process"] = sum(1 for t in [*phones, *laptops] if t.lost_at)
                cluster.stop()
            else:
                server.stop()
    return result


def _answered(tabs: list[FaultTab], fault: float) -> dict:
    sent = [s for t in tabs for s in t.sent if s.at < fault]
    return {"sent": len(sent), "confirmed": sum(1 for s in sent if s.answered and not s.refused and s.answered < fault)}


def _lost(phones, laptops, stored: dict, fault: float) -> dict:
    """Confirmed before the fault, and not in the file as the fault left it. A team's decision is one record
    (the latest replaces the one before); each note is a record of its own."""
    texts = set(stored["texts"])
    notes = sum(
        1
        for t in laptops
        for s in t.sent
        if s.what.startswith("note") and s.answered and not s.refused and s.answered < fault and s.what not in texts
    )
    decisions = 0
    for tab in laptops:
        sent = [s for s in tab.sent if s.what.startswith("reason")]
        decisions += not any(kept(sent, text, fault) for text in texts if text.startswith("reason")) and any(
            s.answered and not s.refused and s.answered < fault for s in sent
        )
    return {
        "ballots": sum(1 for t in phones if not kept(t.sent, stored["ballots"].get(t.participant_id), fault)),
        "notes": notes,
        "decisions": decisions,
        "half_written": stored["half_written"],
        "integrity": stored["integrity"],
    }


async def _until_back(phones, laptops, since: float) -> None:
    """Every phone hears its stream and has a submit answered after `since`; every laptop has a note shown."""
    deadline = since + BACK_WITHIN
    while time.perf_counter() < deadline:
        if all(_back(t, since) for t in [*phones, *laptops]):
            return
        await asyncio.sleep(0.5)


def _back(tab: FaultTab, since: float) -> float | None:
    """When the tab was working again after `since`: a later submit answered, and for a phone whose event stream
    dropped, the stream heard again (a stream that never dropped, as on the process that was not killed, still hears)."""
    answered = next((s.answered for s in tab.sent if s.at >= since and s.answered and not s.refused), None)
    heard = next((at for at, _ in tab.events if at >= since), None) if tab.phone() and tab.stream_lost_at else since
    return max(answered, heard) if answered and heard else None


def _after(phones, laptops, final: dict, fault: float, recovered: float, stored: dict) -> dict:
    back = [_back(t, recovered) for t in phones]
    came_back = sorted(b - fault for b in back if b)
    refusals = sorted({s.refused for t in [*phones, *laptops] for s in t.sent if s.refused})
    wrong = sum(1 for t in phones if not kept(t.sent, final["ballots"].get(t.participant_id)))
    return {
        "phones_back": len(came_back),
        "back_seconds": {"p50": came_back[len(came_back) // 2], "max": came_back[-1]} if came_back else None,
        "laptops_back": sum(1 for t in laptops if _back(t, recovered)),
        "ballots_in_file": {"at_fault": len(stored["ballots"]), "after": len(final["ballots"])},
        "final_wrong": wrong,
        "final_half_written": final["half_written"],
        "refusals": refusals,
        "shown_busy": any("busy" in text for t in [*phones, *laptops] for text in t.shown),
        "title_kept": final["title"] == "Faults",
    }


def failures(result: dict) -> list[str]:
    found = [f"{what} lost: {count}" for what, count in result["lost"].items() if count not in (0, "ok")]
    if result["before"]["confirmed"] == 0:
        found.append("nothing was confirmed before the fault: the run tested nothing")
    if result["phones_back"] < result["phones"]:
        found.append(f"only {result['phones_back']} of {result['phones']} phones came back within {BACK_WITHIN:.0f} s")
    if result["laptops_back"] < result["teams"]:
        found.append(f"only {result['laptops_back']} of {result['teams']} team laptops came back")
    if result["final_wrong"] or result["final_half_written"]:
        found.append(
            f"afterwards {result['final_wrong']} ballots differ from the last confirmed,"
            f" {result['final_half_written']} half-written"
        )
    if not result["title_kept"]:
        found.append("the other program's uncommitted change is in the file")
    unexpected = [r for r in result["refusals"] if "busy" not in r]
    if unexpected:
        found.append(f"refusals other than busy: {unexpected}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["kill", "kill-one", "lock"])
    parser.add_argument("-n", type=int, default=50, help="phones")
    parser.add_argument("--before", type=float, default=8, help="seconds of voting and writing before the fault")
    parser.add_argument("--hold", type=float, default=15, help="lock: seconds the other program holds the lock")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = asyncio.run(room(args.mode, args.n, args.before, args.hold, args.seed))
    print(json.dumps(result, indent=2, default=str))
    problems = failures(result)
    for problem in problems:
        print(f"FAILED: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
