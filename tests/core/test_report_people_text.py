"""The reports of a workshop whose every field holds the payloads (tests/people_world.py) show them as typed:
no element, link or image comes from people's text in the HTML, the PDF prints them, the workbook keeps them."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from pypdf import PdfReader

from abc_workshop import report, report_pdf
from tests.people_world import build

OWN_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "section",
    "div",
    "span",
    "table",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "b",
}


class Page(HTMLParser):
    """The tags the report's HTML opens and the text a browser shows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        assert not any(name in ("href", "src") or name.startswith("on") for name, _ in attrs), (tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def gathered(store):
    world = build(store)
    return world, report.gather(store, world.workshop.id, world.key)


def test_the_html_report_shows_people_s_text_as_text(gathered):
    world, made = gathered
    page = Page()
    page.feed(report.html(made))
    assert page.tags <= OWN_TAGS, page.tags - OWN_TAGS
    shown = " ".join(" ".join(page.text).split())
    in_report = [v for v in world.values.values() if " ".join(v.split()) in shown]
    assert len(in_report) > 100, "the report shows the workshop's people's text"
    assert world.workshop.title in shown and " ".join(world.workshop.notes.split()) in shown


def test_the_pdf_report_prints_people_s_text_as_typed(gathered):
    world, made = gathered
    document = PdfReader(io.BytesIO(report_pdf.pdf(made)))
    printed = re.sub(r"\s+", "", "".join(page.extract_text() for page in document.pages))
    for text in (world.workshop.title, *(t.card_title for t in made.topics), *(n.text for t in made.topics for n in t.notes)):
        assert re.sub(r"\s+", "", text) in printed, text
    assert not any(page.get("/Annots") for page in document.pages), "a link or note drawn from people's text"


def test_the_workbook_keeps_people_s_text_as_typed(gathered):
    _world, made = gathered
    book = openpyxl.load_workbook(io.BytesIO(report.workbook(made)))
    cells = {str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None}
    for text in (*(n.text for t in made.topics for n in t.notes), *(t.card_title for t in made.topics)):
        assert text in cells or "'" + text in cells, text
