"""The workshop report as a PDF: the same content and order as report.html, without a print step.

Built with reportlab's platypus from the records report.gather collected. People's text goes through
`escape` because reportlab's Paragraph reads its own mini-markup: a note "<b>x</b>" must print as typed.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import report_outside_in
from .analysis import HEADINGS, Topic
from .domain import CARD_COLOURS, Round
from .i18n import _
from .report import (
    ACTION_COLUMNS,
    LOG_COLUMNS,
    REVIEW_COLUMNS,
    SMALL_TEAM,
    TOP_OVERALL,
    TOP_TEAM,
    WorkshopReport,
    action_text,
    bar_label,
    card_line,
    cell_text,
    decision_text,
    impact_headers,
    meta_line,
    round_line,
    round_title,
    team_voted,
)
from .tabular import row_tuples
from .tallies import RoundResult

GREY, LINE = colors.HexColor("#666666"), colors.HexColor("#dddddd")
MARGIN = 1.5 * cm
PAGE_WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH, BAR_WIDTH, BAR_TEXT = 75 * mm, 100 * mm, 70  # BAR_TEXT: points kept right of a full bar for its label
# Relative column widths: each table shares the page width out among its own columns.
WEIGHTS = {
    "team_name": 14,
    "card_title": 18,
    "workshop_title": 18,
    "what": 30,
    "owner": 14,
    "due_on": 13,
    "status": 11,
    "at": 27,
    "kind": 19,
    "detail": 54,
}
GRID_BODY = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
GRID = TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f3f3"))], parent=GRID_BODY)  # with a header row


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    """Vera ships inside reportlab and is embedded, so “quotes”, dashes and accents print as typed (Dutch and
    German too: ä ö ü ß é ë, tests/core/test_report_pdf.py); a character it lacks (emoji, CJK) prints as an empty box
    rather than failing the report."""
    fonts = Path(reportlab.__file__).parent / "fonts"
    files = {"Vera": "Vera.ttf", "Vera-Bold": "VeraBd.ttf", "Vera-Italic": "VeraIt.ttf", "Vera-BoldItalic": "VeraBI.ttf"}
    for name, file in files.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts / file)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic")
    body = ParagraphStyle("body", fontName="Vera", fontSize=9.5, leading=12.5, spaceAfter=4, textColor=colors.HexColor("#222222"))
    heading = ParagraphStyle("heading", body, fontName="Vera-Bold", keepWithNext=True)
    return {
        "body": body,
        "title": ParagraphStyle("title", heading, fontSize=20, leading=24, spaceAfter=2),
        "h2": ParagraphStyle("h2", heading, fontSize=14, leading=17, spaceBefore=16, spaceAfter=6),
        "h3": ParagraphStyle("h3", heading, fontSize=12, leading=15, spaceBefore=10),
        "h4": ParagraphStyle("h4", heading, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3),
        "meta": ParagraphStyle("meta", body, textColor=GREY),
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=GREY),
        "bullet": ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2, spaceAfter=1),
        "cell": ParagraphStyle("cell", body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "th": ParagraphStyle("th", body, fontName="Vera-Bold", fontSize=8.5, leading=10.5, spaceAfter=0),
    }


def pdf(report: WorkshopReport) -> bytes:
    s = _styles()
    w = report.workshop
    story: list[Flowable] = [Paragraph(escape(w.title), s["title"]), Paragraph(escape(meta_line(report)), s["meta"])]
    if w.notes:
        story.append(Paragraph(escape(w.notes), s["body"]))
    story.append(Paragraph(escape(_("Voting rounds")), s["h2"]))
    for rnd, result in report.rounds:
        story.extend(_round(rnd, result, s))
    story.append(Paragraph(escape(_("After the vote: each team's analysis")), s["h2"]))
    if not report.topics:
        story.append(Paragraph(escape(_("No team has a shortlist yet.")), s["body"]))
    for team_name in dict.fromkeys(t.team_name for t in report.topics):
        story.append(Paragraph(escape(team_name), s["h3"]))
        for topic in (t for t in report.topics if t.team_name == team_name):
            story.extend(_topic(topic, s))
    story += [Paragraph(escape(_("Actions")), s["h2"]), *_table(report.actions, ACTION_COLUMNS, s)]
    if report.review:
        story += [Paragraph(escape(_("Actions from earlier workshops")), s["h2"]), *_table(report.review, REVIEW_COLUMNS, s)]
    story += report_outside_in.pdf_section(report.outside_in, s, PAGE_WIDTH)
    story += [Paragraph(escape(_("Log")), s["h2"]), *_table([e.__dict__ for e in report.events], LOG_COLUMNS, s)]

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 3 * mm,
        title=_("{title} — ABC workshop report").format(title=w.title),
        author="ABC Workshop",  # not translated: the app's name
    )
    footer = functools.partial(_footer, _fit(w.title, PAGE_WIDTH - 50), _("page {number}"))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _footer(title: str, page: str, canvas, doc) -> None:
    """The title and the page number ('page {number}' in the report's language, read before reportlab draws)."""
    canvas.saveState()
    canvas.setFont("Vera", 8)
    canvas.setFillColor(GREY)
    canvas.drawString(doc.leftMargin, 0.9 * cm, title)
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 0.9 * cm, page.format(number=doc.page))
    canvas.restoreState()


def _fit(text: str, width: float) -> str:
    """Cut the title short so the footer never runs into the page number."""
    while pdfmetrics.stringWidth(text, "Vera", 8) > width:
        text = text[:-2] + "…"
    return text


def _round(rnd: Round, result: RoundResult, s: dict) -> list:
    """Each chart is kept whole on a page, with the round's heading on the first one."""
    voters = result.overall.ballots
    head = [
        Paragraph(escape(round_title(rnd)), s["h3"]),
        Paragraph(escape(round_line(rnd, voters)), s["small"]),
    ]
    if not voters:
        return [KeepTogether([*head, Paragraph(escape(_("No ballots.")), s["body"])])]
    parts = [KeepTogether([*head, Paragraph(escape(_("Everyone")), s["h4"]), _bars(result.overall.top(TOP_OVERALL), s)])]
    small = ' <font backColor="#fff3bf">&nbsp;' + escape(_("small group")) + "&nbsp;</font>"
    for team in result.teams:
        if team.ballots:
            flag = small if team.ballots < SMALL_TEAM else ""
            title = Paragraph(escape(team_voted(team.name, team.ballots)) + flag, s["h4"])
            parts.append(KeepTogether([title, _bars(team.top(TOP_TEAM), s)]))
    return parts


def _bars(table: pd.DataFrame, s: dict) -> Table:
    """A horizontal bar per card: length is the share of participants, colour the card's type."""
    rows = [[Paragraph(f"{row.rank}. {escape(row.title)}", s["cell"]), _bar(row)] for row in row_tuples(table)]
    return Table(
        rows,
        colWidths=[LABEL_WIDTH, BAR_WIDTH],
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ],
    )


def _bar(row) -> Drawing:
    length = max(row.share * (BAR_WIDTH - BAR_TEXT), 1)
    drawing = Drawing(BAR_WIDTH, 12)
    fill = colors.HexColor(CARD_COLOURS[row.type])
    drawing.add(Rect(0, 0.5, length, 11, rx=2, ry=2, fillColor=fill, strokeColor=None))  # type: ignore[arg-type]  # the stub types Rect's **kw without Unpack
    drawing.add(String(length + 4, 3, bar_label(row), fontName="Vera", fontSize=8, fillColor=GREY))
    return drawing


def _topic(topic: Topic, s: dict) -> list:
    """A card's analysis: its notes (_impact_tables), the decision, the behaviours and the actions."""
    none_yet = escape(_("none yet"))
    behaviours = [f"“{escape(b.statement)}”" for b in topic.behaviours if not b.hidden] or [none_yet]
    actions = [escape(action_text(a)) for a in topic.actions] or [none_yet]
    risk, wanted, agreed = escape(_("Acceptable business risk?")), escape(_("Desirable behaviour")), escape(_("Actions"))
    return [
        Paragraph(
            f"{escape(topic.card_title)} <font size=8.5 color='#666666'>{escape(card_line(topic))}</font>",
            s["h4"],
        ),
        *_impact_tables(topic, s),
        Spacer(0, 4),
        KeepTogether(
            [
                Paragraph(f"<b>{risk}</b> {escape(decision_text(topic))}", s["body"]),
                Paragraph(f"<b>{wanted}</b>", s["body"]),
                *[Paragraph(text, s["bullet"], bulletText="•") for text in behaviours],
                Paragraph(f"<b>{agreed}</b>", s["body"]),
                *[Paragraph(text, s["bullet"], bulletText="•") for text in actions],
            ]
        ),
    ]


ROWS_PER_TABLE = 40  # notes per table: reportlab lays out again every row left in a table at each page it splits


def _impact_tables(topic: Topic, s: dict) -> list[Table]:
    """Heading | severity | one note per row, in tables of ROWS_PER_TABLE rows drawn one under the other as one.

    A cell holding every note of a heading was wrapped again, whole, at each page it was split over; one table of
    all the notes is measured again, all that is left of it, at each page. Either way a heading with many notes
    took quadratic time; short tables keep the work in proportion to the notes (bench/report_speed.py)."""
    rows, starts = _impact_rows(topic, s)
    first_column = _heading_width()
    widths = [first_column, 56 * mm, PAGE_WIDTH - first_column - 56 * mm]
    tables = []
    for first in range(0, len(rows), ROWS_PER_TABLE):
        last = min(first + ROWS_PER_TABLE, len(rows))
        style: list[tuple[Any, ...]] = [
            ("LINEBEFORE", (0, 0), (-1, -1), 0.5, LINE),
            ("LINEAFTER", (0, 0), (-1, -1), 0.5, LINE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        style += [("LINEABOVE", (0, row - first), (-1, row - first), 0.5, LINE) for row in starts if first <= row < last]
        if first == 0:
            style += [("LINEABOVE", (0, 0), (-1, 0), 0.5, LINE), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f3f3"))]
        if last == len(rows):
            style.append(("LINEBELOW", (0, -1), (-1, -1), 0.5, LINE))
        tables.append(Table(rows[first:last], colWidths=widths, style=TableStyle(style), repeatRows=1 if first == 0 else 0))
    return tables


def _heading_width() -> float:
    """The first column of a card's table of notes: 22 mm, or wider where a heading's word in the report's language
    ('Ergebnisse', 'Resultaten') would otherwise break in the middle."""
    words = [*(_(label) for label in HEADINGS.values()), impact_headers()[0]]
    widest = max(pdfmetrics.stringWidth(word, "Vera-Bold", 8.5) for word in words)
    return max(22 * mm, widest + 12 + 2)  # a cell's padding is 6 points each side


def _impact_rows(topic: Topic, s: dict) -> tuple[list[list], list[int]]:
    """The rows (a header, then a row per note; a heading and its severity stand on the first row of its notes),
    and where each heading starts."""
    rows: list[list] = [[Paragraph(escape(h), s["th"]) for h in impact_headers()]]
    starts = []
    for heading, label in HEADINGS.items():
        notes: list[Paragraph | str]  # a heading without notes keeps its row, with an empty cell
        notes = [
            Paragraph(f"{escape(n.text)} <font color='#666666'>— {escape(n.author)}</font>", s["cell"], bulletText="•")
            for n in topic.notes_under(heading)
        ] or [""]
        starts.append(len(rows))
        rows.append(
            [Paragraph(escape(_(label)), s["th"]), Paragraph(escape(topic.severities[heading].describe()), s["cell"]), notes[0]]
        )
        rows += [["", "", note] for note in notes[1:]]
    return rows, starts


def _table(rows: list[dict], columns: dict[str, str], s: dict) -> list:
    """Paragraphs in the cells so long text wraps inside its column instead of running off the page."""
    if not rows:
        return [Paragraph(escape(_("None.")), s["body"])]
    total = sum(WEIGHTS[c] for c in columns)
    data = [[Paragraph(escape(_(h)), s["th"]) for h in columns.values()]]
    data += [[Paragraph(escape(cell_text(c, row.get(c))), s["cell"]) for c in columns] for row in rows]
    return grid_tables(data, [PAGE_WIDTH * WEIGHTS[c] / total for c in columns])


def grid_tables(data: list[list], widths: list[float]) -> list[Table]:
    """A header row and its rows as tables of ROWS_PER_TABLE rows, one under the other, so a long log or list costs
    time in proportion to its rows (_impact_tables says why)."""
    return [
        Table(
            data[first : first + ROWS_PER_TABLE],
            colWidths=widths,
            style=GRID if first == 0 else GRID_BODY,
            repeatRows=1 if first == 0 else 0,
        )
        for first in range(0, len(data), ROWS_PER_TABLE)
    ]
