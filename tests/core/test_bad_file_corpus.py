"""Every file of the bad-file corpus (tests/corpus, written by tests/corpus/make_corpus.py) is refused with a sentence
that names its line and field, and nothing is written: no crash, no traceback, no partial deck or import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.deck import DeckFileError
from abc_workshop.import_batch import ImportFileError
from abc_workshop.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
SENTENCE_STARTS = ("Line ", "Lines ", "The file", "The deck", "The dates", "No sheet")


@pytest.fixture(scope="module")
def shared():
    """One database for the whole corpus: every file is refused, so it must stay as it was throughout."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "corpus.sqlite3")
        store.load_shipped_decks(CARDS_DIR)
        workshop, key = store.create_workshop("Pilot", "Acme IT")
        yield store, workshop, key
        store.close()


def test_the_corpus_is_large_and_every_file_has_its_sentence():
    files = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*.csv"))
    assert files == sorted(EXPECTED) and len(files) >= 150


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_file_is_refused_with_a_sentence_naming_line_and_field(shared, name):
    store, workshop, key = shared
    data = (CORPUS / name).read_bytes()
    if name.startswith("import/"):
        with pytest.raises(ImportFileError) as refusal:
            store.import_results(name, data)
    else:
        with pytest.raises(DeckFileError) as refusal:
            store.import_deck(workshop.id, key, "Bad deck", name, data)
    assert store.imports() == [] and store._value("SELECT count(*) FROM workshops") == 1
    assert [deck.name for deck in store.decks()] == ["ABC worst practices"]
    problems = refusal.value.problems
    assert problems and all(problem.startswith(SENTENCE_STARTS) for problem in problems), problems
    assert any(EXPECTED[name] in problem for problem in problems), problems
    assert all("Traceback" not in problem and "/" not in problem.split(":")[0] for problem in problems)
