"""The compare page's card views: top cards, heatmap, A/B/C profile, IT versus its users, and a card over time.

Each view asks the store for aggregates of the current filter only when its tab is open, so switching a
filter costs the queries of one view, not of all.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from abc_workshop import compare, compare_charts
from abc_workshop.dates import label_at_precision
from abc_workshop.domain import SMALL_GROUP, CompareFilter, Perspective
from abc_workshop.store import Store
from ui.text import plain

GROUPS = {"team": "Team", "workshop": "Workshop", "organisation": "Organisation", "country": "Country"}
MAX_GROUPS = 15
HEATMAP_CARDS = 15
TREND_POINTS = 12  # more workshops than this: one point a year reads better than one a workshop
PNG_HINT = "Download any chart as a PNG with the camera icon above it (top right)."


def show(figure: go.Figure, name: str) -> None:
    """A chart with plotly's own PNG download, at twice the screen's resolution for slides."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    st.plotly_chart(figure, theme=None, key=name, config=config)


def group_choice(key: str, options: dict = GROUPS) -> str:
    """What the chart's rows or columns are; the first option is the default."""
    return st.segmented_control(
        "Compare by", list(options), default=next(iter(options)), format_func=options.__getitem__, key=key, required=True
    )


def card_table(store: Store, f: CompareFilter) -> tuple[pd.DataFrame, int, int]:
    """Every card of the selection, ranked by share; with the ballots and ranked ballots behind them."""
    cards, decks = store.card_totals(f)
    return compare.top_cards(cards, decks), int(decks["ballots"].sum()), int(decks["ranked"].sum())


def top_cards_view(store: Store, f: CompareFilter, scope: str) -> None:
    table, ballots, ranked = card_table(store, f)
    rankings = store.published_rankings(f)
    if table.empty and rankings.empty:
        st.info("No finished round matches these filters. Widen them, or check the Perspective filter.", icon="🔎")
        return
    shown = st.slider("Cards shown", 5, 30, 10, key="top-n")
    if len(f.perspectives) != 1:
        st.warning(
            "Several perspectives are counted together, and a participant who voted in two rounds counts twice. "
            "Pick one perspective for a clean comparison.",
            icon="⚠️",
        )
    if not table.empty:
        _counted_top(store, table, ballots, ranked, scope, shown)
    if not rankings.empty:
        show(compare_charts.rankings_figure(rankings, scope, shown), "published-rankings")
        for round_id, rows in list(rankings.groupby("round_id", sort=False))[:MAX_GROUPS]:
            first = rows.iloc[0]
            order = " · ".join(f"{rank} {plain(title)}" for rank, title in zip(rows["rank"], rows["title"]) if rank <= shown)
            when = label_at_precision(first["held_on"], first["precision"])
            st.markdown(f"**{plain(first['workshop'])}** ({when}, {plain(first['organisation'])}): {order}")
        st.caption(
            "**Published rankings** give an order and nothing more (a blog post's top 10, a conference slide): each is drawn as "
            "the ranks it published, never as percentages, and is not added to the counted cards above. " + PNG_HINT
        )


def _counted_top(store: Store, table: pd.DataFrame, ballots: int, ranked: int, scope: str, shown: int) -> None:
    if compare.is_small(ballots):
        st.warning(f"Only {ballots} participants' ballots: percentages would mislead, so read the counts.", icon="⚠️")
    top = table[table["rank"] <= shown]
    teams = int(table.drop_duplicates("deck_id")["teams"].sum())
    show(compare_charts.top_cards_figure(top, ballots, scope, ranked=ranked, teams=teams), "top-cards")
    borda = (
        "**Borda points**: on a ranked ballot a card ranked *r* in a round of *n* picks scores *n* + 1 − *r*; "
        f"only the {ranked:,} "
        f"of {ballots:,} ballots that carry ranks score them, so their order (# beside each bar) may differ from the shares'."
        if ranked
        else "**Borda points** are not shown: live rounds record picks without an order, and no imported ballot here carries ranks."
    )
    top3 = (
        f"**Teams' top 3**: of {teams:,} team results (a team in a round), how many had the card among their three most "
        "picked, ties included."
        if teams
        else "**Teams' top 3** is not shown: no result here comes from a team."
    )
    linked = store.card_correspondences()
    together = (
        f" Cards of other decks count as the default deck's card they correspond to ({len(linked)} correspondences; "
        "the Decks page lists them)."
        if not linked.empty
        else ""
    )
    st.caption(
        f"**% of participants**: picks ÷ participants' ballots in rounds with the card's deck ({ballots:,}). **Picks**: ballots that "
        f"include the card. {borda} {top3} Ties share a rank; with ties at the cut-off, more than {shown} cards show."
        f"{together} {PNG_HINT}"
    )
    with st.expander("The table behind the chart"):
        st.dataframe(_readable(top), hide_index=True, width="stretch")


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    shown = table[["rank", "key", "title", "type", "picks", "ballots", "share", "borda", "top3_teams", "teams"]].copy()
    shown["share"] = (shown["share"] * 100).round(1)
    return shown.rename(
        columns={
            "share": "% of participants",
            "top3_teams": "teams with it in top 3",
            "teams": "team results",
            "borda": "Borda points",
            "key": "card id",
        }
    )


def heatmap_and_profile_view(store: Store, f: CompareFilter, scope: str, *, profile: bool) -> None:
    by = group_choice("profile-by" if profile else "heat-by")
    table, _ballots, _ = card_table(store, f)
    sizes = store.group_sizes(f, by)
    if table.empty or sizes.empty:
        only_ranks = not store.published_rankings(f).empty
        st.info(
            "Only published rankings match these filters: they hold an order, not picks per group, so there is nothing "
            "to draw here (see Top cards and Trend)."
            if only_ranks
            else "No finished round matches these filters.",
            icon="🔎",
        )
        return
    largest = sizes.groupby("grp", sort=False)["ballots"].sum().nlargest(MAX_GROUPS).index.tolist()
    kept = sizes[sizes["grp"].isin(largest)]
    picks = store.cards_by_group(f, by, largest)
    if profile:
        show(
            compare_charts.profile_figure(compare.type_profile(picks, table).reindex(largest), kept, scope),
            f"abc-profile-by-{by}",
        )
    else:
        cards = table[table["rank"] <= HEATMAP_CARDS]
        shares = compare.heatmap_table(picks, kept, cards)
        show(
            compare_charts.heatmap_figure(shares, dict(zip(table["card_id"], table["title"])), kept, picks, scope),
            f"heatmap-by-{by}",
        )
    groups = sizes["grp"].nunique()
    st.caption(
        (f"The {MAX_GROUPS} largest of {groups} groups. " if groups > MAX_GROUPS else "")
        + f"Groups with fewer than {SMALL_GROUP} participants are marked ⚠ and show counts, not percentages. {PNG_HINT}"
    )


def gap_view(store: Store, f: CompareFilter) -> None:
    cards, sizes = store.perspective_gap(f)
    it = sizes.get(Perspective.USERS_WOULD_PICK.value, {}).get("ballots", 0)
    users = sizes.get(Perspective.USERS_PICK.value, {}).get("ballots", 0)
    gap = compare.perspective_gap(cards, it, users)
    observed = store.observed_card_counts(f.organisations)
    moments = int(observed["linked"].iloc[0]) if not observed.empty else 0
    where = ", ".join(f.organisations) or "any organisation"
    if gap.table.empty:
        st.info(
            "No organisation in this selection has both an “Our users would pick this” round and an “As users, we see this in IT” "
            "round. Run both (New round → Perspective) or import them.",
            icon="🔎",
        )
    if observed.empty:
        st.info(
            f"No moment of truth of {plain(where)} points at a card yet, so there is no third side, “what we observed”. "
            "Scouts record moments on their immersion visits and the business through the feedback channel "
            "(Outside-in programme, from the facilitator's page); moments imported on the Import tab count too.",
            icon="🔭",
        )
        if gap.table.empty:
            return
    sides = compare.three_sides(gap, observed)
    shown = st.slider("Cards shown", 5, 30, 12, key="gap-n")
    show(compare_charts.gap_figure(gap, shown, sides, moments), "users-vs-it")
    organisations = sizes[Perspective.USERS_PICK.value]["organisations"] if not gap.table.empty else 0
    both = (
        "IT's side: rounds with the perspective “Our users would pick this”; the users' side: rounds with “As users, we see "
        f"this in IT”, in the {organisations} organisation{'s' if organisations != 1 else ''} of the selection that ran both, "
        "so IT is compared with its own users. The team and perspective filters do not apply here. Rank agreement runs over "
        "every card picked on either side: 1 means the same order, 0 no relation, −1 the reverse. "
        if not gap.table.empty
        else ""
    )
    seen = (
        f"What we observed: of the {moments:,} moment{'s' if moments != 1 else ''} of truth of {plain(where)} that point at "
        "a card (recorded by scouts and the feedback channel, internal ones counted but never shown), the share that points "
        "at each card; a moment may point at several cards. Only the organisation filter applies to it. "
        if moments
        else ""
    )
    st.caption(both + seen + PNG_HINT)
    if not gap.table.empty:
        over, under = st.columns(2)
        for column, rows, heading in ((over, gap.over(), "IT over-estimated"), (under, gap.under(), "IT under-estimated")):
            column.markdown(f"**{heading}**")
            rows = rows.merge(sides[["card_id", "observed_moments", "observed_share"]], on="card_id", how="left")
            column.dataframe(_gap_rows(rows), hide_index=True, width="stretch")
    with st.expander("The table behind the chart"):
        st.dataframe(_three_sides_rows(sides, not gap.table.empty), hide_index=True, width="stretch")


def _percent(shares: pd.Series) -> pd.Series:
    return (shares.fillna(0) * 100).round(0).astype(int).astype(str) + "%"


def _gap_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "card": rows["title"],
            "IT predicted": _percent(rows["it_share"]),
            "users picked": _percent(rows["users_share"]),
            "gap (points)": (rows["difference"] * 100).round(0).astype(int),
            "we observed": _percent(rows["observed_share"]),
        }
    )


def _three_sides_rows(sides: pd.DataFrame, both: bool) -> pd.DataFrame:
    table = {"card": sides["title"]}
    if both:
        table |= {"IT predicted": _percent(sides["it_share"]), "users picked": _percent(sides["users_share"])}
    table |= {"moments of truth": sides["observed_moments"].astype(int), "we observed": _percent(sides["observed_share"])}
    return pd.DataFrame(table)


def trend_view(store: Store, f: CompareFilter, scope: str = "") -> None:
    sizes = store.group_sizes(f, "organisation")
    rankings = store.published_rankings(f)
    organisations = list(dict.fromkeys([*sizes.groupby("grp", sort=False)["label"].first(), *rankings["organisation"]]))
    if not organisations:
        st.info("No finished round matches these filters.", icon="🔎")
        return
    left, middle, right = st.columns([2, 4, 2])
    organisation = left.selectbox(
        "Organisation", organisations, key="trend-org", help="Its workshops, oldest first; the largest is first in the list"
    )
    scoped = replace(f, organisations=(organisation,))
    table, _, _ = card_table(store, scoped)
    published = rankings[rankings["organisation"].str.lower() == organisation.lower()]
    titles = {**dict(zip(published["card_id"], published["title"])), **dict(zip(table["card_id"], table["title"]))}
    first = list(table["card_id"][:3]) or list(published.sort_values("rank")["card_id"].drop_duplicates()[:3])
    cards = middle.multiselect(
        "Cards", list(titles), default=first, format_func=titles.__getitem__, max_selections=6, key="trend-cards"
    )
    measures = ["share", "rank"] if not table.empty else ["rank"]
    measure = right.radio("Show", measures, horizontal=True, key=f"trend-measure-{len(measures)}")
    workshops = int(store.compare_overview(scoped)["workshops"])
    per = right.radio(
        "One point per",
        ["workshop", "year"],
        index=0 if workshops <= TREND_POINTS else 1,
        horizontal=True,
        key=f"trend-per-{organisation}",
    )
    counted = store.card_trend(scoped, organisation, cards, per)
    points = compare.trend_points(counted, published[published["card_id"].isin(cards)], measure, per)
    if points.empty:
        st.info("Pick at least one card (workshops without a date cannot be placed in time).", icon="👆")
        return
    what = "share of participants who picked" if measure == "share" else "rank of"
    title = f"{organisation} over time: the {what} {', '.join(titles[c] for c in cards[:3])}" + (" …" if len(cards) > 3 else "")
    show(compare_charts.trend_figure(points, titles, title, measure, per, scope), "trend")
    left_out = (
        ""
        if measure == "rank" or published.empty
        else (
            f" {published['round_id'].nunique()} published ranking(s) of {plain(organisation)} carry ranks only: "
            "choose *Show: rank* to see them."
        )
    )
    st.caption(
        " · ".join(_before_after(rows, titles[card_id], measure) for card_id, rows in points.groupby("card_id", sort=False))
        + f".{left_out} {PNG_HINT}"
    )


def _before_after(rows: pd.DataFrame, title: str, measure: str) -> str:
    """'Blame culture: 45% (2019) → 12% (Jun 2025)', or its ranks '#3 (2011) → #1 (2012)': the first and last point."""

    def value(row) -> str:
        if measure == "rank":
            return f"#{int(row.value)}" + (" published" if row.published else "")
        return f"{int(row.picks)} of {int(row.ballots)}" if compare.is_small(row.ballots) else f"{row.value:.0f}%"

    first, last = rows.iloc[0], rows.iloc[-1]
    if len(rows) == 1:
        return f"{plain(title)}: {value(first)} ({first.tick}) only"
    return f"{plain(title)}: {value(first)} ({first.tick}) → {value(last)} ({last.tick})"
