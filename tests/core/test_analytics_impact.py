"""What teams did after the vote, compared across teams: severity, risk decisions and actions, with the filters."""

from __future__ import annotations

import datetime

import pytest

from abc_workshop.domain import CompareFilter
from tests.core.lead_history import lead_history


@pytest.fixture
def analysed(store):
    """W1's Desk team shortlists its recognise top cards (01, 02, and 03/04/05 tied), scores 01, decides and acts."""
    history = lead_history(store)
    workshop, key = history.workshops["W1"]
    played = history.rounds[("W1", "recognise")]
    desk = store.teams(workshop.id)[0]
    store.ensure_shortlist(played.round.id, desk.id)
    topics = {t.card_id: t.id for t in store.team_topics(played.round.id, desk.id)}
    first, second = played.participants["Desk"][:2]
    one, two = topics[history.card["01"]], topics[history.card["02"]]
    store.set_score(workshop.id, one, "value", 5, token=first.token)
    store.set_score(workshop.id, one, "value", 3, token=second.token)
    store.set_score(workshop.id, one, "outcomes", 4, token=first.token)
    store.decide_risk(workshop.id, one, "no", "Costs us customers", key=key)
    store.decide_risk(workshop.id, two, "yes", None, key=key)
    store.add_action(workshop.id, one, "Name an owner per service", "Ann", datetime.date(2020, 1, 1), key=key)
    done = store.add_action(workshop.id, two, "Blameless reviews", "Bob", None, key=key)
    store.set_action_status(workshop.id, done, "done", key=key)
    return history, len(topics)


def rows(frame, *columns):
    return sorted(tuple(row[c] for c in columns) for row in frame.to_dict("records"))


def test_severity_by_heading_is_the_mean_score_with_its_counts(analysed):
    history, shortlisted = analysed
    assert shortlisted == 5, "ties at the third place stay on the shortlist"
    severity = history.store.severity_by_heading(CompareFilter(), "team")
    assert rows(severity, "label", "heading", "mean_score", "scores", "topics", "severe") == [
        ("Desk", "outcomes", 4.0, 1, 1, 1),
        ("Desk", "value", 4.0, 2, 1, 1),
    ]
    by_card = history.store.severity_by_heading(CompareFilter(), "card")
    assert set(by_card["label"]) == {"Everything has the highest priority...according to the users"}


def test_risk_decisions_and_actions_per_group_with_overdue_ones(analysed):
    history, _ = analysed
    decisions = history.store.risk_decisions_by_group(CompareFilter(), "organisation")
    assert rows(decisions, "label", "decision", "topics") == [("Acme IT", "no", 1), ("Acme IT", "yes", 1)]
    actions = history.store.actions_by_group(CompareFilter(), "team")
    assert rows(actions, "label", "status", "actions", "overdue") == [("Desk", "done", 1, 0), ("Desk", "open", 1, 1)]


def test_impact_follows_the_filters(analysed):
    history, _ = analysed
    store = history.store
    culture = CompareFilter(card_types=("C",))  # abc-02 is a culture card, abc-01 a behaviour card
    assert store.severity_by_heading(culture, "team").empty
    assert rows(store.risk_decisions_by_group(culture, "team"), "decision", "topics") == [("yes", 1)]
    assert rows(store.actions_by_group(culture, "team"), "status", "actions") == [("done", 1)]
    elsewhere = CompareFilter(organisations=("Beta Bank",))
    assert store.severity_by_heading(elsewhere, "team").empty and store.actions_by_group(elsewhere, "country").empty
    other_perspective = CompareFilter(perspectives=("users_pick",))
    assert store.risk_decisions_by_group(other_perspective, "team").empty
