"""docs/import-format.md and the Import tab's templates stay true: every example imports, asking only what the
doc says it asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from abc_workshop.import_batch import Decisions, ImportFileError

from ui.imports import TEMPLATES

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
EXAMPLES = re.findall(r"```csv\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S) + [t for _, t in TEMPLATES.values()]


def test_the_doc_has_an_example_of_each_shape():
    headers = [example.splitlines()[0] for example in EXAMPLES]
    assert any("participant" in h for h in headers) and any("statement" in h for h in headers)
    assert any(",picks," in h for h in headers) and any(";picks;" in h for h in headers)
    assert any("rank" in h and "picks" not in h for h in headers)


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
