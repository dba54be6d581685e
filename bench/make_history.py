"""Make a synthetic history for the compare page's benchmark: `python3 bench/make_history.py --db /tmp/history.sqlite3`.

Defaults to 10,000 workshops and about a million picks, stored as one import (undoable), written in steps as every import is.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from abc_workshop.config import CARDS_DIR
from abc_workshop.history import HistoryShape, synthetic_history
from abc_workshop.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file (created if missing)")
    parser.add_argument("--workshops", type=int, default=HistoryShape.workshops)
    parser.add_argument("--picks", type=int, default=HistoryShape.picks, help="about this many picks in all")
    parser.add_argument("--seed", type=int, default=HistoryShape.seed)
    parser.add_argument("--fresh", action="store_true", help="delete the file first")
    args = parser.parse_args()
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    store = Store(args.db)
    store.load_shipped_decks(CARDS_DIR)
    started = time.perf_counter()
    batch = synthetic_history(HistoryShape(workshops=args.workshops, picks=args.picks, seed=args.seed), store.import_catalogue())
    generated = time.perf_counter()
    record = store.store_import(batch, store.server_key)
    stored = time.perf_counter()
    print(f"import #{record.id}: {record.summary}")
    print(
        f"generated in {generated - started:.1f} s, stored in {stored - generated:.1f} s ({args.db}, {args.db.stat().st_size / 1e6:.0f} MB)"
    )
    store.close()


if __name__ == "__main__":
    main()
