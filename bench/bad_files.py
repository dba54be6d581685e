"""The bad-file corpus in figures: `python3 bench/bad_files.py`.

Every file of tests/corpus (deck files and import files, written by tests/corpus/make_corpus.py) goes through the
store as a facilitator's deck upload or a lead's import would, on one fresh SQLite file. Printed: files tried,
refused with a sentence that names a line or the file, accepted, crashed (any other exception) and partial writes
(a refused file that left a deck, an import or a workshop behind). tests/core/test_bad_file_corpus.py asserts the
same file by file; this prints the totals that bench/README.md records, with the time the whole corpus took.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from abc_workshop.config import CARDS_DIR
from abc_workshop.deck import DeckFileError
from abc_workshop.import_batch import ImportFileError
from abc_workshop.store import Store

CORPUS = ROOT / "tests" / "corpus"
SENTENCE_STARTS = ("Line ", "Lines ", "The file", "The deck", "The dates", "No sheet")


def footprint(store: Store) -> tuple:
    return (
        store._value("SELECT count(*) FROM decks"),
        store._value("SELECT count(*) FROM imports"),
        store._value("SELECT count(*) FROM workshops"),
        store._value("SELECT count(*) FROM cards"),
    )


def main() -> None:
    counts: Counter = Counter()
    crashed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "corpus.sqlite3")
        store.load_shipped_decks(CARDS_DIR)
        workshop, key = store.create_workshop("Corpus", "Corpus Org")
        for path in sorted(CORPUS.glob("*/*.csv")):
            name, data = str(path.relative_to(CORPUS)), path.read_bytes()
            before = footprint(store)
            counts["tried"] += 1
            try:
                if name.startswith("import/"):
                    store.import_results(name, data)
                else:
                    store.import_deck(workshop.id, key, "Bad deck", name, data)
            except (ImportFileError, DeckFileError) as refusal:
                said = refusal.problems
                counts[
                    "refused with a sentence"
                    if said and all(p.startswith(SENTENCE_STARTS) for p in said)
                    else "refused, sentence unclear"
                ] += 1
                if footprint(store) != before:
                    counts["partial writes"] += 1
            except Exception as error:  # noqa: BLE001 (a crash of any kind is what this counts)
                counts["crashed"] += 1
                crashed.append(f"{name}: {type(error).__name__}")
            else:
                counts["accepted"] += 1
        store.close()
    seconds = time.perf_counter() - started
    for label in ("tried", "refused with a sentence", "refused, sentence unclear", "accepted", "crashed", "partial writes"):
        print(f"{label:28} {counts[label]:5}")
    print(f"{'seconds for the corpus':28} {seconds:5.1f}")
    for line in crashed:
        print("crashed:", line)


if __name__ == "__main__":
    main()
