"""Writes the corpus of bad deck and import files that tests/core/test_bad_file_corpus.py feeds to the parsers.

Run `python3 tests/corpus/make_corpus.py` after changing it; the files and expected.json are kept in the repository,
so the test reads real files as a facilitator or a lead would upload them. Each file is named for its defect, and
expected.json holds the sentence (or its start) the file must be refused with: it names the line and the field.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMPORT_HEADER = [
    "organisation",
    "workshop",
    "date",
    "country",
    "team",
    "perspective",
    "question",
    "deck",
    "card",
    "picks",
    "participants",
    "pick_limit",
]
IMPORT_ROW = [
    "Acme IT",
    "Paper",
    "2023-05-01",
    "Netherlands",
    "Desk",
    "recognise",
    "Which?",
    "ABC worst practices",
    "abc-02",
    "3",
    "4",
    "10",
]
DECK_HEADER = ["id", "type", "theme", "title", "description", "counts_as"]
DECK_ROW = ["c-01", "A", "Attitude", "A card title", "What it means.", ""]
HUGE = "x" * 204_800
# defect name -> (how the field is written, the end of the sentence expected after "Line 2: field 'F' ")
TEXT_DEFECTS = {
    "nul-first": ("\x00{v}", "holds a NUL character (byte 0)"),
    "nul-inside": ("{v}\x00", "holds a NUL character (byte 0)"),
    "escape": ("{v}\x1b[31m", "holds a control character (U+001B)"),
    "control-01": ("\x01{v}", "holds a control character (U+0001)"),
    "zero-width-space": ("{v}\u200b", "holds an invisible character (U+200B, zero width space)"),
    "zero-width-joiner": ("\u200d{v}", "holds an invisible character (U+200D, zero width joiner)"),
    "right-to-left-override": ("\u202e{v}", "holds an invisible character (U+202E, text direction control)"),
    "byte-order-mark-inside": ("{v}\ufeff", "holds an invisible character (U+FEFF, zero width no-break space)"),
    "field-200kb": (HUGE, "has 204,800 characters; no field may have more than 10,000."),
    "carriage-return": ('"{v}\r=2*3+SUM(1)"', "holds a line break; a field must be one line of text."),
    "unterminated-quote": ('"{v}', "opens a quote that is never closed"),
    "stray-quote": ('"{v}"x"', "has a quote inside a quoted text"),
}
NUMBER_DEFECTS = {
    "two-to-the-63": ("9223372036854775808", "is 9223372036854775808; it must be between"),
    "two-to-the-64": ("18446744073709551616", "is 18446744073709551616; it must be between"),
    "absurd-count": ("1000001", "is 1000001; it must be between"),
    "ten-to-the-40": ("1" + "0" * 40, "is 1000000000000000000000000000000000000...; it must be between"),
    "negative": ("-1", "is -1; it must be between"),
    "fraction": ("1.5", "is '1.5'; a whole number is needed."),
    "word": ("three", "is 'three'; a whole number is needed."),
    "fullwidth-digits": ("３", "is '３'; a whole number is needed."),
}
DATE_DEFECTS = {
    "month-13": ("2023-13-01", "date is '2023-13-01', which is not a day of the calendar"),
    "february-31": ("31.02.2023", "date is '31.02.2023', which is not a day of the calendar"),
    "word": ("yesterday", "date is 'yesterday'; write it as"),
    "empty": ("", "date is empty"),
    "year-0": ("0000", "date is '0000', which is not a day of the calendar"),
    "five-digit-year": ("20230", "date is '20230'; write it as"),
    "nul": ("2023\x00", "field 'date' holds a NUL character"),
    "zero-width": ("2023-05-01\u200b", "field 'date' holds an invisible character"),
}


def csv_line(cells: list[str]) -> str:
    return ",".join(cells) + "\n"


def write(folder: str, name: str, content: str | bytes, expected: str, manifest: dict) -> None:
    path = HERE / folder / f"{name}.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    manifest[f"{folder}/{path.name}"] = expected


def with_field(header: list[str], row: list[str], column: str, value: str) -> str:
    cells = list(row)
    cells[header.index(column)] = value
    return csv_line(header) + csv_line(cells) + csv_line(row)


def main() -> None:
    manifest: dict[str, str] = {}
    for folder, header, row, text_columns in (
        (
            "import",
            IMPORT_HEADER,
            IMPORT_ROW,
            ["organisation", "workshop", "country", "team", "perspective", "question", "deck", "card"],
        ),
        ("deck", DECK_HEADER, DECK_ROW, ["id", "type", "theme", "title", "description", "counts_as"]),
    ):
        for column in text_columns:
            for defect, (pattern, sentence) in TEXT_DEFECTS.items():
                value = pattern.replace("{v}", row[header.index(column)] or "x")
                write(
                    folder,
                    f"{column}-{defect}",
                    with_field(header, row, column, value),
                    f"Line 2: field '{column}' {sentence}",
                    manifest,
                )
    for column in ("picks", "participants", "pick_limit"):
        for defect, (value, sentence) in NUMBER_DEFECTS.items():
            write(
                "import",
                f"{column}-{defect}",
                with_field(IMPORT_HEADER, IMPORT_ROW, column, value),
                f"Line 2: {column} {sentence}",
                manifest,
            )
    for defect, (value, sentence) in DATE_DEFECTS.items():
        write("import", f"date-{defect}", with_field(IMPORT_HEADER, IMPORT_ROW, "date", value), f"Line 2: {sentence}", manifest)
    for folder, header, row in (("import", IMPORT_HEADER, IMPORT_ROW), ("deck", DECK_HEADER, DECK_ROW)):
        head = ",".join(header)
        body = csv_line(row)
        cases = {
            "header-unterminated-quote": (
                '"' + head + "\n" + body,
                "Line 1 (the header): column 1 opens a quote that is never closed",
            ),
            "header-stray-quote": (
                '"org"x",' + head + "\n" + body,
                "Line 1 (the header): column 1 has a quote inside a quoted text",
            ),
            "header-nul": (head.replace(",", ",\x00", 1) + "\n" + body, "Line 1 (the header): column 2 holds a NUL character"),
            "header-zero-width": ("\u200b" + head + "\n" + body, "Line 1 (the header): column 1 holds an invisible character"),
            "header-escape": (head + ",\x1bx\n" + body, "holds a control character (U+001B)"),
            "header-missing-column": (
                head.replace(header[1] + ",", "", 1) + "\n" + body,
                "Line 1: the header lacks the column(s)",
            ),
            "header-field-200kb": (head + "," + HUGE + "\n" + body, "has 204,800 characters"),
            "empty": ("", "The file is empty"),
            "only-bom": ("\ufeff", "The file is empty"),
            "only-blank-lines": ("\n\n\r\n", "The file is empty"),
            "header-only": (head + "\n", "The file has a header but no"),
            "too-many-fields": (head + "\n" + csv_line([*row, "extra"]), "Line 2: it has"),
            "undecodable-byte": ((head + "\n").encode() + b"\x81\x8d\n", "Line 2: byte"),
            "png-image": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "cannot be read"),
            "utf16-odd-length": (head.encode("utf-16-le") + b"\x00\x00\x41", "the file is damaged or not a text file"),
        }
        for name, (content, expected) in cases.items():
            write(folder, name, content, expected, manifest)
    write("import", "fake-workbook", b"PK\x03\x04" + b"\x00" * 200, "cannot be read as an Excel workbook", manifest)
    write(
        "import",
        "header-two-shapes",
        "organisation,workshop,date,statement,participant,card\n",
        "the header must name one",
        manifest,
    )
    write(
        "import",
        "unterminated-quote-last-line",
        csv_line(IMPORT_HEADER) + csv_line(IMPORT_ROW) + 'Acme,"Paper,2023',
        "Line 3: field 'workshop' opens a quote that is never closed",
        manifest,
    )
    write("deck", "type-unknown", with_field(DECK_HEADER, DECK_ROW, "type", "D"), "Line 2: field 'type' is 'D'", manifest)
    write(
        "deck",
        "id-repeated",
        csv_line(DECK_HEADER) + csv_line(DECK_ROW) + csv_line(["C-01", *DECK_ROW[1:3], "Other", "x", ""]),
        "Line 3: id 'C-01' is already used on line 2.",
        manifest,
    )
    write(
        "deck",
        "title-look-alike",
        csv_line(DECK_HEADER) + csv_line(DECK_ROW) + csv_line(["c-02", "A", "T", "A  card title!", "x", ""]),
        "Line 3: title 'A  card title!' is already used on line 2.",
        manifest,
    )
    write(
        "deck",
        "title-too-long",
        with_field(DECK_HEADER, DECK_ROW, "title", "t" * 121),
        "Line 2: field 'title' has 121 characters; the limit is 120.",
        manifest,
    )
    (HERE / "expected.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=True, sort_keys=True) + "\n")
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
