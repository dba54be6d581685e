"""Does a lead's big import hold up a live room's ballots? `python3 bench/import_vs_room.py [--rows 200000]`.

One SQLite file holds a live workshop with an open round and 400 participants. A thread submits a ballot every
20 ms through the Store (as the phones' submits reach it), first for --quiet seconds with nothing else going on
(the reference, in the same run), then while the same Store imports a file of --rows card picks (200 workshops of
100 participants, 10 cards each), then while it imports another such file and the ballots come through a second
Store on the file (its own connection, as a second server process's would), then while the first import is undone.
Printed: each import's and the undo's time, and per
phase the ballots submitted, their wait p50, p99 and max, and how many waited over 1 s; for an import, also the
ballots that arrived while it was written (after the file was checked, which takes no lock but the CPU).
bench/README.md records the figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import RoundSpec
from abc_workshop.store import Store


def picks_file(cards: list, rows: int, rng: random.Random, title: str = "W") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["organisation", "workshop", "date", "perspective", "participant", "card"])
    written, workshop = 0, 0
    while written < rows:
        for person in range(100):
            for card in rng.sample(cards, 10):
                writer.writerow([f"Org {workshop % 20}", f"{title}{workshop}", f"2020-{workshop % 12 + 1:02d}-01", "recognise",
                                 f"p{person}", card.key])  # fmt: skip
                written += 1
        workshop += 1
    return out.getvalue().encode()


def submitting(store: Store, room: tuple, stop: threading.Event, waits: list, rng: random.Random) -> None:
    """A ballot every 20 ms; `waits` gets (when it was sent, how long it took) for each."""
    workshop, rnd, people, card_ids = room
    turn = 0
    while not stop.is_set():
        started = time.perf_counter()
        store.submit_ballot(workshop.id, people[turn % len(people)].token, rnd.id, rnd.attempt, rng.sample(card_ids, 3))
        waits.append((started, time.perf_counter() - started))
        turn += 1
        time.sleep(0.02)


def line(name: str, sent: list, since: float = 0.0) -> str:
    waits = sorted(wait for at, wait in sent if at >= since)
    at = lambda q: waits[min(len(waits) - 1, int(q * len(waits)))] * 1000
    return (f"{name:26} {len(waits):8} {at(0.5):9.1f} {at(0.99):9.1f} {waits[-1] * 1000:9.1f} "
            f"{sum(w > 1 for w in waits):10}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds of ballots with no import (the reference)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "room.sqlite3")
        store.load_shipped_decks(CARDS_DIR)
        workshop, key = store.create_workshop("Live room", "Live Org", team_names=["Desk"])
        deck = store.decks()[0]
        cards = store.cards(deck.id)
        rnd = store.open_round(store.create_round(workshop.id, key, RoundSpec("Q", deck.id, pick_limit=3)).id, key)
        team = store.teams(workshop.id)[0].id
        room = (workshop, rnd, [store.join(workshop.id, None, team) for _ in range(400)], [c.id for c in cards])
        second = Store(Path(folder) / "room.sqlite3")
        # phase: (the Store the ballots go through, the file imported meanwhile, or None for the reference)
        phases = {
            "no import (reference)": (store, None),
            "during the import": (store, picks_file(cards, args.rows, rng)),
            "the same, 2nd connection": (second, picks_file(cards, args.rows, rng, title="V")),
            "undoing the first import": (store, "undo"),
        }
        waits: dict[str, list] = {name: [] for name in phases}
        took: dict[str, float] = {}
        writing: dict[str, float] = {}  # when each import's writing began: the file is checked before
        writing_took: dict[str, float] = {}
        for name, (voter, data) in phases.items():
            stop = threading.Event()
            thread = threading.Thread(target=submitting, args=(voter, room, stop, waits[name], random.Random(name)))
            thread.start()
            started = time.perf_counter()
            if data is None:
                time.sleep(args.quiet)
            elif data == "undo":
                first = min(record.id for record in store.imports())
                store.undo_import(first, key)
                took[name] = time.perf_counter() - started
            else:

                def progress(fraction: float, text: str, name: str = name) -> None:
                    if text.startswith("Storing"):
                        writing.setdefault(name, time.perf_counter())

                store.import_results(f"{name}.csv", data, progress=progress)
                took[name] = time.perf_counter() - started
                writing_took[name] = time.perf_counter() - writing[name]
            stop.set()
            thread.join()
        second.close()
        store.close()
    for name, seconds in took.items():
        if name in writing_took:
            print(f"import of {args.rows:,} card picks ({name}): {seconds:.1f} s, written in the last {writing_took[name]:.1f} s")
        else:
            print(f"{name}: {seconds:.1f} s")
    print(f"{'phase':26} {'ballots':>8} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} {'over 1 s':>10}")
    for name, phase in waits.items():
        print(line(name, phase))
        if name in writing:
            print(line("  while it is written", phase, writing[name]))


if __name__ == "__main__":
    main()
