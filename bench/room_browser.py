"""The room in real browsers: how long each facilitator click takes to reach the projector and the phones.

    python3 bench/room_browser.py                      # 300 participants: 5 real phones, 295 simulated
    python3 bench/room_browser.py -n 300 --phones 40

Starts `streamlit run app.py` pinned to CPU 0; headless Chromium (Debian's /usr/bin/chromium) and the
simulated phones run on CPU 1. One workshop of 30 teams and N participants is made through the store.
In Chromium: the facilitator (1366x768), the projector (1920x1080, opened fresh: it has never drawn a
result) and --phones real phones (390x844); the other participants are simulated tabs that speak
Streamlit's websocket and the event stream as a browser does (bench/live_client.py).

Measured, as the time from the facilitator's click (taken just before Playwright clicks) to the moment a
page shows the new state (found by the page itself on every animation frame, on the same clock):
1. Open voting: the projector shows the progress, every real phone its ballot, every simulated phone the
   open round with its deck;
2. the vote: the real phones tap and submit, the simulated ones submit over --window seconds;
3. Close and reveal: the projector shows the first card of the result and then all ten with their bars
   grown; the phones show the result;
4. a projector opened after the reveal, in a new browser context (nothing cached): load to result drawn;
5. After the vote: Team summary, then Next team ten times while teams write notes (two a second,
   through the store): click to the projector showing that team;
6. a reference in the same run: a trivial Streamlit page with one button and a number, in the same
   Chromium on the same core: click to the new number drawn (the floor of any click).
Every wait is bounded; the ballots are checked in the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from live_client import Tab
from live_room import Server, check_ballots, gather_limited, set_up, stage_of
from playwright.async_api import async_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WAIT_MS = 60_000
TRIVIAL_BUTTON = """import streamlit as st

if st.button("Bump"):
    st.session_state["n"] = st.session_state.get("n", 0) + 1
st.write(f"Number {st.session_state.get('n', 0)}")
"""
# Resolves with Date.now() once the page's text (shadow roots included) holds `text`; it looks every 25 ms
# and reads textContent, which needs no layout, so the looking does not slow the page it measures.
SEEN = """(text) => new Promise((resolve) => {
  const deep = (root) => {
    let all = root.textContent || '';
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all += ' ' + deep(el.shadowRoot);
    return all;
  };
  const look = () => deep(document.body).includes(text) ? resolve(Date.now()) : setTimeout(look, 25);
  look();
})"""
SETTLED = """() => new Promise((resolve) => {
  const look = () => document.getAnimations().every((a) => a.playState !== 'running') ? resolve(Date.now()) : requestAnimationFrame(look);
  look();
})"""


def stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {"n": len(values), "median": round(statistics.median(ordered), 3), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
            "max": round(ordered[-1], 3)}  # fmt: skip


async def seen(page, text: str, clicked: float) -> float:
    """Seconds from `clicked` (time.time()) until the page shows `text`; TimeoutError after WAIT_MS."""
    return (await asyncio.wait_for(page.evaluate(SEEN, text), WAIT_MS / 1000)) / 1000 - clicked


async def settled(page, since: float) -> float | None:
    """Seconds from `since` until no animation runs on the page (the reveal's cards have all arrived); None if never."""
    try:
        return round((await asyncio.wait_for(page.evaluate(SETTLED), WAIT_MS / 1000)) / 1000 - since, 3)
    except TimeoutError:
        return None


async def all_seen(pages, text: str, clicked: float) -> list[float]:
    return list(await asyncio.gather(*(seen(p, text, clicked) for p in pages)))


async def simulated_seen(tabs: list[Tab], state: str, clicked_perf: float, timeout: float = 60) -> list[float]:
    """Seconds until each simulated phone has drawn the round in `state` (the event, and its deck)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        times = []
        for tab in tabs:
            event = next(((at, e) for at, e in tab.events if at >= clicked_perf and stage_of(e)[1] == state), None)
            drawn = event and next((at for at, digest in tab.redraws if at >= event[0] and digest == event[1]["digest"]), None)
            if drawn:
                times.append(drawn - clicked_perf)
        if len(times) == len(tabs):
            return times
        await asyncio.sleep(0.2)
    return times


def committed(store, workshop_id: int, kind: str, after: float) -> float | None:
    """When the change of that kind was committed (the event log's clock, in seconds since the epoch), if after `after`."""
    rows = store._rows(
        "SELECT at FROM events WHERE workshop_id = ? AND kind LIKE ? ORDER BY id DESC LIMIT 1", (workshop_id, kind)
    )
    if not rows:
        return None
    at = datetime.datetime.fromisoformat(rows[0]["at"]).timestamp()
    return at if at >= after - 0.01 else None


def split(store, workshop_id: int, kind: str, clicked: float, shown: float) -> dict:
    """A click's time in two: until the facilitator's page committed the change, and from there to the screen."""
    at = committed(store, workshop_id, kind, clicked)
    return {"click_to_commit": round(at - clicked, 3), "commit_to_screen": round(clicked + shown - at, 3)} if at else {}


def write_notes(store, workshop_id: int, round_id: int, key: str, stop: threading.Event, written: list) -> None:
    """Teams writing while the facilitator steps through the summaries: two notes a second, round the teams."""
    teams = store.teams(workshop_id)
    for team in teams:
        store.ensure_shortlist(round_id, team.id)
    topics = [t for team in teams for t in store.team_topics(round_id, team.id)]
    while not stop.wait(0.5):
        topic = topics[len(written) % len(topics)]
        store.add_note(workshop_id, topic.id, "risks", f"Written during the plenary, note {len(written) + 1}", key=key)
        written.append(time.time())


async def reference(browser, tmp: Path, cpu: int | None) -> dict:
    (tmp / "trivial").mkdir(exist_ok=True)
    (tmp / "trivial" / "button.py").write_text(TRIVIAL_BUTTON)
    server = Server("button.py", tmp / "trivial", tmp / "trivial.sqlite3", cpu)
    try:
        context = await browser.new_context(viewport={"width": 1366, "height": 768})
        page = await context.new_page()
        await page.goto(f"http://127.0.0.1:{server.port}/")
        await page.get_by_text("Number 0").wait_for(timeout=WAIT_MS)
        times = []
        for n in range(1, 11):
            clicked = time.time()
            await page.get_by_role("button", name="Bump").click()
            times.append(await seen(page, f"Number {n}", clicked))
        await context.close()
        return {"click_to_redraw": stats(times)}
    finally:
        server.stop()


async def room(args, tmp: Path) -> dict:
    db = tmp / "room.sqlite3"
    made = set_up(db, args.participants, args.teams)
    store, workshop, key, rnd = made["store"], made["workshop"], made["key"], made["round"]
    server = Server("app.py", REPO, db, 0 if args.pin else None)
    base = f"http://127.0.0.1:{server.port}"
    people = made["people"]
    real, simulated = people[: args.phones], people[args.phones :]
    report: dict = {
        "participants": args.participants,
        "teams": args.teams,
        "real_phones": len(real),
        "simulated_phones": len(simulated),
    }
    tabs = [Tab("127.0.0.1", server.port, "vote", f"w={workshop.join_code}&p={p.token}") for p in simulated]
    followers: list[asyncio.Task] = []
    stop_notes = threading.Event()
    try:
        opened = await gather_limited([t.open() for t in tabs], 50)
        tabs = [t for t, o in zip(tabs, opened) if isinstance(o, float)]
        for tab in tabs:
            tab.listen()
            followers.append(asyncio.create_task(tab.follow_forever()))
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page_of = {}

            async def new_page(name: str, **options):
                context = await browser.new_context(**options)
                context.set_default_timeout(WAIT_MS)
                page_of[name] = await context.new_page()
                return page_of[name]

            phase = "setting up the pages"
            try:
                facilitator = await new_page("facilitator", viewport={"width": 1366, "height": 768})
                await facilitator.goto(f"{base}/facilitate?w={workshop.join_code}")
                await facilitator.get_by_label("Facilitator key", exact=True).fill(key)
                await facilitator.get_by_role("button", name="Unlock").click()
                await facilitator.get_by_role("radio", name="Rounds", exact=True).click()
                await facilitator.get_by_role("button", name="Open voting").wait_for()
                projector = await new_page("projector", viewport={"width": 1920, "height": 1080})
                await projector.goto(f"{base}/projector?w={workshop.join_code}")
                await projector.locator(".join-code").wait_for()
                phones = []
                for index, person in enumerate(real):
                    phone = await new_page(
                        f"phone{index}", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
                    )
                    await phone.goto(f"{base}/vote?w={workshop.join_code}&p={person.token}")
                    phones.append(phone)
                await all_seen(phones, "Waiting for the facilitator", time.time())
                report["streams"] = json.loads(await (await facilitator.request.get(f"{base}/live/status")).text())

                phase = "open voting"
                clicked, clicked_perf = time.time(), time.perf_counter()
                await facilitator.get_by_role("button", name="Open voting").click()
                shown = await seen(projector, "have voted", clicked)
                report["open"] = {
                    "projector": round(shown, 3),
                    "projector_split": split(store, workshop.id, "round_open", clicked, shown),
                    "real_phones": stats(await all_seen(phones, f"of {rnd.pick_limit} picked", clicked)),
                    "simulated_phones": stats(await simulated_seen(tabs, "open", clicked_perf)),
                }

                rng = random.Random(11)
                expected: dict[int, list[int]] = {}
                titles = {c.id: c.title for c in store.cards(rnd.deck_id)}

                async def real_vote(phone, person):
                    cards = rng.sample(made["cards"], 3)
                    expected[person.id] = cards
                    for card in cards:
                        await phone.get_by_role("button", name=titles[card], exact=True).click()
                    clicked = time.time()
                    await phone.get_by_role("button", name="Submit my 3 cards").click()
                    return await seen(phone, "Your ballot is saved (3 cards)", clicked)

                async def simulated_vote(tab, person):
                    await asyncio.sleep(rng.uniform(0, args.window))
                    cards = rng.sample(made["cards"], 10)
                    expected[person.id] = cards
                    return await tab.submit(cards, f"n{rng.random():.12f}")

                phase = "the vote"
                votes = await asyncio.gather(*(real_vote(ph, pe) for ph, pe in zip(phones, real)),
                                             *(simulated_vote(t, pe) for t, pe in zip(tabs, simulated)), return_exceptions=True)  # fmt: skip
                report["vote"] = {"real_phones_submit_to_saved": stats([v for v in votes[: len(phones)] if isinstance(v, float)]),
                                  "simulated_confirmation": stats([v for v in votes[len(phones):] if isinstance(v, float)]),
                                  "failed": [repr(v) for v in votes if not isinstance(v, float)][:3],
                                  "database": check_ballots(db, rnd.id, expected)}  # fmt: skip

                phase = "close and reveal"
                clicked, clicked_perf = time.time(), time.perf_counter()
                await facilitator.get_by_role("button", name="Close and reveal").click()
                voted = f"{report['vote']['database']['ballots']} participants voted"
                first, phones_seen, simulated_times = await asyncio.gather(
                    seen(projector, voted, clicked),
                    all_seen(phones, voted, clicked),
                    simulated_seen(tabs, "revealed", clicked_perf),
                )
                report["reveal_split"] = split(store, workshop.id, "round_reveal%", clicked, first)
                report["reveal"] = {"projector_first_card": round(first, 3), "projector_top10_drawn": await settled(projector, clicked),
                                    "real_phones": stats(phones_seen), "simulated_phones": stats(simulated_times)}  # fmt: skip

                phase = "a projector opened after the reveal"
                fresh = await new_page("fresh-projector", viewport={"width": 1920, "height": 1080})
                started = time.time()
                await fresh.goto(f"{base}/projector?w={workshop.join_code}")
                report["fresh_projector"] = {"load_to_result": round(await seen(fresh, voted, started), 3),
                                             "load_to_top10_drawn": await settled(fresh, started)}  # fmt: skip

                phase = "stepping through the team summaries"
                written: list[float] = []
                notes = threading.Thread(
                    target=write_notes, args=(store, workshop.id, rnd.id, key, stop_notes, written), daemon=True
                )
                notes.start()
                await facilitator.get_by_role("radio", name="After the vote", exact=True).click()
                await facilitator.get_by_role("button", name="Team summary", exact=True).wait_for()
                teams = store.teams(workshop.id)
                clicked = time.time()
                await facilitator.get_by_role("button", name="Team summary", exact=True).click()
                steps = [await seen(projector, f"{teams[0].name} · our top cards", clicked)]
                splits = [split(store, workshop.id, "projector_view", clicked, steps[0])]
                failures, dispatched = [], []
                for step in range(1, 11):
                    try:
                        await facilitator.get_by_text(f"({step} of {len(teams)})").wait_for()
                        clicked = time.time()
                        await facilitator.get_by_role("button", name="Next team ▶").click()
                        dispatched.append(time.time() - clicked)
                        steps.append(await seen(projector, f"{teams[step].name} · our top cards", clicked))
                    except Exception as error:  # noqa: BLE001 - say what the pages showed, and carry on with the run's other figures
                        failures.append(f"step {step}: {str(error).splitlines()[0]}")
                        for name in ("facilitator", "projector"):
                            await page_of[name].screenshot(
                                path=str(args.out / f"room-browser-step{step}-{name}.png"), full_page=True
                            )
                        break
                    splits.append(split(store, workshop.id, "projector_view", clicked, steps[-1]))
                stop_notes.set()
                report["summaries"] = {"click_to_projector": stats(steps), "notes_written_meanwhile": len(written), "failures": failures,
                                       "each": [round(s, 3) for s in steps], "click_dispatched": stats(dispatched),
                                       "click_to_commit": stats([s["click_to_commit"] for s in splits if s]),
                                       "commit_to_projector": stats([s["commit_to_screen"] for s in splits if s])}  # fmt: skip
            except Exception as error:  # noqa: BLE001 - a run that fails says where, with what the pages showed
                report["failed"] = f"{phase}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
                for name, page in page_of.items():
                    await page.screenshot(path=str(args.out / f"room-browser-failed-{name}.png"), full_page=True)
            report["reference"] = await reference(browser, tmp, 0 if args.pin else None)
            await browser.close()
    finally:
        stop_notes.set()
        for follower in followers:
            follower.cancel()
        await gather_limited([t.close() for t in tabs], 200)
        server.stop()
        store.close()
    floor = report["reference"]["click_to_redraw"]["median"]
    if "failed" not in report:
        report["ratios_to_the_trivial_click"] = {
            "open_projector": round(report["open"]["projector"] / floor, 1),
            "reveal_projector_first_card": round(report["reveal"]["projector_first_card"] / floor, 1),
            "summary_step_median": round(report["summaries"]["click_to_projector"]["median"] / floor, 1),
        }
    return report


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--participants", type=int, default=300)
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument(
        "--phones",
        type=int,
        default=5,
        help="real Chromium phones (they share one core with the projector); the rest are simulated",
    )
    parser.add_argument("--window", type=float, default=30, help="seconds over which the simulated phones submit")
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin the server to CPU 0 and the load to CPU 1")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {1})  # the browsers and the simulated phones on the other core
    tmp = Path(tempfile.mkdtemp(prefix="abc-room-browser-"))
    args.out.mkdir(exist_ok=True)
    try:
        report = await room(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.out.mkdir(exist_ok=True)
    name = args.out / f"room-browser-{time.strftime('%Y%m%d-%H%M%S')}-n{args.participants}-p{args.phones}.json"
    name.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(f"written to {name}")


if __name__ == "__main__":
    asyncio.run(main())
