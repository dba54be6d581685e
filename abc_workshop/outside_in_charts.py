"""Figures for the outside-in programme's lead reads (plotly graph_objects, as charts.py explains)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .i18n import _
from .outside_in import STAGES
from .shown_text import chart_lines


def journey_heatmap(table: pd.DataFrame, rows: str) -> go.Figure:
    """Moments of truth per row (a card or a business unit) and stage of the customer journey.

    Row names are people's text or card titles; plotly reads tags in text, so they are escaped. The table's stage
    columns are named in English (Store.programme_tables); the figure names them in the run's language."""
    stages = list(STAGES.values())
    labels = [chart_lines(name, 40) for name in table[rows]]
    counts = table[stages].to_numpy().tolist() if len(table) else []
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=[_(stage) for stage in stages],
            y=labels,
            text=counts,
            texttemplate="%{text}",
            colorscale="OrRd",
            zmin=0,
            # Translators: the colour scale's title on the heatmap of moments of truth per journey stage
            colorbar=dict(title=_("Moments")),
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(240, 44 * len(table) + 120),
        font_size=14,
        margin=dict(l=10, r=10, t=30, b=10),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(side="top"),
    )
    return figure
