"""Dates as precise as their source: a year ('2012'), a year and month ('2012-09') or a day.

A survey published as "2012" is stored as 2012 (its first day, marked with precision 'year'), shown as
"2012" and placed in the middle of 2012 on a time axis, never on a day nobody gave. Days are read as
YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY; a slash date such as 03/04/2012 could also be month-first, so when
nothing in the file settles the order, the import asks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from . import i18n
from .i18n import N_, _

PRECISIONS = ("year", "month", "day")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})[./](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^(\d{4})/(\d{1,2})/(\d{1,2})$")
# Translators: the end of an import file's message about a date column, e.g. "Line 3: date is '2012-13-01'; write it as …"
FORMATS_HINT = N_("write it as 2012, 2012-09, 2012-09-30, 30.09.2012 or 30/09/2012")


@dataclass(frozen=True)
class PartialDate:
    first_day: datetime.date
    precision: str  # year, month or day

    @property
    def iso(self) -> str:
        return self.first_day.isoformat()

    def label(self) -> str:
        return text_at_precision(self.iso, self.precision)


class DateOrderUnknown(ValueError):
    """A slash date whose day and month could be either way round."""


def iso_now() -> str:
    """Now in UTC, to the second, as the store stamps rows (a workshop's joining_ends compares with it as text)."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_at_precision(iso: str, precision: str | None) -> str:
    """'2012-01-01' at precision 'year' -> '2012'; 'month' -> '2012-01'; 'day' (or unknown) -> '2012-01-01'."""
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)


def label_at_precision(iso: str, precision: str | None) -> str:
    """For a chart's axis, in the run's language: '2012', 'Sep 2012' or 'Sep 30, 2012' ('30 sep. 2012' in Dutch)."""
    day = datetime.date.fromisoformat(iso)
    if precision == "year":
        return f"{day:%Y}"
    return i18n.month(day) if precision == "month" else i18n.day(day)


def middle(iso: str, precision: str | None) -> str:
    """Where a point of that precision sits on a time axis: mid-year, mid-month, or the day itself."""
    day = datetime.date.fromisoformat(iso)
    if precision == "year":
        return datetime.date(day.year, 7, 2).isoformat()
    if precision == "month":
        return datetime.date(day.year, day.month, 15).isoformat()
    return iso


def slash_order(raw: str) -> str | None:
    """What a DD/MM/YYYY-or-MM/DD/YYYY date says about the order: 'day_first', 'month_first', 'either' or None."""
    match = re.match(r"^(\d{1,2})/(\d{1,2})/\d{4}$", raw.strip())
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    if first > 12 >= second:
        return "day_first"
    if second > 12 >= first:
        return "month_first"
    return "either" if first != second and first <= 12 and second <= 12 else None


def parse_date(raw: str, *, day_first: bool | None = True, column: str = "date") -> PartialDate:
    """Read a date at the precision it is written; raises ValueError (or DateOrderUnknown when `day_first` is None
    and a slash date could be read both ways) with a sentence for people that names the file's `column` (a column
    name of the import format, so never translated)."""
    text = raw.strip()
    try:
        if match := _YEAR.match(text):
            return PartialDate(datetime.date(int(match[1]), 1, 1), "year")
        if match := _MONTH.match(text):
            year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
            return PartialDate(datetime.date(int(year), int(month), 1), "month")
        if match := _ISO.match(text):
            return PartialDate(datetime.date(int(match[1]), int(match[2]), int(match[3])), "day")
        if match := _DOTTED.match(text):
            return PartialDate(datetime.date(int(match[3]), int(match[2]), int(match[1])), "day")
        if match := _SLASHED.match(text):
            if match[4]:
                return PartialDate(datetime.date(int(match[4]), int(match[5]), int(match[6])), "day")
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            if day_first is None and slash_order(text) == "either":
                raise DateOrderUnknown(text)
            day, month = (first, second) if day_first in (True, None) else (second, first)
            if day_first is None and first > 12:
                day, month = first, second
            elif day_first is None and second > 12:
                day, month = second, first
            return PartialDate(datetime.date(year, month, day), "day")
    except ValueError as error:
        if isinstance(error, DateOrderUnknown):
            raise
        # Translators: {column} is a column name of the import file (date, due), kept in English as the file has it
        message = _("{column} is '{raw}', which is not a day of the calendar; {hint}.")
        raise ValueError(message.format(column=column, raw=raw, hint=_(FORMATS_HINT))) from None
    # Translators: {column} is a column name of the import file (date, due), kept in English as the file has it
    raise ValueError(_("{column} is '{raw}'; {hint}.").format(column=column, raw=raw, hint=_(FORMATS_HINT)))
