"""A big import is written in steps (abc_workshop/store/import_steps.py): a live room's ballot gets in between them, no
read sees the import until its last step, a failed or killed import leaves nothing, and two imports at the same time
cannot both store the same workshop or moment. An undo is removed in slices the same way, unseen from its first write.
Steps are made tiny here, so a file of a few lines takes several."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from abc_workshop.domain import CompareFilter, InvalidInput
from abc_workshop.store import Store, import_steps, import_writer
from abc_workshop.store.engines import open_engine
from tests.core.lead_history import lead_history
from tests.core.test_import_analyses import ANALYSES, ANSWERS_OF_THE_SESSION
from tests.core.test_imports import ANSWERS, COUNTS, PICKS

ROOT = Path(__file__).resolve().parents[2]
MOMENTS = (
    "organisation,date,source,stage,positive,what_happened,customer_words,effort,business_unit,internal,deck,cards\n"
    "Delta Org,2026-03-01,scout,using,no,Waited an hour,,,,no,,abc-01\n"
    "Delta Org,2026-03-02,feedback,support,yes,Fixed at once,,2,Finance,no,,abc-02; abc-03\n"
    "Delta Org,2026-03-03,scout,finding,no,Could not find it,,,,yes,,abc-04\n"
)
# The tables whose rows carry the id of the import that wrote them (children go with these).
IMPORTED = ("workshops", "teams", "participants", "rounds", "polls", "topics", "moments")


def picks_file(workshops: int, organisation: str = "Gamma Co", people: int = 3) -> bytes:
    lines = ["organisation,workshop,date,team,perspective,participant,card"]
    for number in range(workshops):
        for person in range(people):
            lines += [
                f"{organisation},Session {number},2019-03-{number + 1:02d},Desk,recognise,P{person},abc-0{card}"
                for card in (2, 3, 4)
            ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    monkeypatch.setattr(import_writer, "STEP_ROWS", 12)
    monkeypatch.setattr(import_steps, "STEP_ROWS", 12)
    monkeypatch.setattr(import_steps, "STEP_PAUSE", 0)


def store_locks(db_path) -> list[str]:
    """The import locks still held: lock files beside a SQLite file, advisory locks on PostgreSQL."""
    return open_engine(db_path).held_import_locks()


def rows_of(store: Store, import_id: int) -> int:
    return sum(store._value(f"SELECT count(*) FROM {table} WHERE import_id = ?", (import_id,)) for table in IMPORTED)


def storing(store: Store) -> list[int]:
    return [row["id"] for row in store._rows("SELECT id FROM imports WHERE state = 'storing'")]


def test_a_live_ballot_gets_in_between_the_steps_of_a_big_import(room, db_path):
    rnd = room.open_round()
    phones = [room.join("Ann"), room.join("Bo", team=1)]
    other = Store(db_path)  # its own connection, as a second server process on the file would have
    other.set_busy_timeout(0)  # a write that has to wait for the import's lock fails at once
    seen: dict = {}

    def midway(fraction: float, text: str) -> None:
        if seen or not text.startswith("Storing") or other._value("SELECT count(*) FROM rounds WHERE import_id IS NOT NULL") == 0:
            return  # not yet between two steps of the writing
        seen["ballot"] = other.submit_ballot(room.workshop.id, phones[0].token, rnd.id, rnd.attempt, room.card_ids(2))

        def phone() -> None:  # a phone's ballot through the importing Store, from another thread: its lock is free
            seen["lock free"] = room.store._lock.acquire(blocking=False)
            if seen["lock free"]:
                try:
                    seen["same store"] = room.store.submit_ballot(
                        room.workshop.id, phones[1].token, rnd.id, rnd.attempt, room.card_ids(1)
                    )
                finally:
                    room.store._lock.release()

        thread = threading.Thread(target=phone)
        thread.start()
        thread.join()
        seen["opened meanwhile"] = Store(db_path)  # opening the file clears dead imports, not this live one
        seen["overview"] = other.compare_overview(CompareFilter(perspectives=()))
        seen["imports"] = other.imports()

    record = room.store.import_results("big.csv", picks_file(6), progress=midway)
    assert seen["lock free"] and seen["ballot"] and seen["same store"]
    assert room.store.progress(rnd.id).voted == 2
    assert seen["overview"]["workshops"] == 0 and seen["imports"] == [], "what the import had written was not seen"
    assert room.store.compare_overview(CompareFilter(perspectives=()))["workshops"] == 6 and room.store.imports() == [record]
    assert rows_of(room.store, record.id) == 6 + 6 + 18 + 6, "workshops, teams, participants and rounds, all of them"
    seen["opened meanwhile"].close()
    other.close()


def test_a_step_that_fails_leaves_nothing_of_the_import_and_marks_it_failed(store, db_path, monkeypatch):
    key = lead_history(store).workshops["W1"][1]  # live workshops here: undoing needs a key
    tables = store.engine.table_names(store._rows)
    counted = [t for t in tables if t not in ("imports", "organisations") and not t.startswith("sqlite_")]
    before = {table: store._value(f"SELECT count(*) FROM {table}") for table in counted}
    written = []
    finish = import_writer.BatchWriter._finish_round

    def fail_at_the_fourth_round(self, *args):
        written.append(self.import_id)
        if len(written) == 4:
            raise OSError("disk unplugged")
        finish(self, *args)

    monkeypatch.setattr(import_writer.BatchWriter, "_finish_round", fail_at_the_fourth_round)
    with pytest.raises(OSError, match="disk unplugged"):
        store.import_results("big.csv", picks_file(6))
    (import_id,) = set(written)
    assert store._value("SELECT state FROM imports WHERE id = ?", (import_id,)) == "failed"
    assert {table: store._value(f"SELECT count(*) FROM {table}") for table in counted} == before, "no row of it anywhere"
    assert store.imports() == [] and store_locks(db_path) == []
    monkeypatch.setattr(import_writer.BatchWriter, "_finish_round", finish)
    assert store.import_results("big.csv", picks_file(6)).id == import_id + 1, "the same file may come again"
    with pytest.raises(InvalidInput, match="failed"):
        store.undo_import(import_id, key)


def everything_read(store: Store, live_workshop_id: int, card_ids: list[int]) -> dict:
    """What the compare page, the imports tab, the importer's checks and a live workshop read of the history."""
    f = CompareFilter(perspectives=())
    catalogue = store.import_catalogue()
    frames = {
        "cards": store.card_totals(f)[0].sort_values("card_id"),
        "groups": store.group_sizes(f, "organisation"),
        "trend": store.card_trend(f, "Acme IT", card_ids),
        "published": store.published_rankings(f),
        "export": store.export_rows(f),
        "statements": store.statement_choices(f),
        "answers": store.answer_rows(f),
        "severity": store.severity_by_heading(f, "team"),
        "analyses": store.analysis_rows(f),
        "observed": store.observed_card_counts(),
        "moments": store.moments_for_export((), None)[0],
    }
    return {
        **{name: frame.to_csv(index=False) for name, frame in frames.items()},
        "overview": store.compare_overview(f),
        "choices": store.filter_choices(),
        "workshops": store.workshop_choices(f),
        "known statements": store.known_statements(),
        "earlier actions": store.actions_to_review(live_workshop_id),
        "imports": store.imports(),
        "catalogue": (catalogue.existing_workshops, catalogue.imported, catalogue.moments),
    }


@pytest.mark.parametrize(
    "name, text",
    [
        ("new workshops", picks_file(3, "Acme IT").decode()),
        ("a round added to an earlier import's workshop", PICKS),
        ("answers added to an earlier import's workshop", ANSWERS_OF_THE_SESSION),
        ("analyses of an earlier import's round", ANALYSES),
        ("moments of truth", MOMENTS),
    ],
)
def test_an_import_left_unfinished_is_unseen_and_removed_when_the_file_is_opened(store, db_path, monkeypatch, name, text):
    lead = lead_history(store)
    store.import_results("counts.csv", COUNTS.encode("utf-8"))  # Beta Bank's old session, with its card counts
    answers = ANSWERS.replace("Survey Co,Survey 2012,2012-01-01,Denmark", "Acme IT,Paper 1,2023-05-01,Netherlands")
    store.import_results("answers.csv", answers.encode("utf-8"))  # Acme IT's Paper 1, with answers and no rounds
    live = lead.workshops["W2"][0].id  # Beta Bank's live workshop, whose earlier actions include the old session's
    card_ids = [card.id for card in store.cards(store.decks()[0].id)[:6]]
    before = everything_read(store, live, card_ids)

    def stop_before_it_is_marked_stored(self, steps, tell):  # as a process killed there would: no removal either
        write_steps(self, steps, tell)
        raise KeyboardInterrupt

    write_steps = import_steps.ImportStepsMixin._write_steps
    monkeypatch.setattr(import_steps.ImportStepsMixin, "_write_steps", stop_before_it_is_marked_stored)
    monkeypatch.setattr(import_steps.ImportStepsMixin, "_remove_unfinished", lambda self, import_id: None)
    with pytest.raises(KeyboardInterrupt):
        store.import_results(f"{name}.csv", text.encode("utf-8"))
    (import_id,) = storing(store)
    assert rows_of(store, import_id) > 0, "the import wrote its rows"
    assert everything_read(store, live, card_ids) == before, f"{name}: nothing of it shows"
    with pytest.raises(InvalidInput, match="still being imported"):
        store.undo_import(import_id, lead.workshops["W1"][1])

    monkeypatch.undo()
    reopened = Store(db_path)
    assert storing(reopened) == [] and rows_of(reopened, import_id) == 0
    assert reopened._value("SELECT state FROM imports WHERE id = ?", (import_id,)) == "failed"
    assert reopened._value("SELECT count(*) FROM import_claims") == 0 and store_locks(db_path) == []
    assert everything_read(reopened, live, card_ids) == before
    reopened.import_results(f"{name}.csv", text.encode("utf-8"))
    assert everything_read(reopened, live, card_ids) != before, "the reads above would have shown it"
    reopened.close()


KILLED_MIDWAY = """
import os, signal, sys
from pathlib import Path
from abc_workshop.store import Store, import_steps, import_writer
from abc_workshop.store.engines import open_engine
import_writer.STEP_ROWS = import_steps.STEP_ROWS = 12
store = Store(sys.argv[1])
told = []
def progress(fraction, text):
    told.append(text)
    if text.startswith("Storing workshop") and len(told) > 8:
        os.kill(os.getpid(), signal.SIGKILL)
store.import_results("big.csv", Path(sys.argv[2]).read_bytes(), progress=progress)
"""


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="SIGKILL")
def test_an_import_whose_process_was_killed_is_removed_by_the_next_store_to_open_the_file(store, db_path, tmp_path):
    data = tmp_path / "big.csv"
    data.write_bytes(picks_file(6))
    killed = subprocess.run([sys.executable, "-c", KILLED_MIDWAY, str(db_path), str(data)], cwd=ROOT, check=False)
    assert killed.returncode == -9
    (import_id,) = storing(store)
    assert rows_of(store, import_id) > 0 and store.compare_overview(CompareFilter())["workshops"] == 0
    reopened = Store(db_path)  # its process is dead, so nobody holds its lock: opening the file removes it
    assert storing(reopened) == [] and rows_of(reopened, import_id) == 0 and store_locks(db_path) == []
    assert reopened.import_results("big.csv", data.read_bytes()).id == import_id + 1
    reopened.close()


def test_two_imports_at_the_same_time_cannot_store_the_same_workshop_or_moment(store, db_path):
    earlier = store.import_results("counts.csv", COUNTS.encode("utf-8"))  # #1: Beta Bank's old session
    first = [
        ("picks.csv", picks_file(4)),
        ("answers.csv", ANSWERS_OF_THE_SESSION.encode("utf-8")),
        ("moments.csv", MOMENTS.encode()),
    ]
    other = Store(db_path)  # another server process, say, while the first import is between two of its steps
    other.set_busy_timeout(0)
    refusals: dict[str, str] = {}

    def midway(fraction: float, text: str) -> None:
        if refusals or not text.startswith("Storing workshop") or not storing(other):
            return
        (importing,) = storing(other)
        attempts = {
            "same workshop": lambda: other.import_results("same.csv", picks_file(1).replace(b"P0,", b"Q0,")),
            "same file": lambda: other.import_results("again.csv", first),
            "same moment": lambda: other.import_results("moments.csv", MOMENTS.encode()),
            "adding to the same": lambda: other.import_results("analyses.csv", ANALYSES.encode("utf-8")),
            "undo it": lambda: other.undo_import(importing),
            "undo what it adds to": lambda: other.undo_import(earlier.id),
        }
        for name, action in attempts.items():
            with pytest.raises(InvalidInput) as refused:
                action()
            refusals[name] = str(refused.value)

    record = store.import_results("first.csv", first, progress=midway)
    assert record.id == 2 and refusals["same file"].startswith("This file is being imported already (import #2, started ")
    assert {name: text for name, text in refusals.items() if name != "same file"} == {
        "same workshop": "The workshop 'Session 0' of 'Gamma Co' on 2019-03-01 is in import #2, which is still being stored; "
        "nothing was imported.",
        "same moment": "Line 2: a moment of truth of 'Delta Org' on 2026-03-01 (the same stage and what happened) is in import "
        "#2, which is still being stored; nothing was imported.",
        "adding to the same": "The workshop 'Old session' of 'Beta Bank' on 2020-02-02 is in import #2, which is still being "
        "stored; nothing was imported.",
        "undo it": "Import #2 is still being imported; it can be undone once it is stored.",
        "undo what it adds to": "Import #2, still being imported, adds to the workshops of import #1; once it is stored, "
        "undo it first, then this one.",
    }
    assert [store._value(f"SELECT count(*) FROM {table}") for table in ("workshops", "polls", "moments")] == [5, 1, 3]
    assert [r.id for r in store.imports()] == [2, 1], "the refused imports left no record"
    other.close()


def test_an_undo_is_removed_in_slices_a_live_ballot_gets_in_between_and_nothing_of_it_shows_meanwhile(room, db_path):
    lead_key = room.key  # live workshops here: undoing needs a key
    data = picks_file(6)
    record = room.store.import_results("big.csv", data)
    rnd = room.open_round()
    phone = room.join("Ann")
    other = Store(db_path)  # its own connection, as a second server process on the file would have
    other.set_busy_timeout(0)  # a write that has to wait for the undo's lock fails at once
    seen: dict = {}

    def midway(fraction: float, text: str) -> None:
        if seen or rows_of(other, record.id) == 0 or fraction < 0.5:
            return  # not yet half-way through the removal
        seen["rows left"] = rows_of(other, record.id)
        seen["ballot"] = other.submit_ballot(room.workshop.id, phone.token, rnd.id, rnd.attempt, room.card_ids(2))
        seen["overview"] = other.compare_overview(CompareFilter(perspectives=()))
        seen["listed"] = other.imports()
        for what, action in {
            "undo again": lambda: other.undo_import(record.id, lead_key),
            "import the file again": lambda: other.import_results("big.csv", data),
        }.items():
            with pytest.raises(InvalidInput) as refusal:
                action()
            seen[what] = str(refusal.value)

    room.store.undo_import(record.id, lead_key, progress=midway)
    assert seen["rows left"] > 0 and seen["ballot"], "the ballot landed while the undo still had rows to remove"
    assert seen["overview"]["workshops"] == 0, "none of the import's workshops showed while it was being removed"
    assert [(r.id, r.undoing, r.undone_at) for r in seen["listed"]] == [(record.id, True, None)]
    assert seen["undo again"] == f"Import #{record.id} is being undone already."
    assert seen["import the file again"] == (
        f"This file's earlier import (#{record.id}) is being undone; import it again once that is done."
    )
    assert rows_of(room.store, record.id) == 0 and room.store.import_record(record.id).undone_at
    assert room.store.progress(rnd.id).voted == 1
    assert store_locks(db_path) == []
    again = room.store.import_results("big.csv", data)
    assert room.store.compare_overview(CompareFilter(perspectives=()))["workshops"] == 6 and again.id != record.id
    other.close()


def test_an_undo_left_unfinished_is_unseen_and_finished_when_the_file_is_opened(room, db_path, monkeypatch):
    record = room.store.import_results("big.csv", picks_file(6))
    monkeypatch.setattr(import_steps.ImportStepsMixin, "_finish_undo", lambda self, import_id, progress=None: None)
    room.store.undo_import(record.id, room.key)  # as a process killed after its first step would leave it
    monkeypatch.undo()
    assert rows_of(room.store, record.id) > 0 and room.store.import_record(record.id).undone_at is None
    assert room.store.compare_overview(CompareFilter(perspectives=()))["workshops"] == 0, "unseen already"
    reopened = Store(db_path)
    assert rows_of(reopened, record.id) == 0 and reopened.import_record(record.id).undone_at
    assert reopened._value("SELECT count(*) FROM importing") == 0
    reopened.close()
