"""Round results: how many participants picked each card, overall and per team, with ties kept as ties."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .domain import CARD_TYPES, Card, Team
from .i18n import _

PHONE_TOP = 5  # how many of a group's top cards a participant's phone lists
RESULT_COLUMNS = ["rank", "card_id", "key", "title", "type", "type_name", "picks", "share"]


@dataclass(frozen=True)
class GroupResult:
    """One group's result; `ballots` is the number of participants behind the shares."""

    name: str
    ballots: int
    table: pd.DataFrame

    def top(self, n: int) -> pd.DataFrame:
        """The top n cards by picks; a tie at the cut-off keeps every tied card."""
        return self.table[(self.table["rank"] <= n) & (self.table["picks"] > 0)]


@dataclass(frozen=True)
class RoundResult:
    overall: GroupResult
    teams: tuple[GroupResult, ...]


def tally_round(
    cards: list[Card],
    teams: list[Team],
    counts: list[dict],
    ballots_by_team: dict[int | None, int],
) -> RoundResult:
    """Turn the store's raw counts (picks per card and team) into ranked tables.

    The room's group name and the card types are in the run's language: a result kept for other sessions is kept
    per language (ui/results.py)."""
    picks = pd.DataFrame(counts, columns=["card_id", "team_id", "picks"])
    overall = _group(_("Everyone"), cards, picks, sum(ballots_by_team.values()))
    team_results = [
        _group(team.name, cards, picks[picks["team_id"] == team.id], ballots_by_team.get(team.id, 0)) for team in teams
    ]
    if ballots_by_team.get(None):
        team_results.append(_group(_("No team"), cards, picks[picks["team_id"].isna()], ballots_by_team[None]))
    return RoundResult(overall, tuple(team_results))


def _group(name: str, cards: list[Card], picks: pd.DataFrame, ballots: int) -> GroupResult:
    per_card = picks.groupby("card_id")["picks"].sum()
    table = pd.DataFrame(
        {
            "card_id": [c.id for c in cards],
            "key": [c.key for c in cards],
            "title": [c.title for c in cards],
            "type": [c.type for c in cards],
            "type_name": [_(CARD_TYPES[c.type]) for c in cards],
        }
    )
    table["picks"] = table["card_id"].map(per_card).fillna(0).astype(int)
    table["share"] = table["picks"] / ballots if ballots else 0.0
    table["rank"] = table["picks"].rank(method="min", ascending=False).astype(int)
    table = table.sort_values(["picks", "title"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return GroupResult(name, ballots, table[RESULT_COLUMNS])


def top_picks(picks: dict[int, int], titles: dict[int, str], limit: int = PHONE_TOP) -> list[list[int]]:
    """[[rank, card id, picks], ...]: the `limit` most picked cards, in the order of the result tables
    (most picks first, then by title), ties sharing the better rank."""
    ordered = sorted((card_id for card_id, count in picks.items() if count > 0), key=lambda c: (-picks[c], titles.get(c, "")))
    rows: list[list[int]] = []
    for position, card_id in enumerate(ordered[:limit]):
        tied = rows and rows[-1][2] == picks[card_id]
        rows.append([rows[-1][0] if tied else position + 1, card_id, picks[card_id]])
    return rows
