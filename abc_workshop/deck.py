"""Reading deck files: CSV with one card a row, checked whole before anything is stored.

The format is documented in cards/README.md. A facilitator may upload the deck they own (read as
abc_workshop/tabular.py reads any table people save), so every problem is reported with its line number
and field, and one bad row rejects the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .domain import CARD_TYPES, LIMITS, InvalidInput
from .tabular import TableError, cell_problem, read_csv
from .titles import title_key

COLUMNS = ("id", "type", "theme", "title", "description")
OPTIONAL = ("counts_as",)  # the default deck's card (id or title) this card corresponds to
MAX_CARDS = 200
MAX_FILE_BYTES = 512 * 1024
_TYPE_BY_WORD = {name.lower(): letter for letter, name in CARD_TYPES.items()}
_FIELD_LIMITS = {
    "id": LIMITS["card_key"],
    "theme": LIMITS["card_theme"],
    "title": LIMITS["card_title"],
    "description": LIMITS["card_description"],
    "counts_as": LIMITS["card_title"],
}


@dataclass(frozen=True)
class CardRow:
    key: str
    type: str
    theme: str
    title: str
    description: str
    counts_as: str | None = None
    line: int = 0


class DeckFileError(InvalidInput):
    """A deck file that cannot be loaded; `problems` lists every line that is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:10]
        more = f"\n… and {len(problems) - 10} more problems" if len(problems) > 10 else ""
        super().__init__("The deck file was not loaded:\n" + "\n".join(shown) + more)


def deck_name_from_path(path: Path) -> str:
    """'ABC-worst-practices.csv' -> 'ABC worst practices': shipped decks are named by their file."""
    return path.stem.replace("-", " ").replace("_", " ").strip()


def parse_deck(data: bytes | str) -> list[CardRow]:
    """Parse and validate a whole deck file, or raise DeckFileError naming each bad line and field."""
    if isinstance(data, str):
        data = data.lstrip("\ufeff").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise DeckFileError([f"The file is {len(data) // 1024} KB; a deck file may be at most {MAX_FILE_BYTES // 1024} KB."])
    try:
        table = read_csv(data)
    except TableError as error:
        raise DeckFileError(error.problems) from None
    missing = [column for column in COLUMNS if column not in table.header]
    if missing:
        raise DeckFileError([f"Line 1: the header lacks the column(s) {', '.join(missing)}; expected: {','.join(COLUMNS)}."])
    index = {column: table.header.index(column) for column in (*COLUMNS, *OPTIONAL) if column in table.header}

    cards: list[CardRow] = []
    problems: list[str] = []
    seen_keys: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    for line, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        card = _parse_row(row, table.header, index, line, problems)
        if card is None:
            continue
        if card.key.lower() in seen_keys:
            problems.append(f"Line {line}: id '{card.key}' is already used on line {seen_keys[card.key.lower()]}.")
            continue
        if title_key(card.title) in seen_titles:
            problems.append(f"Line {line}: title '{card.title}' is already used on line {seen_titles[title_key(card.title)]}.")
            continue
        seen_keys[card.key.lower()] = line
        seen_titles[title_key(card.title)] = line
        cards.append(card)
    if not cards and not problems:
        problems.append("The file has a header but no cards.")
    if len(cards) > MAX_CARDS:
        problems.append(f"The deck has {len(cards)} cards; at most {MAX_CARDS} are allowed.")
    if problems:
        raise DeckFileError(problems)
    return cards


def _parse_row(row: list[str], header: list[str], index: dict[str, int], line: int, problems: list[str]) -> CardRow | None:
    values = {}
    row_problems = []
    for position, cell in enumerate(row):
        problem = cell_problem(cell)
        if problem:
            name = header[position] if position < len(header) and header[position] else str(position + 1)
            row_problems.append(f"Line {line}: field '{name}' {problem}")
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        row_problems.append(
            f"Line {line}: it has {len(row)} fields but the header {len(header)}; "
            "a comma inside a text needs quotes around the text."
        )
    if row_problems:
        problems.extend(row_problems)
        return None
    for column, position in index.items():
        value = row[position].strip() if position < len(row) else ""
        if not value:
            if column not in OPTIONAL:
                row_problems.append(f"Line {line}: field '{column}' is empty.")
            continue
        limit = _FIELD_LIMITS.get(column)
        if limit and len(value) > limit:
            row_problems.append(f"Line {line}: field '{column}' has {len(value)} characters; the limit is {limit}.")
            continue
        values[column] = value
    card_type = values.get("type")
    if card_type is not None:
        letter = card_type.upper() if card_type.upper() in CARD_TYPES else _TYPE_BY_WORD.get(card_type.lower())
        if letter is None:
            row_problems.append(f"Line {line}: field 'type' is '{card_type}'; use A, B or C (Attitude, Behaviour, Culture).")
        else:
            values["type"] = letter
    if row_problems:
        problems.extend(row_problems)
        return None
    return CardRow(
        key=values["id"],
        type=values["type"],
        theme=values["theme"],
        title=values["title"],
        description=values["description"],
        counts_as=values.get("counts_as"),
        line=line,
    )
