"""Imports of past results, each recorded and undoable: whole workshops arrive in one transaction and leave in one.

A file is read and checked (abc_workshop/importer.py) before the write lock is taken, so a large file
does not stall a live room; the transaction then re-checks what may have changed meanwhile. Imported
picks become ballots of rounds marked with the import's id, the only ballots the schema lets anyone delete.
"""

from __future__ import annotations

import datetime
import secrets

from ..domain import AccessDenied, ImportRecord, InvalidInput, NotFound
from ..importer import Catalogue, Decisions, ImportBatch, Progress, parse_import
from ..keys import new_join_code, new_participant_token
from .base import StoreBase

IMPORTED_KEY_HASH = "imported"  # no facilitator key matches it; the server's key still opens imported workshops
_RECORD_COLUMNS = "id, kind, file_name, rows, summary, imported_at, undone_at"
# What an undo removes, children before parents. Each names the rows of one import (the parameter).
_UNDO = [
    ("action_updates", "action_id IN (SELECT id FROM actions WHERE topic_id IN ({topics}))"),
    ("actions", "topic_id IN ({topics})"),
    ("behaviours", "topic_id IN ({topics})"),
    ("risk_decisions", "topic_id IN ({topics})"),
    ("impact_scores", "topic_id IN ({topics})"),
    ("impact_notes", "topic_id IN ({topics})"),
    ("shortlist_changes", "topic_id IN ({topics})"),
    ("topics", "round_id IN ({rounds})"),
    ("picks", "ballot_id IN (SELECT id FROM ballots WHERE round_id IN ({rounds}))"),
    ("ballots", "round_id IN ({rounds})"),
    ("imported_card_counts", "round_id IN ({rounds})"),
    ("imported_team_sizes", "round_id IN ({rounds})"),
    ("published_ranks", "round_id IN ({rounds})"),
    ("tally_cards", "round_id IN ({rounds})"),
    ("tally_teams", "round_id IN ({rounds})"),
    ("imported_answer_counts", "statement_id IN (SELECT id FROM statements WHERE poll_id IN ({polls}))"),
    ("statements", "poll_id IN ({polls})"),
    ("polls", "id IN ({polls})"),
    ("events", "workshop_id IN ({workshops})"),
    ("participants", "workshop_id IN ({workshops})"),
    ("rounds", "id IN ({rounds})"),
    ("teams", "workshop_id IN ({workshops})"),
    ("workshops", "id IN ({workshops})"),
]
_SCOPES = {
    "workshops": "SELECT id FROM workshops WHERE import_id = ?",
    "rounds": "SELECT id FROM rounds WHERE import_id = ?",
    "polls": "SELECT id FROM polls WHERE import_id = ?",
    "topics": "SELECT id FROM topics WHERE round_id IN (SELECT id FROM rounds WHERE import_id = ?)",
}


class ImportsMixin(StoreBase):
    def _require_lead(self, key: str | None) -> None:
        """Imports reach across workshops, so once the server has a facilitator key, they need it."""
        if self.server_key and not self._is_server_key(key):
            raise AccessDenied("Imports need this server's facilitator key.")

    def import_catalogue(self) -> Catalogue:
        decks = self._rows("SELECT id, name FROM decks ORDER BY id")
        cards: dict[int, dict[str, int]] = {deck["id"]: {} for deck in decks}
        titles: dict[int, dict[int, str]] = {deck["id"]: {} for deck in decks}
        for card in self._rows("SELECT id, deck_id, card_key, title FROM cards ORDER BY position"):
            cards[card["deck_id"]].setdefault(card["title"].lower(), card["id"])
            cards[card["deck_id"]][card["card_key"].lower()] = card["id"]
            titles[card["deck_id"]][card["id"]] = card["title"]
        mappings = {
            (row["source"].lower(), row["deck_id"], row["title_key"]): row["card_id"]
            for row in self._rows("SELECT source, deck_id, title_key, card_id FROM title_mappings")
        }
        return Catalogue(
            decks={deck["name"].lower(): deck["id"] for deck in decks},
            default_deck=decks[0]["name"] if decks else "",
            cards=cards,
            existing_workshops=self._stored_workshop_keys(),
            titles=titles,
            mappings=mappings,
        )

    def _stored_workshop_keys(self) -> frozenset:
        rows = self._rows("SELECT lower(organisation) AS o, lower(title) AS t, held_on FROM workshops WHERE held_on IS NOT NULL")
        return frozenset((row["o"], row["t"], row["held_on"]) for row in rows)

    def import_results(
        self,
        file_name: str,
        data: bytes | list[tuple[str, bytes]],
        key: str | None = None,
        decisions: Decisions | None = None,
        progress: Progress | None = None,
    ) -> ImportRecord:
        """Check a file of past results (CSV or the compare page's workbook) and store all of it, or raise
        ImportFileError naming each cause with its lines, or asking what only the lead can decide."""
        self._require_lead(key)
        tell = progress or (lambda fraction, text: None)
        batch = parse_import(data, file_name, self.import_catalogue(), decisions, lambda f, t: tell(0.6 * f, t))
        return self.store_import(batch, key, lambda f, t: tell(0.6 + 0.4 * f, t))

    def store_import(self, batch: ImportBatch, key: str | None = None, progress: Progress | None = None) -> ImportRecord:
        """Store a checked batch (from a file, or a synthetic history) as one recorded, undoable import; the lead's
        decisions about titles are remembered for the next file from the same source."""
        self._require_lead(key)
        with self._write() as db:
            earlier = self._row(
                "SELECT id, imported_at FROM imports WHERE file_sha256 = ? AND undone_at IS NULL AND kind != 'synthetic'",
                (batch.sha256,),
            )
            if earlier and batch.kind != "synthetic":
                raise InvalidInput(
                    f"This file was imported already (import #{earlier['id']}, {earlier['imported_at']}); undo that import first."
                )
            stored = self._stored_workshop_keys()
            clash = next((w for k, w in batch.workshops.items() if k in stored), None)
            if clash:
                raise InvalidInput(
                    f"The workshop '{clash.title}' of '{clash.organisation}' on {clash.held_on} is stored already; nothing was imported."
                )
            import_id = db.execute(
                "INSERT INTO imports (kind, file_name, file_sha256, rows, summary) VALUES (?, ?, ?, ?, ?)",
                (batch.kind, batch.file_name[:200], batch.sha256, batch.rows, batch.summary()),
            ).lastrowid
            _BatchWriter(db.conn, import_id, batch, progress).write()
            db.conn.executemany(
                "INSERT OR REPLACE INTO title_mappings (source, deck_id, title_key, card_id) VALUES (?, ?, ?, ?)",
                [
                    (source[:120], deck_id, title, card_id)
                    for source, deck_id, title, card_id in batch.decided
                    if 0 < len(title) <= 400  # a key longer than the table allows is used for this import only
                ],
            )
            if progress:
                progress(0.98, "Updating the statistics the compare page's queries use")
            db.execute("ANALYZE")  # fresh statistics, so the compare page's queries pick the right index
        return self.import_record(import_id)

    def import_record(self, import_id: int) -> ImportRecord:
        row = self._row(f"SELECT {_RECORD_COLUMNS} FROM imports WHERE id = ?", (import_id,))
        if row is None:
            raise NotFound("There is no such import.")
        return ImportRecord(**row)

    def imports(self) -> list[ImportRecord]:
        return [ImportRecord(**row) for row in self._rows(f"SELECT {_RECORD_COLUMNS} FROM imports ORDER BY id DESC")]

    def undo_import(self, import_id: int, key: str | None = None, progress: Progress | None = None) -> ImportRecord:
        """Remove everything an import brought, and anything recorded since about its workshops; keep the record.
        It wipes a lead's history, so once any key exists here it needs one (README.md, "Doors")."""
        self._require_lead(key)
        self._require_door_key(key, "Undoing an import")
        record = self.import_record(import_id)
        if record.undone_at:
            raise InvalidInput(f"Import #{import_id} was undone already ({record.undone_at}).")
        with self._write() as db:
            for step, (table, condition) in enumerate(_UNDO):
                if progress:
                    progress(step / len(_UNDO), f"Removing {table.replace('_', ' ')}")
                db.execute(f"DELETE FROM {table} WHERE {condition.format(**_SCOPES)}", [import_id] * condition.count("{"))
            db.execute("UPDATE imports SET undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (import_id,))
            db.execute("ANALYZE")
        return self.import_record(import_id)


class _BatchWriter:
    """Writes a batch with executemany and ids handed out up front: a million picks in seconds, not minutes.

    Ids are safe to hand out because the caller holds the write transaction (BEGIN IMMEDIATE).
    """

    def __init__(self, conn, import_id: int, batch: ImportBatch, progress: Progress | None = None):
        self.conn, self.import_id, self.batch = conn, import_id, batch
        self.progress = progress or (lambda fraction, text: None)
        self.workshop_ids: dict = {}
        self.team_ids: dict = {}  # (workshop key, team lower) -> id
        self.participant_ids: dict = {}  # (workshop key, participant lower) -> id
        self.members: dict = {}  # (workshop key, team lower) -> participant ids
        self.round_ids: dict = {}

    def _next_id(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def write(self) -> None:
        self.progress(0.0, f"Storing {len(self.batch.workshops):,} workshops")
        self._workshops()
        self._rounds()
        self.progress(0.9, "Storing statement answers and team analyses")
        self._polls()
        self._impacts()

    def _workshops(self) -> None:
        codes = {row[0] for row in self.conn.execute("SELECT join_code FROM workshops")}
        events = []
        for key, workshop in self.batch.workshops.items():
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
            self.conn.executemany(
                "INSERT INTO teams (workshop_id, name, position) VALUES (?, ?, ?)",
                [(workshop_id, name, position) for position, name in enumerate(workshop.teams.values())],
            )
            events.append((workshop_id, "imported", f"Imported from {self.batch.file_name} (import #{self.import_id})"))
        self.conn.executemany("INSERT INTO events (workshop_id, kind, detail) VALUES (?, ?, ?)", events)
        by_id = {workshop_id: key for key, workshop_id in self.workshop_ids.items()}
        for team_id, workshop_id, name in self.conn.execute(
            "SELECT t.id, t.workshop_id, t.name FROM teams t JOIN workshops w ON w.id = t.workshop_id WHERE w.import_id = ?",
            (self.import_id,),
        ):
            self.team_ids[(by_id[workshop_id], name.lower())] = team_id
        self._participants()

    def _participants(self) -> None:
        next_id = self._next_id("participants")
        rows = []
        for key, workshop in self.batch.workshops.items():
            for label, team in workshop.participants.items():
                self.participant_ids[(key, label)] = next_id
                self.members.setdefault((key, team), []).append(next_id)
                rows.append((next_id, self.workshop_ids[key], new_participant_token(), self.team_ids.get((key, team))))
                next_id += 1
        self.conn.executemany("INSERT INTO participants (id, workshop_id, token, team_id) VALUES (?, ?, ?, ?)", rows)

    def _rounds(self) -> None:
        positions: dict = {}
        next_ballot = self._next_id("ballots")
        for done, (round_key, rnd) in enumerate(self.batch.rounds.items()):
            if done % 50 == 0:
                total = len(self.batch.rounds)
                self.progress(0.05 + 0.85 * done / total, f"Storing round {done + 1:,} of {total:,}")
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
                ballots, picks = [], []
                for label, ballot in rnd.ballots.items():
                    participant_id = self.participant_ids[(rnd.workshop, label)]
                    ballots.append(
                        (next_ballot, round_id, participant_id, self.team_ids.get((rnd.workshop, ballot.team)), at, at)
                    )
                    picks.extend((next_ballot, card_id, rank) for card_id, rank in ballot.picks)
                    next_ballot += 1
                self.conn.executemany(
                    "INSERT INTO ballots (id, round_id, attempt, participant_id, team_id, submitted_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)",
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

    def _impacts(self) -> None:
        """Team analyses of synthetic histories: shortlisted cards, severity scores, risk decisions, actions."""
        next_topic = self._next_id("topics")
        topics, scores, decisions, actions = [], [], [], []
        for impact in self.batch.impacts:
            workshop = self.batch.rounds[impact.round].workshop
            team_id = self.team_ids[(workshop, impact.team)]
            members = self.members.get((workshop, impact.team), [])
            topics.append((next_topic, self.round_ids[impact.round], team_id, impact.card_id))
            for heading, values in impact.scores.items():
                scores.extend((next_topic, heading, pid, value) for pid, value in zip(members, values))
            decisions.append((next_topic, impact.decision))
            actions.extend((next_topic, what, "Team lead", status, due_on) for what, status, due_on in impact.actions)
            next_topic += 1
        self.conn.executemany("INSERT INTO topics (id, round_id, team_id, card_id) VALUES (?, ?, ?, ?)", topics)
        self.conn.executemany("INSERT INTO impact_scores (topic_id, heading, participant_id, score) VALUES (?, ?, ?, ?)", scores)
        self.conn.executemany("INSERT INTO risk_decisions (topic_id, decision) VALUES (?, ?)", decisions)
        self.conn.executemany("INSERT INTO actions (topic_id, what, owner, status, due_on) VALUES (?, ?, ?, ?, ?)", actions)


def _noon(iso_date: str) -> float:
    return datetime.datetime.fromisoformat(iso_date).replace(hour=12, tzinfo=datetime.timezone.utc).timestamp()
