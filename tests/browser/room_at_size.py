"""A workshop at full size made through the store: 30 teams of 4, a revealed round everyone voted in,
each team's shortlist with long notes, a decision, a behaviour and actions, and a poll. The longest
card titles are picked on purpose, so the projector's views are tested at their fullest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from abc_workshop.domain import RoundSpec, Workshop
from abc_workshop.store import Store

TEAMS = 30
PER_TEAM = 4
LONG_NOTE = (
    "Solutions do not meet the business needs, so users build their own spreadsheets and we lose the trust "
    "we need for the next change; nobody owns the gap between the teams"
)


@dataclass
class BigRoom:
    workshop: Workshop
    key: str  # the key the build wrote with (the test's own server key, when it has one: no scrypt per write)
    round_id: int
    next_round_id: int
    poll_id: int
    workshop_key: str  # the workshop's own facilitator key, which a browser types in
    people: list  # the participants, team by team


def earlier_workshop(store: Store, organisation: str) -> None:
    """A workshop of the same organisation half a year before, whose 12 actions the room reviews."""
    workshop, key = store.create_workshop(
        "Half a year ago",
        organisation,
        held_on=datetime.date(2026, 6, 1),
        team_names=["Service Desk"],
        creator_key=store.server_key,
    )
    key = store.server_key or key
    deck = store.decks()[0]
    rnd = store.open_round(
        store.create_round(workshop.id, key, RoundSpec(question="Earlier", deck_id=deck.id, pick_limit=3)).id, key
    )
    person = store.join(workshop.id, "Early", store.teams(workshop.id)[0].id)
    store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, [c.id for c in store.cards(deck.id)[:3]])
    store.reveal_round(rnd.id, key)
    store.ensure_shortlist(rnd.id, store.teams(workshop.id)[0].id)
    for topic in store.team_topics(rnd.id, store.teams(workshop.id)[0].id):
        for n in range(4):
            store.add_action(
                workshop.id,
                topic.id,
                f"Publish the service catalogue in the users' own words, part {n + 1} of the plan we agreed",
                "Alex Service Owner",
                None,
                key=key,
            )


def build(store: Store, title: str = "Room at size", per_team: int = PER_TEAM, organisation: str = "Acme IT") -> BigRoom:
    """The room; a second room in the same database needs an organisation of its own (the earlier actions are per organisation)."""
    earlier_workshop(store, organisation)
    names = [f"Team {i:02d} with a rather long name" for i in range(1, TEAMS + 1)]
    workshop, workshop_key = store.create_workshop(title, organisation, team_names=names, creator_key=store.server_key)
    key = store.server_key or workshop_key  # the server's key skips the scrypt check on each of the ~1,500 writes below
    people = []
    deck = store.decks()[0]
    cards = sorted(store.cards(deck.id), key=lambda c: -len(c.title))  # the longest titles first
    spec = RoundSpec(
        question="Which of these worst practices do you recognise in our IT organisation today?", deck_id=deck.id, pick_limit=5
    )
    rnd = store.open_round(store.create_round(workshop.id, key, spec).id, key)
    for index, team in enumerate(store.teams(workshop.id)):
        for member in range(per_team):
            person = store.join(workshop.id, f"Person {index}-{member}", team.id)
            people.append(person)
            picks = [cards[(index + member + k) % 12].id for k in range(5)]
            store.submit_ballot(workshop.id, person.token, rnd.id, rnd.attempt, picks)
    store.reveal_round(rnd.id, key)
    for team in store.teams(workshop.id):
        store.ensure_shortlist(rnd.id, team.id)
        for topic in store.team_topics(rnd.id, team.id):
            for heading in ("value", "outcomes", "costs", "risks"):
                store.add_note(workshop.id, topic.id, heading, LONG_NOTE, key=key)
                store.add_note(workshop.id, topic.id, heading, "A second note that stays behind its count", key=key)
            store.decide_risk(
                workshop.id, topic.id, "no", "Our users pay for it every single day and they tell us so loudly", key=key
            )
            store.add_behaviour(
                workshop.id, topic.id, "We involve the business from the first requirement to the last test, every time", key=key
            )
            for n in range(3):
                store.add_action(
                    workshop.id,
                    topic.id,
                    f"Invite two key users to every sprint review, action {n + 1}",
                    "Sam Service Desk Manager",
                    datetime.date(2027, 1, 31),
                    key=key,
                )
    next_round = store.create_round(
        workshop.id, key, RoundSpec(question="Which of these hurt our customers most?", deck_id=deck.id, pick_limit=3)
    )
    poll = store.create_poll(
        workshop.id,
        key,
        "Customer focus",
        ["We are still not customer focused enough in IT", "IT listens to its users"],
        "agree3",
    )
    store.open_poll(poll.id, key)
    return BigRoom(store.workshop(workshop.id), key, rnd.id, next_round.id, poll.id, workshop_key, people)
