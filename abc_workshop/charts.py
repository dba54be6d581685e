"""Plotly figures for the projector, built with graph_objects (about 30 times cheaper than plotly.express here)."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .analysis import HEADINGS
from .domain import CARD_COLOURS, CARD_TYPES


def top_cards_bar(top: pd.DataFrame, ballots: int, title: str, *, font_size: int = 18) -> go.Figure:
    """Horizontal bars of the share of participants who picked each card, coloured by A/B/C type."""
    figure = go.Figure()
    ordered = top.iloc[::-1]  # plotly draws the first row at the bottom
    for letter, name in CARD_TYPES.items():
        rows = ordered[ordered["type"] == letter]
        figure.add_trace(
            go.Bar(
                x=rows["share"] * 100,
                y=[_wrap(t) for t in rows["title"]],
                orientation="h",
                name=f"{letter} · {name}",
                marker_color=CARD_COLOURS[letter],
                text=[f"{p} ({s:.0%})" for p, s in zip(rows["picks"], rows["share"])],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}<br>%{text} of " + str(ballots) + "<extra></extra>",
            )
        )
    figure.update_layout(
        title=dict(text=f"{html.escape(title)} — {ballots} participant{'s' if ballots != 1 else ''}", font_size=font_size + 6),
        font_size=font_size,
        barmode="overlay",
        height=max(320, 70 * len(top) + 140),
        margin=dict(l=10, r=80, t=70, b=10),
        xaxis=dict(title=dict(text="% of participants who picked the card", standoff=12), range=[0, 115], ticksuffix="%", automargin=True),
        yaxis=dict(categoryorder="array", categoryarray=[_wrap(t) for t in ordered["title"]], automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    return figure


def _wrap(text: str, width: int = 38) -> str:
    """Wrap a card title for the axis; plotly reads tags in text, so people's text is escaped."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or html.escape(text)


WATER = "rgba(30, 110, 190, 0.18)"


def iceberg(rows: list[dict], *, min_share: float = 0.25, hidden_limit: int = 10) -> go.Figure:
    """Above the waterline the cards teams discussed aloud (shortlisted); below it the cards many picked
    in the anonymous ballot that nobody shortlisted. Bar length is the share of voters who picked it."""
    above = [r for r in rows if r["shortlisted_by"]]
    below = [r for r in rows if not r["shortlisted_by"] and r["share"] >= min_share and r["picks"] >= 2][:hidden_limit]
    figure = go.Figure()
    for letter, name in CARD_TYPES.items():
        up = [r for r in above if r["type"] == letter]
        down = [r for r in below if r["type"] == letter]
        figure.add_trace(
            go.Bar(
                x=[_wrap(r["title"], 18) for r in up + down],
                y=[r["share"] * 100 for r in up] + [-r["share"] * 100 for r in down],
                text=[f"{r['share']:.0%}" + (f" · {r['shortlisted_by']} team(s)" if r["shortlisted_by"] else "") for r in up + down],
                textposition="outside",
                name=f"{letter} · {name}",
                marker_color=CARD_COLOURS[letter],
                cliponaxis=False,
            )
        )
    order = [_wrap(r["title"], 18) for r in above + below]
    figure.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=-110, y1=0, fillcolor=WATER, line_width=0, layer="below")
    figure.add_hline(y=0, line_color="#1e6ebe", line_width=3)
    figure.add_annotation(xref="paper", x=0, y=105, text="Discussed aloud (shortlisted)", showarrow=False, xanchor="left", font_size=16)
    figure.add_annotation(xref="paper", x=0, y=-105, text="Below the waterline: many picked it, nobody shortlisted it",
                          showarrow=False, xanchor="left", font_size=16, font_color="#1e6ebe")
    figure.update_layout(
        barmode="relative",
        height=620,
        font_size=14,
        margin=dict(l=80, r=10, t=30, b=10),
        yaxis=dict(range=[-112, 112], title="% of voters who picked it", automargin=True, tickvals=[-100, -50, 0, 50, 100],
                   ticktext=["100%", "50%", "0", "50%", "100%"]),
        xaxis=dict(categoryorder="array", categoryarray=order, tickangle=0, automargin=True),
        legend=dict(orientation="h", y=1.08, x=1, xanchor="right"),
    )
    return figure


def severity_heatmap(rows: list[dict]) -> go.Figure:
    """Median severity (1-5) by heading for each team's shortlisted card; the text shows the range too."""
    labels = [_wrap(f"{r['team']} · {r['card']}", 48) for r in rows]
    figure = go.Figure(
        go.Heatmap(
            z=[[r[h]["median"] for h in HEADINGS] for r in rows],
            x=list(HEADINGS.values()),
            y=labels,
            text=[[r[h]["label"] for h in HEADINGS] for r in rows],
            texttemplate="%{text}",
            zmin=1,
            zmax=5,
            colorscale="OrRd",
            colorbar=dict(title="Severity"),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(260, 48 * len(rows) + 120),
        font_size=14,
        margin=dict(l=10, r=10, t=30, b=10),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(side="top"),
    )
    return figure
