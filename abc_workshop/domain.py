"""The workshop's vocabulary: plain records and the rules' limits, shared by the store and the pages.

Nothing here touches the database or Streamlit, so every layer can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal, overload

from .i18n import N_, _, pgettext


class WorkshopError(Exception):
    """A refusal with a message meant for the person who asked; nothing was changed."""


class NotFound(WorkshopError):
    pass


class AccessDenied(WorkshopError):
    """A facilitator action without the right key."""


class VoteRejected(WorkshopError):
    pass


class InvalidInput(WorkshopError):
    pass


class Busy(WorkshopError):
    """Another program held the database's write lock for longer than the busy timeout; nothing was written."""

    def __init__(self):
        super().__init__(
            _("The database is busy (another program is writing to it), so nothing was saved. Please try again in a moment.")
        )


class Refused(VoteRejected, InvalidInput):
    """A rule the database itself holds (a trigger's refusal), told in its sentence for people."""


# The names are shown through `_` (`_(CARD_TYPES[t])`); the English ones also read a deck file's type column.
CARD_TYPES = {"A": N_("Attitude"), "B": N_("Behaviour"), "C": N_("Culture")}
CARD_COLOURS = {"A": "#d9480f", "B": "#1971c2", "C": "#2b8a3e"}


class Perspective(str, Enum):
    """Whose eyes a round asks participants to look through."""

    RECOGNISE = "recognise"
    USERS_WOULD_PICK = "users_would_pick"
    USERS_PICK = "users_pick"
    RESISTANCE = "resistance"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        """The wording in the run's language (PERSPECTIVE_LABELS holds the English, which import files may use)."""
        return _(PERSPECTIVE_LABELS[self])


PERSPECTIVE_LABELS = {
    Perspective.RECOGNISE: N_("We recognise this in our organisation"),
    Perspective.USERS_WOULD_PICK: N_("Our users would pick this"),
    Perspective.USERS_PICK: N_("As users, we see this in IT"),
    Perspective.RESISTANCE: N_("Resistance we meet when we change"),
    Perspective.CUSTOM: N_("Own wording"),
}


class RoundState(str, Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"

    @property
    def label(self) -> str:
        """The state as people read it, in the run's language ('closed'); `value` is what the database stores."""
        return {
            "draft": pgettext("state of a round or poll", "draft"),
            "open": pgettext("state of a round or poll", "open"),
            "closed": pgettext("state of a round or poll", "closed"),
            "revealed": pgettext("state of a round or poll", "revealed"),
        }[self.value]


# Text limits; the schema repeats them as CHECK constraints so no writer can bypass them.
LIMITS = {
    "title": 120,
    "organisation": 120,
    "notes": 2000,
    "team": 60,
    "display_name": 40,
    "question": 300,
    "perspective_label": 120,
    "deck_name": 80,
    "card_title": 120,
    "card_description": 400,
    "card_theme": 60,
    "card_key": 40,
    "reason": 300,
    "note": 500,
    "statement": 300,
    "action": 300,
    "owner": 80,
}
MAX_PICK_LIMIT = 60
MAX_TIMER_SECONDS = 3 * 60 * 60
# How check_text names a field whose caller gives no label of its own (a label given is translated the same way,
# so callers mark theirs with N_).
FIELD_NAMES = {
    "title": N_("title"),
    "organisation": N_("organisation"),
    "notes": N_("notes"),
    "team": N_("team"),
    "display_name": N_("display name"),
    "question": N_("question"),
    "perspective_label": N_("perspective label"),
    "deck_name": N_("deck name"),
    "card_title": N_("card title"),
    "card_description": N_("card description"),
    "card_theme": N_("card theme"),
    "card_key": N_("card key"),
    "reason": N_("reason"),
    "note": N_("note"),
    "statement": N_("statement"),
    "action": N_("action"),
    "owner": N_("owner"),
    "country": N_("country"),
    "poll_title": N_("poll title"),
}


@overload
def check_text(
    field: str,
    value: str | None,
    *,
    required: Literal[True] = True,
    label: str | None = None,
    limits: dict[str, int] | None = None,
) -> str: ...
@overload
def check_text(
    field: str, value: str | None, *, required: bool, label: str | None = None, limits: dict[str, int] | None = None
) -> str | None: ...
def check_text(
    field: str, value: str | None, *, required: bool = True, label: str | None = None, limits: dict[str, int] | None = None
) -> str | None:
    """Trim a user's text and refuse it, with a message naming the field, if empty or too long.

    `limits` names each field's length limit (LIMITS by default). `label` (marked with N_ by the caller) names the
    field in the message, translated then; without one, FIELD_NAMES does."""
    name = _(label or FIELD_NAMES.get(field) or field.replace("_", " "))
    text = (value or "").strip()
    if not text:
        if required:
            # Translators: {name} is the name of a form field, e.g. "workshop title".
            raise InvalidInput(_("Please fill in the {name}.").format(name=name))
        return None
    limit = (LIMITS if limits is None else limits)[field]
    if len(text) > limit:
        raise InvalidInput(
            # Translators: {name} is the name of a form field, e.g. "workshop title".
            _("The {name} is {length} characters long; the limit is {limit}.").format(name=name, length=len(text), limit=limit)
        )
    from .names import NAME_FIELDS, refuse_invisible  # names.py builds on this module

    if field in NAME_FIELDS and limits is None:
        refuse_invisible(text, name)
    return text


@dataclass(frozen=True)
class Workshop:
    id: int
    join_code: str
    title: str
    organisation: str
    held_on: str | None
    notes: str | None
    version: int
    current_round_id: int | None
    organisation_id: int | None = None
    imported: bool = False
    joining_ends: str | None = None  # ISO time (UTC) from which the join code no longer lets anyone join
    ended_by_facilitator: bool = False
    language: str = "en"  # the room's language (abc_workshop/i18n.py): the projector, the report, phones' default

    def takes_new_participants(self, now_iso: str) -> bool:
        """README.md, "Doors": an imported workshop never does; a live one until it ended."""
        return not self.imported and (self.joining_ends is None or now_iso < self.joining_ends)


@dataclass(frozen=True)
class Team:
    id: int
    workshop_id: int
    name: str


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    token: str
    display_name: str | None
    team_id: int | None
    language: str | None = None  # the language this participant chose for their phone; None: not chosen

    @property
    def shown_name(self) -> str:
        return self.display_name or _("Anonymous")


@dataclass(frozen=True)
class Card:
    id: int
    deck_id: int
    key: str
    type: str
    theme: str
    title: str
    description: str

    @property
    def type_name(self) -> str:
        return _(CARD_TYPES[self.type])


@dataclass(frozen=True)
class Deck:
    id: int
    name: str
    source: str
    card_count: int


@dataclass(frozen=True)
class RoundSpec:
    """What a facilitator fills in to create a round."""

    question: str
    deck_id: int
    perspective: Perspective = Perspective.RECOGNISE
    perspective_label: str | None = None
    pick_limit: int = 10
    timer_seconds: int | None = None
    show_names: bool = False


@dataclass(frozen=True)
class Round:
    id: int
    workshop_id: int
    position: int
    question: str
    deck_id: int
    perspective: Perspective
    perspective_label: str | None
    pick_limit: int
    timer_seconds: int | None
    show_names: bool
    state: RoundState
    attempt: int
    closes_at: float | None

    @property
    def perspective_text(self) -> str:
        if self.perspective is Perspective.CUSTOM and self.perspective_label:
            return self.perspective_label
        return self.perspective.label

    def seconds_left(self, now: float) -> float | None:
        """Seconds until the timer runs out while open; None when there is no running timer."""
        if self.state is not RoundState.OPEN or self.closes_at is None:
            return None
        return max(0.0, self.closes_at - now)


@dataclass(frozen=True)
class TeamProgress:
    team_id: int | None
    team_name: str
    joined: int
    voted: int


@dataclass(frozen=True)
class Progress:
    joined: int
    voted: int
    teams: tuple[TeamProgress, ...]


@dataclass(frozen=True)
class Event:
    at: str
    kind: str
    detail: str
    round_id: int | None


# -- Leads: comparing workshops, statement polls and imports ------------------------------------------

SMALL_GROUP = 5  # fewer participants than this: counts are shown, percentages are flagged as unreliable
LIMITS.update({"country": 60, "poll_title": 120})
MAX_STATEMENTS = 10


class PollScale(str, Enum):
    """How participants answer a statement. Both map onto disagree / partly / agree, so they compare."""

    AGREE3 = "agree3"
    SCALE5 = "scale5"

    @property
    def answers(self) -> tuple[str, ...]:
        """The answer labels in the run's language; an answer's stored value is its position, starting at 1."""
        return tuple(_(answer) for answer in POLL_ANSWERS[self])

    @property
    def label(self) -> str:
        return _(POLL_SCALE_LABELS[self.value])


POLL_SCALE_LABELS = {"agree3": N_("Agree / partly / disagree"), "scale5": N_("1 to 5 (strongly disagree to strongly agree)")}
POLL_ANSWERS = {
    PollScale.AGREE3: (N_("Disagree"), N_("Partly agree"), N_("Agree")),
    PollScale.SCALE5: (
        N_("1 · Strongly disagree"),
        N_("2 · Disagree"),
        N_("3 · Neither"),
        N_("4 · Agree"),
        N_("5 · Strongly agree"),
    ),
}
# What both scales are compared on: 1-2 / 3 / 4-5 on the 1-5 scale. Column names of the compare tables (and so of
# their exports): shown through `_(name)`.
AGREEMENT = (N_("Disagree"), N_("Partly"), N_("Agree"))


@dataclass(frozen=True)
class Statement:
    id: int
    poll_id: int
    position: int
    text: str


@dataclass(frozen=True)
class Poll:
    """A set of statements answered on one scale: live in the room, or a survey left open for days."""

    id: int
    workshop_id: int
    title: str
    scale: PollScale
    state: RoundState
    closes_at: float | None
    survey_code: str
    on_projector: bool
    statements: tuple[Statement, ...]

    def accepts_answers(self, now: float) -> bool:
        return self.state is RoundState.OPEN and (self.closes_at is None or self.closes_at > now)


@dataclass(frozen=True)
class CompareFilter:
    """What a lead narrows the comparison to; an empty tuple means no restriction."""

    organisations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    workshop_ids: tuple[int, ...] = ()
    date_from: str | None = None  # ISO dates, inclusive
    date_to: str | None = None
    teams: tuple[str, ...] = ()
    perspectives: tuple[str, ...] = ()
    deck_ids: tuple[int, ...] = ()
    card_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportRecord:
    id: int
    kind: str
    file_name: str
    rows: int
    summary: str
    imported_at: str
    undone_at: str | None
    undoing: bool = False  # being removed now (abc_workshop/store/import_steps.py): its results are unseen already
