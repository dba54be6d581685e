"""The report's section on the outside-in programme: what scouts and the business saw between workshops.

Built from Store.programme_tables; report.py (HTML and workbook) and report_pdf.py append it. Shared
reports leave out the notes a scout marked internal; the workbook, the lead's own file, keeps them flagged.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from babel.numbers import format_decimal

from . import i18n
from .i18n import N_, _, pgettext
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


def column_heading(column: str) -> str:
    """A programme table's column (English, as the workbook keeps it) as its heading in the run's language."""
    if column in STAGES.values():
        return _(column)
    headings = {
        "visit_on": pgettext("programme table", "visit on"),
        "kind": pgettext("programme table", "kind"),
        "person": pgettext("programme table", "person"),
        "team": pgettext("programme table", "team"),
        "role": pgettext("programme table", "role"),
        "place": pgettext("programme table", "place"),
        "activity": pgettext("programme table", "activity"),
        "host": pgettext("programme table", "host"),
        "status": pgettext("programme table", "status"),
        "summary": pgettext("programme table", "summary"),
        "should_change": pgettext("programme table", "should change"),
        "recorded": pgettext("programme table", "recorded"),
        "source": pgettext("programme table", "source"),
        "stage": pgettext("programme table", "stage"),
        "positive": pgettext("programme table", "positive"),
        "negative": pgettext("programme table", "negative"),
        "what_happened": pgettext("programme table", "what happened"),
        "customer_words": pgettext("programme table", "customer words"),
        "effort": pgettext("programme table", "effort"),
        "business_unit": pgettext("programme table", "business unit"),
        "internal": pgettext("programme table", "internal"),
        "cards": pgettext("programme table", "cards"),
        "card": pgettext("programme table", "card"),
        "month": pgettext("programme table", "month"),
        "written": pgettext("programme table", "written"),
        "owner": pgettext("programme table", "owner"),
        "overdue": pgettext("programme table", "overdue"),
        "answer": pgettext("programme table", "answer"),
        "action_taken": pgettext("programme table", "action taken"),
        "decline_reason": pgettext("programme table", "decline reason"),
        "hours_to_acknowledge": pgettext("programme table", "hours to acknowledge"),
        "hours_to_answer": pgettext("programme table", "hours to answer"),
        "hours_to_act": pgettext("programme table", "hours to act"),
        "hours_to_decline": pgettext("programme table", "hours to decline"),
        "quarter": pgettext("programme table", "quarter"),
        "people_visited": pgettext("programme table", "people visited"),
        "visits": pgettext("programme table", "visits"),
        "it_people": pgettext("programme table", "IT people"),
    }
    return headings.get(column, column.replace("_", " "))


def _sources() -> dict[str, str]:
    return {"scout": pgettext("moment source", "scout"), "feedback": pgettext("moment source", "feedback")}


def shown_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A programme table as people read it: its words (stages, statuses, kinds of visit, sources) and headings in the
    run's language, ISO dates in the language's form. Numbers and flags keep their types; people's text stays."""
    shown = frame.copy()
    statuses = {**{s.value: s.label for s in VisitStatus}, **{label: _(label) for label in FEEDBACK_STATUSES.values()}}
    words = {
        "stage": {label: _(label) for label in STAGES.values()},
        "status": statuses,
        "kind": {kind: _(label) for kind, label in VISIT_KINDS.items()},
        "source": _sources(),
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
            parts.append(f"<p>{escape(_('None.'))}</p>")
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
