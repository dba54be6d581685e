"""Reading deck files: CSV with one card a row, checked whole before anything is stored.

The format is documented in cards/README.md. A facilitator may upload the deck they own (read as
abc_workshop/tabular.py reads any table people save), so every problem is reported with its line number
and field, and one bad row rejects the file.

A card's theme, title and description may come in other languages too (`title_nl`, `description_de`, ... for each
language of abc_workshop/i18n.py): the card stays one card, with one id, and the store shows the text in the
reader's language (abc_workshop/store/schema_texts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .domain import CARD_TYPES, LIMITS, InvalidInput
from .i18n import LANGUAGES, _, ngettext
from .tabular import TableError, cell_problem, read_csv
from .titles import title_key

COLUMNS = ("id", "type", "theme", "title", "description")
OPTIONAL = ("counts_as",)  # the default deck's card (id or title) this card corresponds to
TRANSLATED = ("theme", "title", "description")  # each may also come as <field>_<language>: title_nl, description_de
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


def translation_columns(header: list[str]) -> dict[str, tuple[str, str]]:
    """The header's translated columns, each as (field, language): 'title_nl' -> ('title', 'nl'). Columns for a
    language the app does not speak are other columns, and ignored like them."""
    found = {}
    for column in header:
        name, _sep, language = column.rpartition("_")
        if name in TRANSLATED and language in LANGUAGES:
            found[column] = (name, language)
    return found


@dataclass(frozen=True)
class CardRow:
    key: str
    type: str
    theme: str
    title: str
    description: str
    counts_as: str | None = None
    line: int = 0
    # language -> the fields given in it ({"nl": {"title": ..., "description": ...}}); a field not given is shown in
    # the deck's own words
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


class DeckFileError(InvalidInput):
    """A deck file that cannot be loaded; `problems` lists every line that is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:10]
        rest = len(problems) - 10
        more = "\n" + ngettext("… and {n} more problem", "… and {n} more problems", rest).format(n=rest) if rest > 0 else ""
        super().__init__(_("The deck file was not loaded:") + "\n" + "\n".join(shown) + more)


def deck_name_from_path(path: Path) -> str:
    """'ABC-worst-practices.csv' -> 'ABC worst practices': shipped decks are named by their file."""
    return path.stem.replace("-", " ").replace("_", " ").strip()


def parse_deck(data: bytes | str) -> list[CardRow]:
    """Parse and validate a whole deck file, or raise DeckFileError naming each bad line and field."""
    if isinstance(data, str):
        data = data.lstrip("\ufeff").encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise DeckFileError(
            [
                _("The file is {size} KB; a deck file may be at most {limit} KB.").format(
                    size=len(data) // 1024, limit=MAX_FILE_BYTES // 1024
                )
            ]
        )
    try:
        table = read_csv(data)
    except TableError as error:
        raise DeckFileError(error.problems) from None
    missing = [column for column in COLUMNS if column not in table.header]
    if missing:
        raise DeckFileError(
            [
                _("Line 1: the header lacks the column(s) {missing}; expected: {expected}.").format(
                    missing=", ".join(missing), expected=",".join(COLUMNS)
                )
            ]
        )
    translated = translation_columns(table.header)
    index = {column: table.header.index(column) for column in (*COLUMNS, *OPTIONAL, *translated) if column in table.header}

    cards: list[CardRow] = []
    problems: list[str] = []
    seen_keys: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    seen_translated: dict[tuple[str, str], int] = {}  # (language, title key) -> line: a language's titles are unique too
    for line, row in table.rows:
        if not any(cell.strip() for cell in row):
            continue
        card = _parse_row(row, table.header, index, line, problems)
        if card is None:
            continue
        if card.key.lower() in seen_keys:
            problems.append(
                _("Line {line}: id '{id}' is already used on line {earlier}.").format(
                    line=line, id=card.key, earlier=seen_keys[card.key.lower()]
                )
            )
            continue
        if title_key(card.title) in seen_titles:
            problems.append(
                _("Line {line}: title '{title}' is already used on line {earlier}.").format(
                    line=line, title=card.title, earlier=seen_titles[title_key(card.title)]
                )
            )
            continue
        repeated = [
            (language, texts["title"])
            for language, texts in card.translations.items()
            if "title" in texts and (language, title_key(texts["title"])) in seen_translated
        ]
        if repeated:
            problems.extend(
                _("Line {line}: {field} '{title}' is already used on line {earlier}.").format(
                    line=line, field=f"title_{language}", title=title, earlier=seen_translated[(language, title_key(title))]
                )
                for language, title in repeated
            )
            continue
        seen_keys[card.key.lower()] = line
        seen_titles[title_key(card.title)] = line
        for language, texts in card.translations.items():
            if "title" in texts:
                seen_translated[(language, title_key(texts["title"]))] = line
        cards.append(card)
    if not cards and not problems:
        problems.append(_("The file has a header but no cards."))
    if len(cards) > MAX_CARDS:
        problems.append(_("The deck has {n} cards; at most {limit} are allowed.").format(n=len(cards), limit=MAX_CARDS))
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
            # Translators: {problem} is the rest of the sentence, e.g. "holds a line break; a field must be one line of text."
            row_problems.append(_("Line {line}: field '{field}' {problem}").format(line=line, field=name, problem=problem))
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
        row_problems.append(
            _(
                "Line {line}: it has {fields} fields but the header {columns}; "
                "a comma inside a text needs quotes around the text."
            ).format(line=line, fields=len(row), columns=len(header))
        )
    if row_problems:
        problems.extend(row_problems)
        return None
    translated = translation_columns(header)
    for column, position in index.items():
        value = row[position].strip() if position < len(row) else ""
        if not value:
            if column not in OPTIONAL and column not in translated:
                row_problems.append(_("Line {line}: field '{field}' is empty.").format(line=line, field=column))
            continue
        limit = _FIELD_LIMITS.get(translated[column][0] if column in translated else column)
        if limit and len(value) > limit:
            row_problems.append(
                _("Line {line}: field '{field}' has {length} characters; the limit is {limit}.").format(
                    line=line, field=column, length=len(value), limit=limit
                )
            )
            continue
        values[column] = value
    card_type = values.get("type")
    if card_type is not None:
        letter = card_type.upper() if card_type.upper() in CARD_TYPES else _TYPE_BY_WORD.get(card_type.lower())
        if letter is None:
            row_problems.append(
                _("Line {line}: field 'type' is '{type}'; use A, B or C (Attitude, Behaviour, Culture).").format(
                    line=line, type=card_type
                )
            )
        else:
            values["type"] = letter
    if row_problems:
        problems.extend(row_problems)
        return None
    translations: dict[str, dict[str, str]] = {}
    for column, (name, language) in translated.items():
        if column in values:
            translations.setdefault(language, {})[name] = values[column]
    return CardRow(
        key=values["id"],
        type=values["type"],
        theme=values["theme"],
        title=values["title"],
        description=values["description"],
        counts_as=values.get("counts_as"),
        line=line,
        translations=translations,
    )
