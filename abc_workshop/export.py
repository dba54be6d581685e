"""Workbooks and CSV files for people who take the data elsewhere (Excel, a slide, another tool)."""

from __future__ import annotations

import io

import pandas as pd

_SHEET_NAME_LIMIT = 31  # Excel's own limit
_FORMULA_START = ("=", "+", "-", "@")


def excel_workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, in the order given; people's text that looks like a formula stays text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.map(_defuse).to_excel(writer, sheet_name=name[:_SHEET_NAME_LIMIT], index=False)
            sheet = writer.sheets[name[:_SHEET_NAME_LIMIT]]
            for column_cells in sheet.columns:
                width = max((len(str(cell.value)) for cell in column_cells if cell.value is not None), default=8)
                sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accents correctly; formulas defused as in workbooks."""
    return frame.map(_defuse).to_csv(index=False).encode("utf-8-sig")


def _defuse(value):
    """A note such as '=HYPERLINK(...)' must not run as a formula in the reader's spreadsheet."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
