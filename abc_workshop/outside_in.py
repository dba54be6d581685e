"""Between workshops: the outside-in programme's vocabulary and rules, with no database or Streamlit in it.

Scouts (undercover providers) go out on immersion visits, each with one single, specific customer
activity to observe, and record moments of truth along the customer journey. The business tells IT
about its own moments of truth through a feedback channel that is answered and acted upon.
README.md ("Between workshops: the outside-in programme") says how it fits the workshop.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal, overload

from .domain import Card, InvalidInput, check_text
from .i18n import DEFAULT, N_, _, current, number, pgettext

BRIEFING_TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "briefing-templates.toml"

# The labels below are English message ids, translated where they are shown: _(VISIT_KINDS[kind]).
VISIT_KINDS = {
    "business_unit": N_("A business unit"),
    "store": N_("A store or depot"),
    "call_centre": N_("The call centre"),
    "website_app": N_("The public website or app, as a customer"),
    "it_rotation": N_("Another IT team (internal rotation)"),
    "undercover_customer": N_("A business person visits IT (undercover customer)"),
}
# Also the stages' names in the lead's tables and the import format (import_moments.py reads them in English).
STAGES = {"finding": N_("Finding"), "accessing": N_("Accessing"), "using": N_("Using"), "support": N_("Getting support")}
EFFORT = {
    1: N_("1 · effortless"),
    2: N_("2 · easy"),
    3: N_("3 · some effort"),
    4: N_("4 · hard work"),
    5: N_("5 · exhausting"),
}
OUTSIDE_LIMITS = {
    "person": 80,
    "team": 60,
    "role": 80,
    "place": 120,
    "activity": 300,
    "host": 80,
    "briefing": 1000,
    "what_happened": 1000,
    "customer_words": 500,
    "business_unit": 120,
    "summary": 2000,
    "should_change": 2000,
    "writer_name": 80,
    "owner": 80,
    "answer": 1000,
    "action_taken": 1000,
    "decline_reason": 500,
}
MAX_PHOTO_BYTES = 2 * 1024 * 1024  # the schema repeats it as a CHECK
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
ANSWER_TARGET_WORKING_DAYS = 5
QUOTES_PER_CARD = 3
QUARTER_DAYS, YEAR_DAYS = 91, 365


class VisitStatus(str, Enum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """'planned', 'done' or 'cancelled' in the run's language (the lead's reads and the report show it)."""
        return {
            VisitStatus.PLANNED: pgettext("status", "planned"),
            VisitStatus.DONE: pgettext("status", "done"),
            VisitStatus.CANCELLED: pgettext("status", "cancelled"),
        }[self]


class FeedbackStatus(str, Enum):
    """The order each item moves through; declined (with a reason) may end it before it is acted upon."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    ACTED_UPON = "acted_upon"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        """'Acknowledged', 'Acted upon'... in English: the lead's tables and the log keep it; translate it where it is
        shown (_(status.label), the values of FEEDBACK_STATUSES)."""
        return FEEDBACK_STATUSES[self]

    def next_steps(self) -> tuple[FeedbackStatus, ...]:
        return _NEXT.get(self, ())


FEEDBACK_STATUSES = {
    FeedbackStatus.NEW: N_("New"),
    FeedbackStatus.ACKNOWLEDGED: N_("Acknowledged"),
    FeedbackStatus.ANSWERED: N_("Answered"),
    FeedbackStatus.ACTED_UPON: N_("Acted upon"),
    FeedbackStatus.DECLINED: N_("Declined"),
}
_NEXT = {
    FeedbackStatus.NEW: (FeedbackStatus.ACKNOWLEDGED, FeedbackStatus.DECLINED),
    FeedbackStatus.ACKNOWLEDGED: (FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED),
    FeedbackStatus.ANSWERED: (FeedbackStatus.ACTED_UPON, FeedbackStatus.DECLINED),
}


@overload
def clean(field: str, value: str | None, *, required: Literal[True] = True, label: str | None = None) -> str: ...
@overload
def clean(field: str, value: str | None, *, required: bool, label: str | None = None) -> str | None: ...
def clean(field: str, value: str | None, *, required: bool = True, label: str | None = None) -> str | None:
    """Trim a person's text; refuse it, naming the field, when it is missing or too long."""
    return check_text(field, value, required=required, label=label, limits=OUTSIDE_LIMITS)


def check_photo(data: bytes | None, mime: str | None) -> tuple[bytes | None, str | None]:
    if not data:
        return None, None
    if mime not in PHOTO_TYPES or not _looks_like(data, mime):
        raise InvalidInput(_("A photo must be a JPEG, PNG or WebP image."))
    if len(data) > MAX_PHOTO_BYTES:
        raise InvalidInput(
            _("The photo is {size} MB; the limit is {limit} MB.").format(
                size=number(len(data) / 1048576, 1), limit=number(MAX_PHOTO_BYTES // 1048576)
            )
        )
    return data, mime


def _looks_like(data: bytes, mime: str) -> bool:
    """The file's first bytes agree with its type (a renamed document is not a photo)."""
    if mime == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


@dataclass(frozen=True)
class Briefing:
    look_for: str
    questions: str
    expected: str


BRIEFING_PARTS = ("look_for", "questions", "expected")


def briefing_templates(path: Path = BRIEFING_TEMPLATES, language: str | None = None) -> dict[str, Briefing]:
    """The default briefing for each kind of visit, from the data file (one TOML table per kind, with a sub-table per
    language: [store.de]), in `language` (the run's language when None). A text the file does not hold in that
    language is the English one. Once copied into a visit, a briefing is the facilitator's text and stays as stored."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    missing = set(VISIT_KINDS) - set(data)
    if missing:
        raise ValueError(f"{path.name} has no briefing for {', '.join(sorted(missing))}")
    code = language or current()
    templates = {}
    for kind in VISIT_KINDS:
        english = data[kind]
        own = english.get(code) if code != DEFAULT else None
        own = own if isinstance(own, dict) else {}
        templates[kind] = Briefing(**{part: (own.get(part) or english[part]).strip() for part in BRIEFING_PARTS})
    return templates


@dataclass(frozen=True)
class Visit:
    id: int
    organisation_id: int
    kind: str
    person: str
    team: str
    role: str
    place: str
    activity: str
    host: str | None
    visit_on: str
    look_for: str
    questions: str
    expected: str
    token: str
    status: VisitStatus
    summary: str | None
    should_change: str | None
    workshop_id: int | None
    action_id: int | None

    @property
    def kind_label(self) -> str:
        """The kind of visit in the run's language."""
        return _(VISIT_KINDS[self.kind])


@dataclass(frozen=True)
class Moment:
    """A moment of truth: where the customer's perception of IT's quality was made, for better or worse."""

    id: int
    visit_id: int | None
    source: str
    stage: str
    positive: bool
    what_happened: str
    customer_words: str | None
    effort: int | None
    business_unit: str | None
    internal: bool
    has_photo: bool
    created_at: float
    card_ids: tuple[int, ...]

    @property
    def stage_label(self) -> str:
        """The stage of the customer journey in the run's language."""
        return _(STAGES[self.stage])


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    moment: Moment
    token: str
    writer_name: str | None
    owner: str | None
    status: FeedbackStatus
    answer: str | None
    action_taken: str | None
    decline_reason: str | None
    created_at: float
    acknowledged_at: float | None
    answered_at: float | None
    acted_upon_at: float | None
    declined_at: float | None

    def overdue(self, now: float) -> bool:
        """Not answered (nor declined) within the target of working days after it was written."""
        if self.status not in (FeedbackStatus.NEW, FeedbackStatus.ACKNOWLEDGED):
            return False
        return working_days_between(self.created_at, now) >= ANSWER_TARGET_WORKING_DAYS

    def step_hours(self) -> dict[str, float | None]:
        """Hours from writing to each step, for the lead's response times."""
        return {
            step: None if at is None else round((at - self.created_at) / 3600, 2)
            for step, at in (
                ("acknowledged", self.acknowledged_at),
                ("answered", self.answered_at),
                ("acted_upon", self.acted_upon_at),
                ("declined", self.declined_at),
            )
        }


def working_days_between(start: float, end: float) -> int:
    """Whole working days (Monday to Friday) that have passed from `start` to `end`, both Unix times (UTC).

    Written on a Monday at 10:00, an item has had 5 working days at the next Monday 10:00.
    """
    if end <= start:
        return 0
    first = datetime.datetime.fromtimestamp(start, datetime.UTC)
    last = datetime.datetime.fromtimestamp(end, datetime.UTC)
    days = 0
    cursor = first
    while True:
        cursor += datetime.timedelta(days=1)
        while cursor.weekday() >= 5:
            cursor += datetime.timedelta(days=1)
        if cursor > last:
            return days
        days += 1


_WORD = re.compile(r"[a-z]{4,}")
_STOP = set(
    "that this with from they them their there have been were what when which while would could should about into "
    "your just than then only also does doesn done more most much many because every even over under after before "
    "said says told same such very will cannot again being other another still where here some something nothing".split()
)


def _stems(text: str) -> set[str]:
    return {word[:5] for word in _WORD.findall(text.lower()) if word not in _STOP}


def suggest_cards(text: str, cards: list[Card], limit: int = 3) -> list[Card]:
    """The cards whose words the text shares most (title words count double); the scout confirms."""
    words = _stems(text)
    if not words:
        return []
    scored = []
    for position, card in enumerate(cards):
        title, rest = _stems(card.title + " " + card.theme), _stems(card.description)
        score = 2 * len(words & title) + len(words & rest)
        if score >= 2:
            scored.append((-score, position, card))
    return [card for _score, _position, card in sorted(scored)[:limit]]


@dataclass(frozen=True)
class CoverageRow:
    """One group of IT people (a team or a role) and how many of them had a visit in the period."""

    group: str
    people: int
    visited: int
    last_visit: str | None

    @property
    def gap(self) -> bool:
        return self.visited == 0


def period_start(today: datetime.date, period: str) -> datetime.date:
    days = {"quarter": QUARTER_DAYS, "year": YEAR_DAYS}.get(period)
    if days is None:
        raise InvalidInput(_("Coverage is counted for a quarter or a year."))
    return today - datetime.timedelta(days=days)


@dataclass(frozen=True)
class Organisation:
    """The organisation whose workshops and programme belong together, matched by name without case."""

    id: int
    name: str
    channel_token: str
