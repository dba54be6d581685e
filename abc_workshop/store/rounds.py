"""Voting rounds and their life: draft -> open -> closed -> revealed, with reopen and a logged reset."""

from __future__ import annotations

from ..domain import (
    MAX_PICK_LIMIT,
    MAX_TIMER_SECONDS,
    InvalidInput,
    NotFound,
    Perspective,
    Progress,
    Round,
    RoundSpec,
    RoundState,
    TeamProgress,
    check_text,
)
from ..i18n import N_, _, ngettext
from ..said import Said
from .base import StoreBase, inserted_id
from .projector import take_screen

_ROUND_COLUMNS = (
    "id, workshop_id, position, question, deck_id, perspective, perspective_label, pick_limit,"
    " timer_seconds, show_names, state, attempt, closes_at"
)

# Which states each facilitator action may start from; polls follow the same life.
TRANSITIONS = {
    "open": ((RoundState.DRAFT,), RoundState.OPEN),
    "reopen": ((RoundState.CLOSED, RoundState.REVEALED), RoundState.OPEN),
    "close": ((RoundState.OPEN,), RoundState.CLOSED),
    "reveal": ((RoundState.OPEN, RoundState.CLOSED), RoundState.REVEALED),
}
# What a facilitator is told when a round cannot take an action from its state, whole, by action.
_CANNOT = {
    # Translators: {state} is the round's state: draft, open, closed or revealed.
    "open": N_("Round {position} is {state}; it cannot open now."),
    # Translators: {state} is the round's state: draft, open, closed or revealed.
    "reopen": N_("Round {position} is {state}; it cannot reopen now."),
    # Translators: {state} is the round's state: draft, open, closed or revealed.
    "close": N_("Round {position} is {state}; it cannot close now."),
    # Translators: {state} is the round's state: draft, open, closed or revealed.
    "reveal": N_("Round {position} is {state}; it cannot reveal now."),
}


class RoundsMixin(StoreBase):
    def create_round(self, workshop_id: int, key: str, spec: RoundSpec) -> Round:
        self._require_key(workshop_id, key)
        question = check_text("question", spec.question)
        perspective = Perspective(spec.perspective)
        label = check_text(
            "perspective_label",
            spec.perspective_label,
            required=perspective is Perspective.CUSTOM,
            label=N_("perspective wording"),
        )
        if perspective is not Perspective.CUSTOM:
            label = None
        if not 1 <= int(spec.pick_limit) <= MAX_PICK_LIMIT:
            raise InvalidInput(_("Each participant picks between 1 and {most} cards.").format(most=MAX_PICK_LIMIT))
        timer = int(spec.timer_seconds) if spec.timer_seconds else None
        if timer is not None and not 1 <= timer <= MAX_TIMER_SECONDS:
            raise InvalidInput(_("The timer must be between 1 second and 3 hours."))
        deck_size = self._value("SELECT count(*) FROM cards WHERE deck_id = ?", (spec.deck_id,))
        if not deck_size:
            raise InvalidInput(_("Please choose a deck with cards in it."))
        if spec.pick_limit > deck_size:
            raise InvalidInput(
                ngettext(
                    "The deck has only {size} card; participants cannot pick {limit}.",
                    "The deck has only {size} cards; participants cannot pick {limit}.",
                    deck_size,
                ).format(size=deck_size, limit=spec.pick_limit)
            )
        with self._write() as db:
            position = self._value("SELECT coalesce(max(position), 0) + 1 FROM rounds WHERE workshop_id = ?", (workshop_id,))
            cursor = db.execute(
                "INSERT INTO rounds (workshop_id, position, question, deck_id, perspective, perspective_label,"
                " pick_limit, timer_seconds, show_names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    workshop_id,
                    position,
                    question,
                    spec.deck_id,
                    perspective.value,
                    label,
                    int(spec.pick_limit),
                    timer,
                    int(spec.show_names),
                ),
            )
            self._changed(
                db,
                workshop_id,
                "round_created",
                N_("Round {position} created: {question}"),
                inserted_id(cursor),
                position=position,
                question=question,
            )
        return self.round(inserted_id(cursor))

    def round(self, round_id: int) -> Round:
        row = self._row(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        if row is None:
            raise NotFound(_("There is no such round."))
        return _round(row)

    def rounds(self, workshop_id: int) -> list[Round]:
        rows = self._rows(f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE workshop_id = ? ORDER BY position", (workshop_id,))
        return [_round(row) for row in rows]

    def current_round(self, workshop_id: int) -> Round | None:
        """The round participants see: the one most recently opened."""
        row = self._row(
            f"SELECT {', '.join('r.' + c.strip() for c in _ROUND_COLUMNS.split(','))} FROM rounds r"
            " JOIN workshops w ON w.current_round_id = r.id WHERE w.id = ?",
            (workshop_id,),
        )
        return _round(row) if row else None

    def stage(self, workshop_id: int) -> tuple:
        """What a participant's screen depends on: the current round and its state.

        Participants poll this instead of the workshop version, so a facilitator preparing the next
        round or adding a team does not redraw hundreds of phones.
        """
        row = self._row(
            "SELECT w.current_round_id, r.state, r.attempt, r.closes_at FROM workshops w"
            " LEFT JOIN rounds r ON r.id = w.current_round_id WHERE w.id = ?",
            (workshop_id,),
        )
        return tuple(row.values()) if row else ()

    def open_round(self, round_id: int, key: str) -> Round:
        return self._transition(round_id, key, "open")

    def reopen_round(self, round_id: int, key: str) -> Round:
        return self._transition(round_id, key, "reopen")

    def close_round(self, round_id: int, key: str) -> Round:
        return self._transition(round_id, key, "close")

    def reveal_round(self, round_id: int, key: str) -> Round:
        return self._transition(round_id, key, "reveal")

    def _transition(self, round_id: int, key: str, action: str) -> Round:
        current = self.round(round_id)
        self._require_key(current.workshop_id, key)
        sources, target = TRANSITIONS[action]
        with self._write() as db:
            state = RoundState(self._value("SELECT state FROM rounds WHERE id = ?", (round_id,)))
            if state not in sources:
                raise InvalidInput(_(_CANNOT[action]).format(position=current.position, state=state.label))
            if target is RoundState.OPEN:
                other = self._value(
                    "SELECT position FROM rounds WHERE workshop_id = ? AND state = 'open' AND id != ?",
                    (current.workshop_id, round_id),
                )
                if other is not None:
                    raise InvalidInput(
                        _("Round {position} is still open; close it before opening another.").format(position=other)
                    )
                closes_at = self._now() + current.timer_seconds if current.timer_seconds else None
                db.execute("UPDATE rounds SET state = 'open', closes_at = ? WHERE id = ?", (closes_at, round_id))
                db.execute("UPDATE workshops SET current_round_id = ? WHERE id = ?", (round_id, current.workshop_id))
            else:
                db.execute("UPDATE rounds SET state = ? WHERE id = ?", (target.value, round_id))
            if action in ("open", "reopen", "reveal"):  # the room must see it: the live round takes the projector
                take_screen(db, current.workshop_id)
            self._changed(
                db,
                current.workshop_id,
                f"round_{action}",
                # Translators: the log's line; {before} and {after} are the round's states: draft, open, closed, revealed.
                N_("Round {position}: {before} -> {after}"),
                round_id,
                position=current.position,
                before=state,
                after=target,
            )
        return self.round(round_id)

    def reset_round(self, round_id: int, key: str, reason: str) -> Round:
        """Back to draft with a new attempt; earlier ballots are kept in the database but no longer counted."""
        current = self.round(round_id)
        self._require_key(current.workshop_id, key)
        reason = check_text("reason", reason, label=N_("reason for the reset"))
        with self._write() as db:
            ballots = self._value("SELECT count(*) FROM ballots WHERE round_id = ? AND attempt = ?", (round_id, current.attempt))
            db.execute("UPDATE rounds SET state = 'draft', attempt = attempt + 1, closes_at = NULL WHERE id = ?", (round_id,))
            self._unseed_shortlists(db, round_id)
            self._changed(
                db,
                current.workshop_id,
                "round_reset",
                # Translators: the log's line for a reset round; {state} is its state then: open, closed or revealed.
                Said.ngettext(
                    "Round {position} reset from {state}; {n} ballot of attempt {attempt} set aside. Reason: {reason}",
                    "Round {position} reset from {state}; {n} ballots of attempt {attempt} set aside. Reason: {reason}",
                    ballots,
                    position=current.position,
                    state=current.state,
                    attempt=current.attempt,
                    reason=reason,
                ),
                round_id,
            )
        return self.round(round_id)

    @staticmethod
    def _unseed_shortlists(db, round_id: int) -> None:
        """The cards the set-aside votes put on the teams' shortlists come off (each change recorded as the
        facilitator's); cards a team added itself stay. The next reveal's votes seed the shortlists again."""
        seeded = db.execute(
            "SELECT t.id FROM topics t WHERE t.round_id = ? AND t.on_shortlist = 1 AND (SELECT change FROM shortlist_changes"
            " WHERE topic_id = t.id ORDER BY id DESC LIMIT 1) = 'from_votes'",
            (round_id,),
        ).fetchall()
        for (topic_id,) in seeded:
            db.execute("UPDATE topics SET on_shortlist = 0 WHERE id = ?", (topic_id,))
            db.execute("INSERT INTO shortlist_changes (topic_id, change, by_facilitator) VALUES (?, 'removed', 1)", (topic_id,))
        db.execute("DELETE FROM shortlist_seeds WHERE round_id = ?", (round_id,))

    def close_if_expired(self, round_id: int) -> bool:
        """Close an open round whose timer ran out, so every screen moves on; True if it did."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE rounds SET state = 'closed' WHERE id = ? AND state = 'open' AND closes_at IS NOT NULL AND closes_at <= ?",
                (round_id, self._now()),
            )
            if cursor.rowcount:
                workshop_id = self._value("SELECT workshop_id FROM rounds WHERE id = ?", (round_id,))
                position = self._value("SELECT position FROM rounds WHERE id = ?", (round_id,))
                self._changed(
                    db,
                    workshop_id,
                    "round_timer_closed",
                    # Translators: the log's line: "open" and "closed" are the round's states, as in "Round 1: open -> closed".
                    N_("Round {position}: timer ran out, open -> closed"),
                    round_id,
                    position=position,
                )
        return bool(cursor.rowcount)

    def progress(self, round_id: int) -> Progress:
        """Who has joined and who has voted in the round's current attempt, overall and per team."""
        current = self.round(round_id)
        rows = self._rows(
            """
            SELECT p.team_id, count(p.id) AS joined, count(b.id) AS voted
            FROM participants p
            LEFT JOIN ballots b ON b.participant_id = p.id AND b.round_id = ? AND b.attempt = ?
            WHERE p.workshop_id = ? AND (p.via_survey = 0 OR b.id IS NOT NULL)  -- a survey's respondents did not join the room
            GROUP BY p.team_id
            """,
            (round_id, current.attempt, current.workshop_id),
        )
        counts = {row["team_id"]: (row["joined"], row["voted"]) for row in rows}
        teams = [TeamProgress(t.id, t.name, *counts.get(t.id, (0, 0))) for t in self.teams(current.workshop_id)]
        if None in counts:
            teams.append(TeamProgress(None, _("No team"), *counts[None]))
        return Progress(sum(t.joined for t in teams), sum(t.voted for t in teams), tuple(teams))


def _round(row: dict) -> Round:
    return Round(
        **{
            **row,
            "perspective": Perspective(row["perspective"]),
            "state": RoundState(row["state"]),
            "show_names": bool(row["show_names"]),
        }
    )
