"""A team's analysis of its top cards: shortlist, impact notes and scores, risk decision, behaviours, actions.

Who may write: a participant only for their own team (and only their own notes); the facilitator,
with the key, for everything, each such change logged. Every write bumps the team's version, which
the team's pages poll, and the workshop's, which the projector polls.
"""

from __future__ import annotations

import datetime

from ..analysis import HEADINGS, WRITING_CAPS, RiskDecision
from ..domain import AccessDenied, InvalidInput, NotFound, Participant, check_text
from ..i18n import N_, _, ngettext
from ..said import Said
from .base import StoreBase, inserted_id
from .schema_texts import TITLE

MAX_SHORTLIST = 10
# What the facilitator may hide: (table, column that hides it, column that names it). A decision's reason is named by
# its card on the shortlist (the topic), as a team has one decision per card.
_HIDEABLE = {
    "note": ("impact_notes", "hidden", "id"),
    "behaviour": ("behaviours", "hidden", "id"),
    "action": ("actions", "hidden", "id"),
    "reason": ("risk_decisions", "reason_hidden", "topic_id"),
}
# The log's line when the facilitator hides or shows an item again, whole, per kind: (hidden, shown again).
_HIDDEN_LOG = {
    "note": (N_("Note {item} hidden by the facilitator"), N_("Note {item} shown again by the facilitator")),
    "behaviour": (N_("Behaviour {item} hidden by the facilitator"), N_("Behaviour {item} shown again by the facilitator")),
    "action": (N_("Action {item} hidden by the facilitator"), N_("Action {item} shown again by the facilitator")),
    "reason": (
        N_("The reason of decision {item} hidden by the facilitator"),
        N_("The reason of decision {item} shown again by the facilitator"),
    ),
}
_WRITTEN = {"note": "impact_notes", "behaviour": "behaviours", "action": "actions"}  # what WRITING_CAPS count
# "There is no such ... in this workshop.", whole, per kind of hideable item.
_NO_SUCH = {
    "note": N_("There is no such note in this workshop."),
    "behaviour": N_("There is no such behaviour in this workshop."),
    "action": N_("There is no such action in this workshop."),
    "reason": N_("There is no such reason in this workshop."),
}


class AnalysisMixin(StoreBase):
    # -- who is asking ---------------------------------------------------------------------------

    def _actor(self, workshop_id: int, token: str | None, key: str | None) -> Participant | None:
        """The participant behind a token, or None for the facilitator (a valid key); refuses anyone else."""
        if key:
            self._require_key(workshop_id, key)
            self._require_live(workshop_id)
            return None
        self._require_live(workshop_id)
        participant = self.participant(workshop_id, token)
        if participant is None:
            raise AccessDenied(_("Join the workshop first: only its participants can write here."))
        return participant

    def _topic(self, workshop_id: int, topic_id: int) -> dict:
        row = self._row(
            "SELECT t.id, t.round_id, t.team_id, t.card_id, t.on_shortlist, r.state, tm.name AS team_name"
            " FROM topics t JOIN rounds r ON r.id = t.round_id JOIN teams tm ON tm.id = t.team_id"
            " WHERE t.id = ? AND r.workshop_id = ?",
            (topic_id, workshop_id),
        )
        if row is None:
            raise NotFound(_("That card is not on any of this workshop's shortlists."))
        return row

    def _team_member_topic(
        self, workshop_id: int, topic_id: int, token: str | None, key: str | None
    ) -> tuple[dict, Participant | None]:
        topic = self._topic(workshop_id, topic_id)
        actor = self._actor(workshop_id, token, key)
        _require_member(actor, topic["team_id"], topic["team_name"])
        return topic, actor

    @staticmethod
    def _touch(db, workshop_id: int, team_id: int) -> None:
        """A team's own work moves its team's version only: 30 teams writing at once must not redraw every
        page that follows the workshop (the facilitator's, the projector's), only the pages showing that team."""
        db.execute("UPDATE teams SET version = version + 1 WHERE id = ? AND workshop_id = ?", (team_id, workshop_id))

    def _within_caps(self, kind: str, topic_id: int, actor: Participant | None) -> None:
        """Refuse one more note, behaviour or action past WRITING_CAPS; inside the write, so parallel writes count.
        The facilitator's own writing is not capped: they moderate."""
        if actor is None:
            return
        table, (each, team) = _WRITTEN[kind], WRITING_CAPS[kind]
        mine = self._value(f"SELECT count(*) FROM {table} WHERE topic_id = ? AND participant_id = ?", (topic_id, actor.id))
        if mine >= each:
            raise InvalidInput(_person_cap(kind, mine))
        shown = self._value(f"SELECT count(*) FROM {table} WHERE topic_id = ? AND hidden = 0", (topic_id,))
        if shown >= team:
            raise InvalidInput(_team_cap(kind, shown))

    def team_version(self, team_id: int) -> int:
        return self._value("SELECT version FROM teams WHERE id = ?", (team_id,)) or 0

    # -- the shortlist -----------------------------------------------------------------------------

    def revealed_rounds(self, workshop_id: int) -> list[int]:
        rows = self._rows("SELECT id FROM rounds WHERE workshop_id = ? AND state = 'revealed' ORDER BY position", (workshop_id,))
        return [row["id"] for row in rows]

    def _seeded(self, round_id: int, team_id: int) -> bool:
        """Whether the team's shortlist was seeded from the votes of the round's current attempt."""
        return bool(
            self._value(
                "SELECT 1 FROM shortlist_seeds s JOIN rounds r ON r.id = s.round_id AND r.attempt = s.attempt"
                " WHERE s.round_id = ? AND s.team_id = ?",
                (round_id, team_id),
            )
        )

    def ensure_shortlist(self, round_id: int, team_id: int) -> None:
        """Seed a team's shortlist from its votes (top 3, ties kept) the first time it is looked at after a reveal of
        the round's current attempt: after a reset, the new votes seed it again (rounds.py, reset_round)."""
        if self._seeded(round_id, team_id):
            return
        with self._write() as db:
            round_row = self._row("SELECT workshop_id, state, attempt, import_id FROM rounds WHERE id = ?", (round_id,))
            if round_row is None or round_row["state"] != "revealed" or round_row["import_id"] is not None:
                return
            if self._seeded(round_id, team_id):
                return  # another session seeded it while we waited for the lock
            db.execute(
                "INSERT INTO shortlist_seeds (round_id, team_id, attempt) VALUES (?, ?, ?)"
                " ON CONFLICT (round_id, team_id) DO UPDATE SET attempt = excluded.attempt, seeded_at = excluded.seeded_at",
                (round_id, team_id, round_row["attempt"]),
            )
            top = self._rows(
                """
                WITH counts AS (
                    SELECT p.card_id, count(*) AS picks FROM picks p JOIN ballots b ON b.id = p.ballot_id
                    WHERE b.round_id = ? AND b.attempt = ? AND b.team_id = ? GROUP BY p.card_id
                )
                SELECT card_id FROM (SELECT card_id, rank() OVER (ORDER BY picks DESC) AS place FROM counts) AS ranked
                WHERE place <= 3 ORDER BY place, card_id
                """,
                (round_id, round_row["attempt"], team_id),
            )
            for row in top:
                topic_id = db.execute(
                    "INSERT INTO topics (round_id, team_id, card_id) VALUES (?, ?, ?)"
                    " ON CONFLICT (round_id, team_id, card_id) DO UPDATE SET on_shortlist = 1 RETURNING id",
                    (round_id, team_id, row["card_id"]),
                ).fetchone()[0]
                db.execute("INSERT INTO shortlist_changes (topic_id, change) VALUES (?, 'from_votes')", (topic_id,))
            if top:
                self._touch(db, round_row["workshop_id"], team_id)

    def add_to_shortlist(
        self, workshop_id: int, round_id: int, team_id: int, card_id: int, *, token: str | None = None, key: str | None = None
    ) -> int:
        actor = self._actor(workshop_id, token, key)
        team = self._row("SELECT name FROM teams WHERE id = ? AND workshop_id = ?", (team_id, workshop_id))
        if team is None:
            raise NotFound(_("There is no such team in this workshop."))
        _require_member(actor, team_id, team["name"])
        round_row = self._row("SELECT deck_id, state FROM rounds WHERE id = ? AND workshop_id = ?", (round_id, workshop_id))
        if round_row is None or round_row["state"] != "revealed":
            raise InvalidInput(_("Shortlists are made from a revealed round."))
        if self._value("SELECT deck_id FROM cards WHERE id = ?", (card_id,)) != round_row["deck_id"]:
            raise InvalidInput(_("That card is not in this round's deck."))
        with self._write() as db:
            size = self._value(
                "SELECT count(*) FROM topics WHERE round_id = ? AND team_id = ? AND on_shortlist = 1", (round_id, team_id)
            )
            existing = self._row(
                "SELECT id, on_shortlist FROM topics WHERE round_id = ? AND team_id = ? AND card_id = ?",
                (round_id, team_id, card_id),
            )
            if existing and existing["on_shortlist"]:
                raise InvalidInput(_("That card is on the shortlist already."))
            if size >= MAX_SHORTLIST:
                raise InvalidInput(_("A shortlist holds at most {most} cards; take one off first.").format(most=MAX_SHORTLIST))
            if existing:
                topic_id = existing["id"]
                db.execute("UPDATE topics SET on_shortlist = 1 WHERE id = ?", (topic_id,))
            else:
                topic_id = db.execute(
                    "INSERT INTO topics (round_id, team_id, card_id) VALUES (?, ?, ?)", (round_id, team_id, card_id)
                ).lastrowid
            self._log_shortlist_change(db, topic_id, "added", actor)
            self._touch(db, workshop_id, team_id)
        return topic_id

    def remove_from_shortlist(self, workshop_id: int, topic_id: int, *, token: str | None = None, key: str | None = None) -> None:
        """Off the shortlist; what the team wrote about the card stays, and comes back if it is added again."""
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, key)
        if not topic["on_shortlist"]:
            raise InvalidInput(_("That card is not on the shortlist."))
        with self._write() as db:
            db.execute("UPDATE topics SET on_shortlist = 0 WHERE id = ?", (topic_id,))
            self._log_shortlist_change(db, topic_id, "removed", actor)
            self._touch(db, workshop_id, topic["team_id"])

    @staticmethod
    def _log_shortlist_change(db, topic_id: int, change: str, actor: Participant | None) -> None:
        db.execute(
            "INSERT INTO shortlist_changes (topic_id, change, participant_id, by_facilitator) VALUES (?, ?, ?, ?)",
            (topic_id, change, actor.id if actor else None, int(actor is None)),
        )

    def shortlist_history(self, workshop_id: int, round_id: int, team_id: int) -> list[dict]:
        return self._rows(
            f"SELECT sc.at, sc.change, {TITLE} AS card,"
            " CASE WHEN sc.by_facilitator = 1 THEN 'Facilitator' WHEN sc.change = 'from_votes' THEN 'Votes'"
            " ELSE coalesce(p.display_name, 'Anonymous #' || p.id) END AS by"
            " FROM shortlist_changes sc JOIN topics t ON t.id = sc.topic_id JOIN cards c ON c.id = t.card_id"
            " JOIN rounds r ON r.id = t.round_id LEFT JOIN participants p ON p.id = sc.participant_id"
            " WHERE r.workshop_id = ? AND t.round_id = ? AND t.team_id = ? ORDER BY sc.id",
            (workshop_id, round_id, team_id),
        )

    # -- notes and scores --------------------------------------------------------------------------

    def add_note(
        self, workshop_id: int, topic_id: int, heading: str, text: str, *, token: str | None = None, key: str | None = None
    ) -> int:
        """Append a note; each note is its own row, so nobody's note overwrites another's."""
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, key)
        _check_heading(heading)
        text = check_text("note", text)
        with self._write() as db:
            self._within_caps("note", topic_id, actor)
            note_id = inserted_id(
                db.execute(
                    "INSERT INTO impact_notes (topic_id, heading, text, participant_id) VALUES (?, ?, ?, ?)",
                    (topic_id, heading, text, actor.id if actor else None),
                )
            )
            self._touch(db, workshop_id, topic["team_id"])
        return note_id

    def edit_note(self, workshop_id: int, note_id: int, text: str, *, token: str | None = None, key: str | None = None) -> None:
        """A participant edits their own notes until the facilitator edited or hid them; the facilitator edits any.
        The log says which note the facilitator edited, never what it said (README.md, "Moderation")."""
        note = self._note(workshop_id, note_id)
        actor = self._actor(workshop_id, token, key)
        if actor is not None and note["participant_id"] != actor.id:
            raise AccessDenied(_("You can edit only your own notes."))
        if actor is not None and note["moderated"]:
            raise AccessDenied(_("The facilitator has edited or hidden this note, so it can no longer be changed by its author."))
        text = check_text("note", text)
        with self._write() as db:
            db.execute(
                "UPDATE impact_notes SET text = ?, moderated = CASE WHEN moderated = 1 THEN 1 ELSE ? END,"
                " edited_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (text, int(actor is None), note_id),
            )
            if actor is None:
                self._changed(
                    db, workshop_id, "note_edited", N_("Note {item} edited by the facilitator"), note["round_id"], item=note_id
                )
            self._touch(db, workshop_id, note["team_id"])

    def set_hidden(self, workshop_id: int, kind: str, item_id: int, hidden: bool, *, key: str) -> None:
        """The facilitator hides (or shows again) a note, a behaviour, an action or a decision's reason (`item_id` is then
        the card's topic). The text is kept for the facilitator; the room, the projector and every report leave it out,
        and the log does not quote it. A note once hidden stays its author's to read, no longer to change."""
        self._require_key(workshop_id, key)
        self._require_live(workshop_id)
        if kind not in _HIDEABLE:
            raise InvalidInput(_("Only notes, behaviours, actions and reasons can be hidden, not a '{kind}'.").format(kind=kind))
        table, column, named_by = _HIDEABLE[kind]
        row = self._row(
            f"SELECT t.team_id, t.round_id FROM {table} x JOIN topics t ON t.id = x.topic_id"
            f" JOIN rounds r ON r.id = t.round_id WHERE x.{named_by} = ? AND r.workshop_id = ?",
            (item_id, workshop_id),
        )
        if row is None:
            raise NotFound(_(_NO_SUCH[kind]))
        with self._write() as db:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {named_by} = ?", (int(hidden), item_id))
            if kind == "note":
                db.execute("UPDATE impact_notes SET moderated = 1 WHERE id = ?", (item_id,))
            self._changed(
                db,
                workshop_id,
                f"{kind}_{'hidden' if hidden else 'shown'}",
                _HIDDEN_LOG[kind][0 if hidden else 1],
                row["round_id"],
                item=item_id,
            )
            self._touch(db, workshop_id, row["team_id"])

    def _note(self, workshop_id: int, note_id: int) -> dict:
        row = self._row(
            "SELECT n.id, n.participant_id, n.moderated, t.team_id, t.round_id FROM impact_notes n"
            " JOIN topics t ON t.id = n.topic_id JOIN rounds r ON r.id = t.round_id WHERE n.id = ? AND r.workshop_id = ?",
            (note_id, workshop_id),
        )
        if row is None:
            raise NotFound(_(_NO_SUCH["note"]))
        return row

    def set_score(self, workshop_id: int, topic_id: int, heading: str, score: int, *, token: str) -> None:
        """Each member scores each heading 1-5; scoring again replaces their own score only."""
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, None)
        assert actor is not None, "without a key, only a member of the team gets here"
        _check_heading(heading)
        if not 1 <= int(score) <= 5:
            raise InvalidInput(_("A severity is scored from 1 (minor) to 5 (severe)."))
        with self._write() as db:
            db.execute(
                "INSERT INTO impact_scores (topic_id, heading, participant_id, score) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (topic_id, heading, participant_id) DO UPDATE SET score = excluded.score,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (topic_id, heading, actor.id, int(score)),
            )
            self._touch(db, workshop_id, topic["team_id"])

    # -- decision, behaviours, actions ----------------------------------------------------------

    def decide_risk(
        self,
        workshop_id: int,
        topic_id: int,
        decision: RiskDecision | str,
        reason: str | None,
        *,
        token: str | None = None,
        key: str | None = None,
    ) -> None:
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, key)
        decision = RiskDecision(decision)
        reason = check_text("reason", reason, required=False)
        with self._write() as db:
            db.execute(
                "INSERT INTO risk_decisions (topic_id, decision, reason, participant_id) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (topic_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,"
                " participant_id = excluded.participant_id, decided_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (topic_id, decision.value, reason, actor.id if actor else None),
            )
            # The reason is not quoted: the facilitator may hide it, and the log goes into every report.
            if actor is None:
                # Translators: the log's line for a team's risk decision taken by the facilitator.
                decided = Said(N_("{team}: {decision} (Facilitator)"), {"team": topic["team_name"], "decision": decision})
            elif actor.display_name:
                decided = Said(
                    N_("{team}: {decision} ({name})"),
                    {"team": topic["team_name"], "decision": decision, "name": actor.display_name},
                )
            else:
                # Translators: the log's line for a team's risk decision taken by a participant who gave no name.
                decided = Said(N_("{team}: {decision} (Anonymous)"), {"team": topic["team_name"], "decision": decision})
            self._changed(db, workshop_id, "risk_decided", decided, topic["round_id"])
            self._touch(db, workshop_id, topic["team_id"])

    def add_behaviour(
        self, workshop_id: int, topic_id: int, statement: str, *, token: str | None = None, key: str | None = None
    ) -> int:
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, key)
        statement = check_text("statement", statement, label=N_("behaviour"))
        with self._write() as db:
            self._within_caps("behaviour", topic_id, actor)
            behaviour_id = inserted_id(
                db.execute(
                    "INSERT INTO behaviours (topic_id, statement, participant_id) VALUES (?, ?, ?)",
                    (topic_id, statement, actor.id if actor else None),
                )
            )
            self._touch(db, workshop_id, topic["team_id"])
        return behaviour_id

    def add_action(
        self,
        workshop_id: int,
        topic_id: int,
        what: str,
        owner: str,
        due_on: datetime.date | None,
        *,
        token: str | None = None,
        key: str | None = None,
    ) -> int:
        topic, actor = self._team_member_topic(workshop_id, topic_id, token, key)
        what = check_text("action", what, label=N_("action"))
        owner = check_text("owner", owner, label=N_("owner"))
        with self._write() as db:
            self._within_caps("action", topic_id, actor)
            action_id = inserted_id(
                db.execute(
                    "INSERT INTO actions (topic_id, what, owner, due_on, participant_id) VALUES (?, ?, ?, ?, ?)",
                    (topic_id, what, owner, due_on.isoformat() if due_on else None, actor.id if actor else None),
                )
            )
            db.execute(
                "INSERT INTO action_updates (action_id, workshop_id, status) VALUES (?, ?, 'open')", (action_id, workshop_id)
            )
            self._touch(db, workshop_id, topic["team_id"])
        return action_id


def _require_member(actor: Participant | None, team_id: int, team_name: str) -> None:
    if actor is not None and actor.team_id != team_id:
        raise AccessDenied(_("Only members of {team} can change {team}'s analysis.").format(team=team_name))


def _check_heading(heading: str) -> None:
    if heading not in HEADINGS:
        raise InvalidInput(_("Unknown heading '{heading}'; use value, outcomes, costs or risks.").format(heading=heading))


def _person_cap(kind: str, n: int) -> str:
    """A person has written as many notes, behaviours or actions on a card as one may (WRITING_CAPS)."""
    if kind == "note":
        sentence = ngettext(
            "You have written {n} note on this card, the most one person may; change one of yours instead.",
            "You have written {n} notes on this card, the most one person may; change one of yours instead.",
            n,
        )
    elif kind == "behaviour":
        sentence = ngettext(
            "You have written {n} behaviour on this card, the most one person may; change one of yours instead.",
            "You have written {n} behaviours on this card, the most one person may; change one of yours instead.",
            n,
        )
    else:
        sentence = ngettext(
            "You have written {n} action on this card, the most one person may; change one of yours instead.",
            "You have written {n} actions on this card, the most one person may; change one of yours instead.",
            n,
        )
    return sentence.format(n=n)


def _team_cap(kind: str, n: int) -> str:
    """A team has as many notes, behaviours or actions shown on a card as one may (WRITING_CAPS)."""
    if kind == "note":
        sentence = ngettext(
            "Your team has written {n} note on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            "Your team has written {n} notes on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            n,
        )
    elif kind == "behaviour":
        sentence = ngettext(
            "Your team has written {n} behaviour on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            "Your team has written {n} behaviours on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            n,
        )
    else:
        sentence = ngettext(
            "Your team has written {n} action on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            "Your team has written {n} actions on this card, the most a team may; ask the facilitator to hide the ones "
            "that are not needed.",
            n,
        )
    return sentence.format(n=n)
