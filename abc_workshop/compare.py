"""Turning the store's aggregates into the comparisons a lead reads: shares, ranks with ties, rank agreement.

Everything here works on a few thousand aggregated rows at most (the SQL did the heavy lifting), and has
no Streamlit in it, so it is tested against hand-computed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .dates import label_at_precision, middle
from .domain import AGREEMENT, SMALL_GROUP
from .tabular import row_tuples


def is_small(participants: int) -> bool:
    """Fewer than SMALL_GROUP participants: one person moves a share by 20 points or more, so say so."""
    return participants < SMALL_GROUP


def ranks(values: pd.Series) -> pd.Series:
    """1 for the largest; ties share the best rank (1, 1, 3), as on the projector."""
    return values.rank(method="min", ascending=False).astype(int)


def top_cards(cards: pd.DataFrame, decks: pd.DataFrame) -> pd.DataFrame:
    """Per card: picks, share of the participants who could pick it (its deck's ballots), Borda points and
    teams with it in their top 3, ranked by share with ties kept."""
    columns = ["rank", "card_id", "key", "title", "type", "deck_id", "picks", "ballots", "share", "borda", "top3_teams", "teams"]
    if cards.empty:
        return pd.DataFrame(columns=columns)
    if "decks" in cards:  # cards of other decks counted together with the default deck's: every such deck's ballots
        ballots = dict(zip(decks["deck_id"], decks["ballots"]))
        teams = dict(zip(decks["deck_id"], decks["teams"]))
        table = cards.assign(
            ballots=[sum(ballots.get(d, 0) for d in ds) for ds in cards["decks"]],
            teams=[sum(teams.get(d, 0) for d in ds) for ds in cards["decks"]],
        )
    else:
        table = cards.merge(decks, on="deck_id", how="left")
    table["share"] = table["picks"] / table["ballots"]
    table["rank"] = ranks(table["share"])
    table = table.sort_values(["share", "picks", "title"], ascending=[False, False, True], kind="stable")
    return table[columns + (["decks"] if "decks" in table else [])].reset_index(drop=True)


def heatmap_table(picks: pd.DataFrame, sizes: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Share of each group's participants who picked each card: cards (in the order given) by groups (largest first).

    `sizes` has a row per group and deck; a card's share in a group counts only the ballots of the decks that hold it
    (its own, and those whose cards correspond to it).
    """
    ballots = sizes.groupby(["grp", "deck_id"])["ballots"].sum()
    decks = dict(zip(cards["card_id"], cards["decks"] if "decks" in cards else [(d,) for d in cards["deck_id"]]))
    merged = picks[picks["card_id"].isin(decks)].copy()
    merged["share"] = [row.picks / sum(ballots.get((row.grp, d), 0) for d in decks[row.card_id]) for row in merged.itertuples()]
    groups = list(dict.fromkeys(sizes["grp"]))
    table = merged.pivot_table(index="card_id", columns="grp", values="share", aggfunc="sum").reindex(
        index=cards["card_id"], columns=groups
    )
    return table.fillna(0.0)


def type_profile(picks: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """Each group's picks split by card type (A, B, C), as shares of the group's picks."""
    merged = picks.merge(cards[["card_id", "type"]], on="card_id")
    counts = merged.pivot_table(index="grp", columns="type", values="picks", aggfunc="sum").reindex(columns=list("ABC")).fillna(0)
    return counts.div(counts.sum(axis=1).where(lambda total: total > 0), axis=0).fillna(0.0)


@dataclass(frozen=True)
class Gap:
    """IT's prediction of its users' picks against the users' own picks."""

    table: pd.DataFrame  # card_id, title, type, it_share, users_share, difference (IT minus users), it_rank, users_rank
    it_ballots: int
    users_ballots: int
    spearman: float | None
    kendall: float | None

    def over(self, n: int = 3) -> pd.DataFrame:
        """Cards IT expected users to pick more than they did."""
        return self.table[self.table["difference"] > 0].nlargest(n, "difference")

    def under(self, n: int = 3) -> pd.DataFrame:
        """Cards users picked more than IT expected."""
        return self.table[self.table["difference"] < 0].nsmallest(n, "difference")


def perspective_gap(cards: pd.DataFrame, it_ballots: int, users_ballots: int) -> Gap:
    """Both sides per card, over every card picked on either side (cards nobody picked carry no information)."""
    if cards.empty or not it_ballots or not users_ballots:
        return Gap(
            pd.DataFrame(columns=["card_id", "title", "type", "it_share", "users_share", "difference"]),
            it_ballots,
            users_ballots,
            None,
            None,
        )
    wide = cards.pivot_table(index=["card_id", "title", "type"], columns="perspective", values="picks", aggfunc="sum").fillna(0)
    wide = wide.reindex(columns=["users_would_pick", "users_pick"], fill_value=0).reset_index()
    wide["it_share"] = wide["users_would_pick"] / it_ballots
    wide["users_share"] = wide["users_pick"] / users_ballots
    wide["difference"] = wide["it_share"] - wide["users_share"]
    wide["it_rank"] = ranks(wide["it_share"])
    wide["users_rank"] = ranks(wide["users_share"])
    table = wide.sort_values(["users_share", "it_share"], ascending=False).reset_index(drop=True)
    table = table[["card_id", "title", "type", "it_share", "users_share", "difference", "it_rank", "users_rank"]]
    return Gap(
        table,
        it_ballots,
        users_ballots,
        spearman(table["it_share"], table["users_share"]),
        kendall_tau_b(table["it_share"], table["users_share"]),
    )


def three_sides(gap: Gap, observed: pd.DataFrame) -> pd.DataFrame:
    """The gap's two sides with a third, what we observed: per card, the moments of truth that point at it
    (`observed` as the store's observed_card_counts gives it) and their share of all card-linked moments. Cards picked
    on neither side but observed join with no share on those sides, and the other way round; most observed first after
    the users' side, as the gap orders its cards."""
    columns = ["card_id", "title", "type", "it_share", "users_share", "observed_moments", "observed_share"]
    sides = gap.table[["card_id", "title", "type", "it_share", "users_share"]]
    seen = observed[["card_id", "title", "type", "moments", "share"]].rename(
        columns={"moments": "observed_moments", "share": "observed_share"}
    )
    if seen.empty:
        return sides.assign(observed_moments=0, observed_share=0.0)[columns]
    if sides.empty:
        return seen.assign(it_share=0.0, users_share=0.0)[columns]
    table = sides.merge(seen, on="card_id", how="outer", suffixes=("", "_seen"))
    table["title"] = table["title"].fillna(table["title_seen"])
    table["type"] = table["type"].fillna(table["type_seen"])
    table = table.fillna({"it_share": 0.0, "users_share": 0.0, "observed_moments": 0, "observed_share": 0.0})
    table["observed_moments"] = table["observed_moments"].astype(int)
    return table.sort_values(["users_share", "it_share", "observed_share"], ascending=False, kind="stable")[columns].reset_index(
        drop=True
    )


def spearman(x: pd.Series, y: pd.Series) -> float | None:
    """Spearman's rho: Pearson correlation of the ranks, ties given their average rank. None when undefined."""
    if len(x) < 3:
        return None
    rx, ry = x.rank(method="average"), y.rank(method="average")
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(rx.corr(ry))


def kendall_tau_b(x: pd.Series, y: pd.Series) -> float | None:
    """Kendall's tau-b, which corrects for ties on either side; pairs are few (cards of one deck), so O(n^2) is fine."""
    values = list(zip(x, y))
    concordant = discordant = ties_x = ties_y = 0
    for i, (xi, yi) in enumerate(values):
        for xj, yj in values[i + 1 :]:
            dx, dy = (xi > xj) - (xi < xj), (yi > yj) - (yi < yj)
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx == dy:
                concordant += 1
            else:
                discordant += 1
    denominator = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denominator if len(values) >= 3 and denominator else None


def agreement(answers: pd.DataFrame) -> pd.DataFrame:
    """Per group: answers in each of Disagree / Partly / Agree, their shares and the number of answers.

    `answers` has grp, label, bucket (1-3) and answers columns; groups come out with the most agreeing first.
    """
    columns = ["grp", "label", *AGREEMENT, "answers", *(f"{name} share" for name in AGREEMENT)]
    if answers.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        answers.pivot_table(index=["grp", "label"], columns="bucket", values="answers", aggfunc="sum")
        .reindex(columns=[1, 2, 3])
        .fillna(0)
    )
    wide.columns = list(AGREEMENT)
    wide = wide.astype(int)
    wide["answers"] = wide.sum(axis=1)
    for name in AGREEMENT:
        wide[f"{name} share"] = wide[name] / wide["answers"]
    return wide.reset_index().sort_values(["Agree share", "answers"], ascending=False)[columns].reset_index(drop=True)


def trend_points(counted: pd.DataFrame, published: pd.DataFrame, measure: str, per: str) -> pd.DataFrame:
    """One row per card and point in time, ready to draw: counted points (share or rank) and, for ranks, the published
    rankings' places too; each placed at its date's own precision (a year mid-year, a month mid-month) and labelled so.

    Published rankings carry no counts, so they never become shares: with measure 'share' they are left out.
    """
    columns = ["card_id", "x", "tick", "label", "value", "picks", "ballots", "workshops", "published"]
    rows = []
    for row in row_tuples(counted):
        precision = "year" if per == "year" else row.precision
        value = row.picks / row.ballots * 100 if measure == "share" else row.rank
        if pd.isna(value):  # a card nobody picked at that point has no rank
            continue
        rows.append(
            (
                row.card_id,
                middle(row.held_on, precision),
                label_at_precision(row.held_on, precision),
                row.label,
                value,
                row.picks,
                row.ballots,
                row.workshops,
                False,
            )
        )
    if measure == "rank":
        for row in row_tuples(published):
            precision = "year" if per == "year" else row.precision
            rows.append(
                (
                    row.card_id,
                    middle(row.held_on, precision),
                    label_at_precision(row.held_on, precision),
                    row.workshop,
                    row.rank,
                    None,
                    None,
                    1,
                    True,
                )
            )
    return pd.DataFrame(rows, columns=columns).sort_values(["card_id", "x"], kind="stable").reset_index(drop=True)
