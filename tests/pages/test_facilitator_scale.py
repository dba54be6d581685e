"""The facilitator page at full size: with 30 teams and 300 participants who wrote notes, each section draws as
many forms, expanders and charts as with 2 teams, because only one section, one round and one team are drawn."""

from __future__ import annotations

from collections import Counter

import pytest

from abc_workshop.domain import RoundSpec
from tests.pages.conftest import open_page

PEOPLE = 300


def build_room(store, team_count: int, creator_key: str | None = None):
    """A revealed round in which every one of 300 people voted and every team wrote notes, and an open second round."""
    names = [f"Team {n + 1}" for n in range(team_count)]
    workshop, key = store.create_workshop("Full room", "Acme IT", team_names=names, creator_key=creator_key)
    teams = store.teams(workshop.id)
    deck = store.decks()[0].id
    cards = [c.id for c in store.cards(deck)]
    first = store.open_round(
        store.create_round(workshop.id, key, RoundSpec("Which do you recognise?", deck, pick_limit=10)).id, key
    )
    people = [store.join(workshop.id, f"P{n}", teams[n % team_count].id) for n in range(PEOPLE)]
    for n, person in enumerate(people):
        picks = [cards[(n + i * 7) % len(cards)] for i in range(10)]
        store.submit_ballot(workshop.id, person.token, first.id, first.attempt, picks)
    store.reveal_round(first.id, key)
    for team_index, team in enumerate(teams):
        store.ensure_shortlist(first.id, team.id)
        writers = [p for p in people if p.team_id == team.id][:3]
        for topic in store.team_topics(first.id, team.id):
            for heading in ("value", "outcomes", "costs", "risks"):
                for writer in writers:
                    store.add_note(workshop.id, topic.id, heading, f"{writer.display_name} on {heading}", token=writer.token)
    store.create_round(workshop.id, key, RoundSpec("Which would our users pick?", deck, pick_limit=3))
    return workshop, key


def shape(at) -> Counter:
    """How many of each kind of element and block the run drew, everywhere on the page."""
    counts: Counter = Counter()
    pending = list(at._tree.children.values())
    while pending:
        node = pending.pop()
        counts[getattr(node, "type", type(node).__name__)] += 1
        pending.extend(getattr(node, "children", {}).values())
    return counts


def facilitator_sections(app_store, team_count: int, creator_key: str | None = None) -> tuple[dict[str, Counter], str]:
    workshop, key = build_room(app_store, team_count, creator_key)
    at = open_page("pages/facilitate.py", w=workshop.join_code)
    at.text_input[0].input(key)
    at.button[0].click().run()
    shapes = {}
    for section in ("room", "rounds", "after", "polls", "decks", "log"):
        at.segmented_control(key="section").set_value(section).run()
        assert not at.exception, at.exception
        if section == "rounds":  # the revealed round, not the new draft
            revealed = next(o for o in at.selectbox(key="facilitator-round").options if "Round 1" in o)
            at.selectbox(key="facilitator-round").select(revealed).run()
        shapes[section] = shape(at)
    return shapes, key


@pytest.fixture
def small_and_full(app_store):
    """The same page measured for a 2-team room and, in the same database, a 30-team room."""
    small, key = facilitator_sections(app_store, 2)
    return small, facilitator_sections(app_store, 30, key)[0]


def test_every_section_draws_the_same_with_30_teams_as_with_2(small_and_full):
    small, full = small_and_full
    for section in small:
        for kind in ("form", "expander", "popover", "plotly_chart", "tab", "button_group", "selectbox", "text_input"):
            assert full[section][kind] == small[section][kind], (section, kind, small[section][kind], full[section][kind])
        assert sum(full[section].values()) <= sum(small[section].values()) + 2, (section, small[section], full[section])


def test_after_the_vote_draws_one_team_and_one_card(small_and_full):
    small, full = small_and_full
    after = full["after"]
    # One card's four note forms, its decision, behaviour and action forms: never 30 teams' worth.
    assert after["form"] <= 8, after
    assert after["plotly_chart"] == 0 and after["tab"] == 0
    assert full["rounds"]["plotly_chart"] == 1, "the room's chart; a team's only when one is chosen"
    assert after["button_group"] == 2, "the section and the card: each control once"
    assert after["button"] <= small["after"]["button"], "the projector's five views and one card's buttons: never one per team"


def test_a_closed_poll_draws_its_chart_only_when_asked(page_room):
    from abc_workshop.domain import PollScale
    from tests.pages.test_facilitate_and_projector import unlocked

    store = page_room.store
    poll = store.create_poll(page_room.workshop.id, page_room.key, "Customer focus", ["IT listens"], PollScale.AGREE3)
    store.open_poll(poll.id, page_room.key)
    ann = page_room.join("Ann")
    store.submit_answers(page_room.workshop.id, ann.token, poll.id, {poll.statements[0].id: 1})
    store.close_poll(poll.id, page_room.key)
    at = unlocked(page_room, "polls")
    assert not at.get("plotly_chart")
    at.toggle(key=f"poll-answers-{poll.id}").set_value(True).run()
    assert len(at.get("plotly_chart")) == 1
