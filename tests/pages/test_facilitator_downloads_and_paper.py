"""The facilitator's report downloads (built into the session, kept through reruns, failures said) and paper ballots."""

from __future__ import annotations

import pytest

import ui.downloads
from abc_workshop.domain import RoundState
from tests.pages.conftest import texts
from tests.pages.test_facilitate_and_projector import unlocked


def download(at, label):
    found = [d for d in at.get("download_button") if d.proto.label == label]
    return found[0] if found else None


@pytest.fixture
def revealed(page_room):
    rnd = page_room.open_round(pick_limit=2)
    page_room.vote(page_room.join("Ann"), rnd, page_room.card_ids(2))
    page_room.store.reveal_round(rnd.id, page_room.key)
    page_room.rnd = rnd
    return page_room


def test_a_built_report_survives_the_reruns_that_teams_cause(revealed):
    at = unlocked(revealed, "after")
    assert download(at, "Download Report (HTML)") is None, "nothing to download before it is built"
    at.button(key="build-html").click().run()
    offered = download(at, "Download Report (HTML)")
    assert offered is not None and offered.proto.url
    [(_, built)] = at.session_state["built-downloads"].items()
    assert b"Pilot" in built.data and built.file_name == "pilot-report.html"
    assert "Built at" in texts(at)
    store = revealed.store
    store.ensure_shortlist(revealed.rnd.id, revealed.teams[0].id)
    topic = store.team_topics(revealed.rnd.id, revealed.teams[0].id)[0]
    store.add_note(revealed.workshop.id, topic.id, "value", "Written while the facilitator downloads", key=revealed.key)
    at.run()
    at.run()
    again = download(at, "Download Report (HTML)")
    assert again is not None and again.proto.url == offered.proto.url, "the same file, still offered after reruns"


def test_every_format_builds(revealed):
    at = unlocked(revealed, "after")
    for kind in ("pdf", "html", "xlsx"):
        at.button(key=f"build-{kind}").click().run()
    assert [d.proto.label for d in at.get("download_button")] == [
        "Download Report (PDF)",
        "Download Report (HTML)",
        "Download Workbook (Excel)",
    ]
    files = {name: built for name, built in at.session_state["built-downloads"].items()}
    assert files[(revealed.workshop.id, "pdf")].data.startswith(b"%PDF")
    assert files[(revealed.workshop.id, "xlsx")].data.startswith(b"PK")


def test_a_report_that_cannot_be_built_says_so(revealed, monkeypatch):
    def broken(_report):
        raise OSError("disk full")

    monkeypatch.setitem(
        ui.downloads.FORMATS,
        "html",
        ui.downloads.FORMATS["html"].__class__("Report (HTML)", "-report.html", "text/html", "📄", broken),
    )
    at = unlocked(revealed, "after")
    at.button(key="build-html").click().run()
    assert "Report (HTML) could not be built: disk full." in texts(at)
    assert download(at, "Download Report (HTML)") is None


def test_the_facilitator_enters_a_paper_ballot_while_a_round_is_open(page_room):
    rnd = page_room.open_round(pick_limit=2)
    at = unlocked(page_room, "rounds")
    cards = page_room.store.cards(page_room.deck_id)
    [t for t in at.text_input if t.label == "Their name"][0].input("Dora")
    [s for s in at.selectbox if s.label == "Their team"][0].select_index(1)
    picks = [m for m in at.multiselect if m.label.startswith("The cards they picked")][0]
    picks.select(cards[0]).select(cards[3])
    [b for b in at.button if b.label == "Save the paper ballot"][0].click().run()
    [dora] = page_room.store.paper_participants(page_room.workshop.id)
    assert page_room.store.ballot_cards(dora, rnd.id, rnd.attempt) == sorted([cards[0].id, cards[3].id])
    assert [t.value for t in at.toast] == ["Paper ballot saved for Dora (2 cards)."]
    assert "1 of 1 have voted" in texts(at.run()), "Dora is counted as a participant who voted"
    assert "Entered so far: Dora (Operations): 2 cards" in texts(at)
    kinds = [e.kind for e in page_room.store.events(page_room.workshop.id, page_room.key)]
    assert kinds[0] == "paper_ballot"


def test_a_paper_ballot_without_a_name_is_refused_and_changes_nothing(page_room):
    rnd = page_room.open_round(pick_limit=2)
    at = unlocked(page_room, "rounds")
    [s for s in at.selectbox if s.label == "Their team"][0].select_index(0)
    picks = [m for m in at.multiselect if m.label.startswith("The cards they picked")][0]
    picks.select(page_room.store.cards(page_room.deck_id)[0])
    [b for b in at.button if b.label == "Save the paper ballot"][0].click().run()
    assert "Please fill in the person's name." in texts(at)
    assert page_room.store.paper_participants(page_room.workshop.id) == []
    assert page_room.store.progress(rnd.id).voted == 0


def test_no_paper_ballot_form_once_the_round_is_closed(page_room):
    rnd = page_room.open_round(pick_limit=2)
    page_room.store.close_round(rnd.id, page_room.key)
    assert page_room.store.round(rnd.id).state is RoundState.CLOSED
    at = unlocked(page_room, "rounds")
    assert not [b for b in at.button if b.label == "Save the paper ballot"]
