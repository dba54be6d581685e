"""What an import file becomes once checked: workshops, rounds, ballots, counts, published ranks, answers and teams'
analyses, ready to be stored (abc_workshop/store/imports.py, in steps) — and what stops it: problems, one
sentence per cause with the lines it affects, or questions only the lead can answer (which card a title
means, which way round a date is).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .domain import InvalidInput, PollScale
from .i18n import N_, _, ngettext, number

SHOWN_PROBLEMS = 20
WorkshopKey = tuple[str, str, str]  # organisation, title (both lower case), ISO date
MomentKey = tuple[str, str, str, bool, str]  # organisation's name key, ISO day, stage, positive, what happened (lower case)


@dataclass(frozen=True)
class Catalogue:
    """What a file is checked against: the decks and their cards, the workshops already stored, and the lead's
    earlier decisions about titles (per source: who published the results)."""

    decks: dict[str, int]  # lower-case name -> deck id
    default_deck: str
    cards: dict[int, dict[str, int]]  # deck id -> lower-case card id or title -> card id
    existing_workshops: frozenset[WorkshopKey]
    titles: dict[int, dict[int, str]] = field(default_factory=dict)  # deck id -> card id -> title
    mappings: dict[tuple[str, int, str], int] = field(default_factory=dict)  # (source, deck id, title key) -> card id
    imported: dict[WorkshopKey, StoredWorkshop] = field(default_factory=dict)  # the stored workshops an import brought
    moments: frozenset[MomentKey] = frozenset()  # the moments of truth stored already (import_moments.moment_key)


# What a stored workshop may hold, as a lead names it. A later file may add to an imported workshop what it lacks.
HOLDINGS = {
    "cards": "card results (picks, counts or a published ranking)",
    "rounds": "rounds",
    "answers": "statement answers",
    "analyses": "teams' analyses",
}
# Why a file may not add a holding the workshop has already, whole, by the holding (see HOLDINGS).
_HELD_ALREADY = {
    "cards": N_(
        "the workshop '{title}' of '{organisation}' on {date} already has its card results (picks, counts or a published "
        "ranking) from import #{import_id} ({file}). Undo that import under Imports so far to import them again, or give "
        "this workshop another title."
    ),
    "rounds": N_(
        "the workshop '{title}' of '{organisation}' on {date} already has its rounds from import #{import_id} ({file}). "
        "Undo that import under Imports so far to import them again, or give this workshop another title."
    ),
    "answers": N_(
        "the workshop '{title}' of '{organisation}' on {date} already has its statement answers from import #{import_id} "
        "({file}). Undo that import under Imports so far to import them again, or give this workshop another title."
    ),
    "analyses": N_(
        "the workshop '{title}' of '{organisation}' on {date} already has its teams' analyses from import #{import_id} "
        "({file}). Undo that import under Imports so far to import them again, or give this workshop another title."
    ),
}


@dataclass(frozen=True)
class StoredWorkshop:
    """A workshop that an earlier import stored, and what it holds: a later file may add statement answers, teams'
    analyses or (to a workshop without rounds) card results, never what it holds already."""

    id: int
    import_id: int
    file_name: str
    country: str | None
    holds: frozenset[str]  # keys of HOLDINGS
    # (perspective, lower-case question) -> (round id, deck id, question)
    rounds: dict[tuple[str, str], tuple[int, int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Decisions:
    """The lead's answers to an import's questions."""

    cards: dict[tuple[int, str], int | None] = field(default_factory=dict)  # (deck id, title key) -> card id, None: leave out
    day_first: bool | None = None  # how to read slash dates that could be either way round


def addition_problem(stored: StoredWorkshop, holding: str, *, title: str, organisation: str, date: str) -> str | None:
    """Why a file may not add `holding` (a key of HOLDINGS) to a workshop an earlier import stored (the workshop
    '{title}' of '{organisation}' on {date}), as a sentence in the run's language; None when it may."""
    named = {"title": title, "organisation": organisation, "date": date, "import_id": stored.import_id, "file": stored.file_name}
    if holding in stored.holds:
        return _(_HELD_ALREADY[holding]).format(**named)
    if holding == "cards" and "rounds" in stored.holds:
        return _(
            "the workshop '{title}' of '{organisation}' on {date} holds teams' analyses of its rounds from import "
            "#{import_id} ({file}), so its card results cannot follow on their own: undo that import, then choose this "
            "file and {file} together in the uploader (one import)."
        ).format(**named)
    return None


@dataclass
class Unmatched:
    """A title that matches no card of its deck even without typography: one decision, however many lines carry it."""

    deck_id: int
    title: str
    key: str
    suggestions: list[int]
    lines: list[int] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


@dataclass
class Questions:
    unmatched: list[Unmatched] = field(default_factory=list)
    ambiguous_dates: list[str] = field(default_factory=list)  # examples such as '03/04/2012'

    def __bool__(self) -> bool:
        return bool(self.unmatched or self.ambiguous_dates)


@dataclass
class WorkshopRows:
    organisation: str
    title: str
    held_on: str
    country: str | None
    line: int
    teams: dict[str, str] = field(default_factory=dict)  # lower case -> spelling first seen
    participants: dict[str, str | None] = field(default_factory=dict)  # picks: participant (lower) -> team
    precision: str = "day"  # year, month or day: as precise as the source
    stored: StoredWorkshop | None = None  # an earlier import's workshop this file adds to


@dataclass
class BallotRows:
    participant: str
    team: str | None
    picks: list[tuple[int, int | None]] = field(default_factory=list)  # (card id, rank)
    ranked_lines: list[int] = field(default_factory=list)
    unranked_lines: list[int] = field(default_factory=list)


@dataclass
class RoundRows:
    workshop: WorkshopKey
    perspective: str
    question: str
    deck_id: int
    pick_limit: int = 0  # 0 until a line states it (counts) or a ballot shows it (picks)
    ballots: dict[str, BallotRows] = field(default_factory=dict)  # picks: participant (lower) -> ballot
    counts: dict[tuple[str | None, int], int] = field(default_factory=dict)  # counts: (team, card id) -> picks
    team_sizes: dict[str | None, int] = field(default_factory=dict)  # counts: team -> participants
    borda: dict[tuple[str | None, int], int] = field(default_factory=dict)  # counts: (team, card id) -> Borda points
    ranked: dict[str | None, int] = field(default_factory=dict)  # counts: team -> ranked ballots behind the points
    ranks: dict[tuple[str | None, int], int] = field(default_factory=dict)  # published order: (team, card id) -> rank
    lines: dict[str, int] = field(default_factory=dict)  # where something was first said, for messages
    analyses: dict[tuple[str, int], AnalysisRows] = field(default_factory=dict)  # (team, card id) -> the team's analysis
    stored_id: int | None = None  # the round of an earlier import that this file's analyses belong to


@dataclass
class PollRows:
    workshop: WorkshopKey
    title: str
    scale: PollScale
    statements: dict[str, str] = field(default_factory=dict)  # lower case -> text
    counts: dict[tuple[str, str | None, int], int] = field(default_factory=dict)  # (statement, team, value) -> answers


@dataclass
class AnalysisRows:
    """A team's analysis of one card in a round, as the Impact view counts it: severity scores per heading and score
    (no participants behind them), the risk decision and the actions. From a file of teams' analyses, or a synthetic
    history."""

    shortlisted: bool = True
    scores: dict[tuple[str, int], int] = field(default_factory=dict)  # (heading, severity) -> how many gave it
    decision: str | None = None
    reason: str | None = None
    actions: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # (what, owner, due on, status)
    lines: dict[str, int] = field(default_factory=dict)  # where the shortlist or decision was first said


@dataclass(frozen=True)
class MomentRows:
    """A moment of truth from a file (docs/import-format.md, "Moments of truth"): it joins the programme of the
    organisation record of its name, as imported workshops join theirs."""

    organisation: str
    day: str  # ISO date
    source: str
    stage: str
    positive: bool
    what_happened: str
    customer_words: str | None
    effort: int | None
    business_unit: str | None
    internal: bool
    card_ids: tuple[int, ...]
    line: int


@dataclass
class ImportBatch:
    kind: str
    file_name: str
    sha256: str
    rows: int
    workshops: dict[WorkshopKey, WorkshopRows] = field(default_factory=dict)
    rounds: dict[tuple, RoundRows] = field(default_factory=dict)
    polls: dict[tuple, PollRows] = field(default_factory=dict)
    moments: list[MomentRows] = field(default_factory=list)
    decided: set[tuple[str, int, str, int]] = field(default_factory=set)  # (source, deck, title key, card): to remember
    remembered: int = 0  # lines matched by an earlier decision for the same source
    left_out: int = 0  # lines the lead chose to leave out

    def summary(self) -> str:
        """Stored with the import (imports.summary), so in English whatever the lead's language. E.g. '3 workshops, 4 rounds, 52 participants' ballots, 498 picks, 2 published rankings', or 'added to 1 workshop
        of an earlier import: analyses of 6 cards (24 severity scores, 6 risk decisions, 4 actions)', or '1 workshop, 109
        answers to 4 statements (some of it added to 1 workshop of an earlier import)'."""
        rounds = [r for r in self.rounds.values() if r.stored_id is None]
        added = sum(1 for w in self.workshops.values() if w.stored)
        parts = [_count(len(self.workshops) - added, "workshop")] if added < len(self.workshops) else []
        if rounds:
            ballots = sum(len(r.ballots) + sum(r.team_sizes.values()) for r in rounds)
            picks = sum(sum(len(b.picks) for b in r.ballots.values()) + sum(r.counts.values()) for r in rounds)
            parts.append(_count(len(rounds), "round"))
            if ballots or picks:
                parts += [_count(ballots, "participant's ballot", "participants' ballots"), _count(picks, "pick")]
            rankings = sum(1 for r in rounds if r.ranks)
            if rankings:
                parts.append(_count(rankings, "published ranking"))
        if self.polls:
            answers = sum(sum(p.counts.values()) for p in self.polls.values())
            parts.append(
                f"{_count(answers, 'answer')} to {_count(sum(len(p.statements) for p in self.polls.values()), 'statement')}"
            )
        analyses = [a for r in self.rounds.values() for a in r.analyses.values()]
        if analyses:
            scores = sum(sum(a.scores.values()) for a in analyses)
            decisions = sum(1 for a in analyses if a.decision)
            actions = sum(len(a.actions) for a in analyses)
            parts.append(
                f"analyses of {_count(len(analyses), 'card')} ({_count(scores, 'severity score')}, "
                f"{_count(decisions, 'risk decision')}, {_count(actions, 'action')})"
            )
        if self.moments:
            internal = sum(1 for m in self.moments if m.internal)
            moments = _count(len(self.moments), "moment of truth", "moments of truth")
            parts.append(moments + (f" ({internal:,} internal)" if internal else ""))
        if not added:
            return ", ".join(parts)
        if added < len(self.workshops):
            return f"{', '.join(parts)} (some of it added to {_count(added, 'workshop')} of an earlier import)"
        return f"added to {_count(added, 'workshop')} of an earlier import: {', '.join(parts)}"


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def line_ranges(lines: list[int]) -> str:
    """[2, 3, 4, 7] -> '2–4, 7'."""
    spans: list[list[int]] = []
    for line in sorted(set(lines)):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


@dataclass(frozen=True)
class Cause:
    """One reason a file was refused, and every line it applies to (none for a whole-file reason)."""

    message: str
    lines: tuple[int, ...] = ()
    where: str = ""  # "sheet 'Card counts', " in a workbook

    def __str__(self) -> str:
        """The cause with its lines, in the run's language (the message was translated when it was found)."""
        if not self.lines:
            return self.message
        if len(self.lines) == 1:
            place = _("line {line}").format(line=self.lines[0])
        elif len(self.lines) == 2:
            place = _("lines {lines}").format(lines=line_ranges(list(self.lines)))
        else:
            place = _("lines {lines} ({count} lines)").format(lines=line_ranges(list(self.lines)), count=number(len(self.lines)))
        text = f"{self.where}{place}: {self.message}"
        return text[0].upper() + text[1:]


class ImportFileError(InvalidInput):
    """A file that cannot be imported as it is: `problems` says each cause once with its lines; `questions`
    (when there are no problems) asks what only the lead can decide."""

    def __init__(self, causes: list[Cause], questions: Questions | None = None):
        self.causes = causes
        self.problems = [str(cause) for cause in causes]
        self.questions = questions or Questions()
        if causes:
            lines = [_("Nothing was imported:"), *self.problems[:SHOWN_PROBLEMS]]
            if len(causes) > SHOWN_PROBLEMS:
                more = len(causes) - SHOWN_PROBLEMS
                lines.append(ngettext("… and {n} more problem", "… and {n} more problems", more).format(n=number(more)))
            text = "\n".join(lines)
        elif self.questions.unmatched and self.questions.ambiguous_dates:
            text = _(
                "Nothing was imported yet: the file needs your decision on {n} card title(s), the order of day and month "
                "in its dates."
            ).format(n=len(self.questions.unmatched))
        elif self.questions.unmatched:
            text = _("Nothing was imported yet: the file needs your decision on {n} card title(s).").format(
                n=len(self.questions.unmatched)
            )
        else:
            text = _("Nothing was imported yet: the file needs your decision on the order of day and month in its dates.")
        super().__init__(text)


def file_problem(message: str) -> ImportFileError:
    return ImportFileError([Cause(message)])
