"""Reading a team's analysis back: topics with notes, severities, decision, behaviours and actions."""

from __future__ import annotations

from ..analysis import HEADINGS, Action, ActionStatus, Behaviour, Note, RiskDecision, Severity, Topic
from ..i18n import _
from .base import StoreBase
from .schema_texts import TITLE


class AnalysisReadsMixin(StoreBase):
    def team_topics(
        self,
        round_id: int,
        team_id: int,
        *,
        viewer_id: int | None = None,
        include_removed: bool = False,
        include_hidden: bool = False,
    ) -> list[Topic]:
        """A team's shortlist for a round, most-picked first, with everything recorded about each card. What the
        facilitator hid comes only with `include_hidden` (the facilitator's own view), marked as hidden."""
        shortlisted = "" if include_removed else " AND t.on_shortlist = 1"
        return self._topics(f"t.round_id = ? AND t.team_id = ?{shortlisted}", (round_id, team_id), viewer_id, include_hidden)

    def round_topics(self, round_id: int) -> list[Topic]:
        """Every team's shortlist for a round, for the projector and the reports: nothing the facilitator hid."""
        return self._topics("t.round_id = ? AND t.on_shortlist = 1", (round_id,), None, False)

    def _topics(self, where: str, params: tuple, viewer_id: int | None, include_hidden: bool) -> list[Topic]:
        rows = self._rows(
            f"""
            SELECT t.id, t.round_id, t.team_id, tm.name AS team_name, t.card_id, c.card_key, {TITLE} AS card_title,
                   c.type AS card_type, t.on_shortlist,
                   (SELECT count(*) FROM picks p JOIN ballots b ON b.id = p.ballot_id JOIN rounds r ON r.id = b.round_id
                     WHERE b.round_id = t.round_id AND b.attempt = r.attempt AND b.team_id = t.team_id AND p.card_id = t.card_id) AS picks
            FROM topics t JOIN teams tm ON tm.id = t.team_id JOIN cards c ON c.id = t.card_id
            WHERE {where} ORDER BY tm.position, picks DESC, card_title
            """,
            params,
        )
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = ",".join("?" * len(ids))
        shown = "" if include_hidden else " AND hidden = 0"
        # Who wrote a note or behaviour without a name of their own, in the run's language.
        nameless = [_("Facilitator"), _("Anonymous")]
        notes = self._rows(
            f"SELECT n.id, n.topic_id, n.heading, n.text, n.participant_id, n.hidden, n.edited_at, n.moderated,"
            f" coalesce(p.display_name, CASE WHEN n.participant_id IS NULL THEN ? ELSE ? END) AS author"
            f" FROM impact_notes n LEFT JOIN participants p ON p.id = n.participant_id WHERE n.topic_id IN ({marks}){shown}"
            " ORDER BY n.id",
            [*nameless, *ids],
        )
        scores = self._rows(
            f"SELECT topic_id, heading, participant_id, score FROM impact_scores WHERE topic_id IN ({marks})", ids
        )
        decisions = {
            row["topic_id"]: row
            for row in self._rows(
                f"SELECT topic_id, decision, CASE WHEN reason_hidden = 1 AND ? = 0 THEN NULL ELSE reason END AS reason, reason_hidden"
                f" FROM risk_decisions WHERE topic_id IN ({marks})",
                [include_hidden, *ids],
            )
        }
        behaviours = self._rows(
            f"SELECT b.id, b.topic_id, b.statement, b.hidden, coalesce(p.display_name,"
            f" CASE WHEN b.participant_id IS NULL THEN ? ELSE ? END) AS author"
            f" FROM behaviours b LEFT JOIN participants p ON p.id = b.participant_id WHERE b.topic_id IN ({marks}){shown}"
            " ORDER BY b.id",
            [*nameless, *ids],
        )
        actions = self._rows(
            f"SELECT a.id, a.topic_id, a.what, a.owner, a.due_on, a.status, a.hidden FROM actions a"
            f" WHERE a.topic_id IN ({marks}){shown} ORDER BY a.id",
            ids,
        )
        return [_topic(row, notes, scores, decisions, behaviours, actions, viewer_id) for row in rows]

    def iceberg(self, round_id: int) -> list[dict]:
        """Every picked card of the round with its share of all voters and how many teams shortlisted it."""
        return self._rows(
            f"""
            WITH voters AS (
                SELECT count(*) AS n FROM ballots b JOIN rounds r ON r.id = b.round_id WHERE b.round_id = ? AND b.attempt = r.attempt
            ), counts AS (
                SELECT p.card_id, count(*) AS picks FROM picks p JOIN ballots b ON b.id = p.ballot_id JOIN rounds r ON r.id = b.round_id
                WHERE b.round_id = ? AND b.attempt = r.attempt GROUP BY p.card_id
            )
            SELECT * FROM (
                SELECT c.id AS card_id, {TITLE} AS title, c.type, coalesce(k.picks, 0) AS picks,
                       CASE WHEN v.n > 0 THEN coalesce(k.picks, 0) * 1.0 / v.n ELSE 0 END AS share,
                       (SELECT count(*) FROM topics t WHERE t.round_id = ? AND t.card_id = c.id AND t.on_shortlist = 1)
                       AS shortlisted_by
                FROM cards c JOIN rounds r ON r.deck_id = c.deck_id AND r.id = ?
                CROSS JOIN voters v LEFT JOIN counts k ON k.card_id = c.id
            ) AS iceberg WHERE picks > 0 OR shortlisted_by > 0
            ORDER BY share DESC, title
            """,
            (round_id, round_id, round_id, round_id),
        )


def _topic(row, notes, scores, decisions, behaviours, actions, viewer_id) -> Topic:
    topic_id = row["id"]
    by_heading = {
        heading: Severity(tuple(sorted(s["score"] for s in scores if s["topic_id"] == topic_id and s["heading"] == heading)))
        for heading in HEADINGS
    }
    mine = {
        s["heading"]: s["score"]
        for s in scores
        if s["topic_id"] == topic_id and viewer_id is not None and s["participant_id"] == viewer_id
    }
    decision = decisions.get(topic_id)
    return Topic(
        id=topic_id,
        round_id=row["round_id"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        card_id=row["card_id"],
        card_key=row["card_key"],
        card_title=row["card_title"],
        card_type=row["card_type"],
        picks=row["picks"],
        on_shortlist=bool(row["on_shortlist"]),
        notes=tuple(
            Note(
                n["id"],
                n["heading"],
                n["text"],
                n["participant_id"],
                n["author"],
                bool(n["hidden"]),
                n["edited_at"] is not None,
                bool(n["moderated"]),
            )
            for n in notes
            if n["topic_id"] == topic_id
        ),
        severities=by_heading,
        my_scores=mine,
        decision=RiskDecision(decision["decision"]) if decision else None,
        decision_reason=decision["reason"] if decision else None,
        reason_hidden=bool(decision["reason_hidden"]) if decision else False,
        behaviours=tuple(
            Behaviour(b["id"], b["statement"], b["author"], bool(b["hidden"])) for b in behaviours if b["topic_id"] == topic_id
        ),
        actions=tuple(
            Action(
                a["id"],
                topic_id,
                a["what"],
                a["owner"],
                a["due_on"],
                ActionStatus(a["status"]),
                row["card_title"],
                row["team_name"],
                hidden=bool(a["hidden"]),
            )
            for a in actions
            if a["topic_id"] == topic_id
        ),
    )
