"""Moderation that sticks: what the facilitator edited or hid is quoted nowhere (log, reports, workbook, projector),
and its author cannot undo it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from abc_workshop import projector_text, report, report_pdf
from abc_workshop.domain import AccessDenied, InvalidInput
from tests.core.test_report import analysed

SECRET = "Bob in accounts is useless"
PRIVATE = "Carol hides the budget"


def everything_printed(room) -> str:
    """The log, the HTML and PDF reports, every cell of the workbook and the projector's team summary, as one text."""
    gathered = report.gather(room.store, room.workshop.id, room.key)
    book = openpyxl.load_workbook(io.BytesIO(report.workbook(gathered)))
    cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf.pdf(gathered))).pages)
    topics = [t for t in room.store.round_topics(room.rnd.id) if t.team_id == room.teams[0].id]
    summary = projector_text.team_summary(room.teams[0].name, "Round 1", topics)
    log = [e.detail for e in room.store.events(room.workshop.id, room.key, limit=10_000)]
    return "\n".join([*log, report.html(gathered), pdf, *cells, summary])


@pytest.fixture
def written(room):
    rnd, topic = analysed(room)
    room.rnd, room.topic = rnd, topic
    token = room.store._value("SELECT token FROM participants WHERE display_name = 'Ann'")
    room.ann = room.store.participant(room.workshop.id, token)
    room.note = room.store.add_note(room.workshop.id, topic.id, "costs", SECRET, token=room.ann.token)
    assert SECRET in everything_printed(room), "what is shown is printed"
    return room


def test_an_edited_notes_old_text_is_quoted_nowhere(written):
    room = written
    room.store.edit_note(room.workshop.id, room.note, "A colleague's workload is too high", key=room.key)
    printed = everything_printed(room)
    assert SECRET not in printed and "A colleague's workload is too high" in printed
    assert room.store.events(room.workshop.id, room.key)[0].detail == f"Note {room.note} edited by the facilitator"


def test_a_hidden_note_is_printed_nowhere_but_the_facilitator_still_reads_it(written):
    room = written
    room.store.set_hidden(room.workshop.id, "note", room.note, True, key=room.key)
    assert SECRET not in everything_printed(room)
    facilitator = room.store.team_topics(room.rnd.id, room.teams[0].id, include_hidden=True)[0]
    assert [n.text for n in facilitator.notes_under("costs", include_hidden=True)] == [SECRET]


@pytest.mark.parametrize("moderation", ["edited", "hidden"])
def test_the_author_cannot_undo_the_facilitators_moderation(written, moderation):
    room = written
    if moderation == "edited":
        room.store.edit_note(room.workshop.id, room.note, "Workload is too high", key=room.key)
    else:
        room.store.set_hidden(room.workshop.id, "note", room.note, True, key=room.key)
    with pytest.raises(AccessDenied, match="can no longer be changed by its author"):
        room.store.edit_note(room.workshop.id, room.note, SECRET, token=room.ann.token)
    assert room.store._value("SELECT text FROM impact_notes WHERE id = ?", (room.note,)) != SECRET or moderation == "hidden"
    note = room.store.team_topics(room.rnd.id, room.teams[0].id, include_hidden=True)[0].notes_under("costs", True)[0]
    assert note.moderated and (note.hidden == (moderation == "hidden"))


def test_an_author_edits_their_own_note_until_the_facilitator_steps_in(written):
    room = written
    room.store.edit_note(room.workshop.id, room.note, "Costs of rework", token=room.ann.token)
    assert room.store._value("SELECT text FROM impact_notes WHERE id = ?", (room.note,)) == "Costs of rework"


def test_actions_and_decision_reasons_can_be_hidden_and_are_then_printed_nowhere(written):
    room = written
    room.store.set_hidden(room.workshop.id, "note", room.note, True, key=room.key)
    action = room.store.add_action(room.workshop.id, room.topic.id, f"Tell {PRIVATE}", "Ann", None, token=room.ann.token)
    room.store.decide_risk(room.workshop.id, room.topic.id, "no", f"Because {PRIVATE}", token=room.ann.token)
    assert f"Because {PRIVATE}" in everything_printed(room) and f"Tell {PRIVATE}" in everything_printed(room)
    room.store.set_hidden(room.workshop.id, "action", action, True, key=room.key)
    room.store.set_hidden(room.workshop.id, "reason", room.topic.id, True, key=room.key)
    assert PRIVATE not in everything_printed(room)
    room.store.decide_risk(room.workshop.id, room.topic.id, "no", f"Still {PRIVATE}", token=room.ann.token)
    assert PRIVATE not in everything_printed(room), "a new reason from the team stays hidden until the facilitator shows it"
    team_view = room.store.team_topics(room.rnd.id, room.teams[0].id)[0]
    assert team_view.decision_reason is None and team_view.reason_hidden and all(a.id != action for a in team_view.actions)
    facilitator = room.store.team_topics(room.rnd.id, room.teams[0].id, include_hidden=True)[0]
    assert facilitator.decision_reason == f"Still {PRIVATE}"
    assert [a.hidden for a in facilitator.actions if a.id == action] == [True]
    room.store.set_hidden(room.workshop.id, "reason", room.topic.id, False, key=room.key)
    assert f"Still {PRIVATE}" in everything_printed(room)
    kinds = [e.kind for e in room.store.events(room.workshop.id, room.key)[:4]]
    assert kinds == ["reason_shown", "risk_decided", "reason_hidden", "action_hidden"]
    assert SECRET not in everything_printed(room)


def test_only_the_facilitator_hides_and_only_what_can_be_hidden(written):
    room = written
    with pytest.raises(AccessDenied):
        room.store.set_hidden(room.workshop.id, "reason", room.topic.id, True, key=room.ann.token)
    with pytest.raises(InvalidInput, match="Only notes, behaviours, actions and reasons"):
        room.store.set_hidden(room.workshop.id, "ballot", 1, True, key=room.key)
