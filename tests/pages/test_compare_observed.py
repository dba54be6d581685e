"""The compare page's third side, "what we observed", and moments of truth on its Export and Import tabs, in AppTest:
the organisation filter, the sentence when nothing was observed, internal notes kept in without the server's key."""

from __future__ import annotations

import datetime

import pytest

from abc_workshop.outside_in import Briefing
from tests.core.lead_history import lead_history
from tests.pages.conftest import open_page, texts
from tests.pages.test_compare import chart_text, view

MOMENTS = (
    b"organisation,date,source,stage,positive,what_happened,customer_words,effort,business_unit,internal,deck,cards\n"
    b"Acme IT,2026-03-01,feedback,finding,no,Form not found,,3,Finance,no,,abc-03\n"
    b"Acme IT,2026-03-02,scout,using,yes,Refund at once,,1,Store 1,no,,abc-03; abc-01\n"
)


@pytest.fixture
def history(app_store):
    history = lead_history(app_store)
    workshop, key = history.workshops["W1"]
    token = app_store.plan_visit(
        workshop.id,
        key,
        kind="store",
        person="Ana",
        team="Desk",
        role="Engineer",
        place="Store 1",
        activity="Buy a gift card",
        visit_on=datetime.date(2026, 3, 2),
        briefing=Briefing("", "", ""),
    ).token
    cards = history.card
    app_store.record_moment(token, stage="support", positive=False, what_happened="Waited an hour", card_ids=[cards["01"]])
    app_store.record_moment(
        token,
        stage="using",
        positive=False,
        what_happened="Jane's card number read aloud",
        internal=True,
        card_ids=[cards["01"], cards["05"]],
    )
    return history


def test_users_vs_it_shows_what_we_observed_beside_the_two_sides(history):
    at = view(open_page("pages/compare.py"), "Users vs IT")
    assert not at.exception
    spec = chart_text(at)
    assert "We observed (2 moments of truth)" in spec and "what they picked, and what we observed" in spec
    assert "of the 2 moments of truth of any organisation that point at a card" in texts(at)
    behind = at.dataframe[-1].value
    assert list(behind.columns) == ["card", "IT predicted", "users picked", "moments of truth", "we observed"]
    titles = {card.id: card.title for card in history.store.cards(history.store.decks()[0].id)}
    observed = dict(zip(behind["card"], behind["we observed"]))
    assert observed[titles[history.card["01"]]] == "100%" and observed[titles[history.card["05"]]] == "50%"
    assert "we observed" in at.dataframe[0].value.columns, "the over- and under-estimated cards carry it too"


def test_the_organisation_filter_applies_and_no_moments_are_said_plainly(history):
    at = open_page("pages/compare.py", view="Users vs IT")
    at.multiselect(key="org").set_value(["Beta Bank"]).run()
    assert "No moment of truth of Beta Bank points at a card yet" in texts(at)
    at.multiselect(key="org").set_value(["Acme IT"]).run()
    assert "We observed (2 moments of truth)" in chart_text(at)


def test_export_leaves_internal_moments_out_without_the_servers_key(history):
    at = view(open_page("pages/compare.py"), "Export")
    assert "1 internal moment of truth is left out of the exports" in texts(at) and "this server has none" in texts(at)
    at.button(key="build-Moments of truth (CSV)").click().run()
    data = at.get("download_button")[0].proto
    assert not at.exception and data.label == "Download Moments of truth (CSV)"
    built = next(iter(at.session_state["built-compare-exports"].values()))
    assert b"Waited an hour" in built and b"Jane" not in built


def test_with_the_servers_key_the_export_carries_internal_moments(history, monkeypatch):
    monkeypatch.setenv("ABC_FACILITATOR_KEY", "a-long-server-key-2026")
    at = open_page("pages/compare.py")
    at.text_input[0].input("a-long-server-key-2026")
    at.button[0].click().run()
    view(at, "Export")
    assert "left out of the exports" not in texts(at)
    at.button(key="build-Moments of truth (CSV)").click().run()
    assert b"Jane" in next(iter(at.session_state["built-compare-exports"].values()))


def test_imported_moments_count_as_observed(app_store, monkeypatch):
    lead_history(app_store)
    # Acme IT runs workshops here, so only the server's key brings moments to it (README.md, "Doors").
    monkeypatch.setenv("ABC_FACILITATOR_KEY", "a-long-server-key-2026")
    at = open_page("pages/compare.py")
    at.text_input[0].input("a-long-server-key-2026")
    at.button[0].click().run()
    view(at, "Import")
    at.file_uploader[0].upload("moments.csv", MOMENTS, "text/csv")
    at.button(key="FormSubmitter:import-results-Check and import").click().run()
    assert "Import #1 from moments.csv: 2 moments of truth." in texts(at)
    view(at, "Users vs IT")
    assert "We observed (2 moments of truth)" in chart_text(at)
