"""Exports that are safe to open and still import: every CSV field quoted, line breaks and control characters left
out, formula-leading text defused on the way out and restored on the way in; the workbook never fails on text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd

from abc_workshop.domain import CompareFilter
from abc_workshop.export import csv_bytes, excel_workbook
from abc_workshop.tabular import undefused

NASTY = [
    "Title\r=2*3+SUM(1)",
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "a;b",
    "note\x1bwith escape",
    "team\x01",
    "'=kept",
]


def test_every_csv_field_is_quoted_and_no_line_or_formula_escapes_its_cell():
    data = csv_bytes(pd.DataFrame({"text": NASTY, "n": range(len(NASTY))}))
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == '"text","n"' and all(line.startswith('"') for line in lines if line), "every field quoted, ';' too"
    assert "\r" not in text.replace("\r\n", "") and "\x1b" not in text and "\x01" not in text
    cells = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert cells == [
        "Title =2*3+SUM(1)",
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "a;b",
        "notewith escape",
        "team",
        "''=kept",
    ]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_workbook_is_built_whatever_control_characters_people_typed():
    data = excel_workbook({"Notes": pd.DataFrame({"text": NASTY})})
    values = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data))["Notes"].iter_rows(min_row=2, values_only=True)]
    assert values[0] == "Title\n=2*3+SUM(1)" and values[6] == "notewith escape" and values[7] == "team"
    assert values[1].startswith("'=")


def test_defused_text_comes_back_as_typed_through_an_export_and_import(store, tmp_path):
    from abc_workshop.config import CARDS_DIR
    from abc_workshop.store import Store

    text = "organisation,workshop,date,team,perspective,card,picks,participants\n" + "".join(
        f'"{org}",Paper,2020-01-0{n + 1},"{team}",recognise,abc-02,1,2\n'
        for n, (org, team) in enumerate([("=Acme", "+Desk"), ("-Beta", "@Ops"), ("Gamma", "Plain")])
    )
    store.import_results("formulas.csv", text.encode("utf-8"))
    exported = csv_bytes(store.export_rows(CompareFilter()))
    assert b'"\'=Acme"' in exported and b'"\'@Ops"' in exported
    other = Store(tmp_path / "other.sqlite3")
    other.load_shipped_decks(CARDS_DIR)
    other.import_results("export.csv", exported)
    assert sorted(other._frame("SELECT organisation FROM workshops")["organisation"]) == ["-Beta", "=Acme", "Gamma"]
    assert sorted(other._frame("SELECT name FROM teams")["name"]) == ["+Desk", "@Ops", "Plain"]
    other.close()
    assert undefused("''=kept") == "'=kept" and undefused("'plain") == "'plain", "only an export's own apostrophe is taken off"
