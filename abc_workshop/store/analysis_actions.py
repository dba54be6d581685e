"""Actions after a workshop, and holding each other to account for them: an action's status is set from its own
workshop (its team or the facilitator) or reviewed at a later workshop of the same organisation (its facilitator).
The rest of a team's analysis is in analysis.py.
"""

from __future__ import annotations

from ..analysis import ActionStatus
from ..domain import AccessDenied, NotFound, check_text
from ..i18n import N_, _
from ..said import Said
from .analysis import AnalysisMixin, _require_member
from .base import settled
from .schema_texts import TITLE

# The log's line for an action's new status: (without the update's note, with it), each (in its own workshop, in the
# home workshop of an action reviewed at a later one).
_ACTION_LOG = {
    False: (
        # Translators: the log's line; {status} is the action's new status: open, done or dropped.
        N_("Action {action} ({team}) -> {status}"),
        N_("Action {action} ({team}) -> {status} (reviewed at the workshop '{title}')"),
    ),
    True: (
        N_("Action {action} ({team}) -> {status}: {note}"),
        N_("Action {action} ({team}) -> {status}: {note} (reviewed at the workshop '{title}')"),
    ),
}


class ActionsMixin(AnalysisMixin):
    def set_action_status(
        self,
        workshop_id: int,
        action_id: int,
        status: ActionStatus | str,
        note: str | None = None,
        *,
        token: str | None = None,
        key: str | None = None,
    ) -> None:
        """Update an action from its own workshop (its team or the facilitator) or, for the accountability
        review, from a later workshop of the same organisation (its facilitator). The change is logged in the
        action's own workshop too, without quoting the action (the facilitator may hide it)."""
        status = ActionStatus(status)
        note = check_text("reason", note, required=False, label=N_("note"))
        row = self._row(
            "SELECT a.id, a.what, t.team_id, r.workshop_id AS home, tm.name AS team_name FROM actions a"
            " JOIN topics t ON t.id = a.topic_id JOIN rounds r ON r.id = t.round_id JOIN teams tm ON tm.id = t.team_id"
            " WHERE a.id = ?",
            (action_id,),
        )
        if row is None:
            raise NotFound(_("There is no such action."))
        if row["home"] == workshop_id:
            actor = self._actor(workshop_id, token, key)
            _require_member(actor, row["team_id"], row["team_name"])
        elif action_id not in {a["id"] for a in self._review_rows(workshop_id)}:
            raise AccessDenied(_("That action belongs to another organisation's workshop."))
        else:
            self._require_key(workshop_id, key)
            self._require_live(row["home"])
        with self._write() as db:
            db.execute(
                "UPDATE actions SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (status.value, action_id),
            )
            db.execute(
                "INSERT INTO action_updates (action_id, workshop_id, status, note) VALUES (?, ?, ?, ?)",
                (action_id, workshop_id, status.value, note),
            )
            # The action's own words are not quoted (the facilitator may hide them); the update's note is.
            here, at_home = _ACTION_LOG[bool(note)]
            change = {"action": action_id, "team": row["team_name"], "status": status, "note": note}
            self._changed(db, workshop_id, "action_status", Said(here, change))
            if row["home"] != workshop_id:
                title = self._value("SELECT title FROM workshops WHERE id = ?", (workshop_id,))
                self._changed(db, row["home"], "action_status", Said(at_home, {**change, "title": title}))
            self._touch(db, row["home"], row["team_id"])

    def _review_rows(self, workshop_id: int) -> list[dict]:
        """Actions from earlier workshops of the same organisation, the ones to hold each other accountable for."""
        return self._rows(
            f"""
            SELECT {_ACTION_COLUMNS}, w.title AS workshop_title, w.held_on
            FROM actions a JOIN topics t ON t.id = a.topic_id JOIN rounds r ON r.id = t.round_id
            JOIN workshops w ON w.id = r.workshop_id JOIN teams tm ON tm.id = t.team_id JOIN cards c ON c.id = t.card_id
            JOIN workshops here ON here.id = ?
            WHERE w.organisation_id = here.organisation_id AND w.id != here.id AND a.hidden = 0
              AND coalesce(w.held_on, w.created_at) <= coalesce(here.held_on, here.created_at) AND {settled("t.import_id")}
            ORDER BY a.status != 'open', w.held_on, a.id
            """,
            (workshop_id,),
        )

    def actions_to_review(self, workshop_id: int) -> list[dict]:
        return self._review_rows(workshop_id)

    def workshop_actions(self, workshop_id: int) -> list[dict]:
        return self._rows(
            f"SELECT {_ACTION_COLUMNS} FROM actions a JOIN topics t ON t.id = a.topic_id JOIN rounds r ON r.id = t.round_id"
            " JOIN teams tm ON tm.id = t.team_id JOIN cards c ON c.id = t.card_id WHERE r.workshop_id = ? AND a.hidden = 0"
            f" AND {settled('t.import_id')}"
            " ORDER BY tm.position, a.id",
            (workshop_id,),
        )


_ACTION_COLUMNS = (
    f"a.id, a.topic_id, a.what, a.owner, a.due_on, a.status, {TITLE} AS card_title, tm.name AS team_name, t.team_id, t.round_id"
)
