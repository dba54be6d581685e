"""Writing a checked import batch (abc_workshop/import_batch.py) in steps (abc_workshop/store/imports.py): workshops,
teams, participants, rounds with their ballots, counts and published ranks, polls with their answer counts, teams'
analyses, and moments of truth for organisations' programmes.

The batch becomes pieces: a workshop with its teams, a slice of its participants, a round, a slice of a round's
ballots, a round's counts and reveal, a poll, a round's analyses, a slice of the moments. Each piece comes after what it
refers to, and consecutive pieces make a step of at most STEP_ROWS rows (a piece of more rows, one large round's reveal,
is a step of its own). The caller writes each step in a write transaction of its own, so the lock is free between
steps. Ids are handed out inside each step's transaction, never up front: between steps live writes take ids too.

A batch may add to workshops an earlier import stored (import_batch.StoredWorkshop): their rows are reused, and
what this import adds to them (rounds, polls, teams, topics) carries this import's id, so it is undone on its own.
"""

from __future__ import annotations

import datetime
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from .. import i18n
from ..i18n import _, ngettext
from ..import_batch import ImportBatch, MomentRows, PollRows, RoundRows, WorkshopKey, WorkshopRows
from ..keys import new_join_code, new_participant_token
from .base import inserted_id
from .schema_events import imported_event

IMPORTED_KEY_HASH = "imported"  # no facilitator key matches it; the server's key still opens imported workshops
# Rows a step writes at most: about 50 ms of the write lock on the 2-core machine, 0.1 s at the most (bench/README.md, "A
# big import beside a live room"), so a live ballot that arrives meanwhile waits no longer than that.
STEP_ROWS = 5_000
T = TypeVar("T")


@dataclass(frozen=True)
class Piece:
    rows: int  # how many rows it writes (its round's tallies included), for the size of steps and for progress
    what: str  # what the progress bar says while it is written
    write: Callable[[sqlite3.Connection], None]


class BatchWriter:
    """Writes a batch with executemany: a million picks in seconds, not minutes."""

    def __init__(self, import_id: int, batch: ImportBatch):
        self.import_id, self.batch = import_id, batch
        self.workshop_ids: dict[WorkshopKey, int] = {}
        self.team_ids: dict = {}  # (workshop key, team lower) -> id
        self.participant_ids: dict = {}  # (workshop key, participant lower) -> id
        self.round_ids: dict = {}
        self.positions: dict[int, int] = {}  # workshop id -> the last round position taken
        self.organisations: dict[str, int] = {}  # a moment's organisation as the file names it -> its record

    def steps(self) -> list[list[Piece]]:
        """The pieces, in order, gathered into steps of at most STEP_ROWS rows."""
        steps: list[list[Piece]] = []
        rows = 0
        for piece in self._pieces():
            if steps and rows + piece.rows <= STEP_ROWS:
                steps[-1].append(piece)
                rows += piece.rows
            else:
                steps.append([piece])
                rows = piece.rows
        return steps

    def _pieces(self) -> Iterator[Piece]:
        """Each workshop whole before the next: its teams and participants, its rounds, its polls, then its analyses
        (which refer to its rounds); the moments last."""
        rounds: dict[WorkshopKey, list[tuple[tuple, RoundRows]]] = {}
        for round_key, rnd in self.batch.rounds.items():
            rounds.setdefault(rnd.workshop, []).append((round_key, rnd))
        polls: dict[WorkshopKey, list[PollRows]] = {}
        for poll in self.batch.polls.values():
            polls.setdefault(poll.workshop, []).append(poll)
        count = len(self.batch.workshops)
        for number, (key, workshop) in enumerate(self.batch.workshops.items(), start=1):
            what = _("Storing workshop {number} of {count}").format(number=i18n.number(number), count=i18n.number(count))
            yield Piece(1 + len(workshop.teams), what, partial(self._workshop, key, workshop))
            for people in _slices(list(workshop.participants.items()), lambda _: 1):
                yield Piece(len(people), what, partial(self._participants, key, people))
            for round_key, rnd in rounds.get(key, []):
                yield from self._round(round_key, rnd, what)
            for poll in polls.get(key, []):
                yield Piece(1 + len(poll.statements) + len(poll.counts), what, partial(self._poll, poll))
            for round_key, rnd in rounds.get(key, []):
                if rnd.analyses:
                    yield Piece(_analysis_rows(rnd), what, partial(self._analyses, round_key, rnd))
        what = ngettext("Storing {n} moment of truth", "Storing {n} moments of truth", len(self.batch.moments)).format(
            n=i18n.number(len(self.batch.moments))
        )
        for moments in _slices(self.batch.moments, lambda moment: 1 + len(moment.card_ids)):
            yield Piece(sum(1 + len(m.card_ids) for m in moments), what, partial(self._moments, moments))

    def _workshop(self, key: WorkshopKey, workshop: WorkshopRows, conn: sqlite3.Connection) -> None:
        """A new workshop with its log entry, or an earlier import's with its teams and rounds so far; then the teams it
        lacks (an earlier import's workshop keeps its own and gets only the ones it lacks)."""
        position = 0
        if workshop.stored:
            workshop_id = workshop.stored.id
            for team_id, name, position in conn.execute(
                "SELECT id, name, position + 1 FROM teams WHERE workshop_id = ? ORDER BY position", (workshop_id,)
            ):
                self.team_ids[(key, name.lower())] = team_id
            self.positions[workshop_id] = conn.execute(
                "SELECT coalesce(max(position), 0) FROM rounds WHERE workshop_id = ?", (workshop_id,)
            ).fetchone()[0]
        else:
            workshop_id = inserted_id(
                conn.execute(
                    "INSERT INTO workshops (join_code, title, organisation, held_on, date_precision, country, key_hash,"
                    " import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _unused_join_code(conn),
                        workshop.title,
                        workshop.organisation,
                        workshop.held_on,
                        workshop.precision,
                        workshop.country,
                        IMPORTED_KEY_HASH,
                        self.import_id,
                    ),
                )
            )
            conn.execute(
                "INSERT INTO events (workshop_id, kind, detail, params) VALUES (?, 'imported', ?, ?)",
                (workshop_id, *imported_event(self.batch.file_name, self.import_id)),
            )
            self.positions[workshop_id] = 0
        self.workshop_ids[key] = workshop_id
        for lower, name in workshop.teams.items():
            if (key, lower) not in self.team_ids:
                self.team_ids[(key, lower)] = inserted_id(
                    conn.execute(
                        "INSERT INTO teams (workshop_id, name, position, import_id) VALUES (?, ?, ?, ?)",
                        (workshop_id, name, position, self.import_id),
                    )
                )
                position += 1

    def _participants(self, key: WorkshopKey, people: list[tuple[str, str | None]], conn: sqlite3.Connection) -> None:
        next_id = _next_id(conn, "participants")
        rows = []
        for label, team in people:
            self.participant_ids[(key, label)] = next_id
            rows.append(
                (next_id, self.workshop_ids[key], new_participant_token(), self.team_ids.get((key, team)), self.import_id)
            )
            next_id += 1
        conn.executemany("INSERT INTO participants (id, workshop_id, token, team_id, import_id) VALUES (?, ?, ?, ?, ?)", rows)

    def _round(self, round_key: tuple, rnd: RoundRows, what: str) -> Iterator[Piece]:
        """The round (open while its ballots arrive, which may take several steps), its ballots in slices, then its
        counts, sizes and published ranks, and the reveal that builds its tallies."""
        if rnd.stored_id:
            self.round_ids[round_key] = rnd.stored_id  # an earlier import's round: only its analyses come now
            return
        yield Piece(1, what, partial(self._open_round, round_key, rnd))
        for ballots in _slices(list(rnd.ballots.items()), lambda item: 1 + len(item[1].picks)):
            yield Piece(sum(1 + len(b.picks) for _, b in ballots), what, partial(self._ballots, round_key, rnd, ballots))
        tallies = {(ballot.team, card_id) for ballot in rnd.ballots.values() for card_id, _ in ballot.picks} | set(rnd.counts)
        rows = len(rnd.counts) + len(rnd.team_sizes) + len(rnd.ranks) + len(tallies)
        yield Piece(rows, what, partial(self._finish_round, round_key, rnd))

    def _open_round(self, round_key: tuple, rnd: RoundRows, conn: sqlite3.Connection) -> None:
        workshop_id = self.workshop_ids[rnd.workshop]
        self.positions[workshop_id] += 1
        self.round_ids[round_key] = inserted_id(
            conn.execute(
                "INSERT INTO rounds (workshop_id, position, question, deck_id, perspective, pick_limit, state, import_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    workshop_id,
                    self.positions[workshop_id],
                    rnd.question,
                    rnd.deck_id,
                    rnd.perspective,
                    rnd.pick_limit,
                    "open" if rnd.ballots else "draft",
                    self.import_id,
                ),
            )
        )

    def _ballots(self, round_key: tuple, rnd: RoundRows, ballots: list, conn: sqlite3.Connection) -> None:
        round_id, at = self.round_ids[round_key], _noon(self.batch.workshops[rnd.workshop].held_on)
        next_ballot = _next_id(conn, "ballots")
        rows: list[tuple] = []
        picks: list[tuple] = []
        for label, ballot in ballots:
            participant_id = self.participant_ids[(rnd.workshop, label)]
            rows.append((next_ballot, round_id, participant_id, self.team_ids.get((rnd.workshop, ballot.team)), at, at))
            picks.extend((next_ballot, card_id, rank) for card_id, rank in ballot.picks)
            next_ballot += 1
        conn.executemany(
            "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
            " VALUES (?, ?, 1, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO picks (ballot_id, card_id, pick_rank) VALUES (?, ?, ?)", picks)

    def _finish_round(self, round_key: tuple, rnd: RoundRows, conn: sqlite3.Connection) -> None:
        round_id = self.round_ids[round_key]
        teams = {team: self.team_ids.get((rnd.workshop, team)) for team in {*rnd.team_sizes, *(t for t, _ in rnd.counts)}}
        conn.executemany(
            "INSERT INTO imported_card_counts (round_id, team_id, card_id, picks, borda) VALUES (?, ?, ?, ?, ?)",
            [(round_id, teams[team], card_id, n, rnd.borda.get((team, card_id))) for (team, card_id), n in rnd.counts.items()],
        )
        conn.executemany(
            "INSERT INTO imported_team_sizes (round_id, team_id, participants, ranked) VALUES (?, ?, ?, ?)",
            [(round_id, teams[team], n, rnd.ranked.get(team, 0)) for team, n in rnd.team_sizes.items()],
        )
        conn.executemany(
            "INSERT INTO published_ranks (round_id, team_id, card_id, rank) VALUES (?, ?, ?, ?)",
            [(round_id, self.team_ids.get((rnd.workshop, team)), card_id, rank) for (team, card_id), rank in rnd.ranks.items()],
        )
        conn.execute("UPDATE rounds SET state = 'revealed' WHERE id = ?", (round_id,))  # builds its tallies

    def _poll(self, poll: PollRows, conn: sqlite3.Connection) -> None:
        poll_id = inserted_id(
            conn.execute(
                "INSERT INTO polls (workshop_id, title, scale, state, survey_code, import_id) VALUES (?, ?, ?, 'closed', ?, ?)",
                (self.workshop_ids[poll.workshop], poll.title, poll.scale.value, secrets.token_urlsafe(8), self.import_id),
            )
        )
        statement_ids = {}
        for position, (lower, text) in enumerate(poll.statements.items(), start=1):
            statement_ids[lower] = inserted_id(
                conn.execute("INSERT INTO statements (poll_id, position, text) VALUES (?, ?, ?)", (poll_id, position, text))
            )
        conn.executemany(
            "INSERT INTO imported_answer_counts (statement_id, team_id, value, answers) VALUES (?, ?, ?, ?)",
            [
                (statement_ids[s], self.team_ids.get((poll.workshop, team)), value, n)
                for (s, team, value), n in poll.counts.items()
            ],
        )

    def _analyses(self, round_key: tuple, rnd: RoundRows, conn: sqlite3.Connection) -> None:
        """A round's teams' analyses: a topic per team and card, its severity scores counted per heading and score, the
        risk decision and the actions, as the compare page's Impact view reads them."""
        next_topic = _next_id(conn, "topics")
        topics: list[tuple] = []
        scores: list[tuple] = []
        decisions: list[tuple] = []
        actions: list[tuple] = []
        round_id = self.round_ids[round_key]
        for (team, card_id), analysis in rnd.analyses.items():
            topics.append(
                (next_topic, round_id, self.team_ids[(rnd.workshop, team)], card_id, int(analysis.shortlisted), self.import_id)
            )
            scores.extend((next_topic, heading, severity, n) for (heading, severity), n in analysis.scores.items())
            if analysis.decision:
                decisions.append((next_topic, analysis.decision, analysis.reason))
            actions.extend((next_topic, what, owner, due_on, status) for what, owner, due_on, status in analysis.actions)
            next_topic += 1
        conn.executemany(
            "INSERT INTO topics (id, round_id, team_id, card_id, on_shortlist, import_id) VALUES (?, ?, ?, ?, ?, ?)", topics
        )
        conn.executemany("INSERT INTO imported_impact_scores (topic_id, heading, score, scores) VALUES (?, ?, ?, ?)", scores)
        conn.executemany("INSERT INTO risk_decisions (topic_id, decision, reason) VALUES (?, ?, ?)", decisions)
        conn.executemany("INSERT INTO actions (topic_id, what, owner, due_on, status) VALUES (?, ?, ?, ?, ?)", actions)

    def _moments(self, moments: list[MomentRows], conn: sqlite3.Connection) -> None:
        """Each moment joins the organisation record of its name (made when there is none, as the schema's trigger does
        for an imported workshop), dated at noon UTC of its day, in the file's order."""
        for name in dict.fromkeys(moment.organisation for moment in moments):
            if name not in self.organisations:
                conn.execute(
                    "INSERT INTO organisations (name, name_key, channel_token)"
                    " VALUES (trim(?1), lower(trim(?1)), ?2) ON CONFLICT DO NOTHING",
                    (name, secrets.token_hex(16)),
                )
                self.organisations[name] = conn.execute(
                    "SELECT id FROM organisations WHERE name_key = lower(trim(?))", (name,)
                ).fetchone()[0]
        next_moment = _next_id(conn, "moments")
        rows = []
        links: list[tuple[int, int]] = []
        for moment in moments:
            rows.append(
                (
                    next_moment,
                    self.organisations[moment.organisation],
                    moment.source,
                    moment.stage,
                    int(moment.positive),
                    moment.what_happened,
                    moment.customer_words,
                    moment.effort,
                    moment.business_unit,
                    int(moment.internal),
                    _noon(moment.day),
                    self.import_id,
                )
            )
            links.extend((next_moment, card_id) for card_id in moment.card_ids)
            next_moment += 1
        conn.executemany(
            "INSERT INTO moments (id, organisation_id, source, stage, positive, what_happened, customer_words, effort,"
            " business_unit, internal, created_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO moment_cards (moment_id, card_id) VALUES (?, ?)", links)


def _slices(items: list[T], rows: Callable[[T], int]) -> Iterator[list[T]]:
    """Consecutive slices of `items` of at most STEP_ROWS rows each (an item of more rows alone)."""
    piece: list[T] = []
    total = 0
    for item in items:
        if piece and total + rows(item) > STEP_ROWS:
            yield piece
            piece, total = [], 0
        piece.append(item)
        total += rows(item)
    if piece:
        yield piece


def _analysis_rows(rnd: RoundRows) -> int:
    return sum(1 + len(a.scores) + bool(a.decision) + len(a.actions) for a in rnd.analyses.values())


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    """The next free id: safe because the caller holds the write lock until the step that uses it commits."""
    return conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def _unused_join_code(conn: sqlite3.Connection) -> str:
    while True:
        code = new_join_code()
        if conn.execute("SELECT 1 FROM workshops WHERE join_code = ?", (code,)).fetchone() is None:
            return code


def _noon(iso_date: str) -> float:
    return datetime.datetime.fromisoformat(iso_date).replace(hour=12, tzinfo=datetime.UTC).timestamp()
