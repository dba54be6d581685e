"""The outside-in programme's feedback channel (anyone in the business writes; IT acknowledges, answers and acts,
each step stamped by the schema) and its coverage of IT people by team and role."""

from __future__ import annotations

import datetime

from ..domain import AccessDenied, InvalidInput, NotFound
from ..i18n import N_, _
from ..keys import new_participant_token
from ..outside_in import CoverageRow, FeedbackItem, FeedbackStatus, clean, period_start
from .outside_in import _MOMENT_COLUMNS, OutsideInMixin, _moment

_FEEDBACK_COLUMNS = (
    "f.id AS feedback_id, f.token AS feedback_token, f.writer_name, f.owner, f.status, f.answer, f.action_taken,"
    " f.decline_reason, f.created_at AS feedback_created_at, f.acknowledged_at, f.answered_at, f.acted_upon_at, f.declined_at"
)


class OutsideInFeedbackMixin(OutsideInMixin):
    # -- the feedback channel ------------------------------------------------------------------------------

    def send_feedback(
        self,
        channel_token: str,
        *,
        stage: str,
        positive: bool,
        what_happened: str,
        customer_words: str | None = None,
        effort: int | None = None,
        business_unit: str | None = None,
        writer_name: str | None = None,
    ) -> str:
        """Anyone with the channel's link tells IT about a moment of truth; returns the writer's own token."""
        org = self.channel(channel_token)
        if org is None:
            raise AccessDenied(_("This feedback link is not valid."))
        # Translators: a field's name (the writer's own name), in "The {name} is 90 characters long; the limit is 80."
        name = clean("writer_name", writer_name, required=False, label=_("name"))
        moment_id = self._insert_moment(
            org.id, None, "feedback", stage, positive, what_happened, customer_words, effort, business_unit, False, (), None, None
        )
        token = new_participant_token()
        with self._write() as db:
            db.execute("INSERT INTO feedback (moment_id, token, writer_name) VALUES (?, ?, ?)", (moment_id, token, name))
        return token

    def feedback_by_token(self, token: str | None) -> FeedbackItem | None:
        items = self._feedback("f.token = ?", ((token or "").strip(),)) if token else []
        return items[0] if items else None

    def feedback_inbox(self, workshop_id: int, key: str) -> list[FeedbackItem]:
        return self._feedback("m.organisation_id = ?", (self.programme(workshop_id, key).id,))

    def _feedback(self, where: str, params) -> list[FeedbackItem]:
        rows = self._rows(
            f"SELECT {_MOMENT_COLUMNS}, {_FEEDBACK_COLUMNS} FROM feedback f JOIN moments m ON m.id = f.moment_id"
            f" WHERE {where} ORDER BY f.created_at DESC, f.id DESC",
            params,
        )
        return [_feedback_item(row) for row in rows]

    def advance_feedback(
        self,
        workshop_id: int,
        key: str,
        feedback_id: int,
        status: FeedbackStatus | str,
        *,
        owner: str | None = None,
        answer: str | None = None,
        action_taken: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Move a feedback item one step on; each step needs what it means (an owner, an answer, what was done, a reason)."""
        status = FeedbackStatus(status)
        org = self.programme(workshop_id, key)
        item = next((i for i in self._feedback("f.id = ?", (feedback_id,))), None)
        if item is None or self._value("SELECT organisation_id FROM moments WHERE id = ?", (item.moment.id,)) != org.id:
            raise NotFound(_("That feedback item is not in this organisation's channel."))
        needs_owner = item.owner is None and status is not FeedbackStatus.DECLINED
        # Translators: a field's name (who in IT answers a feedback item), in "Please fill in the {name}."
        owner = clean("owner", owner, required=needs_owner, label=_("owner")) or item.owner
        fields = {"owner": owner}
        if status is FeedbackStatus.ANSWERED:
            # Translators: a field's name (IT's answer to the writer), in "Please fill in the {name}."
            fields["answer"] = clean("answer", answer, label=_("answer"))
        elif status is FeedbackStatus.ACTED_UPON:
            # Translators: a field's name, in "Please fill in the {name}."
            fields["action_taken"] = clean("action_taken", action_taken, label=_("what was done"))
        elif status is FeedbackStatus.DECLINED:
            # Translators: a field's name, in "Please fill in the {name}."
            fields["decline_reason"] = clean("decline_reason", reason, label=_("reason for declining"))
            fields["owner"] = owner or "IT"
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._write() as db:
            db.execute(
                f"UPDATE feedback SET {assignments}, status = ? WHERE id = ?", (*fields.values(), status.value, feedback_id)
            )
            self._changed(
                db,
                workshop_id,
                "feedback_status",
                # Translators: the log's line; {status} is the feedback's new status: Acknowledged, Answered, Acted upon...
                N_("Feedback #{feedback} -> {status}"),
                feedback=feedback_id,
                status=status,
            )

    # -- coverage ------------------------------------------------------------------------------------------

    def coverage(
        self, workshop_id: int, key: str, by: str = "team", period: str = "quarter", today: datetime.date | None = None
    ) -> list[CoverageRow]:
        """Per IT team (or role): its people, how many had a visit that took place in the period, and the last one."""
        if by not in ("team", "role"):
            raise InvalidInput(_("Coverage is grouped by team or by role."))
        org = self.programme(workshop_id, key)
        today = today or datetime.date.today()
        since = period_start(today, period).isoformat()
        rows = self._rows(
            f"""
            SELECT * FROM (
                SELECT min(p.{by}) AS grp, count(*) AS people, sum(d.last_on > ?) AS visited, max(d.last_on) AS last_visit
                FROM it_people p LEFT JOIN (
                    SELECT lower(person) AS who, max(visit_on) AS last_on FROM visits
                    WHERE organisation_id = ? AND status = 'done' AND kind != 'undercover_customer' AND visit_on <= ?
                    GROUP BY lower(person)
                ) d ON d.who = lower(p.name)
                WHERE p.organisation_id = ? GROUP BY p.{by} COLLATE NOCASE
            ) AS groups ORDER BY visited > 0, grp
            """,
            (since, org.id, today.isoformat(), org.id),
        )
        return [CoverageRow(r["grp"], r["people"], r["visited"] or 0, r["last_visit"]) for r in rows]

    def due_people(self, workshop_id: int, key: str, today: datetime.date | None = None) -> list[dict]:
        """Who in IT has had no visit in the last quarter and has none planned: the on-screen reminder."""
        org = self.programme(workshop_id, key)
        today = today or datetime.date.today()
        return self._rows(
            """
            SELECT * FROM (
            SELECT p.name, p.team, p.role,
                   (SELECT max(visit_on) FROM visits v WHERE v.organisation_id = p.organisation_id AND lower(v.person) = lower(p.name)
                      AND v.status = 'done' AND v.kind != 'undercover_customer' AND v.visit_on <= ?) AS last_visit
            FROM it_people p WHERE p.organisation_id = ?
              AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.organisation_id = p.organisation_id AND lower(v.person) = lower(p.name)
                      AND v.status = 'done' AND v.kind != 'undercover_customer' AND v.visit_on > ? AND v.visit_on <= ?)
              AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.organisation_id = p.organisation_id AND lower(v.person) = lower(p.name)
                      AND v.status = 'planned' AND v.visit_on >= ?)
            ) AS due ORDER BY last_visit IS NOT NULL, last_visit, team, name
            """,
            (today.isoformat(), org.id, period_start(today, "quarter").isoformat(), today.isoformat(), today.isoformat()),
        )


def _feedback_item(row: dict) -> FeedbackItem:
    return FeedbackItem(
        id=row["feedback_id"],
        moment=_moment(row),
        token=row["feedback_token"],
        writer_name=row["writer_name"],
        owner=row["owner"],
        status=FeedbackStatus(row["status"]),
        answer=row["answer"],
        action_taken=row["action_taken"],
        decline_reason=row["decline_reason"],
        created_at=row["feedback_created_at"],
        acknowledged_at=row["acknowledged_at"],
        answered_at=row["answered_at"],
        acted_upon_at=row["acted_upon_at"],
        declined_at=row["declined_at"],
    )
