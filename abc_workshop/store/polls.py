"""Statement polls: live in the room (phones answer, the projector shows the result) or left open for days as a
survey with its own link. The schema's triggers hold the rules: answers only while open and before the
deadline, one per participant and statement, and only values on the poll's scale."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import pandas as pd

from ..domain import (
    MAX_STATEMENTS,
    CompareFilter,
    InvalidInput,
    NotFound,
    Poll,
    PollScale,
    RoundState,
    Statement,
    VoteRejected,
    check_text,
)
from ..i18n import N_, _
from ..said import Said
from .analytics import DATE_AT_PRECISION, Scope, grouping, read_frame
from .base import StoreBase, inserted_id, settled, settled_by
from .projector import take_screen
from .rounds import TRANSITIONS

_POLL_COLUMNS = "id, workshop_id, title, scale, state, closes_at, survey_code, on_projector"
# Live answers and imported counts, each narrowed to the statements in `{statements}` before they are joined.
_ANSWERED = """
    SELECT a.statement_id, pa.team_id, a.value, 1 AS n FROM answers a JOIN participants pa ON pa.id = a.participant_id
    WHERE a.statement_id IN ({statements})
    UNION ALL
    SELECT statement_id, team_id, value, answers FROM imported_answer_counts WHERE statement_id IN ({statements})
"""
# What a facilitator is told when a poll cannot take an action from its state, whole, by action (rounds.TRANSITIONS).
_CANNOT = {
    # Translators: {state} is the poll's state: draft, open, closed or revealed.
    "open": N_("The poll '{title}' is {state}; it cannot open now."),
    # Translators: {state} is the poll's state: draft, open, closed or revealed.
    "reopen": N_("The poll '{title}' is {state}; it cannot reopen now."),
    # Translators: {state} is the poll's state: draft, open, closed or revealed.
    "close": N_("The poll '{title}' is {state}; it cannot close now."),
    # Translators: {state} is the poll's state: draft, open, closed or revealed.
    "reveal": N_("The poll '{title}' is {state}; it cannot reveal now."),
}
_BUCKET = "CASE WHEN p.scale = 'agree3' THEN x.value WHEN x.value <= 2 THEN 1 WHEN x.value = 3 THEN 2 ELSE 3 END"
POLL_COLUMNS = {
    "workshop_id": "p.workshop_id",
    "team_id": "x.team_id",
    "team_name": "tm.name",
    "organisation": "w.organisation",
    "country": "w.country",
    "settled": settled("p.import_id"),
}
_ANSWER_JOINS = (
    "JOIN statements s ON s.id = x.statement_id JOIN polls p ON p.id = s.poll_id"
    " JOIN workshops w ON w.id = p.workshop_id LEFT JOIN teams tm ON tm.id = x.team_id"
)


class PollsMixin(StoreBase):
    def create_poll(self, workshop_id: int, key: str, title: str, statements: list[str], scale: PollScale | str) -> Poll:
        self._require_key(workshop_id, key)
        title = check_text("poll_title", title, label=N_("poll title"))
        texts = [check_text("statement", text, label=N_("statement")) for text in statements if (text or "").strip()]
        if not texts:
            raise InvalidInput(_("Write at least one statement, one per line."))
        if len(texts) > MAX_STATEMENTS:
            raise InvalidInput(_("A poll has at most {most} statements.").format(most=MAX_STATEMENTS))
        if len({t.lower() for t in texts}) < len(texts):
            raise InvalidInput(_("A statement is listed twice."))
        scale = PollScale(scale)
        with self._write() as db:
            code = secrets.token_urlsafe(6)
            while self._value("SELECT 1 FROM polls WHERE survey_code = ?", (code,)):
                code = secrets.token_urlsafe(6)
            poll_id = inserted_id(
                db.execute(
                    "INSERT INTO polls (workshop_id, title, scale, survey_code) VALUES (?, ?, ?, ?)",
                    (workshop_id, title, scale.value, code),
                )
            )
            db.conn.executemany(
                "INSERT INTO statements (poll_id, position, text) VALUES (?, ?, ?)",
                [(poll_id, i, t) for i, t in enumerate(texts, start=1)],
            )
            self._changed(
                db,
                workshop_id,
                "poll_created",
                Said.ngettext(
                    "Poll '{title}' created with {n} statement",
                    "Poll '{title}' created with {n} statements",
                    len(texts),
                    title=title,
                ),
            )
        return self.poll(poll_id)

    def _polls(self, where: str, params: tuple) -> list[Poll]:
        rows = self._rows(f"SELECT {_POLL_COLUMNS} FROM polls WHERE {where} ORDER BY id", params)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        statements = self._rows(
            f"SELECT id, poll_id, position, text FROM statements WHERE poll_id IN ({','.join('?' * len(ids))}) ORDER BY position",
            ids,
        )
        return [
            Poll(
                **{
                    **row,
                    "scale": PollScale(row["scale"]),
                    "state": RoundState(row["state"]),
                    "on_projector": bool(row["on_projector"]),
                    "statements": tuple(Statement(**s) for s in statements if s["poll_id"] == row["id"]),
                }
            )
            for row in rows
        ]

    def poll(self, poll_id: int) -> Poll:
        found = self._polls("id = ?", (poll_id,))
        if not found:
            raise NotFound(_("There is no such poll."))
        return found[0]

    def poll_by_code(self, code: str) -> Poll:
        found = self._polls("survey_code = ?", ((code or "").strip(),))
        if not found:
            raise NotFound(_("This survey link is not right: no poll has that code. Check the link you were given."))
        return found[0]

    def polls(self, workshop_id: int) -> list[Poll]:
        return self._polls("workshop_id = ?", (workshop_id,))

    def live_polls(self, workshop_id: int) -> list[Poll]:
        """The polls participants see on their voting page: open ones to answer, revealed ones to read."""
        return self._polls("workshop_id = ? AND state IN ('open', 'revealed')", (workshop_id,))

    def poll_stage(self, workshop_id: int) -> tuple:
        """What participants' pages follow besides the round: which polls are open or revealed, and until when."""
        return tuple(
            tuple(row.values())
            for row in self._rows(
                "SELECT id, state, closes_at FROM polls WHERE workshop_id = ? AND state IN ('open', 'revealed') ORDER BY id",
                (workshop_id,),
            )
        )

    def open_poll(self, poll_id: int, key: str, closes_at: float | None = None) -> Poll:
        """Open for answers; with `closes_at` (Unix time) answers stop by themselves then, for surveys left open for days."""
        return self._poll_transition(poll_id, key, "open", closes_at)

    def reopen_poll(self, poll_id: int, key: str, closes_at: float | None = None) -> Poll:
        return self._poll_transition(poll_id, key, "reopen", closes_at)

    def close_poll(self, poll_id: int, key: str) -> Poll:
        return self._poll_transition(poll_id, key, "close")

    def reveal_poll(self, poll_id: int, key: str) -> Poll:
        return self._poll_transition(poll_id, key, "reveal")

    def _poll_transition(self, poll_id: int, key: str, action: str, closes_at: float | None = None) -> Poll:
        current = self.poll(poll_id)
        self._require_key(current.workshop_id, key)
        sources, target = TRANSITIONS[action]
        if target is RoundState.OPEN and closes_at is not None and closes_at <= self._now():
            raise InvalidInput(_("The closing time has passed already; choose a later one."))
        with self._write() as db:
            state = RoundState(self._value("SELECT state FROM polls WHERE id = ?", (poll_id,)))
            if state not in sources:
                raise InvalidInput(_(_CANNOT[action]).format(title=current.title, state=state.label))
            if target is RoundState.OPEN:
                db.execute("UPDATE polls SET state = 'open', closes_at = ? WHERE id = ?", (closes_at, poll_id))
            else:
                db.execute("UPDATE polls SET state = ? WHERE id = ?", (target.value, poll_id))
            self._changed(
                db,
                current.workshop_id,
                f"poll_{action}",
                # Translators: the log's line; {before} and {after} are the poll's states: draft, open, closed, revealed.
                N_("Poll '{title}': {before} -> {after}"),
                title=current.title,
                before=state,
                after=target,
            )
        return self.poll(poll_id)

    def close_poll_if_expired(self, poll_id: int) -> bool:
        """Close an open poll whose closing time has passed, so every page shows it closed; True if it did."""
        with self._write() as db:
            closed = db.execute(
                "UPDATE polls SET state = 'closed' WHERE id = ? AND state = 'open' AND closes_at IS NOT NULL AND closes_at <= ?",
                (poll_id, self._now()),
            ).rowcount
            if closed:
                row = self._rows("SELECT workshop_id, title FROM polls WHERE id = ?", (poll_id,))[0]  # the poll just closed
                self._changed(
                    db,
                    row["workshop_id"],
                    "poll_timer_closed",
                    # Translators: the log's line: "open" and "closed" are the poll's states, as in "Poll 'X': open -> closed".
                    N_("Poll '{title}': closing time reached, open -> closed"),
                    title=row["title"],
                )
        return bool(closed)

    def show_poll_on_projector(self, poll_id: int, key: str, shown: bool) -> None:
        """Put the poll on the projector, in place of whatever was up; taken off, the live round comes back.
        Both last only until a round opens (abc_workshop/projector.py)."""
        current = self.poll(poll_id)
        self._require_key(current.workshop_id, key)
        if shown and current.state is RoundState.DRAFT:
            raise InvalidInput(_("Open the poll before you show it on the projector."))
        with self._write() as db:
            on_now = self._value("SELECT on_projector FROM polls WHERE id = ?", (poll_id,))
            if not shown and not on_now:
                raise InvalidInput(_("The poll '{title}' is not on the projector.").format(title=current.title))
            take_screen(db, current.workshop_id)
            if shown:
                db.execute("UPDATE polls SET on_projector = 1 WHERE id = ?", (poll_id,))
            self._changed(
                db,
                current.workshop_id,
                "poll_projector",
                N_("Poll '{title}' on the projector") if shown else N_("Poll '{title}' off the projector"),
                title=current.title,
            )

    def projected_poll(self, workshop_id: int) -> Poll | None:
        found = self._polls("workshop_id = ? AND on_projector = 1", (workshop_id,))
        return found[0] if found else None

    def submit_answers(self, workshop_id: int, token: str, poll_id: int, answers: Mapping[int, int | None]) -> None:
        """Store (or change) a participant's answers, all or none; the triggers refuse them once the poll is closed."""
        participant = self.participant(workshop_id, token)
        if participant is None:
            raise NotFound(_("This device is not joined; open the link again and join first."))
        poll = self.poll(poll_id)
        if poll.workshop_id != workshop_id:
            raise NotFound(_("There is no such poll in this workshop."))
        known = {s.id for s in poll.statements}
        chosen = {int(s): int(v) for s, v in answers.items() if v is not None}
        if not chosen:
            raise VoteRejected(_("Answer at least one statement before you send."))
        if not set(chosen) <= known:
            raise NotFound(_("That statement is not in this poll."))
        now = self._now()
        with self._write() as db:  # the schema's triggers refuse closed polls and values off the scale
            db.conn.executemany(
                "INSERT INTO answers (statement_id, participant_id, value, answered_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (statement_id, participant_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                [(statement_id, participant.id, value, now) for statement_id, value in chosen.items()],
            )

    def my_answers(self, participant_id: int, poll_id: int) -> dict[int, int]:
        rows = self._rows(
            "SELECT a.statement_id, a.value FROM answers a JOIN statements s ON s.id = a.statement_id WHERE a.participant_id = ? AND s.poll_id = ?",
            (participant_id, poll_id),
        )
        return {row["statement_id"]: row["value"] for row in rows}

    def poll_respondents(self, poll_id: int) -> int:
        """How many participants have answered at least one statement (the live count the projector shows)."""
        return self._value(
            "SELECT count(DISTINCT a.participant_id) FROM answers a JOIN statements s ON s.id = a.statement_id WHERE s.poll_id = ?",
            (poll_id,),
        )

    def poll_results(self, poll_id: int) -> pd.DataFrame:
        """Answers per statement and Disagree / Partly / Agree (1-3), live and imported: a statement's rows have
        grp (its position), label (its text), bucket and answers, ready for compare.agreement."""
        this_poll = "SELECT id FROM statements WHERE poll_id = ?"
        return read_frame(
            self,
            f"SELECT s.position AS grp, s.text AS label, {_BUCKET} AS bucket, sum(x.n) AS answers FROM ({_ANSWERED.format(statements=this_poll)}) x"
            " JOIN statements s ON s.id = x.statement_id JOIN polls p ON p.id = s.poll_id GROUP BY s.id, bucket ORDER BY s.position",
            (poll_id, poll_id),
        )

    def known_statements(self, limit: int = 50) -> list[str]:
        """Statements asked before, most asked first: reusing the very wording makes results comparable."""
        rows = self._rows(
            f"SELECT min(text) AS text FROM statements WHERE {settled_by('poll_id', 'polls')}"
            " GROUP BY text COLLATE NOCASE ORDER BY count(*) DESC, 1 LIMIT ?",
            (limit,),
        )
        return [row["text"] for row in rows]

    # -- comparing statements across workshops, organisations and countries ---------------------------------

    def statement_choices(self, f: CompareFilter) -> pd.DataFrame:
        """Statements answered in the selection, most answered first, with how many workshops asked them."""
        scope = Scope.of(f, POLL_COLUMNS, few_workshops=True)
        return read_frame(
            self,
            f"SELECT min(s.text) AS statement, count(DISTINCT p.workshop_id) AS workshops, sum(x.n) AS answers"
            f" FROM ({_ANSWERED.format(statements='SELECT id FROM statements')}) x {_ANSWER_JOINS}"
            f" WHERE p.state != 'draft' AND {scope.sql} GROUP BY s.text COLLATE NOCASE ORDER BY answers DESC, statement",
            scope.params,
        )

    def statement_agreement(self, f: CompareFilter, statement: str, by: str) -> pd.DataFrame:
        """Answers to one statement (matched on its text, case ignored) per group and Disagree / Partly / Agree (1-3)."""
        key, label, joins = grouping(by, POLL_COLUMNS)
        scope = Scope.of(f, POLL_COLUMNS, few_workshops=True)
        same_text = "SELECT id FROM statements WHERE text = ? COLLATE NOCASE"
        return read_frame(
            self,
            f"SELECT {key} AS grp, {label} AS label, {_BUCKET} AS bucket, sum(x.n) AS answers"
            f" FROM ({_ANSWERED.format(statements=same_text)}) x {_ANSWER_JOINS} {joins}"
            f" WHERE p.state != 'draft' AND {scope.sql} GROUP BY {key}, bucket",
            (statement, statement, *scope.params),
        )

    def answer_rows(self, f: CompareFilter) -> pd.DataFrame:
        """The selection's statement answers in the answers import format, so they can be imported elsewhere."""
        scope = Scope.of(f, POLL_COLUMNS, few_workshops=True)
        return read_frame(
            self,
            f"""
            SELECT w.organisation, w.title AS workshop, {DATE_AT_PRECISION} AS date, w.country, coalesce(tm.name, '') AS team,
                   p.title AS survey, s.text AS statement, p.scale,
                   CASE WHEN p.scale = 'agree3' THEN CASE x.value WHEN 1 THEN 'disagree' WHEN 2 THEN 'partly' ELSE 'agree' END
                        ELSE CAST(x.value AS TEXT) END AS answer, sum(x.n) AS count
            FROM ({_ANSWERED.format(statements="SELECT id FROM statements")}) x {_ANSWER_JOINS}
            WHERE p.state != 'draft' AND {scope.sql}
            GROUP BY p.id, s.id, w.id, tm.id, x.team_id, x.value ORDER BY w.held_on, w.id, p.id, s.position, team, x.value
            """,
            scope.params,
        )
