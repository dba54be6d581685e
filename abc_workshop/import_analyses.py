"""Teams' analyses in an import file (docs/import-format.md): what a team recorded about a card after the vote, as the
compare page's Impact view counts it. A line holds a severity score (with how many gave it), the risk decision, an
action, or several of them; lines of the same team, round and card make one analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list

from .analysis import HEADINGS, ActionStatus, RiskDecision
from .dates import DateOrderUnknown, parse_date
from .i18n import DEFAULT, _, locale, ngettext, speaking
from .import_batch import AnalysisRows, RoundRows, StoredWorkshop
from .import_fields import LineError, field_text, whole_number

MARKERS = ("heading", "decision", "action")  # a header naming one of them is a file of teams' analyses
# A file's words are English, whatever language reads it (the labels may be translated where they are shown).
with speaking(DEFAULT):
    _HEADINGS = {**{h: h for h in HEADINGS}, **{label.lower(): h for h, label in HEADINGS.items()}}
    _DECISIONS = {**{d.value: d.value for d in RiskDecision}, **{d.label.lower(): d.value for d in RiskDecision}}
_STATUSES = {s.value for s in ActionStatus}
_YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


@dataclass(frozen=True)
class AnalysisLine:
    """What one line says; checked whole before it is added to its card's analysis."""

    shortlisted: bool | None
    score: tuple[str, int, int] | None  # heading, severity, how many gave it
    decision: tuple[str, str | None] | None  # decision, reason
    action: tuple[str, str, str | None, str] | None  # what, owner, due on, status


def read_line(values: dict, day_first: bool | None) -> AnalysisLine:
    line = AnalysisLine(_shortlisted(values), _score(values), _decision(values), _action(values, day_first))
    if not (line.score or line.decision or line.action):
        raise LineError(
            _("the line holds no analysis: give a heading with its severity, a decision, or an action with its owner.")
        )
    return line


def add_line(analysis: AnalysisRows, line: AnalysisLine, number: int) -> None:
    """Add a checked line to its team's analysis of the card; a second, different decision or shortlist is refused."""
    if line.shortlisted is not None:
        if "shortlisted" in analysis.lines and analysis.shortlisted != line.shortlisted:
            raise LineError(
                _("shortlisted differs from line {line} for this team and card; a card is on the shortlist or not.").format(
                    line=analysis.lines["shortlisted"]
                )
            )
        analysis.lines.setdefault("shortlisted", number)
        analysis.shortlisted = line.shortlisted
    if line.score:
        heading, severity, scores = line.score
        analysis.scores[(heading, severity)] = analysis.scores.get((heading, severity), 0) + scores
    if line.decision:
        decision, reason = line.decision  # repeated on several lines, it may give its reason on one of them
        said = "decision" in analysis.lines
        if said and (decision != analysis.decision or (reason and analysis.reason and reason != analysis.reason)):
            raise LineError(
                _("the risk decision differs from line {line} for this team and card; a team decides once per card.").format(
                    line=analysis.lines["decision"]
                )
            )
        analysis.lines.setdefault("decision", number)
        analysis.decision, analysis.reason = decision, analysis.reason or reason
    if line.action:
        analysis.actions.append(line.action)


def stored_round(stored: StoredWorkshop, rnd: RoundRows) -> int:
    """The round of an earlier import that analyses for `rnd` belong to; refused when that import has no such round."""
    found = stored.rounds.get((rnd.perspective, rnd.question.lower()))
    if found is None:
        known = "; ".join(
            f"{perspective}: '{question}'" for (perspective, _lower), (_id, _deck, question) in sorted(stored.rounds.items())
        )
        raise LineError(
            _(
                "import #{import_id} ({file}) stored no round '{question}' ({perspective}) for this workshop; its rounds are "
                "{rounds}. Write the round's perspective and question as they are there."
            ).format(
                import_id=stored.import_id,
                file=stored.file_name,
                question=rnd.question,
                perspective=rnd.perspective,
                rounds=known,
            )
        )
    round_id, deck_id, _question = found
    if deck_id != rnd.deck_id:
        raise LineError(
            _("deck differs from the deck of this round as import #{import_id} stored it.").format(import_id=stored.import_id)
        )
    return round_id


def _shortlisted(values: dict) -> bool | None:
    raw = values.get("shortlisted", "")
    if not raw:
        return None
    if raw.lower() not in _YES_NO:
        # Translators: yes and no are what the file may hold: keep them in English.
        raise LineError(_("shortlisted is '{raw}'; write yes or no (empty means yes).").format(raw=raw))
    return _YES_NO[raw.lower()]


def _score(values: dict) -> tuple[str, int, int] | None:
    raw = values.get("heading", "")
    if not raw:
        if values.get("severity") or values.get("scores"):
            # Translators: value, outcomes, costs and risks are what the file may hold: keep them in English.
            raise LineError(_("severity needs its heading: value, outcomes, costs or risks."))
        return None
    heading = _HEADINGS.get(raw.lower())
    if heading is None:
        # Translators: value, outcomes, costs and risks are what the file may hold: keep them in English.
        raise LineError(_("heading is '{raw}'; use value, outcomes, costs or risks.").format(raw=raw))
    if not values.get("severity"):
        raise LineError(_("severity is empty; give the score from 1 (minor) to 5 (severe) for the heading."))
    severity = whole_number(values, "severity", 1, 5)
    scores = whole_number(values, "scores", 1) if values.get("scores") else 1
    return heading, severity, scores


def _decision(values: dict) -> tuple[str, str | None] | None:
    raw = values.get("decision", "")
    reason = field_text(values, "reason", "reason", required=False)
    if not raw:
        if reason:
            # Translators: yes, no and undecided are what the file may hold: keep them in English.
            raise LineError(_("reason belongs to a decision: give the decision (yes, no or undecided) on its line."))
        return None
    decision = _DECISIONS.get(raw.lower())
    if decision is None:
        # Translators: yes, no and undecided are what the file may hold: keep them in English.
        raise LineError(_("decision is '{raw}'; is it an acceptable business risk? Write yes, no or undecided.").format(raw=raw))
    return decision, reason


def _action(values: dict, day_first: bool | None) -> tuple[str, str, str | None, str] | None:
    what = field_text(values, "action", "action", required=False)
    if not what:
        stray = [column for column in ("owner", "due", "status") if values.get(column)]
        if stray:
            # Translators: {columns} are names of columns of the file ("owner and due"), which stay as they are.
            raise LineError(
                ngettext(
                    "{columns} belongs to an action: give the action on its line.",
                    "{columns} belong to an action: give the action on its line.",
                    len(stray),
                ).format(columns=format_list(stray, locale=locale()))
            )
        return None
    if not values.get("owner"):
        raise LineError(_("owner is empty; an action needs the person who holds it."))
    owner = field_text(values, "owner", "owner")
    status = (values.get("status") or "open").lower()
    if status not in _STATUSES:
        # Translators: open, done and dropped are what the file may hold: keep them in English.
        raise LineError(_("status is '{raw}'; use open, done or dropped.").format(raw=values["status"]))
    return what, owner, _due(values.get("due", ""), day_first), status


def _due(raw: str, day_first: bool | None) -> str | None:
    if not raw:
        return None
    try:
        due = parse_date(raw, day_first=day_first)
    except DateOrderUnknown:
        due = parse_date(raw, day_first=True)  # the order is asked about once the rest is checked
    except ValueError as error:
        raise LineError(str(error).replace("date is", "due is", 1)) from None
    if due.precision != "day":
        raise LineError(
            _("due is '{raw}'; an action is due on a day: write it as 2024-06-30, 30.06.2024 or 30/06/2024.").format(raw=raw)
        )
    return due.iso
