"""The report's section on the outside-in programme: what scouts and the business saw between workshops.

Built from Store.programme_tables; report.py (HTML and workbook) and report_pdf.py append it. Shared
reports leave out the notes a scout marked internal; the workbook, the lead's own file, keeps them flagged.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from babel.numbers import format_decimal

from . import i18n
from .i18n import N_, _
from .outside_in import FEEDBACK_STATUSES, STAGES, VISIT_KINDS, VisitStatus

TITLE = N_("Between workshops: what we observed")
# (table, heading in the report, columns shown); None shows every column. Headings are translated where shown.
SHOWN = (
    ("Immersion visits", N_("Immersion visits"), ["visit_on", "kind", "person", "team", "place", "activity", "status"]),
    (
        "Moments of truth",
        N_("Moments of truth"),
        ["recorded", "source", "stage", "positive", "what_happened", "customer_words", "effort", "cards"],
    ),
    ("Journey x card", N_("Customer journey × card"), None),
    ("Journey x business unit", N_("Customer journey × business unit"), None),
    ("Moments over time", N_("Positive and negative moments per month"), None),
    (
        "Feedback",
        N_("Feedback channel: status and response times (hours)"),
        ["written", "stage", "owner", "status", "overdue", "hours_to_acknowledge", "hours_to_answer", "hours_to_act"],
    ),
    ("Coverage over time", N_("Coverage: IT people with an immersion visit per quarter"), None),
)
DAYS = ("visit_on", "recorded", "written")  # ISO dates in the tables, shown in the language's own form


# The tables' columns (English names, as the workbook keeps them) and their headings, translated where shown.
COLUMN_HEADINGS = {
    "visit_on": N_("visit on"),
    "kind": N_("kind"),
    "person": N_("person"),
    "team": N_("team"),
    "role": N_("role"),
    "place": N_("place"),
    "activity": N_("activity"),
    "host": N_("host"),
    "status": N_("status"),
    "summary": N_("summary"),
    "should_change": N_("should change"),
    "recorded": N_("recorded"),
    "source": N_("source"),
    "stage": N_("stage"),
    "positive": N_("positive"),
    "negative": N_("negative"),
    "what_happened": N_("what happened"),
    "customer_words": N_("customer words"),
    "effort": N_("effort"),
    "business_unit": N_("business unit"),
    "internal": N_("internal"),
    "cards": N_("cards"),
    "card": N_("card"),
    "month": N_("month"),
    "written": N_("written"),
    "owner": N_("owner"),
    "overdue": N_("overdue"),
    "answer": N_("answer"),
    "action_taken": N_("action taken"),
    "decline_reason": N_("decline reason"),
    "hours_to_acknowledge": N_("hours to acknowledge"),
    "hours_to_answer": N_("hours to answer"),
    "hours_to_act": N_("hours to act"),
    "hours_to_decline": N_("hours to decline"),
    "quarter": N_("quarter"),
    "people_visited": N_("people visited"),
    "visits": N_("visits"),
    "it_people": N_("IT people"),
}
# Where a moment of truth came from.
SOURCES = {"scout": N_("scout"), "feedback": N_("feedback")}


def column_heading(column: str) -> str:
    """A programme table's column as its heading in the run's language (a stage's column is named by its label)."""
    if column in STAGES.values():
        return _(column)
    heading = COLUMN_HEADINGS.get(column)
    return _(heading) if heading else column.replace("_", " ")


def shown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A programme table as people read it: its words (stages, statuses, kinds of visit, sources) and headings in the
    run's language, ISO dates in the language's form. Numbers and flags keep their types; people's text stays."""
    shown = frame.copy()
    statuses = {**{s.value: s.label for s in VisitStatus}, **{label: _(label) for label in FEEDBACK_STATUSES.values()}}
    words = {
        "stage": {label: _(label) for label in STAGES.values()},
        "status": statuses,
        "kind": {kind: _(label) for kind, label in VISIT_KINDS.items()},
        "source": {source: _(label) for source, label in SOURCES.items()},
    }
    for column, labels in words.items():
        if column in shown:
            shown[column] = shown[column].map(lambda value, labels=labels: labels.get(value, value))
    for column in DAYS:
        if column in shown:
            shown[column] = shown[column].map(lambda value: i18n.day(value) if isinstance(value, str) and value else value)
    if "month" in shown:
        shown["month"] = shown["month"].map(lambda value: i18n.month(f"{value}-01") if isinstance(value, str) else value)
    return shown.rename(columns={column: column_heading(str(column)) for column in shown.columns})


def shared_tables(tables: dict[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    """The tables a shared report shows, with internal notes removed, headed and worded in the run's language."""
    shown = []
    for name, heading, columns in SHOWN:
        frame = tables.get(name)
        if frame is None:
            continue
        if "internal" in frame:
            frame = frame[~frame["internal"].astype(bool)]
        chosen = frame if columns is None else frame[[c for c in columns if c in frame]]
        shown.append((_(heading), shown_frame(chosen)))
    return shown


def has_programme(tables: dict[str, pd.DataFrame]) -> bool:
    return any(len(frame) for frame in tables.values())


def html_section(tables: dict[str, pd.DataFrame]) -> str:
    if not has_programme(tables):
        return ""
    parts = [f"<h2>{escape(_(TITLE))}</h2>"]
    for heading, frame in shared_tables(tables):
        parts.append(f"<h3>{escape(heading)}</h3>")
        if frame.empty:
            parts.append("<p>" + escape(_("None.")) + "</p>")
            continue
        head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_cell(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
        )
        parts.append(f"<table><tr>{head}</tr>{body}</table>")
    return "\n".join(parts)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return i18n.number(value)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.##", locale=i18n.locale())
    return str(value)


def pdf_section(tables: dict[str, pd.DataFrame], styles: dict, width: float) -> list:
    """The same section as reportlab flowables; people's text escaped for reportlab's mini-markup."""
    from xml.sax.saxutils import escape as xml_escape

    from reportlab.platypus import Flowable, Paragraph

    from .report_pdf import grid_tables

    if not has_programme(tables):
        return []
    story: list[Flowable] = [Paragraph(xml_escape(_(TITLE)), styles["h2"])]
    for heading, frame in shared_tables(tables):
        story.append(Paragraph(xml_escape(heading), styles["h3"]))
        if frame.empty:
            story.append(Paragraph(xml_escape(_("None.")), styles["body"]))
            continue
        data = [[Paragraph(xml_escape(str(c)), styles["th"]) for c in frame.columns]]
        data += [[Paragraph(xml_escape(_cell(v)), styles["cell"]) for v in row] for row in frame.itertuples(index=False)]
        story += grid_tables(data, [width / len(frame.columns)] * len(frame.columns))
    return story
