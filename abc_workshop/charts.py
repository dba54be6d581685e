"""Plotly figures for the facilitator's round results, built with graph_objects (about 30 times cheaper than
plotly.express here). The projector draws its views as HTML instead (projector_html.py), so it fetches no chart library."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .domain import CARD_COLOURS, CARD_TYPES
from .i18n import _, ngettext, percent
from .shown_text import chart_lines, chart_text


def top_cards_bar(top: pd.DataFrame, ballots: int, title: str, *, font_size: int = 18) -> go.Figure:
    """Horizontal bars of the share of participants who picked each card, coloured by A/B/C type."""
    figure = go.Figure()
    ordered = top.iloc[::-1]  # plotly draws the first row at the bottom
    # Translators: a bar's hover text in a round's chart: "7 (70%) of 10" participants picked the card
    of_all = _("{picks} of {participants}").format(picks="%{text}", participants=ballots)
    for letter, name in CARD_TYPES.items():
        rows = ordered[ordered["type"] == letter]
        figure.add_trace(
            go.Bar(
                x=rows["share"] * 100,
                y=[_wrap(t) for t in rows["title"]],
                orientation="h",
                name=f"{letter} · {_(name)}",
                marker_color=CARD_COLOURS[letter],
                text=[f"{p} ({percent(s)})" for p, s in zip(rows["picks"], rows["share"])],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}<br>" + of_all + "<extra></extra>",
            )
        )
    # Translators: a round's chart title: the group ("Everyone" or a team's name) and how many voted in it
    heading = ngettext("{group} — {n} participant", "{group} — {n} participants", ballots).format(
        group=chart_text(title), n=ballots
    )
    figure.update_layout(
        title=dict(text=heading, font_size=font_size + 6),
        font_size=font_size,
        barmode="overlay",
        height=max(320, 70 * len(top) + 140),
        margin=dict(l=10, r=80, t=70, b=10),
        xaxis=dict(
            title=dict(text=_("% of participants who picked the card"), standoff=12),
            range=[0, 115],
            ticksuffix="%",
            automargin=True,
        ),
        yaxis=dict(categoryorder="array", categoryarray=[_wrap(t) for t in ordered["title"]], automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    return figure


def _wrap(text: str, width: int = 38) -> str:
    """Wrap a card title for the axis; plotly reads tags in text, so people's text is escaped."""
    return chart_lines(text, width)
