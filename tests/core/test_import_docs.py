"""docs/import-format.md and the Import tab's templates stay true: every example imports, asking only what the
doc says it asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from abc_workshop.import_batch import Decisions, ImportFileError
from ui.imports import TEMPLATES

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
EXAMPLES = re.findall(r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL) + [t for _, t in TEMPLATES.values()]


def test_the_doc_has_an_example_of_each_shape():
    headers = [example.splitlines()[0] for example in EXAMPLES]
    assert any("participant" in h for h in headers) and any("statement" in h for h in headers)
    assert any(",picks," in h for h in headers) and any(";picks;" in h for h in headers)
    assert any("rank" in h and "picks" not in h for h in headers)
    assert any(",heading," in h and ",decision," in h and ",action," in h for h in headers)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.splitlines()[1][:30] for e in EXAMPLES])
def test_every_example_imports(store, example):
    data = example.encode("cp1252" if ";" in example.splitlines()[0] else "utf-8")
    try:
        record = store.import_results("example.csv", data)
    except ImportFileError as asked:
        assert not asked.causes, asked.problems
        titles = [u.title for u in asked.questions.unmatched]
        assert titles == ["No respect for or understanding of users", "Throwing ITIL solutions over the wall"]
        chosen = {(u.deck_id, u.key): u.suggestions[0] for u in asked.questions.unmatched}
        record = store.import_results("example.csv", data, decisions=Decisions(cards=chosen))
    assert record.rows == len(example.strip().splitlines()) - 1


def test_the_picks_and_the_analyses_of_the_same_paper_workshop_import_one_after_the_other(store):
    """The doc's picks example and its teams' analyses example are one workshop: the second file adds to the first."""
    picks, analyses = (next(e for e in EXAMPLES if marker in e.splitlines()[0]) for marker in (",participant,", ",heading,"))
    store.import_results("picks.csv", picks.encode("utf-8"))
    record = store.import_results("analyses.csv", analyses.encode("utf-8"))
    assert record.summary == (
        "added to 1 workshop of an earlier import: analyses of 2 cards (6 severity scores, 2 risk decisions, 2 actions)"
    )
    rounds = store._frame("SELECT workshop_id, count(*) AS n FROM rounds WHERE workshop_id > 0 GROUP BY workshop_id")
    assert rounds["n"].tolist() == [1], "the analyses belong to the round the picks brought"
