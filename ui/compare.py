"""The compare page's card views: top cards, heatmap, A/B/C profile, IT versus its users, and a card over time.

Each view asks the store for aggregates of the current filter only when its tab is open, so switching a
filter costs the queries of one view, not of all.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from abc_workshop import compare, compare_charts, i18n
from abc_workshop.dates import label_at_precision
from abc_workshop.domain import SMALL_GROUP, CompareFilter, Perspective
from abc_workshop.i18n import N_, _, ngettext
from abc_workshop.store import Store
from ui.text import plain

GROUPS = {"team": N_("Team"), "workshop": N_("Workshop"), "organisation": N_("Organisation"), "country": N_("Country")}
MAX_GROUPS = 15
HEATMAP_CARDS = 15
TREND_POINTS = 12  # more workshops than this: one point a year reads better than one a workshop
PNG_HINT = N_("Download any chart as a PNG with the camera icon above it (top right).")
MEASURES = {"share": N_("share"), "rank": N_("rank")}  # the trend's "Show" choice
PER = {"workshop": N_("workshop"), "year": N_("year")}  # the trend's "One point per" choice


def show(figure: go.Figure, name: str) -> None:
    """A chart with plotly's own PNG download, at twice the screen's resolution for slides."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}
    st.plotly_chart(figure, theme=None, key=name, config=config)


def group_choice(key: str, options: dict = GROUPS) -> str:
    """What the chart's rows or columns are (`options` marked with N_); the first option is the default."""
    return st.segmented_control(
        _("Compare by"), list(options), default=next(iter(options)), format_func=lambda o: _(options[o]), key=key, required=True
    )


def card_table(store: Store, f: CompareFilter) -> tuple[pd.DataFrame, int, int]:
    """Every card of the selection, ranked by share; with the ballots and ranked ballots behind them."""
    cards, decks = store.card_totals(f)
    return compare.top_cards(cards, decks), int(decks["ballots"].sum()), int(decks["ranked"].sum())


def top_cards_view(store: Store, f: CompareFilter, scope: str) -> None:
    table, ballots, ranked = card_table(store, f)
    rankings = store.published_rankings(f)
    if table.empty and rankings.empty:
        st.info(_("No finished round matches these filters. Widen them, or check the Perspective filter."), icon="🔎")
        return
    shown = st.slider(_("Cards shown"), 5, 30, 10, key="top-n")
    if len(f.perspectives) != 1:
        st.warning(
            _(
                "Several perspectives are counted together, and a participant who voted in two rounds counts twice. "
                "Pick one perspective for a clean comparison."
            ),
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
            _(
                "**Published rankings** give an order and nothing more (a blog post's top 10, a conference slide): each is "
                "drawn as the ranks it published, never as percentages, and is not added to the counted cards above."
            )
            + " "
            + _(PNG_HINT)
        )


def _counted_top(store: Store, table: pd.DataFrame, ballots: int, ranked: int, scope: str, shown: int) -> None:
    if compare.is_small(ballots):
        warning = ngettext(
            "Only {n} participant's ballot: percentages would mislead, so read the counts.",
            "Only {n} participants' ballots: percentages would mislead, so read the counts.",
            ballots,
        )
        st.warning(warning.format(n=i18n.number(ballots)), icon="⚠️")
    top = table[table["rank"] <= shown]
    teams = int(table.drop_duplicates("deck_id")["teams"].sum())
    show(compare_charts.top_cards_figure(top, ballots, scope, ranked=ranked, teams=teams), "top-cards")
    borda = (
        _(
            "**Borda points**: on a ranked ballot a card ranked *r* in a round of *n* picks scores *n* + 1 − *r*; only the "
            "{ranked} of {ballots} ballots that carry ranks score them, so their order (# beside each bar) may differ from "
            "the shares'."
        ).format(ranked=i18n.number(ranked), ballots=i18n.number(ballots))
        if ranked
        else _(
            "**Borda points** are not shown: live rounds record picks without an order, and no imported ballot here "
            "carries ranks."
        )
    )
    top3 = (
        _(
            "**Teams' top 3**: of {teams} team results (a team in a round), how many had the card among their three most "
            "picked, ties included."
        ).format(teams=i18n.number(teams))
        if teams
        else _("**Teams' top 3** is not shown: no result here comes from a team.")
    )
    linked = store.card_correspondences()
    together = (
        ngettext(
            "Cards of other decks count as the default deck's card they correspond to ({n} correspondence; the Decks page "
            "lists them).",
            "Cards of other decks count as the default deck's card they correspond to ({n} correspondences; the Decks page "
            "lists them).",
            len(linked),
        ).format(n=i18n.number(len(linked)))
        if not linked.empty
        else ""
    )
    counted = _(
        "**% of participants**: picks ÷ participants' ballots in rounds with the card's deck ({ballots}). **Picks**: "
        "ballots that include the card."
    ).format(ballots=i18n.number(ballots))
    ties = _("Ties share a rank; with ties at the cut-off, more than {shown} cards show.").format(shown=shown)
    st.caption(" ".join(part for part in (counted, borda, top3, ties, together, _(PNG_HINT)) if part))
    with st.expander(_("The table behind the chart")):
        st.dataframe(_readable(top), hide_index=True, width="stretch")


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    shown = table[["rank", "key", "title", "type", "picks", "ballots", "share", "borda", "top3_teams", "teams"]].copy()
    shown["share"] = (shown["share"] * 100).round(1)
    return shown.rename(
        columns={
            # Translators: column headers of the table behind the top cards chart
            "rank": _("rank"),
            "key": _("card id"),
            "title": _("title"),
            "type": _("type"),
            "picks": _("picks"),
            "ballots": _("ballots"),
            "share": _("% of participants"),
            "borda": _("Borda points"),
            "top3_teams": _("teams with it in top 3"),
            "teams": _("team results"),
        }
    )


def heatmap_and_profile_view(store: Store, f: CompareFilter, scope: str, *, profile: bool) -> None:
    by = group_choice("profile-by" if profile else "heat-by")
    table = card_table(store, f)[0]
    sizes = store.group_sizes(f, by)
    if table.empty or sizes.empty:
        only_ranks = not store.published_rankings(f).empty
        st.info(
            _(
                "Only published rankings match these filters: they hold an order, not picks per group, so there is "
                "nothing to draw here (see Top cards and Trend)."
            )
            if only_ranks
            else _("No finished round matches these filters."),
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
    largest_only = _("The {shown} largest of {groups} groups.").format(shown=MAX_GROUPS, groups=i18n.number(groups))
    small = _("Groups with fewer than {n} participants are marked ⚠ and show counts, not percentages.").format(n=SMALL_GROUP)
    st.caption(" ".join([*([largest_only] if groups > MAX_GROUPS else []), small, _(PNG_HINT)]))


def gap_view(store: Store, f: CompareFilter) -> None:
    cards, sizes = store.perspective_gap(f)
    it = sizes.get(Perspective.USERS_WOULD_PICK.value, {}).get("ballots", 0)
    users = sizes.get(Perspective.USERS_PICK.value, {}).get("ballots", 0)
    gap = compare.perspective_gap(cards, it, users)
    observed = store.observed_card_counts(f.organisations)
    moments = int(observed["linked"].iloc[0]) if not observed.empty else 0
    if gap.table.empty:
        st.info(
            _(
                "No organisation in this selection has both an “Our users would pick this” round and an “As users, we see "
                "this in IT” round. Run both (New round → Perspective) or import them."
            ),
            icon="🔎",
        )
    if observed.empty:
        st.info(
            (
                _("No moment of truth of {organisations} points at a card yet, so there is no third side, “what we observed”.")
                if f.organisations
                else _(
                    "No moment of truth of any organisation points at a card yet, so there is no third side, “what we observed”."
                )
            ).format(organisations=plain(", ".join(f.organisations)))
            + " "
            + _(
                "Scouts record moments on their immersion visits and the business through the feedback channel "
                "(Outside-in programme, from the facilitator's page); moments imported on the Import tab count too."
            ),
            icon="🔭",
        )
        if gap.table.empty:
            return
    sides = compare.three_sides(gap, observed)
    shown = st.slider(_("Cards shown"), 5, 30, 12, key="gap-n")
    show(compare_charts.gap_figure(gap, shown, sides, moments), "users-vs-it")
    organisations = sizes[Perspective.USERS_PICK.value]["organisations"] if not gap.table.empty else 0
    parts = []
    if not gap.table.empty:
        parts.append(
            ngettext(
                "IT's side: rounds with the perspective “Our users would pick this”; the users' side: rounds with “As users, "
                "we see this in IT”, in the {n} organisation of the selection that ran both, so IT is compared with its own "
                "users. The team and perspective filters do not apply here. Rank agreement runs over every card picked on "
                "either side: 1 means the same order, 0 no relation, −1 the reverse.",
                "IT's side: rounds with the perspective “Our users would pick this”; the users' side: rounds with “As users, "
                "we see this in IT”, in the {n} organisations of the selection that ran both, so IT is compared with its own "
                "users. The team and perspective filters do not apply here. Rank agreement runs over every card picked on "
                "either side: 1 means the same order, 0 no relation, −1 the reverse.",
                organisations,
            ).format(n=i18n.number(organisations))
        )
    if moments:
        parts.append(_observed_caption(moments, f.organisations))
    st.caption(" ".join([*parts, _(PNG_HINT)]))
    if not gap.table.empty:
        over, under = st.columns(2)
        for column, rows, heading in ((over, gap.over(), _("IT over-estimated")), (under, gap.under(), _("IT under-estimated"))):
            column.markdown(f"**{heading}**")
            rows = rows.merge(sides[["card_id", "observed_moments", "observed_share"]], on="card_id", how="left")
            column.dataframe(_gap_rows(rows), hide_index=True, width="stretch")
    with st.expander(_("The table behind the chart")):
        st.dataframe(_three_sides_rows(sides, not gap.table.empty), hide_index=True, width="stretch")


def _observed_caption(moments: int, organisations: tuple[str, ...]) -> str:
    if organisations:
        text = ngettext(
            "What we observed: of the {n} moment of truth of {organisations} that point at a card (recorded by scouts and "
            "the feedback channel, internal ones counted but never shown), the share that points at each card; a moment "
            "may point at several cards. Only the organisation filter applies to it.",
            "What we observed: of the {n} moments of truth of {organisations} that point at a card (recorded by scouts and "
            "the feedback channel, internal ones counted but never shown), the share that points at each card; a moment "
            "may point at several cards. Only the organisation filter applies to it.",
            moments,
        )
    else:
        text = ngettext(
            "What we observed: of the {n} moment of truth of any organisation that point at a card (recorded by scouts and "
            "the feedback channel, internal ones counted but never shown), the share that points at each card; a moment "
            "may point at several cards. Only the organisation filter applies to it.",
            "What we observed: of the {n} moments of truth of any organisation that point at a card (recorded by scouts "
            "and the feedback channel, internal ones counted but never shown), the share that points at each card; a "
            "moment may point at several cards. Only the organisation filter applies to it.",
            moments,
        )
    return text.format(n=i18n.number(moments), organisations=plain(", ".join(organisations)))


def _percent(shares: pd.Series) -> pd.Series:
    return shares.fillna(0).map(i18n.percent)


def _gap_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            # Translators: column headers of the tables beside the Users vs IT chart
            _("card"): rows["title"],
            _("IT predicted"): _percent(rows["it_share"]),
            _("users picked"): _percent(rows["users_share"]),
            _("gap (points)"): (rows["difference"] * 100).round(0).astype(int),
            _("we observed"): _percent(rows["observed_share"]),
        }
    )


def _three_sides_rows(sides: pd.DataFrame, both: bool) -> pd.DataFrame:
    table = {_("card"): sides["title"]}
    if both:
        table |= {_("IT predicted"): _percent(sides["it_share"]), _("users picked"): _percent(sides["users_share"])}
    table |= {
        _("moments of truth"): sides["observed_moments"].astype(int),
        _("we observed"): _percent(sides["observed_share"]),
    }
    return pd.DataFrame(table)


def trend_view(store: Store, f: CompareFilter, scope: str = "") -> None:
    sizes = store.group_sizes(f, "organisation")
    rankings = store.published_rankings(f)
    organisations = list(dict.fromkeys([*sizes.groupby("grp", sort=False)["label"].first(), *rankings["organisation"]]))
    if not organisations:
        st.info(_("No finished round matches these filters."), icon="🔎")
        return
    left, middle, right = st.columns([2, 4, 2])
    organisation = left.selectbox(
        _("Organisation"),
        organisations,
        key="trend-org",
        help=_("Its workshops, oldest first; the largest is first in the list"),
    )
    scoped = replace(f, organisations=(organisation,))
    table = card_table(store, scoped)[0]
    published = rankings[rankings["organisation"].str.lower() == organisation.lower()]
    titles = {**dict(zip(published["card_id"], published["title"])), **dict(zip(table["card_id"], table["title"]))}
    first = list(table["card_id"][:3]) or list(published.sort_values("rank")["card_id"].drop_duplicates()[:3])
    cards = middle.multiselect(
        _("Cards"), list(titles), default=first, format_func=titles.__getitem__, max_selections=6, key="trend-cards"
    )
    measures = ["share", "rank"] if not table.empty else ["rank"]
    measure = right.radio(
        # Translators: what the trend chart shows: a card's share, or its rank
        _("Show"),
        measures,
        format_func=lambda m: _(MEASURES[m]),
        horizontal=True,
        key=f"trend-measure-{len(measures)}",
    )
    workshops = int(store.compare_overview(scoped)["workshops"])
    per = right.radio(
        _("One point per"),
        list(PER),
        format_func=lambda p: _(PER[p]),
        index=0 if workshops <= TREND_POINTS else 1,
        horizontal=True,
        key=f"trend-per-{organisation}",
    )
    counted = store.card_trend(scoped, organisation, cards, per)
    points = compare.trend_points(counted, published[published["card_id"].isin(cards)], measure, per)
    if points.empty:
        st.info(_("Pick at least one card (workshops without a date cannot be placed in time)."), icon="👆")
        return
    named = ", ".join(titles[c] for c in cards[:3]) + (" …" if len(cards) > 3 else "")
    title = (
        _("{organisation} over time: the share of participants who picked {cards}")
        if measure == "share"
        else _("{organisation} over time: the rank of {cards}")
    ).format(organisation=organisation, cards=named)
    show(compare_charts.trend_figure(points, titles, title, measure, per, scope), "trend")
    said = " · ".join(_before_after(rows, titles[card_id], measure) for card_id, rows in points.groupby("card_id", sort=False))
    parts = [said + "."]
    if measure != "rank" and not published.empty:
        rankings_left_out = published["round_id"].nunique()
        parts.append(
            ngettext(
                "{n} published ranking of {organisation} carries ranks only: choose *Show: rank* to see it.",
                "{n} published rankings of {organisation} carry ranks only: choose *Show: rank* to see them.",
                rankings_left_out,
            ).format(n=i18n.number(rankings_left_out), organisation=plain(organisation))
        )
    st.caption(" ".join([*parts, _(PNG_HINT)]))


def _before_after(rows: pd.DataFrame, title: str, measure: str) -> str:
    """'Blame culture: 45% (2019) → 12% (Jun 2025)', or its ranks '#3 (2011) → #1 (2012)': the first and last point."""

    def value(row) -> str:
        if measure == "rank":
            # Translators: a card's place in a ranking someone published, e.g. "#3 published"
            return _("#{rank} published").format(rank=int(row.value)) if row.published else f"#{int(row.value)}"
        if compare.is_small(row.ballots):
            return _("{picks} of {ballots}").format(picks=i18n.number(row.picks), ballots=i18n.number(row.ballots))
        return i18n.percent(row.value / 100)

    first, last = rows.iloc[0], rows.iloc[-1]
    if len(rows) == 1:
        # Translators: a card's only point on the trend chart, e.g. "Blame culture: 25% (2012) only"
        return _("{card}: {value} ({when}) only").format(card=plain(title), value=value(first), when=first.tick)
    return _("{card}: {first} ({first_when}) → {last} ({last_when})").format(
        card=plain(title), first=value(first), first_when=first.tick, last=value(last), last_when=last.tick
    )
