"""Figures for the compare page, meant for a lead's slides: each says how many participants lie behind it,
flags groups too small for percentages, and escapes people's text (plotly reads tags in labels).

Built with graph_objects, which costs about a millisecond a figure here (plotly.express: about 25).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import i18n
from .analysis import HEADINGS
from .compare import Gap, is_small
from .dates import label_at_precision
from .domain import AGREEMENT, CARD_COLOURS, CARD_TYPES, SMALL_GROUP
from .i18n import _, ngettext, pgettext
from .shown_text import chart_lines, chart_text

AGREEMENT_COLOURS = {"Disagree": "#c92a2a", "Partly": "#adb5bd", "Agree": "#2b8a3e"}
SIDE_COLOURS = {"it": "#1971c2", "users": "#e8590c", "observed": "#2b8a3e"}


def small_note() -> str:
    return _("⚠ fewer than {n} participants: read as counts, not percentages").format(n=SMALL_GROUP)


def agreement_names() -> dict[str, str]:
    """The three groups both answer scales are compared on (domain.AGREEMENT), for a legend."""
    return {
        "Disagree": pgettext("answers grouped", "Disagree"),
        "Partly": pgettext("answers grouped", "Partly"),
        "Agree": pgettext("answers grouped", "Agree"),
    }


def label(text: str, width: int = 34) -> str:
    """People's text for an axis: escaped, wrapped onto lines of about `width` characters."""
    return chart_lines(text, width)


def people(n: int) -> str:
    return ngettext("{n} participant", "{n} participants", n).format(n=i18n.number(n))


def _separators() -> str:
    """Plotly's decimal and thousands separators in the run's language ('.,' in English, ',.' in German)."""
    shown = i18n.number(1234.5, 1)
    return shown[-2] + (shown[1] if not shown[1].isdigit() else "")


def _layout(figure: go.Figure, title: str, subtitle: str, height: int) -> go.Figure:
    """A title and a subtitle (the selection, the people behind it), both wrapped so a long selection stays on the slide."""
    heading, sub = chart_lines(title, 90), chart_lines(subtitle, 140)
    lines = heading.count("<br>") + sub.count("<br>") + 2
    figure.update_layout(
        title=dict(text=f"{heading}<br><sup>{sub}</sup>", x=0.01, xanchor="left"),
        height=height + 18 * (lines - 2),
        margin=dict(l=10, r=30, t=60 + 18 * lines, b=40),
        font_size=13,
        plot_bgcolor="white",
        separators=_separators(),
        legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0, traceorder="normal"),
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def _lines(names: list[str]) -> int:
    return sum(name.count("<br>") + 1 for name in names)


def top_cards_figure(table: pd.DataFrame, ballots: int, scope: str, *, ranked: int = 0, teams: int = 0) -> go.Figure:
    """The top cards side by side under each scoring rule: share, picks, Borda points (only over ranked ballots) and
    teams' top 3 (only when teams are behind the data). Each bar says its card's rank under its own rule, so a panel
    whose order differs from the share's reads as what it is."""
    panels = [_("% of participants who picked it"), _("Picks")]
    columns = [("share", 100), ("picks", 1)]
    if ranked:
        panels.append(
            ngettext("Borda points ({n} ranked ballot)", "Borda points ({n} ranked ballots)", ranked).format(
                n=i18n.number(ranked)
            )
        )
        columns.append(("borda", 1))
    if teams:
        panels.append(_("Teams with it in their top 3 (of {teams})").format(teams=i18n.number(teams)))
        columns.append(("top3_teams", 1))
    figure = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, subplot_titles=panels, horizontal_spacing=0.03)
    rows = table.iloc[::-1]  # plotly draws the first row at the bottom
    names = [label(t, 28) for t in rows["title"]]
    small = is_small(ballots)
    for col, (field, scale) in enumerate(columns, start=1):
        values = rows[field].fillna(0)
        order = values.rank(method="min", ascending=False).astype(int)
        if field == "share":
            text = ["" if small else i18n.percent(v) for v in values]
        else:
            text = [f"{i18n.number(v)} (#{r})" if field != "picks" else i18n.number(v) for v, r in zip(values, order)]
        figure.add_trace(
            go.Bar(
                x=values * scale,
                y=names,
                orientation="h",
                marker_color=[CARD_COLOURS[t] for t in rows["type"]],
                text=text,
                textposition="outside",
                cliponaxis=False,
                showlegend=False,
                hovertemplate="%{y}<br>" + chart_text(panels[col - 1]) + ": %{x}<extra></extra>",
                marker_pattern_shape="/" if small and field == "share" else "",
            ),
            row=1,
            col=col,
        )
    for letter, name in CARD_TYPES.items():  # a legend for the colours
        figure.add_trace(
            go.Bar(x=[None], y=[None], name=f"{letter} · {_(name)}", marker_color=CARD_COLOURS[letter]), row=1, col=1
        )
    figure.update_xaxes(showgrid=True, gridcolor="#eee", zeroline=False, rangemode="tozero")
    figure.update_xaxes(ticksuffix="%", row=1, col=1)
    subtitle = " · ".join([scope, people(ballots), _("ties share a rank"), *([small_note()] if small else [])])
    height = max(380, 22 * _lines(names) + 14 * len(names) + 200)
    title = ngettext("Top cards, by {n} scoring rule", "Top cards, by {n} scoring rules", len(panels)).format(n=len(panels))
    return _layout(figure, title, subtitle, height)


def rankings_figure(rankings: pd.DataFrame, scope: str, shown: int) -> go.Figure:
    """Published rankings as ranks: each ranking's place for each card (1 = first), one marker series per ranking.
    No counts stand behind them, so nothing here is a share or a bar length."""
    kept = rankings[rankings["rank"] <= shown]
    best = kept.groupby("card_id")["rank"].min().sort_values(kind="stable")
    titles = kept.drop_duplicates("card_id").set_index("card_id")["title"]
    names = {card: label(titles[card], 40) for card in best.index}
    figure = go.Figure()
    for round_id, rows in kept.groupby("round_id", sort=False):
        first = rows.iloc[0]
        when = label_at_precision(first["held_on"], first["precision"])
        name = f"{first['workshop']} · {when}" + (f" · {first['team']}" if first["team"] else "")
        figure.add_trace(
            go.Scatter(
                x=rows["rank"],
                y=[names[c] for c in rows["card_id"]],
                mode="markers+text",
                name=label(name, 50),
                text=[f"#{r}" for r in rows["rank"]],
                textposition="middle right",
                marker=dict(size=14),
                hovertemplate="%{y}<br>"
                + _("{ranking}: rank {rank}").format(ranking=chart_text(name), rank="%{x}")
                + "<extra></extra>",
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=list(names.values())[::-1])
    last = int(kept["rank"].max()) if not kept.empty else shown
    figure.update_xaxes(title=_("published rank (1 = first)"), dtick=1, range=[0.5, last + 1.5], gridcolor="#eee")
    lists = kept["round_id"].nunique()
    subtitle = " · ".join(
        [
            scope,
            ngettext("{n} published ranking", "{n} published rankings", lists).format(n=i18n.number(lists)),
            _("ranks only: no counts, so no percentages"),
        ]
    )
    height = max(360, 22 * _lines(list(names.values())) + 14 * len(names) + 220)
    return _layout(figure, _("Published rankings"), subtitle, height)


def heatmap_figure(shares: pd.DataFrame, titles: dict, groups: pd.DataFrame, picks: pd.DataFrame, scope: str) -> go.Figure:
    """Cards (rows) by groups (columns): the share of each group's participants who picked the card.
    Groups under SMALL_GROUP participants show their pick counts on grey instead of a coloured share."""
    sizes = groups.groupby("grp", sort=False).agg(label=("label", "first"), ballots=("ballots", "sum"))
    sizes = sizes.reindex(shares.columns)
    small = [is_small(n) for n in sizes["ballots"]]
    z = shares.copy()
    z.loc[:, small] = float("nan")  # no colour: a share of two people is not a finding
    counts = (
        picks.pivot_table(index="card_id", columns="grp", values="picks", aggfunc="sum")
        .reindex(index=shares.index, columns=shares.columns)
        .fillna(0)
    )
    # numpy arrays: pandas-stubs types a cell read with .iat as every scalar pandas knows, an array's cell as Any
    counted, ballots, cells = counts.to_numpy(), sizes["ballots"].to_numpy(), shares.to_numpy()
    text = [
        [f"{int(counted[i, j])}/{int(ballots[j])}" if small[j] else i18n.percent(cells[i, j]) for j in range(shares.shape[1])]
        for i in range(shares.shape[0])
    ]
    x = [f"{label(l, 16)}<br>n={i18n.number(n)}{' ⚠' if s else ''}" for l, n, s in zip(sizes["label"], sizes["ballots"], small)]
    y = [label(titles[c], 40) for c in shares.index]
    figure = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float) * 100,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            colorbar=dict(title=_("% picked"), ticksuffix="%"),
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(plot_bgcolor="#dee2e6")
    # Translators: {people} is "12 participants"
    behind = ngettext("{people} in {n} group", "{people} in {n} groups", len(sizes))
    parts = [scope, behind.format(people=people(int(sizes["ballots"].sum())), n=i18n.number(len(sizes)))]
    if any(small):
        # Translators: grey cells of a heatmap; {note} is the note about groups too small for percentages
        parts.append(_("grey: {note}").format(note=small_note()))
    return _layout(figure, _("Which cards each group picked"), " · ".join(parts), max(380, 34 * len(shares) + 200))


def profile_figure(profile: pd.DataFrame, groups: pd.DataFrame, scope: str) -> go.Figure:
    """Each group's picks split into Attitude, Behaviour and Culture (100% stacked bars)."""
    sizes = groups.groupby("grp", sort=False).agg(label=("label", "first"), ballots=("ballots", "sum")).reindex(profile.index)
    names = [
        f"{label(l, 24)} (n={i18n.number(n)}{' ⚠' if is_small(n) else ''})" for l, n in zip(sizes["label"], sizes["ballots"])
    ]
    figure = go.Figure()
    for letter, name in CARD_TYPES.items():
        shown = _(name)
        figure.add_trace(
            go.Bar(
                y=names,
                x=profile[letter] * 100,
                orientation="h",
                name=f"{letter} · {shown}",
                marker_color=CARD_COLOURS[letter],
                text=[i18n.percent(v) for v in profile[letter]],
                textposition="inside",
                hovertemplate="%{y}<br>" + shown + ": %{x:.0f}%<extra></extra>",
                marker_pattern_shape=["/" if is_small(n) else "" for n in sizes["ballots"]],
            )
        )
    figure.update_layout(barmode="stack", xaxis=dict(range=[0, 100], ticksuffix="%", title=_("share of the group's picks")))
    figure.update_yaxes(autorange="reversed")
    small = any(is_small(n) for n in sizes["ballots"])
    return _layout(
        figure,
        _("Attitude, behaviour or culture? Each group's picks"),
        scope + (" · " + hatched() if small else ""),
        max(320, 44 * len(profile) + 160),
    )


def hatched() -> str:
    # Translators: hatched bars of a chart; {note} is the note about groups too small for percentages
    return _("hatched: {note}").format(note=small_note())


def gap_figure(gap: Gap, top: int, sides: pd.DataFrame | None = None, moments: int = 0) -> go.Figure:
    """Dumbbells: what IT predicted users would pick against what users picked, for the cards either side rates highest;
    with `sides` (compare.three_sides) a third mark per card, what we observed: the share of the `moments` of truth
    linked to cards that point at it."""
    table = gap.table if sides is None else sides
    shares = [f for f in ("it_share", "users_share", "observed_share") if f in table and (f != "observed_share" or moments)]
    if gap.table.empty:
        shares = [f for f in shares if f == "observed_share"]
    shown = table.assign(most=table[shares].max(axis=1), least=table[shares].min(axis=1)).nlargest(top, "most").iloc[::-1]
    names = [label(t, 40) for t in shown["title"]]
    figure = go.Figure()
    for low, high, name in zip(shown["least"], shown["most"], names):
        figure.add_trace(
            go.Scatter(
                x=[low * 100, high * 100],
                y=[name, name],
                mode="lines",
                line=dict(color="#ced4da", width=4),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    observed = ngettext("We observed ({n} moment of truth)", "We observed ({n} moments of truth)", moments)
    titles = {
        "it_share": ("it", _("IT predicted ({people})").format(people=people(gap.it_ballots)), "circle"),
        "users_share": ("users", _("Users picked ({people})").format(people=people(gap.users_ballots)), "circle"),
        "observed_share": ("observed", observed.format(n=i18n.number(moments)), "diamond"),
    }
    for field in shares:
        side, title, symbol = titles[field]
        figure.add_trace(
            go.Scatter(
                x=shown[field] * 100,
                y=names,
                mode="markers",
                name=title,
                marker=dict(size=13, color=SIDE_COLOURS[side], symbol=symbol),
                hovertemplate="%{y}<br>" + title + ": %{x:.0f}%<extra></extra>",
            )
        )
    axis = (
        _("% of each side's participants who picked the card; observed: % of the moments of truth linked to cards")
        if "observed_share" in shares
        else _("% of each side's participants who picked the card")
    )
    figure.update_xaxes(ticksuffix="%", title=axis, rangemode="tozero", gridcolor="#eee")
    small = is_small(min(gap.it_ballots, gap.users_ballots))
    subtitle = " · ".join([_agreement(gap), *([small_note()] if small else [])])
    if gap.table.empty:
        subtitle = _("No organisation here ran both rounds: only what we observed is drawn")
    title = _("What IT thinks its users would pick, and what they picked")
    if "observed_share" in shares:
        title = _("What IT thinks its users would pick, what they picked, and what we observed")
    return _layout(figure, title, subtitle, max(380, 40 * len(shown) + 170))


def _agreement(gap: Gap) -> str:
    """'rank agreement: Spearman ρ = 0.10, Kendall τ-b = 0.07 over 12 cards'."""
    n, rho, tau = len(gap.table), gap.spearman, gap.kendall
    values = {"n": i18n.number(n), "rho": None if rho is None else i18n.number(rho, 2)}
    values["tau"] = None if tau is None else i18n.number(tau, 2)
    if rho is not None and tau is not None:
        text = ngettext(
            "rank agreement: Spearman ρ = {rho}, Kendall τ-b = {tau} over {n} card",
            "rank agreement: Spearman ρ = {rho}, Kendall τ-b = {tau} over {n} cards",
            n,
        )
    elif rho is not None:
        text = ngettext(
            "rank agreement: Spearman ρ = {rho} over {n} card", "rank agreement: Spearman ρ = {rho} over {n} cards", n
        )
    elif tau is not None:
        text = ngettext(
            "rank agreement: Kendall τ-b = {tau} over {n} card", "rank agreement: Kendall τ-b = {tau} over {n} cards", n
        )
    else:
        text = ngettext("rank agreement: not enough cards over {n} card", "rank agreement: not enough cards over {n} cards", n)
    return text.format(**values)


def trend_figure(points: pd.DataFrame, titles: dict, title: str, measure: str, per: str, scope: str = "") -> go.Figure:
    """A card's share (or rank) at each workshop (or year) of one organisation, oldest first, each point placed and
    labelled at its date's own precision; small groups hollow, published rankings as diamonds."""
    figure = go.Figure()
    for card_id, rows in points.groupby("card_id", sort=False):
        symbols = [
            "diamond" if published else "circle-open" if is_small(n or 0) else "circle"
            for published, n in zip(rows["published"], rows["ballots"])
        ]
        detail = [
            _point(chart_text(str(name)), tick, value, p, n, w, published, measure)
            for name, tick, value, p, n, w, published in zip(
                rows["label"], rows["tick"], rows["value"], rows["picks"], rows["ballots"], rows["workshops"], rows["published"]
            )
        ]
        figure.add_trace(
            go.Scatter(
                x=rows["x"],
                y=rows["value"],
                mode="lines+markers",
                name=label(titles.get(card_id, str(card_id)), 40),
                marker=dict(size=11, symbol=symbols),
                customdata=detail,
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    if measure == "share":
        figure.update_yaxes(ticksuffix="%", rangemode="tozero", title=_("% of participants who picked it"))
    else:
        figure.update_yaxes(autorange="reversed", title=_("rank among all cards (1 = first)"), dtick=1)
    ticks = points.drop_duplicates("x").sort_values("x")
    figure.update_xaxes(
        title=_("year") if per == "year" else _("workshop date (as precise as its source)"),
        gridcolor="#eee",
        type="date",
        tickmode="array",
        tickvals=list(ticks["x"]),
        ticktext=list(ticks["tick"]),
    )
    counted = points[~points["published"]].drop_duplicates("x")
    parts = [scope] if scope else []
    if not counted.empty:
        workshops = int(counted["workshops"].sum())
        # Translators: {people} is "12 participants"
        behind = ngettext("{people} in {n} workshop", "{people} in {n} workshops", workshops)
        parts.append(behind.format(people=people(int(counted["ballots"].sum())), n=i18n.number(workshops)))
    published = len(points[points["published"]].drop_duplicates(["label", "x"]))
    if published:
        rankings = ngettext("{n} published ranking (◆, ranks only)", "{n} published rankings (◆, ranks only)", published)
        parts.append(rankings.format(n=i18n.number(published)))
    if any(is_small(n) for n in counted["ballots"]):
        # Translators: hollow markers of a chart; {note} is the note about groups too small for percentages
        parts.append(_("hollow: {note}").format(note=small_note()))
    return _layout(figure, title, " · ".join(parts), 480)


def _point(name: str, when: str, value, picks, ballots, workshops, published: bool, measure: str) -> str:
    """A trend point's hover text: 'W1 (Mar 1, 2023): 3 of 7 picked it (1 workshop)', or its published rank."""
    if published:
        return _("{name} ({when}): published rank {rank}").format(name=name, when=when, rank=int(value))
    text = ngettext(
        "{name} ({when}): {picks} of {ballots} picked it ({n} workshop)",
        "{name} ({when}): {picks} of {ballots} picked it ({n} workshops)",
        int(workshops),
    ).format(name=name, when=when, picks=i18n.number(picks), ballots=i18n.number(ballots), n=i18n.number(workshops))
    return text + (" · " + _("rank {rank}").format(rank=int(value)) if measure == "rank" else "")


def severity_figure(frame: pd.DataFrame, scope: str) -> go.Figure:
    """Mean severity (1 minor to 5 severe) by group and heading, with the number of scores in each cell."""
    means = frame.pivot_table(index="label", columns="heading", values="mean_score").reindex(columns=list(HEADINGS))
    counts = (
        frame.pivot_table(index="label", columns="heading", values="scores", aggfunc="sum")
        .reindex(index=means.index, columns=list(HEADINGS))
        .fillna(0)
    )
    text = [
        [f"{i18n.number(m, 1)} (n={i18n.number(n)})" if pd.notna(m) else "–" for m, n in zip(mr, nr)]
        for mr, nr in zip(means.to_numpy(), counts.to_numpy())
    ]
    figure = go.Figure(
        go.Heatmap(
            z=means.to_numpy(),
            x=[_(heading) for heading in HEADINGS.values()],
            y=[label(l, 30) for l in means.index],
            text=text,
            texttemplate="%{text}",
            colorscale="OrRd",
            zmin=1,
            zmax=5,
            colorbar=dict(title=_("severity")),
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    scores = int(counts.to_numpy().sum())
    return _layout(
        figure,
        _("How severe teams judged the impact of their top cards"),
        " · ".join([scope, ngettext("{n} score", "{n} scores", scores).format(n=i18n.number(scores))]),
        max(320, 40 * len(means) + 170),
    )


def stacked_counts_figure(
    frame: pd.DataFrame, category: str, value: str, order: dict, colours: dict, title: str, subtitle: str
) -> go.Figure:
    """Counts (`value`) per group split by `category` (risk decisions, action status), largest groups first; `order`
    names each category as its legend says it (in the run's language)."""
    wide = frame.pivot_table(index="label", columns=category, values=value, aggfunc="sum").reindex(columns=list(order)).fillna(0)
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
    figure = go.Figure()
    for kind, name in order.items():
        figure.add_trace(
            go.Bar(
                y=[label(l, 30) for l in wide.index],
                x=wide[kind],
                orientation="h",
                name=name,
                marker_color=colours[kind],
                text=[i18n.number(v) if v else "" for v in wide[kind]],
                textposition="inside",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, title, subtitle, max(300, 40 * len(wide) + 160))


def agreement_figure(table: pd.DataFrame, title: str, subtitle: str) -> go.Figure:
    """100% stacked bars of Disagree / Partly / Agree per row (a group, or a statement), with the answers behind each."""
    names = [
        f"{label(l, 40)} (n={i18n.number(n)}{' ⚠' if is_small(n) else ''})" for l, n in zip(table["label"], table["answers"])
    ]
    figure = go.Figure()
    shown = agreement_names()
    for name in AGREEMENT:
        shares = table[f"{name} share"]
        figure.add_trace(
            go.Bar(
                y=names,
                x=shares * 100,
                orientation="h",
                name=shown[name],
                marker_color=AGREEMENT_COLOURS[name],
                text=["" if is_small(n) else i18n.percent(v) for v, n in zip(shares, table["answers"])],
                textposition="inside",
                customdata=table[name].astype(int),
                hovertemplate="%{y}<br>" + shown[name] + ": %{customdata} (%{x:.0f}%)<extra></extra>",
                marker_pattern_shape=["/" if is_small(n) else "" for n in table["answers"]],
            )
        )
    figure.update_layout(barmode="stack", xaxis=dict(range=[0, 100], ticksuffix="%"))
    figure.update_yaxes(autorange="reversed")
    small = any(is_small(n) for n in table["answers"])
    return _layout(figure, title, subtitle + (" · " + hatched() if small else ""), max(280, 44 * len(table) + 160))
