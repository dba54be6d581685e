"""The six shapes of an import file and how a table's header tells them apart (docs/import-format.md); importer.py
reads the lines of each shape.
"""

from __future__ import annotations

from . import import_analyses as analysis_lines
from . import import_moments as moment_lines
from .i18n import _
from .import_batch import Cause, ImportFileError, file_problem
from .tabular import Table, TableError, read_csv, read_workbook

WORKSHOP_COLUMNS = ("organisation", "workshop", "date")
KIND_COLUMNS = {
    "picks": ("perspective", "participant", "card"),
    "counts": ("perspective", "card", "picks", "participants"),
    "ranks": ("perspective", "card", "rank"),
    "answers": ("statement", "scale", "answer", "count"),
    "analyses": ("team", "perspective", "card"),
    "moments": moment_lines.REQUIRED[1:],  # with organisation only: a moment belongs to an organisation, not a workshop
}


def tables_of(data: bytes, file_name: str) -> list[Table]:
    """The tables of a CSV file (one) or of the app's workbook (each sheet with an import header)."""
    try:
        if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
            tables = read_workbook(data, {kind: required(kind) for kind in KIND_COLUMNS})
            if not tables:
                raise file_problem(
                    # Translators: organisation, workshop and date are column names, 'Card counts' and 'Statement answers'
                    # the names of the workbook's sheets: they stay as they are.
                    _(
                        "No sheet of the workbook has an import header (organisation, workshop, date and the columns of one "
                        "shape in docs/import-format.md); the compare page's workbook has them on 'Card counts' and "
                        "'Statement answers'."
                    )
                )
            return tables
        return [read_csv(data)]
    except TableError as error:
        raise ImportFileError([Cause(problem) for problem in error.problems]) from None


def required(kind: str) -> tuple[str, ...]:
    """The columns a shape's header must name."""
    return moment_lines.REQUIRED if kind == "moments" else (*WORKSHOP_COLUMNS, *KIND_COLUMNS[kind])


def kind_of(table: Table) -> str:
    """Which shape a table is, told by its header; a header of no shape, or of two, is refused with a sentence."""
    header = table.header
    if moment_lines.MARKER in header:
        shapes = ("participant", "statement", "picks", "rank", "card", "workshop", *analysis_lines.MARKERS)
        others = [c for c in shapes if c in header]
        if others:
            raise ImportFileError(
                [
                    Cause(
                        _(
                            "{where}: the header names what_happened (moments of truth) together with {columns} of another "
                            "shape; a moment of truth's file has its own header (docs/import-format.md)."
                        ).format(where=table.at(1), columns=", ".join(others))
                    )
                ]
            )
        kinds = ["moments"]
    elif "participant" in header:
        kinds = ["picks"]
    elif "statement" in header:
        kinds = ["answers"]
    elif "picks" in header:
        kinds = ["counts"]
    elif "rank" in header:
        kinds = ["ranks"]
    else:
        kinds = []
    analyses = any(marker in header for marker in analysis_lines.MARKERS)
    if analyses and not kinds:
        kinds = ["analyses"]
    elif analyses or ("statement" in header and ("participant" in header or "card" in header)):
        kinds = []  # two shapes in one header
    if not kinds:
        raise ImportFileError(
            [
                Cause(
                    # Translators: participant, picks, rank, statement, heading, decision, action and what_happened are
                    # column names: they stay as they are.
                    _(
                        "{where}: the header must name one of the columns participant (picks per participant), picks "
                        "(counts per team), rank (a published ranking), statement (answers), heading, decision or action "
                        "(teams' analyses) or what_happened (moments of truth); see docs/import-format.md."
                    ).format(where=table.at(1))
                )
            ]
        )
    missing = [c for c in required(kinds[0]) if c not in header]
    if missing:
        raise ImportFileError(
            [Cause(_("{where}: the header lacks the column(s) {columns}.").format(where=table.at(1), columns=", ".join(missing)))]
        )
    return kinds[0]
