"""A database where every field people type holds the payloads of tests/payloads.py, each with a marker of its own.

One workshop holds them in its multi-valued fields (teams, names, rounds, cards, notes, polls, visits...) and the
first payloads in its single ones; a further workshop per payload carries it in its title, organisation,
country and team, so every payload reaches every field. A value the store refuses is left out: what is refused
is never shown.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from abc_workshop.domain import RoundSpec, WorkshopError
from abc_workshop.outside_in import Briefing
from tests.payloads import TEMPLATES, marked


@dataclass
class World:
    store: object
    values: dict[str, str] = field(default_factory=dict)  # marker -> the text as stored
    refused: list[str] = field(default_factory=list)
    workshop: object = None
    key: str = ""
    teams: list = field(default_factory=list)
    people: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    polls: list = field(default_factory=list)
    visit_token: str = ""
    feedback_token: str = ""
    channel: str = ""
    others: list = field(default_factory=list)  # (workshop, key) of the one-payload workshops

    def text(self, index: int, limit: int | None = None) -> str:
        """Payload `index` with a new marker, stored as the store will keep it (trimmed)."""
        marker = f"Qz{len(self.values):03d}"
        value = marked(index % len(TEMPLATES), marker).strip()
        if limit is not None and len(value) > limit:
            value = value[:limit]
        self.values[marker] = value
        return value

    def line(self, index: int, limit: int | None = None) -> str:
        """Like text(), for a field of one line (names and titles refuse a line break): a break becomes a space."""
        marker = f"Qz{len(self.values):03d}"
        value = marked(index % len(TEMPLATES), marker).replace("\n", " ").strip()
        value = value[:limit] if limit is not None else value
        self.values[marker] = value
        return value

    def each(self, make, count: int = len(TEMPLATES)) -> list:
        """make(index) for each payload; what the store refuses is noted and skipped."""
        made = []
        for index in range(count):
            try:
                made.append(make(index))
            except WorkshopError as refusal:
                self.refused.append(str(refusal))
        return made


def build(store) -> World:
    world = World(store)
    n = len(TEMPLATES)
    names = [world.line(i) for i in range(n)]
    world.workshop, world.key = store.create_workshop(
        world.line(0), world.line(1), datetime.date(2026, 3, 1), world.text(4), names, country=world.line(2)
    )
    w, key = world.workshop, world.key
    world.teams = store.teams(w.id)
    world.people = world.each(lambda i: store.join(w.id, world.line(i, 40), world.teams[i % len(world.teams)].id))
    deck = _payload_deck(world)
    cards = [card.id for card in store.cards(deck.id)]
    for i in range(3):
        spec = RoundSpec(
            question=world.text(i + 5),
            deck_id=deck.id,
            pick_limit=3,
            perspective="custom",
            perspective_label=world.text(i + 6),
            show_names=i == 2,
        )
        rnd = store.open_round(store.create_round(w.id, key, spec).id, key)
        for number, person in enumerate(world.people):
            store.submit_ballot(w.id, person.token, rnd.id, rnd.attempt, cards[number % 4 : number % 4 + 3])
        store.reveal_round(rnd.id, key)
        world.rounds.append(rnd)
    _analysis(world)
    world.polls = [
        store.create_poll(w.id, key, world.text(3), [world.text(i) for i in range(10)], "agree3"),
        store.create_poll(w.id, key, world.text(8), [world.text(i) for i in range(10, n)], "scale5"),
    ]
    for poll in world.polls:
        store.open_poll(poll.id, key)
        store.submit_answers(w.id, world.people[0].token, poll.id, {s.id: 1 for s in store.poll(poll.id).statements})
    store.reveal_poll(world.polls[0].id, key)
    _programme(world, cards)
    for i in range(n):
        other, other_key = store.create_workshop(
            world.line(i, 120),
            world.line(i, 120),
            datetime.date(2025, 1 + i, 1),
            team_names=[world.line(i, 60)],
            creator_key=key,
            country=world.line(i, 60),
        )
        team = store.teams(other.id)[0]
        rnd = store.open_round(
            store.create_round(other.id, other_key, RoundSpec(question="Q", deck_id=deck.id, pick_limit=2)).id, other_key
        )
        store.submit_ballot(other.id, store.join(other.id, None, team.id).token, rnd.id, rnd.attempt, cards[:2])
        store.reveal_round(rnd.id, other_key)
        world.others.append((other, other_key))
    return world


def _payload_deck(world: World):
    """A deck whose titles, themes, descriptions and name are payloads (a deck's fields are one line each)."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "type", "theme", "title", "description"])
    for i in (i for i, template in enumerate(TEMPLATES) if "\n" not in template):
        writer.writerow([f"p-{i}", "ABC"[i % 3], world.text(i, 60), world.text(i, 120), world.text(i)])
    return world.store.import_deck(world.workshop.id, world.key, world.text(9, 80), "deck.csv", rows.getvalue().encode())


def _analysis(world: World) -> None:
    """The first team's shortlist in the last round, with every kind of record written in payloads."""
    store, w = world.store, world.workshop
    rnd, team = world.rounds[-1], world.teams[0]
    store.ensure_shortlist(rnd.id, team.id)
    topics = store.team_topics(rnd.id, team.id)
    member = next(p for p in world.people if p.team_id == team.id)
    for topic in topics:
        for heading in ("value", "outcomes", "costs", "risks"):
            world.each(lambda i, t=topic, h=heading: store.add_note(w.id, t.id, h, world.text(i), token=member.token), 3)
        store.decide_risk(w.id, topic.id, "no", world.text(topic.id), token=member.token)
        world.each(lambda i, t=topic: store.add_behaviour(w.id, t.id, world.text(i), token=member.token))
        world.each(
            lambda i, t=topic: store.add_action(w.id, t.id, world.text(i), world.text(i + 1, 80), None, token=member.token)
        )
    later, later_key = store.create_workshop(
        "Later", w.organisation, datetime.date(2026, 9, 1), team_names=["T"], creator_key=world.key
    )
    world.others.append((later, later_key))


def _programme(world: World, cards: list[int]) -> None:
    """The organisation's outside-in programme: people, a visit with its briefing, moments and feedback."""
    store, w, key = world.store, world.workshop, world.key
    org = store.programme(w.id, key)
    world.channel = org.channel_token
    world.each(lambda i: store.add_person(w.id, key, world.text(i, 80), world.text(i, 60), world.text(i + 1, 80)))
    visit = store.plan_visit(
        w.id,
        key,
        kind="business_unit",
        person=world.text(0, 80),
        team=world.text(1, 60),
        role=world.text(2, 80),
        place=world.text(3, 120),
        activity=world.text(4),
        visit_on=datetime.date.today(),
        host=world.text(5, 80),
        briefing=Briefing(world.text(6), world.text(7), world.text(8)),
    )
    world.visit_token = visit.token
    world.each(
        lambda i: store.record_moment(
            visit.token,
            stage="using",
            positive=i % 2 == 0,
            what_happened=world.text(i),
            customer_words=world.text(i + 1),
            card_ids=cards[:2],
        )
    )
    store.debrief(visit.token, world.text(9), world.text(10))
    tokens = world.each(
        lambda i: store.send_feedback(
            world.channel,
            stage="support",
            positive=False,
            what_happened=world.text(i),
            customer_words=world.text(i + 2),
            business_unit=world.text(i, 120),
            writer_name=world.text(i, 80),
        )
    )
    world.feedback_token = tokens[0]
    items = store.feedback_inbox(w.id, key)
    store.advance_feedback(w.id, key, items[0].id, "acknowledged", owner=world.text(11, 80))
    store.advance_feedback(w.id, key, items[0].id, "answered", answer=world.text(1))
    store.set_projector_view(w.id, key, "evidence", card_id=cards[0])
