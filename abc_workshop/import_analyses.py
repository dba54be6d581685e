"""Teams' analyses in an import file (docs/import-format.md): what a team recorded about a card after the vote, as the
compare page's Impact view counts it. A line holds a severity score (with how many gave it), the risk decision, an
action, or several of them; lines of the same team, round and card make one analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import HEADINGS, ActionStatus, RiskDecision
from .dates import DateOrderUnknown, parse_date
from .import_batch import AnalysisRows, RoundRows, StoredWorkshop
from .import_fields import LineError, field_text, whole_number

MARKERS = ("heading", "decision", "action")  # a header naming one of them is a file of teams' analyses
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
        raise LineError("the line holds no analysis: give a heading with its severity, a decision, or an action with its owner.")
    return line


def add_line(analysis: AnalysisRows, line: AnalysisLine, number: int) -> None:
    """Add a checked line to its team's analysis of the card; a second, different decision or shortlist is refused."""
    if line.shortlisted is not None:
        if "shortlisted" in analysis.lines and analysis.shortlisted != line.shortlisted:
            raise LineError(
                f"shortlisted differs from line {analysis.lines['shortlisted']} for this team and card; a card is on the "
                "shortlist or not."
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
                f"the risk decision differs from line {analysis.lines['decision']} for this team and card; a team decides "
                "once per card."
            )
        analysis.lines.setdefault("decision", number)
        analysis.decision, analysis.reason = decision, analysis.reason or reason
    if line.action:
        analysis.actions.append(line.action)


def stored_round(stored: StoredWorkshop, rnd: RoundRows) -> int:
    """The round of an earlier import that analyses for `rnd` belong to; refused when that import has no such round."""
    found = stored.rounds.get((rnd.perspective, rnd.question.lower()))
    if found is None:
        known = "; ".join(f"{perspective}: '{question}'" for (perspective, _), (_, _, question) in sorted(stored.rounds.items()))
        raise LineError(
            f"import #{stored.import_id} ({stored.file_name}) stored no round '{rnd.question}' ({rnd.perspective}) for this "
            f"workshop; its rounds are {known}. Write the round's perspective and question as they are there."
        )
    round_id, deck_id, _ = found
    if deck_id != rnd.deck_id:
        raise LineError(f"deck differs from the deck of this round as import #{stored.import_id} stored it.")
    return round_id


def _shortlisted(values: dict) -> bool | None:
    raw = values.get("shortlisted", "")
    if not raw:
        return None
    if raw.lower() not in _YES_NO:
        raise LineError(f"shortlisted is '{raw}'; write yes or no (empty means yes).")
    return _YES_NO[raw.lower()]


def _score(values: dict) -> tuple[str, int, int] | None:
    raw = values.get("heading", "")
    if not raw:
        if values.get("severity") or values.get("scores"):
            raise LineError("severity needs its heading: value, outcomes, costs or risks.")
        return None
    heading = _HEADINGS.get(raw.lower())
    if heading is None:
        raise LineError(f"heading is '{raw}'; use value, outcomes, costs or risks.")
    if not values.get("severity"):
        raise LineError("severity is empty; give the score from 1 (minor) to 5 (severe) for the heading.")
    severity = whole_number(values, "severity", 1, 5)
    scores = whole_number(values, "scores", 1) if values.get("scores") else 1
    return heading, severity, scores


def _decision(values: dict) -> tuple[str, str | None] | None:
    raw = values.get("decision", "")
    reason = field_text(values, "reason", "reason", required=False)
    if not raw:
        if reason:
            raise LineError("reason belongs to a decision: give the decision (yes, no or undecided) on its line.")
        return None
    decision = _DECISIONS.get(raw.lower())
    if decision is None:
        raise LineError(f"decision is '{raw}'; is it an acceptable business risk? Write yes, no or undecided.")
    return decision, reason


def _action(values: dict, day_first: bool | None) -> tuple[str, str, str | None, str] | None:
    what = field_text(values, "action", "action", required=False)
    if not what:
        stray = [column for column in ("owner", "due", "status") if values.get(column)]
        if stray:
            verb = "belongs" if len(stray) == 1 else "belong"
            raise LineError(f"{' and '.join(stray)} {verb} to an action: give the action on its line.")
        return None
    if not values.get("owner"):
        raise LineError("owner is empty; an action needs the person who holds it.")
    owner = field_text(values, "owner", "owner")
    status = (values.get("status") or "open").lower()
    if status not in _STATUSES:
        raise LineError(f"status is '{values['status']}'; use open, done or dropped.")
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
        raise LineError(f"due is '{raw}'; an action is due on a day: write it as 2024-06-30, 30.06.2024 or 30/06/2024.")
    return due.iso
