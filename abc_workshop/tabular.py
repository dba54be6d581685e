"""Reading the tables people save, for decks and imports: CSV as spreadsheets write it, and the app's own .xlsx workbook.

CSV: comma, semicolon or tab separated; UTF-8 with or without a byte-order mark, UTF-16 (either byte order),
or Windows-1252. Every cell is checked for what no text of ours holds (control characters, NUL, invisible
characters that make look-alikes, absurd lengths), so a bad file is refused with a sentence that names its
line and field instead of a crash or a misleading message. A cell that an export defused against spreadsheet
formulas (a leading apostrophe before = + - @) comes back as the text it was.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .i18n import N_, _, number

if TYPE_CHECKING:
    import pandas as pd

MAX_CELL = 10_000  # no field of ours comes near; a longer one is a broken file, not a long title
FORMULA_START = ("=", "+", "-", "@")
_NUL_STAND_IN = "\ue000"  # the csv module refuses NUL outright; a stand-in lets the cell check name its line and field
_INVISIBLE = {  # Unicode's names for them, in the reader's language where they have one
    0x00AD: N_("soft hyphen"),
    0x061C: N_("Arabic letter mark"),
    0x180E: N_("Mongolian vowel separator"),
    0x200B: N_("zero width space"),
    0x200C: N_("zero width non-joiner"),
    0x200D: N_("zero width joiner"),
    0x200E: N_("left-to-right mark"),
    0x200F: N_("right-to-left mark"),
    0x2060: N_("word joiner"),
    0xFEFF: N_("zero width no-break space"),
    **{code: N_("text direction control") for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
csv.field_size_limit(64 * 1024 * 1024)  # lengths are checked per cell below, with a sentence instead of a csv error


def row_tuples(frame: pd.DataFrame, index: bool = True) -> Iterator[Any]:
    """frame.itertuples(index=index), each row typed Any: pandas-stubs types every field as every scalar pandas knows."""
    return frame.itertuples(index=index)


class TableError(Exception):
    """A file that cannot be read as a table; `problems` are sentences for people."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Table:
    """A header and its rows, each with the line (or spreadsheet row) it started on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    where: str = ""  # "" for a CSV file; "sheet 'Card counts', " for a workbook's sheet (sheet_prefix)

    def at(self, line: int) -> str:
        if not self.where:
            return _("Line {line}").format(line=line)
        # Translators: follows "sheet 'Card counts', " (or a file's name and that) at the start of a message
        text = self.where + _("line {line}").format(line=line)
        return text[0].upper() + text[1:]


def sheet_prefix(title: str) -> str:
    """Where a workbook's table is, before 'line 3' in a message: "sheet 'Card counts', "."""
    # Translators: the start of a message about a line of a workbook's sheet; "line 3: …" follows
    return _("sheet '{sheet}', ").format(sheet=title)


def column_name(raw: str) -> str:
    return raw.strip().lower().replace(" ", "_")


def decode(data: bytes) -> str:
    """Text from the bytes of a saved CSV file, whichever of the usual encodings it is in."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec)
    head = data[:400]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return _decode(data, "utf-16-le")  # UTF-16 without a byte-order mark: every other byte is 0
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return _decode(data, "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, "cp1252")  # Excel's "CSV" in Western Europe


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n" if not codec.startswith("utf-16") else "\n".encode(codec)) + 1
        name = _("UTF-8 or Windows-1252") if codec == "cp1252" else codec.upper()
        message = _("Line {line}: byte {byte} cannot be read as {encoding} text. Save the file as CSV UTF-8 and try again.")
        raise TableError([message.format(line=line, byte=error.start, encoding=name)]) from None


def read_csv(data: bytes) -> Table:
    """The header and rows of a CSV file; raises TableError naming the line and field of a broken quote."""
    text = decode(data).lstrip("\ufeff").replace("\x00", _NUL_STAND_IN)
    if not text.strip():
        raise TableError([_("The file is empty: it needs a header row and at least one row below it.")])
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error:
        raise TableError([_quote_problem(text, delimiter)]) from None
    header = rows.pop(0)[1] if rows else []
    table = Table([column_name(h) for h in header], rows)
    for position, name in enumerate(header, start=1):
        problem = cell_problem(name)
        if problem:
            # Translators: {problem} is one of the messages that start "has …" or "holds …" (a cell's problem)
            raise TableError([_("Line 1 (the header): column {position} {problem}").format(position=position, problem=problem)])
    return table


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))  # ties (one column) read as commas


def _quote_problem(text: str, delimiter: str) -> str:
    """Where a quote went wrong: a quoted text never closed, or a quote inside one not doubled."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a lone carriage return ends a line for the csv module too
    line, field, in_quotes, opened, i = 1, 1, False, (1, 1), 0
    try:
        header = next(csv.reader([text.split("\n", 1)[0]], delimiter=delimiter), [])
    except csv.Error:  # the header itself is where the quote went wrong
        header = []
    while i < len(text):
        char = text[i]
        if in_quotes:
            if char == '"':
                following = text[i + 1 : i + 2]
                if following == '"':
                    i += 1
                elif following in ("", delimiter, "\n", "\r"):
                    in_quotes = False
                else:
                    message = _('{where} has a quote inside a quoted text; write it twice ("") or remove it.')
                    return message.format(where=_where(line, field, header))
            elif char == "\n":
                line += 1
        elif char == '"' and (i == 0 or text[i - 1] in (delimiter, "\n")):
            in_quotes, opened = True, (line, field)
        elif char == delimiter:
            field += 1
        elif char == "\n":
            line, field = line + 1, 1
        i += 1
    message = _("{where} opens a quote that is never closed; add the closing quote or remove the opening one.")
    return message.format(where=_where(*opened, header))


def _where(line: int, field: int, header: list[str]) -> str:
    if line == 1:
        # Translators: the start of a message; "has a quote inside …" or "opens a quote …" follows
        return _("Line 1 (the header): column {position}").format(position=field)
    name = f"'{column_name(header[field - 1])}'" if field <= len(header) else str(field)
    # Translators: the start of a message; {field} is a column's name as the file has it, or its number
    return _("Line {line}: field {field}").format(line=line, field=name)


_SUSPECT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + _NUL_STAND_IN + "".join(chr(c) for c in _INVISIBLE) + "]")


def cell_problem(value: str) -> str | None:
    """Why a cell cannot be taken as text of ours, as the end of a sentence ("Line 3: field 'title' " comes before
    it); None when it can."""
    if len(value) > MAX_CELL:
        # Translators: the end of a message that starts "Line 3: field 'title'" (or "column 2"), as the ones below
        return _("has {count} characters; no field may have more than {limit}.").format(
            count=number(len(value)), limit=number(MAX_CELL)
        )
    if not _SUSPECT.search(value):  # the usual case, in one pass of the regex engine
        return None
    for char in value:
        code = ord(char)
        if char == _NUL_STAND_IN:
            return _("holds a NUL character (byte 0); the file is damaged or not a text file.")
        if char in "\r\n":
            return _("holds a line break; a field must be one line of text.")
        if code in _INVISIBLE:
            message = _("holds an invisible character ({code}, {name}) that makes look-alike texts; delete it.")
            return message.format(code=f"U+{code:04X}", name=_(_INVISIBLE[code]))
        if unicodedata.category(char) == "Cc" and char != "\t":
            return _("holds a control character ({code}); delete it.").format(code=f"U+{code:04X}")
    return None


def undefused(value: str) -> str:
    """The text an export defused ('=2*3' was written as "'=2*3"), so a round trip keeps people's text."""
    rest = value[1:].lstrip("'")
    if value.startswith("'") and rest[:1] and rest[:1] in FORMULA_START:
        return value[1:]
    return value


def read_workbook(data: bytes, wanted: dict[str, tuple[str, ...]]) -> list[Table]:
    """The sheets of an .xlsx workbook whose header names one of `wanted`'s column sets, each as a Table.

    Cells come back as the text a CSV file would hold: whole numbers without '.0', dates as YYYY-MM-DD.
    """
    import datetime

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        message = _("The file cannot be read as an Excel workbook (.xlsx): {reason}.")
        raise TableError([message.format(reason=type(error).__name__)]) from None
    tables = []
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [column_name(str(h)) if h is not None else "" for h in next(rows, ())]
            if not any(all(column in header for column in columns) for columns in wanted.values()):
                continue
            table = Table(header, [], sheet_prefix(sheet.title))
            for number, row in enumerate(rows, start=2):
                table.rows.append((number, [_cell_text(value, datetime) for value in row]))
            tables.append(table)
    finally:
        book.close()
    return tables


def _cell_text(value, datetime) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
