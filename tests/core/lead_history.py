"""A small history of live workshops whose every number is worked out by hand in the tests that use it.

Cards are named by their keys in the shipped deck: abc-01 (B), abc-02 (C), abc-03 (B), abc-04 (C), abc-05 (B),
abc-06 (A). Each ballot is a new participant, so counts are easy to follow.

W1 Acme IT, Netherlands, 2023-03-01, teams Desk, Ops, Users
  recognise         Desk: 01+02, 01+03, 01+02, 02+04, 01+05     Ops: 02+03, 03+04
  users_would_pick  Desk: 01+02, 01+02                          Ops: 01+03, 01+04
  users_pick        Users: 03+01, 03+01, 03+05, 03+02, 01+05
W2 Beta Bank, Belgium, 2024-06-01, team Desk
  recognise         Desk: 01+06, 06+02, 06+01
W3 Gamma Gov, no country, 2022-01-10, team Users
  users_pick        Users: 04+05          (no IT round: left out of users vs IT)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from abc_workshop.domain import Participant, Perspective, Round, RoundSpec, Workshop
from abc_workshop.store import Store


@dataclass
class Played:
    round: Round
    participants: dict[str, list[Participant]]  # team -> its voters, in ballot order


@dataclass
class History:
    store: Store
    workshops: dict[str, tuple[Workshop, str]]  # name -> (workshop, facilitator key)
    rounds: dict[tuple[str, str], Played]  # (workshop name, perspective) -> the round played
    card: dict[str, int]  # "01" -> card id


def card_ids(store: Store) -> dict[str, int]:
    deck = store.decks()[0].id
    return {c.key.removeprefix("abc-"): c.id for c in store.cards(deck)}


def play_round(
    store: Store, workshop: Workshop, key: str, perspective: str, ballots: dict[str, list[str]], pick_limit: int = 2
) -> Played:
    """Create, open, vote (one new participant per ballot, cards as '01+02') and reveal a round."""
    deck = store.decks()[0].id
    ids = card_ids(store)
    teams = {t.name: t.id for t in store.teams(workshop.id)}
    spec = RoundSpec(question=f"{perspective}?", deck_id=deck, perspective=Perspective(perspective), pick_limit=pick_limit)
    rnd = store.open_round(store.create_round(workshop.id, key, spec).id, key)
    voters: dict[str, list[Participant]] = {}
    for team, team_ballots in ballots.items():
        for cards in team_ballots:
            participant = store.join(workshop.id, None, teams[team])
            store.submit_ballot(workshop.id, participant.token, rnd.id, rnd.attempt, [ids[c] for c in cards.split("+")])
            voters.setdefault(team, []).append(participant)
    return Played(store.reveal_round(rnd.id, key), voters)


def lead_history(store: Store, creator_key: str | None = None) -> History:
    history = History(store, {}, {}, card_ids(store))
    plan = [
        (
            "W1",
            "Acme IT",
            "Netherlands",
            datetime.date(2023, 3, 1),
            ["Desk", "Ops", "Users"],
            [
                ("recognise", {"Desk": ["01+02", "01+03", "01+02", "02+04", "01+05"], "Ops": ["02+03", "03+04"]}),
                ("users_would_pick", {"Desk": ["01+02", "01+02"], "Ops": ["01+03", "01+04"]}),
                ("users_pick", {"Users": ["03+01", "03+01", "03+05", "03+02", "01+05"]}),
            ],
        ),
        (
            "W2",
            "Beta Bank",
            "Belgium",
            datetime.date(2024, 6, 1),
            ["Desk"],
            [("recognise", {"Desk": ["01+06", "06+02", "06+01"]})],
        ),
        ("W3", "Gamma Gov", None, datetime.date(2022, 1, 10), ["Users"], [("users_pick", {"Users": ["04+05"]})]),
    ]
    keys: dict[str, str] = {}  # organisation -> a key of one of its workshops, which opens the doors to another
    for name, organisation, country, held_on, teams, rounds in plan:
        creator = keys.get(organisation.lower()) or next(iter(keys.values()), creator_key)
        workshop, key = store.create_workshop(name, organisation, held_on, team_names=teams, country=country, creator_key=creator)
        keys.setdefault(organisation.lower(), key)
        history.workshops[name] = (workshop, key)
        for perspective, ballots in rounds:
            history.rounds[(name, perspective)] = play_round(store, workshop, key, perspective, ballots)
    return history
