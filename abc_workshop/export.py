"""Workbooks and CSV files for people who take the data elsewhere (Excel, a slide, another tool).

Safe to open: people's text that looks like a formula gets a leading apostrophe (the importer takes it off
again, abc_workshop/tabular.py, so a round trip keeps the text), every CSV field is quoted (a ';' or a line
break inside a text cannot start a new cell or row in any locale's Excel), and control characters, which
no spreadsheet row should carry and which openpyxl refuses, are left out. An export never fails on text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pandas as pd

from .i18n import _
from .tabular import FORMULA_START

_SHEET_NAME_LIMIT = 31  # Excel's own limit
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and line feed are text; everything else here is not
_LINE_BREAKS = re.compile(r"\r\n?|\n")


def excel_workbook(sheets: dict[str, pd.DataFrame], progress: Callable[[float, str], None] | None = None) -> bytes:
    """One sheet per table, in the order given; people's text that looks like a formula stays text.

    Sheet names and column headers are written as given: the caller decides which are for people (and translates
    them) and which an import reads back (docs/import-format.md), which stay as they are."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for done, (name, frame) in enumerate(sheets.items()):
            if progress:
                progress(done / len(sheets), _("Writing the sheet '{name}'").format(name=name))
            frame.map(lambda v: _defuse(v, "\n")).to_excel(writer, sheet_name=name[:_SHEET_NAME_LIMIT], index=False)
            sheet = writer.sheets[name[:_SHEET_NAME_LIMIT]]
            for column_cells in sheet.columns:
                width = max((len(str(cell.value)) for cell in column_cells if cell.value is not None), default=8)
                sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents correctly; every field quoted, formulas defused, line
    breaks inside a text written as spaces (an import refuses them: a field is one line)."""
    return (
        frame.map(lambda v: _defuse(v, " ")).to_csv(index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n").encode("utf-8-sig")
    )


def _defuse(value, line_break: str):
    """A note such as '=HYPERLINK(...)' must not run as a formula in the reader's spreadsheet, and a stray control
    character must not break the file."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", _LINE_BREAKS.sub(line_break, value))
    rest = value.lstrip("'")
    if rest[:1] and rest[:1] in FORMULA_START:  # '=x' and also "'=x", which the importer would otherwise take one ' off
        return "'" + value
    return value
