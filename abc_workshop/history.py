"""A synthetic history of workshops, for benchmarks and tests: large, fast to make, and shaped so that every
comparison has something to show (popular and rare cards, IT misjudging its users, a card fading over the
years, countries that agree more or less, teams that finish their actions or not).

Same seed, same history. It is stored as one import, so it can be undone like any other.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass

import numpy as np

from .analysis import HEADINGS
from .domain import PollScale
from .importer import AnalysisRows, BallotRows, Catalogue, ImportBatch, PollRows, RoundRows, WorkshopRows

IT_TEAMS = ["Service Desk", "Operations", "Development", "Infrastructure", "Security", "Applications", "Management"]
USERS_TEAM = "Business users"
ORGANISATIONS = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Woodgrove",
    "Litware",
    "Proseware",
    "Wingtip",
    "Lucerne",
    "Alpine",
    "Coho",
    "Fourth Coffee",
    "Humongous",
    "Blue Yonder",
    "Trey",
    "Wide World",
    "Southridge",
    "Adatum",
]
SECTORS = [
    "IT",
    "Bank",
    "Insurance",
    "Health",
    "Logistics",
    "Energy",
    "Government",
    "Retail",
    "Telecom",
    "University",
    "Airlines",
]
# Share agreeing with the statements per country (seed 002 quotes 89%, 82%, 86%, 75% and 89% across countries).
COUNTRIES = {
    "Netherlands": 0.89,
    "Belgium": 0.82,
    "Germany": 0.86,
    "United Kingdom": 0.75,
    "Denmark": 0.89,
    "Australia": 0.80,
    "South Africa": 0.84,
    "United States": 0.78,
}
STATEMENTS = [
    "We are still not customer focused enough in IT",
    "IT understands how the business makes its money",
    "We hold each other accountable for agreed behaviour",
]
PICKS_PER_PARTICIPANT = 10 + 0.5 * 10 + 0.1 * 3  # recognise, half predict users (or are users), a tenth name resistance
QUESTIONS = {
    "recognise": "Which worst practices do you recognise in our organisation?",
    "users_would_pick": "Which cards would our users pick?",
    "users_pick": "As users, which cards do you see in IT?",
    "resistance": "Which cards show the resistance we meet when we change?",
}


@dataclass(frozen=True)
class HistoryShape:
    workshops: int = 10_000
    picks: int = 1_000_000  # roughly: the realised number is within a few percent
    seed: int = 4
    first_year: int = 2019
    last_year: int = 2025
    with_analysis: float = 0.3  # share of workshops whose teams recorded impact, risk decisions and actions
    with_survey: float = 0.3
    ranked: float = 0.1  # share of workshops whose ballots carry ranks (Borda points)


def synthetic_history(shape: HistoryShape, catalogue: Catalogue) -> ImportBatch:
    return _Generator(shape, catalogue).batch()


class _Generator:
    def __init__(self, shape: HistoryShape, catalogue: Catalogue):
        self.shape = shape
        self.random = random.Random(shape.seed)
        self.numpy = np.random.default_rng(shape.seed)
        self.deck_id = catalogue.decks[catalogue.default_deck.lower()]
        self.cards = np.array(sorted(set(catalogue.cards[self.deck_id].values())))
        popularity = 1.0 / np.arange(1, len(self.cards) + 1) ** 0.8  # a few cards everyone sees, a long tail
        self.it_weights = np.log(self.numpy.permutation(popularity))
        # Users agree with IT on much, but not all: a third of the cards swap places.
        users = np.exp(self.it_weights.copy())
        swap = self.numpy.choice(len(users), size=len(users) // 3, replace=False)
        users[swap] = users[self.numpy.permutation(swap)]
        self.users_weights = np.log(users)
        self.fading = int(np.argmax(self.it_weights))  # the most recognised card fades as the years go by
        # Teams see their own corner of the iceberg, and judge severity more or less harshly.
        self.team_bias = {team: self.numpy.normal(0, 0.7, size=len(self.cards)) for team in [*IT_TEAMS, USERS_TEAM]}
        self.team_severity = {team: self.random.uniform(-1, 1) for team in IT_TEAMS}
        key = repr(shape).encode()
        self.result = ImportBatch("synthetic", f"synthetic history (seed {shape.seed})", hashlib.sha256(key).hexdigest(), 0)

    def batch(self) -> ImportBatch:
        organisations = self._organisations()
        per_workshop = self.shape.picks / max(self.shape.workshops, 1) / PICKS_PER_PARTICIPANT
        days = (datetime.date(self.shape.last_year, 12, 31) - datetime.date(self.shape.first_year, 1, 1)).days
        for index in range(self.shape.workshops):
            organisation, country = organisations[index % len(organisations)]
            held_on = datetime.date(self.shape.first_year, 1, 1) + datetime.timedelta(days=self.random.randrange(days + 1))
            self._workshop(index, organisation, country, held_on, per_workshop)
        self.result.rows = sum(len(r.ballots) for r in self.result.rounds.values())
        return self.result

    def _organisations(self) -> list[tuple[str, str]]:
        count = max(1, self.shape.workshops // 40)
        names = [f"{a} {b}" for b in SECTORS for a in ORGANISATIONS]
        return [
            (names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else ""), self.random.choice(list(COUNTRIES)))
            for i in range(count)
        ]

    def _workshop(self, index: int, organisation: str, country: str, held_on: datetime.date, per_workshop: float) -> None:
        key = (organisation.lower(), f"abc workshop {index + 1}", held_on.isoformat())
        workshop = WorkshopRows(organisation, f"ABC workshop {index + 1}", held_on.isoformat(), country, 0)
        self.result.workshops[key] = workshop
        it_teams = self.random.sample(IT_TEAMS, self.random.randint(1, 3))
        teams = it_teams + ([USERS_TEAM] if self.random.random() < 0.6 else [])
        size = max(len(teams), round(self.numpy.poisson(per_workshop)))
        members: dict[str, list[str]] = {team: [] for team in teams}
        for number in range(size):
            team = teams[number % len(teams)]
            members[team].append(f"p{number + 1}")
        for team, people in members.items():
            workshop.teams[team.lower()] = team
            workshop.participants.update({person: team.lower() for person in people})
        ranked = self.random.random() < self.shape.ranked
        age = (held_on.year - self.shape.first_year) / max(self.shape.last_year - self.shape.first_year, 1)
        recognise = self._round(key, "recognise", members, 10, self._it_view(age), ranked)
        if self.random.random() < 0.5:
            it_people = {t: p for t, p in members.items() if t != USERS_TEAM}
            self._round(key, "users_would_pick", it_people, 10, self.it_weights, ranked)
            if USERS_TEAM in members:
                self._round(key, "users_pick", {USERS_TEAM: members[USERS_TEAM]}, 10, self.users_weights, ranked)
        if self.random.random() < 0.1:
            self._round(key, "resistance", members, 3, self.it_weights[::-1].copy(), ranked)
        if self.random.random() < self.shape.with_analysis:
            self._analysis(recognise, it_teams, age)
        if self.random.random() < self.shape.with_survey:
            self._survey(key, members, country)

    def _it_view(self, age: float) -> np.ndarray:
        weights = self.it_weights.copy()
        weights[self.fading] += np.log(max(1.0 - 0.9 * age, 0.05))
        return weights

    def _round(self, workshop: tuple, perspective: str, members: dict, limit: int, weights: np.ndarray, ranked: bool) -> tuple:
        """Each participant picks `limit` distinct cards, likelier the heavier (Gumbel top-k, all ballots at once)."""
        key = (*workshop, perspective, QUESTIONS[perspective].lower())
        rnd = RoundRows(workshop, perspective, QUESTIONS[perspective], self.deck_id, limit)
        people = [(team, person) for team, group in members.items() for person in group]
        bias = np.array([self.team_bias[team] for team, _ in people]).reshape(len(people), len(self.cards))
        noise = self.numpy.gumbel(size=(len(people), len(self.cards))) + weights + bias
        chosen = np.argsort(-noise, axis=1)[:, :limit]
        for (team, person), row in zip(people, chosen):
            picks = [(int(self.cards[c]), rank if ranked else None) for rank, c in enumerate(row, start=1)]
            rnd.ballots[person] = BallotRows(person, team.lower(), picks)
        self.result.rounds[key] = rnd
        return key

    def _analysis(self, round_key: tuple, it_teams: list[str], age: float) -> None:
        rnd = self.result.rounds[round_key]
        rnd_date = round_key[2]
        for team in it_teams:
            counts: dict[int, int] = {}
            for ballot in rnd.ballots.values():
                if ballot.team == team.lower():
                    for card_id, _ in ballot.picks:
                        counts[card_id] = counts.get(card_id, 0) + 1
            for card_id in sorted(counts, key=counts.__getitem__, reverse=True)[:3]:
                severity = 3 + self.team_severity[team] + self.random.gauss(0, 0.7)
                scores: dict[tuple[str, int], int] = {}
                for heading in HEADINGS:
                    for _ in range(3):
                        score = (heading, min(5, max(1, round(severity + self.random.gauss(0, 0.8)))))
                        scores[score] = scores.get(score, 0) + 1
                not_acceptable = min(0.9, max(0.1, (severity - 1.5) / 3))
                decision = self.random.choices(
                    ["no", "yes", "undecided"], [not_acceptable, (1 - not_acceptable) * 0.6, (1 - not_acceptable) * 0.4]
                )[0]
                done = 0.2 + 0.7 * (1 - age)  # older workshops have finished more of their actions
                statuses = self.random.choices(["done", "open", "dropped"], [done, 1 - done, 0.1], k=self.random.randint(1, 2))
                due_on = (datetime.date.fromisoformat(rnd_date) + datetime.timedelta(days=90)).isoformat()
                actions: list[tuple[str, str, str | None, str]]  # AnalysisRows' shape, where a due date may be missing
                actions = [(f"Action {n + 1} on card {card_id}", "Team lead", due_on, s) for n, s in enumerate(statuses)]
                rnd.analyses[(team.lower(), card_id)] = AnalysisRows(scores=scores, decision=decision, actions=actions)

    def _survey(self, workshop: tuple, members: dict, country: str) -> None:
        scale = PollScale.AGREE3 if self.random.random() < 0.7 else PollScale.SCALE5
        poll = PollRows(workshop, "Customer focus survey", scale)
        agree = COUNTRIES[country]
        for text in STATEMENTS:
            poll.statements[text.lower()] = text
            bias = agree if text == STATEMENTS[0] else agree - 0.3
            for team, people in members.items():
                for _ in people:
                    value = self._answer(scale, bias)
                    counted = (text.lower(), team.lower(), value)
                    poll.counts[counted] = poll.counts.get(counted, 0) + 1
        self.result.polls[(*workshop, "customer focus survey")] = poll

    def _answer(self, scale: PollScale, agree: float) -> int:
        draw = self.random.random()
        if scale is PollScale.AGREE3:
            return 3 if draw < agree else (2 if draw < agree + (1 - agree) / 2 else 1)
        return (
            self.random.choice([4, 5]) if draw < agree else (3 if draw < agree + (1 - agree) / 2 else self.random.choice([1, 2]))
        )
