"""Comparing what teams did after the vote (the tables of abc_workshop/analysis.py): severity by heading, risk decisions, actions.

Grouped like the card comparisons (team name, workshop, organisation, country, or card) and narrowed by
the same filters: the round gives the workshop, perspective and deck, the topic its team and card.
"""

from __future__ import annotations

import pandas as pd

from ..domain import CompareFilter
from .analytics import Scope, grouping, read_frame
from .base import StoreBase

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
}
_TOPICS = (
    "JOIN topics tp ON tp.id = x.topic_id JOIN rounds r ON r.id = tp.round_id JOIN cards c ON c.id = tp.card_id"
    " JOIN teams tm ON tm.id = tp.team_id JOIN workshops w ON w.id = r.workshop_id"
)


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
            "impact_scores x",
            "avg(x.score) AS mean_score, count(*) AS scores, count(DISTINCT x.topic_id) AS topics, sum(x.score >= 4) AS severe",
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
            "count(*) AS actions, sum(x.status = 'open' AND x.due_on < date('now')) AS overdue",
            "x.status",
            shortlisted=False,
        )
