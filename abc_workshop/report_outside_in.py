"""The report's section on the outside-in programme: what scouts and the business saw between workshops.

Built from Store.programme_tables; report.py (HTML and workbook) and report_pdf.py append it. Shared
reports leave out the notes a scout marked internal; the workbook, the lead's own file, keeps them flagged.
"""

from __future__ import annotations

from html import escape

import pandas as pd

TITLE = "Between workshops: what we observed"
# (table, heading in the report, columns shown); None shows every column.
SHOWN = (
    ("Immersion visits", "Immersion visits", ["visit_on", "kind", "person", "team", "place", "activity", "status"]),
    (
        "Moments of truth",
        "Moments of truth",
        ["recorded", "source", "stage", "positive", "what_happened", "customer_words", "effort", "cards"],
    ),
    ("Journey x card", "Customer journey × card", None),
    ("Journey x business unit", "Customer journey × business unit", None),
    ("Moments over time", "Positive and negative moments per month", None),
    (
        "Feedback",
        "Feedback channel: status and response times (hours)",
        ["written", "stage", "owner", "status", "overdue", "hours_to_acknowledge", "hours_to_answer", "hours_to_act"],
    ),
    ("Coverage over time", "Coverage: IT people with an immersion visit per quarter", None),
)


def shared_tables(tables: dict[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    """The tables a shared report shows, with internal notes removed."""
    shown = []
    for name, heading, columns in SHOWN:
        frame = tables.get(name)
        if frame is None:
            continue
        if "internal" in frame:
            frame = frame[~frame["internal"].astype(bool)]
        shown.append((heading, frame if columns is None else frame[[c for c in columns if c in frame]]))
    return shown


def has_programme(tables: dict[str, pd.DataFrame]) -> bool:
    return any(len(frame) for frame in tables.values())


def html_section(tables: dict[str, pd.DataFrame]) -> str:
    if not has_programme(tables):
        return ""
    parts = [f"<h2>{TITLE}</h2>"]
    for heading, frame in shared_tables(tables):
        parts.append(f"<h3>{escape(heading)}</h3>")
        if frame.empty:
            parts.append("<p>None.</p>")
            continue
        head = "".join(f"<th>{escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
        )
        parts.append(f"<table><tr>{head}</tr>{body}</table>")
    return "\n".join(parts)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def pdf_section(tables: dict[str, pd.DataFrame], styles: dict, width: float) -> list:
    """The same section as reportlab flowables; people's text escaped for reportlab's mini-markup."""
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.platypus import Flowable, Paragraph

    from .report_pdf import grid_tables

    if not has_programme(tables):
        return []
    story: list[Flowable] = [Paragraph(TITLE, styles["h2"])]
    for heading, frame in shared_tables(tables):
        story.append(Paragraph(xml_escape(heading), styles["h3"]))
        if frame.empty:
            story.append(Paragraph("None.", styles["body"]))
            continue
        data = [[Paragraph(xml_escape(str(c).replace("_", " ")), styles["th"]) for c in frame.columns]]
        data += [[Paragraph(xml_escape(_cell(v)), styles["cell"]) for v in row] for row in frame.itertuples(index=False)]
        story += grid_tables(data, [width / len(frame.columns)] * len(frame.columns))
    return story
