"""Comparing what teams did after the vote (the tables of abc_workshop/analysis.py): severity by heading, risk decisions, actions.

Grouped like the card comparisons (team name, workshop, organisation, country, or card) and narrowed by
the same filters: the round gives the workshop, perspective and deck, the topic its team and card. Imported
analyses count their severity scores per heading and score (imported_impact_scores), live ones one row per
participant's score; both are read through _SCORES, so every table here treats them alike.
"""

from __future__ import annotations

import pandas as pd

from ..domain import CompareFilter
from .analytics import DATE_AT_PRECISION, Scope, grouping, read_frame
from .base import StoreBase, settled

TOPIC_COLUMNS = {
    "workshop_id": "r.workshop_id",
    "team_id": "tp.team_id",
    "team_name": "tm.name",
    "perspective": "r.perspective",
    "deck_id": "r.deck_id",
    "organisation": "w.organisation",
    "country": "w.country",
    "card_type": "c.type",
    "card_id": "tp.card_id",
    "settled": settled("tp.import_id"),  # an import's analyses, on its rounds or an earlier import's, carry its id
}
# Every severity score, live (one per participant) and imported (counted), with how many scores a row stands for.
_SCORES = (
    "(SELECT topic_id, heading, score, 1 AS n FROM impact_scores"
    " UNION ALL SELECT topic_id, heading, score, scores FROM imported_impact_scores)"
)
# A topic's round, card, team and workshop, in the names TOPIC_COLUMNS uses.
_TOPICS_OF_ROUNDS = (
    "JOIN rounds r ON r.id = tp.round_id JOIN cards c ON c.id = tp.card_id"
    " JOIN teams tm ON tm.id = tp.team_id JOIN workshops w ON w.id = r.workshop_id"
)
_TOPICS = f"JOIN topics tp ON tp.id = x.topic_id {_TOPICS_OF_ROUNDS}"


class ImpactAnalyticsMixin(StoreBase):
    def _impact(self, f: CompareFilter, by: str, source: str, measures: str, split: str, shortlisted: bool) -> pd.DataFrame:
        key, label, joins = grouping(by, TOPIC_COLUMNS)
        scope = Scope.of(f, TOPIC_COLUMNS, few_workshops=True)  # the topic tables are small: start from the workshops
        on_shortlist = "tp.on_shortlist = 1 AND " if shortlisted else ""
        return read_frame(
            self,
            f"SELECT {key} AS grp, {label} AS label, {split}, {measures} FROM {source} {_TOPICS} {joins}"
            f" WHERE {on_shortlist}{scope.sql} GROUP BY {key}, {split}",
            scope.params,
        )

    def severity_by_heading(self, f: CompareFilter, by: str) -> pd.DataFrame:
        """Mean severity score (1 minor to 5 severe) per group and heading, with how many scores and cards lie behind it."""
        return self._impact(
            f,
            by,
            f"{_SCORES} x",
            "sum(x.score * x.n) * 1.0 / sum(x.n) AS mean_score, sum(x.n) AS scores, count(DISTINCT x.topic_id) AS topics,"
            " sum(CASE WHEN x.score >= 4 THEN x.n ELSE 0 END) AS severe",
            "x.heading",
            shortlisted=True,
        )

    def risk_decisions_by_group(self, f: CompareFilter, by: str) -> pd.DataFrame:
        """How often teams judged their top cards an acceptable business risk, per group."""
        return self._impact(f, by, "risk_decisions x", "count(*) AS topics", "x.decision", shortlisted=True)

    def actions_by_group(self, f: CompareFilter, by: str) -> pd.DataFrame:
        """Actions per group and status, with the open ones past their due date; cards taken off a shortlist
        keep their actions, so those count too."""
        return self._impact(
            f,
            by,
            "actions x",
            "count(*) AS actions, sum(x.status = 'open' AND x.due_on < date('now', 'start of day')) AS overdue",
            "x.status",
            shortlisted=False,
        )

    def analysis_export_size(self, f: CompareFilter) -> int:
        """How many lines analysis_rows would give: a line per heading and severity scored, per decision, per action."""
        scope = Scope.of(f, TOPIC_COLUMNS, few_workshops=True)
        chosen = f"SELECT tp.id FROM topics tp {_TOPICS_OF_ROUNDS} WHERE {scope.sql}"
        return self._value(
            f"""
            WITH chosen AS ({chosen})
            SELECT (SELECT count(*) FROM (
                        SELECT topic_id, heading, score FROM impact_scores WHERE topic_id IN chosen
                        UNION SELECT topic_id, heading, score FROM imported_impact_scores WHERE topic_id IN chosen) AS scores)
                 + (SELECT count(*) FROM risk_decisions WHERE topic_id IN chosen)
                 + (SELECT count(*) FROM actions WHERE topic_id IN chosen)
            """,
            scope.params,
        )

    def analysis_rows(self, f: CompareFilter) -> pd.DataFrame:
        """The selection's teams' analyses in the import format for analyses (docs/import-format.md): a line per severity
        score given (with how many gave it), per risk decision and per action, each naming its workshop, round, team and
        card, so that importing them elsewhere gives the same Impact tables. Callers check analysis_export_size first."""
        sql, params = _analysis_lines(f)
        frame = self._frame(
            f"{sql} ORDER BY _held_on, _workshop, _position, _team, _card, _kind, instr('value outcomes costs risks', heading),"
            " severity, _item",
            params,
        )
        frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_") or c == "topic_id"])
        return frame.astype({"severity": "Int64", "scores": "Int64"})  # empty where a line holds no score, never '3.0'


def _analysis_lines(f: CompareFilter) -> tuple[str, tuple]:
    """The analyses in the selection as import lines, with the columns that order them (named with a leading _)."""
    scope = Scope.of(f, TOPIC_COLUMNS, few_workshops=True)
    chosen = "SELECT topic_id FROM chosen"
    return (
        f"""
        WITH chosen AS (
            SELECT tp.id AS topic_id, w.organisation, w.title AS workshop, {DATE_AT_PRECISION} AS date, w.country,
                   tm.name AS team, r.perspective, r.question, d.name AS deck, c.card_key AS card, c.title AS card_title,
                   CASE tp.on_shortlist WHEN 1 THEN 'yes' ELSE 'no' END AS shortlisted,
                   w.held_on AS _held_on, w.id AS _workshop, r.position AS _position, tm.position AS _team, c.position AS _card
            FROM topics tp {_TOPICS_OF_ROUNDS} JOIN decks d ON d.id = r.deck_id
            WHERE {scope.sql}
        )
        SELECT chosen.*, x.heading, x.severity, x.scores, x.decision, x.reason, x.action, x.owner, x.due, x.status,
               x._kind, x._item
        FROM chosen JOIN (
            SELECT topic_id, heading, score AS severity, sum(n) AS scores, NULL AS decision, NULL AS reason, NULL AS action,
                   NULL AS owner, NULL AS due, NULL AS status, 1 AS _kind, 0 AS _item
            FROM {_SCORES} AS scores WHERE topic_id IN ({chosen}) GROUP BY topic_id, heading, score
            UNION ALL
            SELECT topic_id, NULL, NULL, NULL, decision, reason, NULL, NULL, NULL, NULL, 2, 0
            FROM risk_decisions WHERE topic_id IN ({chosen})
            UNION ALL
            SELECT topic_id, NULL, NULL, NULL, NULL, NULL, what, owner, due_on, status, 3, id
            FROM actions WHERE topic_id IN ({chosen})
        ) x ON x.topic_id = chosen.topic_id
        """,
        scope.params,
    )
