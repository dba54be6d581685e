"""The app's words in the room's language: gettext catalogues (abc_workshop/locales/), read with Babel.

Every sentence a person reads goes through `_` (or `ngettext` when it counts something, `pgettext` when one English
word means two things). The language is per script run, not per process: the page sets it first
(`use("de")`), and everything that runs in that run — pages, the core's messages, charts and reports — reads it.
A run happens in one thread, and the store's queries run in the caller's thread, so the core's messages follow
the person who caused them.

People's own text (names, notes, questions, card titles of a facilitator's deck without translations) never goes
through here. Adding a language is adding a catalogue: README.md, "Languages".
"""

from __future__ import annotations

import contextvars
import datetime
import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "abc"
DEFAULT = "en"
# The languages with a complete catalogue, each named in its own words (the switch shows these).
LANGUAGES = {"en": "English", "nl": "Nederlands", "de": "Deutsch"}

_current: contextvars.ContextVar[str] = contextvars.ContextVar("abc_language", default=DEFAULT)


def supported(code: str | None) -> str | None:
    """'de-CH', 'de_DE' or 'DE' -> 'de' when the app speaks it; None otherwise."""
    if not code:
        return None
    base = str(code).replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else None


def use(code: str | None) -> str:
    """Speak this language for the rest of the run (an unknown code falls back to English); returns the one used."""
    chosen = supported(code) or DEFAULT
    _current.set(chosen)
    return chosen


def current() -> str:
    return _current.get()


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """For a block only, e.g. building a workshop's report in the workshop's language."""
    token = _current.set(supported(code) or DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def catalogue_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (read once per process); English is the source text itself."""
    path = catalogue_path(code)
    if code == DEFAULT or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """The message in the run's language (the English message itself when no translation exists)."""
    return translations(current()).gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """'{n} card' / '{n} cards' by the language's plural rule; format the result with n."""
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose English words mean different things in different places ('Vote' the page, 'vote' the act)."""
    return translations(current()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a module's table); translate it with `_` when shown."""
    return message


def locale() -> Locale:
    try:
        return Locale.parse(current())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def number(value: float, digits: int = 0) -> str:
    """1234.5 -> '1,234.5' in English, '1.234,5' in German and Dutch."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale())


def percent(share: float, digits: int = 0) -> str:
    """0.25 -> '25%': the same sign, tight, in all three (a projector's columns line up), with the language's decimal
    mark ('12.5%', '12,5%')."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(share, format=pattern, locale=locale())


def day(value: datetime.date | str, form: str = "medium") -> str:
    """A day in the language's own form: 'Dec 7, 2026', '7 dec. 2026', '07.12.2026'."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return format_date(value, format=form, locale=locale())


def month(value: datetime.date | str) -> str:
    """'Sep 2012', 'sep. 2012', 'Sept. 2012': for time axes at a month's precision."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return format_date(value, format="MMM y", locale=locale())
