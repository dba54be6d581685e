"""Reading one field of an import line (abc_workshop/importer.py): a text within its limit, a whole number in its range,
an answer on a poll's scale. A problem is a LineError whose sentence the importer reports once per cause, with every
line it affects."""

from __future__ import annotations

from typing import Literal, overload

from .domain import LIMITS, PollScale

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
            raise LineError(f"{column} is empty.")
        return None
    if len(value) > LIMITS[limit_name]:
        raise LineError(f"{column} has {len(value)} characters; the limit is {LIMITS[limit_name]}.")
    return value


def whole_number(values: dict, column: str, low: int, high: int = MAX_COUNT) -> int:
    raw = values.get(column, "")
    if raw.endswith(".0") and raw[:-2].isdigit():  # a spreadsheet's way of writing a whole number
        raw = raw[:-2]
    digits = raw.removeprefix("-")
    number = None
    if digits.isascii() and digits.isdigit():
        number = int(raw) if len(digits) <= 30 else (-1 if raw.startswith("-") else 1) * 10**30  # no 4,300-digit parse
    if number is None:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise LineError(f"{column} is '{shown}'; a whole number is needed.")
    if not low <= number <= high:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise LineError(f"{column} is {shown}; it must be between {low:,} and {high:,}.")
    return number


def answer_value(raw: str, scale: PollScale) -> int:
    if scale is PollScale.AGREE3 and raw.lower() in _AGREE3_WORDS:
        return _AGREE3_WORDS[raw.lower()]
    if raw.isdigit() and 1 <= int(raw) <= len(scale.answers):
        return int(raw)
    allowed = "agree, partly or disagree" if scale is PollScale.AGREE3 else "a number from 1 to 5"
    raise LineError(f"answer is '{raw}'; on this scale use {allowed}.")
