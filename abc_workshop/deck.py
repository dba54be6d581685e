"""Reading deck files: CSV with one card a row, checked whole before anything is stored.

The format is documented in cards/README.md. A facilitator may upload the deck they own,
so every problem is reported with its line number and field, and one bad row rejects the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .domain import CARD_TYPES, LIMITS, InvalidInput

COLUMNS = ("id", "type", "theme", "title", "description")
MAX_CARDS = 200
MAX_FILE_BYTES = 512 * 1024
_TYPE_BY_WORD = {name.lower(): letter for letter, name in CARD_TYPES.items()}
_FIELD_LIMITS = {
    "id": LIMITS["card_key"],
    "theme": LIMITS["card_theme"],
    "title": LIMITS["card_title"],
    "description": LIMITS["card_description"],
}


@dataclass(frozen=True)
class CardRow:
    key: str
    type: str
    theme: str
    title: str
    description: str


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
    """Parse and validate a whole deck file, or raise DeckFileError naming each bad line."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise DeckFileError([f"The file is {len(data) // 1024} KB; a deck file may be at most {MAX_FILE_BYTES // 1024} KB."])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DeckFileError([f"The file is not UTF-8 text (byte {error.start} cannot be read). Save it as CSV UTF-8."]) from None
    else:
        text = data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise DeckFileError([f"Line 1: {error}"]) from None
    if header is None:
        raise DeckFileError(["The file is empty."])
    header = [column.strip().lower() for column in header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DeckFileError([f"Line 1: the header lacks the column(s) {', '.join(missing)}; expected: {','.join(COLUMNS)}."])
    index = {column: header.index(column) for column in COLUMNS}

    cards: list[CardRow] = []
    problems: list[str] = []
    seen_keys: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            card = _parse_row(row, index, line, problems)
            if card is None:
                continue
            if card.key.lower() in seen_keys:
                problems.append(f"Line {line}: id '{card.key}' is already used on line {seen_keys[card.key.lower()]}.")
                continue
            if card.title.lower() in seen_titles:
                problems.append(f"Line {line}: title '{card.title}' is already used on line {seen_titles[card.title.lower()]}.")
                continue
            seen_keys[card.key.lower()] = line
            seen_titles[card.title.lower()] = line
            cards.append(card)
    except csv.Error as error:
        problems.append(f"Line {reader.line_num}: {error}")
    if not cards and not problems:
        problems.append("The file has a header but no cards.")
    if len(cards) > MAX_CARDS:
        problems.append(f"The deck has {len(cards)} cards; at most {MAX_CARDS} are allowed.")
    if problems:
        raise DeckFileError(problems)
    return cards


def _parse_row(row: list[str], index: dict[str, int], line: int, problems: list[str]) -> CardRow | None:
    values = {}
    row_problems = []
    for column, position in index.items():
        value = row[position].strip() if position < len(row) else ""
        if not value:
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
    )
