"""Published rankings on the compare page, and the selection's export in the import format.

A published ranking is an order and nothing more: it is read here as ranks, never as counts or shares.
The export writes every finished round's counts (with their Borda points and ranked ballots) and every
published rank, each workshop's date at its own precision, so that importing it elsewhere gives the same tables.
"""

from __future__ import annotations

import pandas as pd

from ..domain import CompareFilter
from ..i18n import _
from .analytics import CARD_COLUMNS, DATE_AT_PRECISION, Scope
from .analytics_impact import TOPIC_COLUMNS
from .base import StoreBase, settled
from .schema_texts import TITLE, shown

# Published ranks, in the columns a Scope filters on: as a team's analysis of a card, the round gives the workshop,
# perspective and deck, the published rank its team and card.
PUBLISHED_COLUMNS = {**TOPIC_COLUMNS, "team_id": "pr.team_id", "card_id": "pr.card_id", "settled": settled("r.import_id")}
_PUBLISHED = (
    "FROM published_ranks pr JOIN rounds r ON r.id = pr.round_id JOIN workshops w ON w.id = r.workshop_id"
    " JOIN cards c ON c.id = pr.card_id LEFT JOIN teams tm ON tm.id = pr.team_id"
)


class PublishedAnalyticsMixin(StoreBase):
    def published_rankings(self, f: CompareFilter) -> pd.DataFrame:
        """Every published rank in the selection: a row per ranking (round and team) and card, the card counted as the
        default deck's card it corresponds to."""
        scope = Scope.of(f, PUBLISHED_COLUMNS, few_workshops=True)
        return self._frame(
            f"""
            SELECT pr.round_id, r.workshop_id, w.title AS workshop, w.organisation, w.held_on, w.date_precision AS precision,
                   r.perspective, coalesce(tm.name, '') AS team, coalesce(c.same_as, c.id) AS card_id,
                   coalesce(m.card_key, c.card_key) AS key, coalesce({shown("title", "m")}, {TITLE}) AS title,
                   coalesce(m.type, c.type) AS type,
                   pr.rank
            {_PUBLISHED} LEFT JOIN cards m ON m.id = c.same_as
            WHERE {scope.sql} ORDER BY w.held_on, w.id, pr.round_id, pr.rank
            """,
            scope.params,
        )

    def workshop_names(self, ids: tuple[int, ...]) -> dict[int, str]:
        """'W1 (2023-03-01)' for each workshop id, its date as precise as its source."""
        if not ids:
            return {}
        rows = self._rows(
            f"SELECT w.id, w.title, {DATE_AT_PRECISION} AS date FROM workshops w WHERE w.id IN ({','.join('?' * len(ids))})",
            list(ids),
        )
        return {row["id"]: f"{row['title']} ({row['date'] or _('no date')})" for row in rows}

    def export_size(self, f: CompareFilter) -> int:
        scope = self.compare_scope(f, CARD_COLUMNS)
        published = Scope.of(f, PUBLISHED_COLUMNS, few_workshops=True)
        return self._value(f"SELECT count(*) FROM tally_cards t WHERE {scope.sql}", scope.params) + self._value(
            f"SELECT count(*) {_PUBLISHED} WHERE {published.sql}", published.params
        )

    def export_rows(self, f: CompareFilter) -> pd.DataFrame:
        """The selection as one row per round, team and card, in the import format (counts, with a rank where one was
        published), so it imports elsewhere with the same numbers. Callers check export_size first: this returns every row."""
        scope = self.compare_scope(f, CARD_COLUMNS)
        published = Scope.of(f, PUBLISHED_COLUMNS, few_workshops=True)
        frame = self._frame(
            f"""
            SELECT * FROM (
                SELECT w.organisation, w.title AS workshop, {DATE_AT_PRECISION} AS date, w.country,
                       coalesce(t.team_name, '') AS team,
                       t.perspective, r.question, d.name AS deck, c.card_key AS card, c.title AS card_title, c.type,
                       t.picks, tt.participants, r.pick_limit, t.borda AS borda_points, tt.ranked, pr.rank,
                       w.held_on AS _held_on, w.id AS _workshop, r.position AS _position, c.position AS _card
                FROM tally_cards t JOIN workshops w ON w.id = t.workshop_id JOIN rounds r ON r.id = t.round_id
                JOIN cards c ON c.id = t.card_id JOIN decks d ON d.id = t.deck_id
                JOIN tally_teams tt ON tt.round_id = t.round_id AND tt.team_id IS t.team_id
                LEFT JOIN published_ranks pr ON pr.round_id = t.round_id AND pr.team_id IS t.team_id AND pr.card_id = t.card_id
                WHERE {scope.sql}
                UNION ALL
                SELECT w.organisation, w.title, {DATE_AT_PRECISION}, w.country, coalesce(tm.name, ''), r.perspective, r.question,
                       d.name, c.card_key, c.title, c.type, NULL, NULL, r.pick_limit, NULL, NULL, pr.rank,
                       w.held_on, w.id, r.position, c.position
                {_PUBLISHED} JOIN decks d ON d.id = r.deck_id
                WHERE {published.sql} AND NOT EXISTS (
                    SELECT 1 FROM tally_cards x
                    WHERE x.round_id = pr.round_id AND x.team_id IS pr.team_id AND x.card_id = pr.card_id)
            ) AS lines ORDER BY _held_on, _workshop, _position, team, rank IS NULL, rank, picks DESC, _card
            """,
            [*scope.params, *published.params],
        ).drop(columns=["_held_on", "_workshop", "_position", "_card"])
        whole = ["picks", "participants", "pick_limit", "borda_points", "ranked", "rank"]
        return frame.astype({column: "Int64" for column in whole})  # empty where unknown, never '3.0
