"""After the vote: the records of a team's analysis of its top cards, and the severity summary.

The method (the ABC workshop as GamingWorks describes it): the team takes its top cards, records their negative impact on
value, outcomes, costs and risks, decides whether that is an acceptable business risk, defines the
desirable behaviour, and agrees actions it holds itself accountable for.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from enum import Enum

from .i18n import N_, _, day, ngettext, number, pgettext

# The headings and their prompts in English, as files name them (import_analyses.py reads these labels back);
# shown, each goes through `_`: `_(HEADINGS[heading])`.
HEADINGS = {
    "value": N_("Value"),
    "outcomes": N_("Outcomes"),
    "costs": N_("Costs"),
    "risks": N_("Risks"),
}
HEADING_PROMPTS = {
    "value": N_("e.g. Solutions don't meet business needs"),
    "outcomes": N_("e.g. Dissatisfied customers"),
    "costs": N_("e.g. Higher costs, lost revenue"),
    "risks": N_("e.g. Damaged business reputation"),
}
# The risk decisions in English, as files write them (import_analyses.py reads them back): RiskDecision.label shows them.
RISK_LABELS = {"yes": N_("Acceptable risk"), "no": N_("Not acceptable"), "undecided": N_("Not decided")}
NOTE_LIMIT = 500
STATEMENT_LIMIT = 300
DEFAULT_SHORTLIST = 3
# The most one participant, and one team, may write about one card: (each, team). A team of ten writing three notes
# under each of the four headings stays inside; one person (or a script) cannot bury the team's work or slow its pages.
# A participant's own hidden items still count for them; the team's count leaves out what the facilitator hid.
WRITING_CAPS = {"note": (20, 120), "behaviour": (5, 20), "action": (10, 30)}


class RiskDecision(str, Enum):
    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"

    @property
    def label(self) -> str:
        """The decision in the run's language, for people; `english` is the form files use."""
        return _(RISK_LABELS[self.value])

    @property
    def english(self) -> str:
        return RISK_LABELS[self.value]


def decision_label(decision: RiskDecision | None) -> str:
    """A topic's decision as shown, 'not recorded' while the team has made none."""
    return decision.label if decision is not None else _("not recorded")


class ActionStatus(str, Enum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """The status in the run's language (the value stays the stored, English word)."""
        labels = {
            "open": pgettext("status", "open"),
            "done": pgettext("status", "done"),
            "dropped": pgettext("status", "dropped"),
        }
        return labels[self.value]


def status_label(status: str) -> str:
    """A stored action status ('open', 'done', 'dropped') as shown; an unknown one as it is."""
    try:
        return ActionStatus(status).label
    except ValueError:
        return status


def shown_day(value: str | None) -> str:
    """An ISO day (an action's due day) in the run's language: 'May 1, 2026', '1 mei 2026', '01.05.2026'. Anything
    that is not a day (an imported year or month, a typing slip) is shown as it is."""
    if not value:
        return ""
    try:
        return day(value) if len(value) >= 10 else value
    except ValueError:
        return value


def shown_score(value: float | None) -> str:
    """A severity score or median as a number in the run's language: 4, 4.5 (4,5 in Dutch and German), – for none."""
    if value is None:
        return "–"
    return number(value, 0 if float(value).is_integer() else 1)


@dataclass(frozen=True)
class Note:
    id: int
    heading: str
    text: str
    author_id: int | None
    author: str
    hidden: bool
    edited: bool
    moderated: bool = False  # edited or hidden by the facilitator: its author can no longer change it


@dataclass(frozen=True)
class Severity:
    """The team's scores for one heading: median and spread, so disagreement stays visible."""

    scores: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def spread(self) -> int | None:
        """Highest minus lowest score: 0 means everyone agrees."""
        return max(self.scores) - min(self.scores) if self.scores else None

    def describe(self) -> str:
        if not self.scores:
            return _("no scores yet")
        low, high = min(self.scores), max(self.scores)
        span = f"{low}" if low == high else f"{low}–{high}"
        return ngettext(
            "median {median} (range {range}, {n} scored)", "median {median} (range {range}, {n} scored)", self.count
        ).format(median=shown_score(self.median), range=span, n=self.count)


@dataclass(frozen=True)
class Behaviour:
    id: int
    statement: str
    author: str
    hidden: bool


@dataclass(frozen=True)
class Action:
    id: int
    topic_id: int
    what: str
    owner: str
    due_on: str | None
    status: ActionStatus
    card_title: str
    team_name: str
    workshop_title: str = ""
    held_on: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Topic:
    """A card on (or once on) a team's shortlist for a round, and everything the team recorded about it."""

    id: int
    round_id: int
    team_id: int
    team_name: str
    card_id: int
    card_key: str
    card_title: str
    card_type: str
    picks: int
    on_shortlist: bool
    notes: tuple[Note, ...] = ()
    severities: dict[str, Severity] = field(default_factory=dict)
    my_scores: dict[str, int] = field(default_factory=dict)
    decision: RiskDecision | None = None
    decision_reason: str | None = None
    reason_hidden: bool = False  # the facilitator hid the reason; it is left out wherever the room or a report reads
    behaviours: tuple[Behaviour, ...] = ()
    actions: tuple[Action, ...] = ()

    def notes_under(self, heading: str, include_hidden: bool = False) -> list[Note]:
        return [n for n in self.notes if n.heading == heading and (include_hidden or not n.hidden)]
