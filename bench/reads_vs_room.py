"""Do leads' reads hold up a live room's ballots? `python3 bench/reads_vs_room.py --db /tmp/history.sqlite3`.

On a history made by bench/make_history.py, the benchmark adds a live workshop with an open round and 400
participants. A thread submits a ballot every 20 ms through the Store, as the phones' submits reach it: first for
--seconds with nothing else going on (the reference, in the same run), then for as long while --leads threads of the
same Store read the compare page's default view over and over (its overview and card totals, the page's longest
queries), as leads on the same server process would. Printed per phase: the ballots, their wait p50, p99 and max,
and how many waited over 1 s; and how many compare views the leads read. bench/README.md records the figures.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from import_vs_room import line, submitting

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import CompareFilter, RoundSpec
from abc_workshop.store import Store

DEFAULT = CompareFilter(perspectives=("recognise",))  # the compare page's first view


def reading(store: Store, stop: threading.Event, done: list) -> None:
    while not stop.is_set():
        store.compare_overview(DEFAULT)
        store.card_totals(DEFAULT)
        done.append(time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, required=True, help="a history made by bench/make_history.py (a live workshop is added)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of each phase")
    parser.add_argument("--leads", type=int, default=2, help="threads reading the compare page at once")
    args = parser.parse_args()
    store = Store(args.db)
    store.load_shipped_decks(CARDS_DIR)
    workshop, key = store.create_workshop("Live room", "Live Org", team_names=["Desk"], creator_key=store.server_key)
    deck = store.decks()[0]
    rnd = store.open_round(store.create_round(workshop.id, key, RoundSpec("Q", deck.id, pick_limit=3)).id, key)
    team = store.teams(workshop.id)[0].id
    room = (workshop, rnd, [store.join(workshop.id, None, team) for _ in range(400)], [c.id for c in store.cards(deck.id)])
    started = time.perf_counter()
    store.compare_overview(DEFAULT), store.card_totals(DEFAULT)
    print(f"one compare view alone: {time.perf_counter() - started:.2f} s")
    waits: dict[str, list] = {}
    views: dict[str, list] = {}
    for name, leads in (("no reads (reference)", 0), (f"{args.leads} leads reading", args.leads)):
        stop = threading.Event()
        waits[name], views[name] = [], []
        threads = [threading.Thread(target=submitting, args=(store, room, stop, waits[name], random.Random(name)))]
        threads += [threading.Thread(target=reading, args=(store, stop, views[name])) for _ in range(leads)]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
    store.close()
    print(f"{'phase':26} {'ballots':>8} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} {'over 1 s':>10}  compare views read")
    for name, phase in waits.items():
        print(f"{line(name, phase)}  {len(views[name])}")


if __name__ == "__main__":
    main()
