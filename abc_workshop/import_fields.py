"""Reading one field of an import line (abc_workshop/importer.py): a text within its limit, a whole number in its range,
an answer on a poll's scale. A problem is a LineError whose sentence the importer reports once per cause, with every
line it affects."""

from __future__ import annotations

from typing import Literal, overload

from .domain import LIMITS, PollScale
from .i18n import _, number

MAX_COUNT = 1_000_000  # picks, participants or answers on one line: more is a typo, not a workshop
_AGREE3_WORDS = {"disagree": 1, "partly": 2, "partly agree": 2, "agree": 3}


class LineError(Exception):
    """One line's problem; collected per cause, never shown alone."""


@overload
def field_text(values: dict, column: str, limit_name: str, *, required: Literal[True] = True) -> str: ...
@overload
def field_text(values: dict, column: str, limit_name: str, *, required: bool) -> str | None: ...
def field_text(values: dict, column: str, limit_name: str, *, required: bool = True) -> str | None:
    value = values.get(column, "")
    if not value:
        if required:
            # Translators: {column} is the name of a column of the file (card, team...), which stays as it is.
            raise LineError(_("{column} is empty.").format(column=column))
        return None
    if len(value) > LIMITS[limit_name]:
        raise LineError(
            # Translators: {column} is the name of a column of the file (card, team...), which stays as it is.
            _("{column} has {length} characters; the limit is {limit}.").format(
                column=column, length=len(value), limit=LIMITS[limit_name]
            )
        )
    return value


def whole_number(values: dict, column: str, low: int, high: int = MAX_COUNT) -> int:
    raw = values.get(column, "")
    if raw.endswith(".0") and raw[:-2].isdigit():  # a spreadsheet's way of writing a whole number
        raw = raw[:-2]
    digits = raw.removeprefix("-")
    found = None
    if digits.isascii() and digits.isdigit():
        found = int(raw) if len(digits) <= 30 else (-1 if raw.startswith("-") else 1) * 10**30  # no 4,300-digit parse
    if found is None:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise LineError(_("{column} is '{value}'; a whole number is needed.").format(column=column, value=shown))
    if not low <= found <= high:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise LineError(
            _("{column} is {value}; it must be between {low} and {high}.").format(
                column=column, value=shown, low=number(low), high=number(high)
            )
        )
    return found


def answer_value(raw: str, scale: PollScale) -> int:
    if scale is PollScale.AGREE3 and raw.lower() in _AGREE3_WORDS:
        return _AGREE3_WORDS[raw.lower()]
    if raw.isdigit() and 1 <= int(raw) <= len(scale.answers):
        return int(raw)
    if scale is PollScale.AGREE3:
        # Translators: agree, partly and disagree are what the file may hold: keep them in English.
        raise LineError(_("answer is '{raw}'; on this scale use agree, partly or disagree.").format(raw=raw))
    raise LineError(_("answer is '{raw}'; on this scale use a number from 1 to 5.").format(raw=raw))
