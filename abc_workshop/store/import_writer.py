"""Writing a checked import batch (abc_workshop/import_batch.py) inside the import's write transaction
(abc_workshop/store/imports.py): workshops, teams, participants, rounds with their ballots, counts and published
ranks, polls with their answer counts, teams' analyses, and moments of truth for organisations' programmes.

A batch may add to workshops an earlier import stored (import_batch.StoredWorkshop): their rows are reused, and
what this import adds to them (rounds, polls, teams, topics) carries this import's id, so it is undone on its own.
"""

from __future__ import annotations

import datetime
import secrets

from ..import_batch import ImportBatch
from ..importer import Progress
from ..keys import new_join_code, new_participant_token

IMPORTED_KEY_HASH = "imported"  # no facilitator key matches it; the server's key still opens imported workshops


class BatchWriter:
    """Writes a batch with executemany and ids handed out up front: a million picks in seconds, not minutes.

    Ids are safe to hand out because the caller holds the write transaction (BEGIN IMMEDIATE).
    """

    def __init__(self, conn, import_id: int, batch: ImportBatch, progress: Progress | None = None):
        self.conn, self.import_id, self.batch = conn, import_id, batch
        self.progress = progress or (lambda fraction, text: None)
        self.workshop_ids: dict = {}
        self.team_ids: dict = {}  # (workshop key, team lower) -> id
        self.participant_ids: dict = {}  # (workshop key, participant lower) -> id
        self.round_ids: dict = {}

    def _next_id(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def write(self) -> None:
        self.progress(0.0, f"Storing {len(self.batch.workshops):,} workshops")
        self._workshops()
        self._teams()
        self._participants()
        self._rounds()
        self.progress(0.9, "Storing statement answers and team analyses")
        self._polls()
        self._analyses()
        self._moments()

    def _workshops(self) -> None:
        codes = {row[0] for row in self.conn.execute("SELECT join_code FROM workshops")}
        events = []
        for key, workshop in self.batch.workshops.items():
            if workshop.stored:
                self.workshop_ids[key] = workshop.stored.id
                continue
            code = new_join_code()
            while code in codes:
                code = new_join_code()
            codes.add(code)
            workshop_id = self.conn.execute(
                "INSERT INTO workshops (join_code, title, organisation, held_on, date_precision, country, key_hash, import_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    workshop.title,
                    workshop.organisation,
                    workshop.held_on,
                    workshop.precision,
                    workshop.country,
                    IMPORTED_KEY_HASH,
                    self.import_id,
                ),
            ).lastrowid
            self.workshop_ids[key] = workshop_id
            events.append((workshop_id, "imported", f"Imported from {self.batch.file_name} (import #{self.import_id})"))
        self.conn.executemany("INSERT INTO events (workshop_id, kind, detail) VALUES (?, ?, ?)", events)

    def _teams(self) -> None:
        """Each workshop's teams; a workshop of an earlier import keeps its own and gets only the ones it lacks."""
        rows = []
        for key, workshop in self.batch.workshops.items():
            workshop_id = self.workshop_ids[key]
            position = 0
            if workshop.stored:
                for team_id, name, position in self.conn.execute(
                    "SELECT id, name, position + 1 FROM teams WHERE workshop_id = ? ORDER BY position", (workshop_id,)
                ):
                    self.team_ids[(key, name.lower())] = team_id
            for lower, name in workshop.teams.items():
                if (key, lower) not in self.team_ids:
                    rows.append((workshop_id, name, position, self.import_id))
                    position += 1
        self.conn.executemany("INSERT INTO teams (workshop_id, name, position, import_id) VALUES (?, ?, ?, ?)", rows)
        by_id = {workshop_id: key for key, workshop_id in self.workshop_ids.items()}
        for team_id, workshop_id, name in self.conn.execute(
            "SELECT id, workshop_id, name FROM teams WHERE import_id = ?", (self.import_id,)
        ):
            self.team_ids[(by_id[workshop_id], name.lower())] = team_id

    def _participants(self) -> None:
        next_id = self._next_id("participants")
        rows = []
        for key, workshop in self.batch.workshops.items():
            for label, team in workshop.participants.items():
                self.participant_ids[(key, label)] = next_id
                rows.append(
                    (next_id, self.workshop_ids[key], new_participant_token(), self.team_ids.get((key, team)), self.import_id)
                )
                next_id += 1
        self.conn.executemany(
            "INSERT INTO participants (id, workshop_id, token, team_id, import_id) VALUES (?, ?, ?, ?, ?)", rows
        )

    def _rounds(self) -> None:
        positions: dict = {}
        for workshop in self.batch.workshops.values():
            if workshop.stored:
                positions[workshop.stored.id] = self.conn.execute(
                    "SELECT coalesce(max(position), 0) FROM rounds WHERE workshop_id = ?", (workshop.stored.id,)
                ).fetchone()[0]
        next_ballot = self._next_id("ballots")
        for done, (round_key, rnd) in enumerate(self.batch.rounds.items()):
            if done % 50 == 0:
                total = len(self.batch.rounds)
                self.progress(0.05 + 0.85 * done / total, f"Storing round {done + 1:,} of {total:,}")
            if rnd.stored_id:
                self.round_ids[round_key] = rnd.stored_id  # an earlier import's round: only its analyses come now
                continue
            workshop_id = self.workshop_ids[rnd.workshop]
            positions[workshop_id] = positions.get(workshop_id, 0) + 1
            round_id = self.conn.execute(
                "INSERT INTO rounds (workshop_id, position, question, deck_id, perspective, pick_limit, state, import_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    workshop_id,
                    positions[workshop_id],
                    rnd.question,
                    rnd.deck_id,
                    rnd.perspective,
                    rnd.pick_limit,
                    "open" if rnd.ballots else "draft",
                    self.import_id,
                ),
            ).lastrowid
            self.round_ids[round_key] = round_id
            teams = {team: self.team_ids.get((rnd.workshop, team)) for team in {*rnd.team_sizes, *(t for t, _ in rnd.counts)}}
            if rnd.ballots:
                at = _noon(self.batch.workshops[rnd.workshop].held_on)
                ballots: list[tuple] = []
                picks: list[tuple] = []
                for label, ballot in rnd.ballots.items():
                    participant_id = self.participant_ids[(rnd.workshop, label)]
                    ballots.append(
                        (next_ballot, round_id, participant_id, self.team_ids.get((rnd.workshop, ballot.team)), at, at)
                    )
                    picks.extend((next_ballot, card_id, rank) for card_id, rank in ballot.picks)
                    next_ballot += 1
                self.conn.executemany(
                    "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
                    " VALUES (?, ?, 1, ?, ?, ?, ?)",
                    ballots,
                )
                self.conn.executemany("INSERT INTO picks (ballot_id, card_id, pick_rank) VALUES (?, ?, ?)", picks)
            self.conn.executemany(
                "INSERT INTO imported_card_counts (round_id, team_id, card_id, picks, borda) VALUES (?, ?, ?, ?, ?)",
                [
                    (round_id, teams[team], card_id, n, rnd.borda.get((team, card_id)))
                    for (team, card_id), n in rnd.counts.items()
                ],
            )
            self.conn.executemany(
                "INSERT INTO imported_team_sizes (round_id, team_id, participants, ranked) VALUES (?, ?, ?, ?)",
                [(round_id, teams[team], n, rnd.ranked.get(team, 0)) for team, n in rnd.team_sizes.items()],
            )
            self.conn.executemany(
                "INSERT INTO published_ranks (round_id, team_id, card_id, rank) VALUES (?, ?, ?, ?)",
                [
                    (round_id, self.team_ids.get((rnd.workshop, team)), card_id, rank)
                    for (team, card_id), rank in rnd.ranks.items()
                ],
            )
            self.conn.execute("UPDATE rounds SET state = 'revealed' WHERE id = ?", (round_id,))  # builds its tallies

    def _polls(self) -> None:
        for poll in self.batch.polls.values():
            poll_id = self.conn.execute(
                "INSERT INTO polls (workshop_id, title, scale, state, survey_code, import_id) VALUES (?, ?, ?, 'closed', ?, ?)",
                (self.workshop_ids[poll.workshop], poll.title, poll.scale.value, secrets.token_urlsafe(8), self.import_id),
            ).lastrowid
            statement_ids = {}
            for position, (lower, text) in enumerate(poll.statements.items(), start=1):
                statement_ids[lower] = self.conn.execute(
                    "INSERT INTO statements (poll_id, position, text) VALUES (?, ?, ?)", (poll_id, position, text)
                ).lastrowid
            self.conn.executemany(
                "INSERT INTO imported_answer_counts (statement_id, team_id, value, answers) VALUES (?, ?, ?, ?)",
                [
                    (statement_ids[s], self.team_ids.get((poll.workshop, team)), value, n)
                    for (s, team, value), n in poll.counts.items()
                ],
            )

    def _analyses(self) -> None:
        """Teams' analyses: a topic per team and card, its severity scores counted per heading and score, the risk
        decision and the actions, as the compare page's Impact view reads them."""
        next_topic = self._next_id("topics")
        topics: list[tuple] = []
        scores: list[tuple] = []
        decisions: list[tuple] = []
        actions: list[tuple] = []
        for round_key, rnd in self.batch.rounds.items():
            for (team, card_id), analysis in rnd.analyses.items():
                team_id, round_id = self.team_ids[(rnd.workshop, team)], self.round_ids[round_key]
                topics.append((next_topic, round_id, team_id, card_id, int(analysis.shortlisted), self.import_id))
                scores.extend((next_topic, heading, severity, n) for (heading, severity), n in analysis.scores.items())
                if analysis.decision:
                    decisions.append((next_topic, analysis.decision, analysis.reason))
                actions.extend((next_topic, what, owner, due_on, status) for what, owner, due_on, status in analysis.actions)
                next_topic += 1
        self.conn.executemany(
            "INSERT INTO topics (id, round_id, team_id, card_id, on_shortlist, import_id) VALUES (?, ?, ?, ?, ?, ?)", topics
        )
        self.conn.executemany("INSERT INTO imported_impact_scores (topic_id, heading, score, scores) VALUES (?, ?, ?, ?)", scores)
        self.conn.executemany("INSERT INTO risk_decisions (topic_id, decision, reason) VALUES (?, ?, ?)", decisions)
        self.conn.executemany("INSERT INTO actions (topic_id, what, owner, due_on, status) VALUES (?, ?, ?, ?, ?)", actions)

    def _moments(self) -> None:
        """Each moment joins the organisation record of its name (made when there is none, as the schema's trigger does
        for an imported workshop), dated at noon UTC of its day, in the file's order."""
        if not self.batch.moments:
            return
        organisations: dict[str, int] = {}
        for name in dict.fromkeys(moment.organisation for moment in self.batch.moments):
            self.conn.execute(
                "INSERT OR IGNORE INTO organisations (name, name_key, channel_token)"
                " VALUES (trim(?1), lower(trim(?1)), lower(hex(randomblob(16))))",
                (name,),
            )
            organisations[name] = self.conn.execute(
                "SELECT id FROM organisations WHERE name_key = lower(trim(?))", (name,)
            ).fetchone()[0]
        next_moment = self._next_id("moments")
        moments = []
        links: list[tuple[int, int]] = []
        for moment in self.batch.moments:
            moments.append(
                (
                    next_moment,
                    organisations[moment.organisation],
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
        self.conn.executemany(
            "INSERT INTO moments (id, organisation_id, source, stage, positive, what_happened, customer_words, effort,"
            " business_unit, internal, created_at, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            moments,
        )
        self.conn.executemany("INSERT INTO moment_cards (moment_id, card_id) VALUES (?, ?)", links)


def _noon(iso_date: str) -> float:
    return datetime.datetime.fromisoformat(iso_date).replace(hour=12, tzinfo=datetime.UTC).timestamp()
