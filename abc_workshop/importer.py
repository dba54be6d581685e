"""Reading past results (paper workshops, earlier surveys) from CSV, checked whole before anything is stored.

Three shapes, told apart by the header (docs/import-format.md): card picks per participant, card counts
per team, and statement answer counts. Every problem is reported with its line number; one bad line
rejects the file, so an import lands completely or not at all.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field

from .domain import LIMITS, MAX_PICK_LIMIT, PERSPECTIVE_LABELS, InvalidInput, Perspective, PollScale

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
SHOWN_PROBLEMS = 20
DEFAULT_PICK_LIMIT = 10  # the paper method: each participant picks their 10 worst cards
WORKSHOP_COLUMNS = ("organisation", "workshop", "date")
KIND_COLUMNS = {
    "picks": ("perspective", "participant", "card"),
    "counts": ("perspective", "card", "picks", "participants"),
    "answers": ("statement", "scale", "answer", "count"),
}
_PERSPECTIVES = {
    **{p.value: p.value for p in Perspective if p is not Perspective.CUSTOM},
    **{label.lower(): p.value for p, label in PERSPECTIVE_LABELS.items() if p is not Perspective.CUSTOM},
}
_SCALES = {
    "agree3": PollScale.AGREE3,
    "agree/partly/disagree": PollScale.AGREE3,
    "scale5": PollScale.SCALE5,
    "1-5": PollScale.SCALE5,
}
_AGREE3_WORDS = {"disagree": 1, "partly": 2, "partly agree": 2, "agree": 3}

WorkshopKey = tuple[str, str, str]  # organisation, title (both lower case), ISO date


@dataclass(frozen=True)
class Catalogue:
    """What a file is checked against: the decks and their cards, and the workshops already stored."""

    decks: dict[str, int]  # lower-case name -> deck id
    default_deck: str
    cards: dict[int, dict[str, int]]  # deck id -> lower-case card id or title -> card id
    existing_workshops: frozenset[WorkshopKey]


@dataclass
class WorkshopRows:
    organisation: str
    title: str
    held_on: str
    country: str | None
    line: int
    teams: dict[str, str] = field(default_factory=dict)  # lower case -> spelling first seen
    participants: dict[str, str | None] = field(default_factory=dict)  # picks: participant (lower) -> team


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


@dataclass
class PollRows:
    workshop: WorkshopKey
    title: str
    scale: PollScale
    statements: dict[str, str] = field(default_factory=dict)  # lower case -> text
    counts: dict[tuple[str, str | None, int], int] = field(default_factory=dict)  # (statement, team, value) -> answers


@dataclass
class ImpactRows:
    """A team's analysis of one card; only synthetic histories carry it (no CSV shape has it)."""

    round: tuple
    team: str
    card_id: int
    scores: dict[str, list[int]]
    decision: str
    actions: list[tuple[str, str, str | None]]  # (what, status, due on)


@dataclass
class ImportBatch:
    kind: str
    file_name: str
    sha256: str
    rows: int
    workshops: dict[WorkshopKey, WorkshopRows] = field(default_factory=dict)
    rounds: dict[tuple, RoundRows] = field(default_factory=dict)
    polls: dict[tuple, PollRows] = field(default_factory=dict)
    impacts: list[ImpactRows] = field(default_factory=list)
    stored_already: dict[WorkshopKey, int] = field(default_factory=dict, repr=False)  # reported once, on this line

    def summary(self) -> str:
        """E.g. '3 workshops, 4 rounds, 52 participants' ballots, 498 picks'."""
        rounds = self.rounds.values()
        parts = [_count(len(self.workshops), "workshop")]
        if self.rounds:
            ballots = sum(len(r.ballots) + sum(r.team_sizes.values()) for r in rounds)
            picks = sum(sum(len(b.picks) for b in r.ballots.values()) + sum(r.counts.values()) for r in rounds)
            parts += [
                _count(len(self.rounds), "round"),
                _count(ballots, "participant's ballot", "participants' ballots"),
                _count(picks, "pick"),
            ]
        if self.polls:
            answers = sum(sum(p.counts.values()) for p in self.polls.values())
            parts.append(
                f"{_count(answers, 'answer')} to {_count(sum(len(p.statements) for p in self.polls.values()), 'statement')}"
            )
        return ", ".join(parts)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


class ImportFileError(InvalidInput):
    """A file that cannot be imported; `problems` names every bad line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f"\n… and {len(problems) - SHOWN_PROBLEMS} more problems" if len(problems) > SHOWN_PROBLEMS else ""
        super().__init__("Nothing was imported:\n" + "\n".join(problems[:SHOWN_PROBLEMS]) + more)


class _LineError(Exception):
    """One line's problem; collected, never shown alone."""


def parse_import(data: bytes, file_name: str, catalogue: Catalogue) -> ImportBatch:
    """Read and check a whole import file, or raise ImportFileError listing each bad line."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            [f"The file is {len(data) // 1024 // 1024} MB; an import may be at most {MAX_FILE_BYTES // 1024 // 1024} MB."]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            [f"The file is not UTF-8 text (byte {error.start} cannot be read). Save it as CSV UTF-8."]
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # Excel saves with ';' in much of Europe
    # strict: a stray quote is an error on its line, instead of swallowing the lines after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = [column.strip().lower().replace(" ", "_") for column in next(reader, [])]
    kind = _kind(header)
    batch = ImportBatch(kind, file_name, hashlib.sha256(data).hexdigest(), 0)
    problems: list[str] = []
    read_row = {"picks": _pick_row, "counts": _count_row, "answers": _answer_row}[kind]
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            batch.rows += 1
            if batch.rows > MAX_ROWS:
                problems.append(f"The file has more than {MAX_ROWS:,} rows; split it into several imports.")
                break
            values = {column: (row[i].strip() if i < len(row) else "") for i, column in enumerate(header)}
            try:
                if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                    raise _LineError(
                        f"it has {len(row)} fields but the header {len(header)}; a comma inside a text needs quotes around it."
                    )
                read_row(batch, values, reader.line_num, catalogue)
            except _LineError as problem:
                problems.append(f"Line {reader.line_num}: {problem}")
    except csv.Error as error:
        problems.append(f"Line {reader.line_num}: {error}")
    problems.extend(_whole_file_problems(batch))
    if problems:
        raise ImportFileError(problems)
    return batch


def _kind(header: list[str]) -> str:
    kinds = [
        kind for kind, marker in (("picks", "participant"), ("counts", "picks"), ("answers", "statement")) if marker in header
    ]
    if len(kinds) != 1:
        raise ImportFileError(
            [
                "Line 1: the header must name exactly one of the columns participant (picks per participant), "
                "picks (counts per team) or statement (answers); see docs/import-format.md."
            ]
        )
    missing = [c for c in (*WORKSHOP_COLUMNS, *KIND_COLUMNS[kinds[0]]) if c not in header]
    if missing:
        raise ImportFileError([f"Line 1: the header lacks the column(s) {', '.join(missing)}."])
    return kinds[0]


def _text(values: dict, column: str, limit_name: str, *, required: bool = True) -> str | None:
    value = values.get(column, "")
    if not value:
        if required:
            raise _LineError(f"{column} is empty.")
        return None
    if len(value) > LIMITS[limit_name]:
        raise _LineError(f"{column} has {len(value)} characters; the limit is {LIMITS[limit_name]}.")
    return value


def _whole_number(values: dict, column: str, low: int, high: int | None = None) -> int:
    raw = values.get(column, "")
    try:
        number = int(raw)
    except ValueError:
        raise _LineError(f"{column} is '{raw}'; a whole number is needed.") from None
    if number < low or (high is not None and number > high):
        raise _LineError(
            f"{column} is {number}; it must be {'between ' + str(low) + ' and ' + str(high) if high else 'at least ' + str(low)}."
        )
    return number


def _workshop(batch: ImportBatch, values: dict, line: int, catalogue: Catalogue) -> tuple[WorkshopKey, str | None]:
    """The line's workshop (created on first sight) and its team's key; the same workshop must agree on its country."""
    organisation = _text(values, "organisation", "organisation")
    title = _text(values, "workshop", "title")
    raw_date = values.get("date", "")
    try:
        held_on = datetime.date.fromisoformat(raw_date).isoformat()
    except ValueError:
        raise _LineError(f"date is '{raw_date}'; write it as YYYY-MM-DD, e.g. 2024-03-15.") from None
    country = _text(values, "country", "country", required=False)
    team = _text(values, "team", "team", required=False)
    key = (organisation.lower(), title.lower(), held_on)
    if key in catalogue.existing_workshops:
        if key in batch.stored_already:
            raise _LineError(f"the workshop is already stored (see line {batch.stored_already[key]}).")
        batch.stored_already[key] = line
        raise _LineError(
            f"the workshop '{title}' of '{organisation}' on {held_on} is already stored; undo its import or rename it."
        )
    workshop = batch.workshops.setdefault(key, WorkshopRows(organisation, title, held_on, country, line))
    if (workshop.country or "").lower() != (country or "").lower():
        raise _LineError(
            f"country '{country or ''}' differs from '{workshop.country or ''}' given for this workshop on line {workshop.line}."
        )
    if team:
        workshop.teams.setdefault(team.lower(), team)
    return key, team.lower() if team else None


def _round(batch: ImportBatch, workshop: WorkshopKey, values: dict, catalogue: Catalogue) -> tuple[tuple, RoundRows]:
    raw = values.get("perspective", "")
    perspective = _PERSPECTIVES.get(raw.lower())
    if perspective is None:
        choices = ", ".join(p.value for p in Perspective if p is not Perspective.CUSTOM)
        raise _LineError(f"perspective is '{raw}'; use one of {choices} (or their wording on the facilitator page).")
    question = (
        _text(values, "question", "question", required=False) or f"Imported: {PERSPECTIVE_LABELS[Perspective(perspective)]}"
    )
    deck_name = values.get("deck") or catalogue.default_deck
    deck_id = catalogue.decks.get(deck_name.lower())
    if deck_id is None:
        raise _LineError(f"deck '{deck_name}' is not loaded; load it on the facilitator page first.")
    key = (*workshop, perspective, question.lower())
    rnd = batch.rounds.setdefault(key, RoundRows(workshop, perspective, question, deck_id))
    if rnd.deck_id != deck_id:
        raise _LineError(f"deck '{deck_name}' differs from the deck given earlier for this round.")
    return key, rnd


def _card(values: dict, rnd: RoundRows, catalogue: Catalogue) -> int:
    raw = values.get("card", "")
    card_id = catalogue.cards[rnd.deck_id].get(raw.lower())
    if card_id is None:
        raise _LineError(f"card '{raw}' is not in the round's deck; give its id (e.g. abc-02) or its exact title.")
    return card_id


def _pick_row(batch: ImportBatch, values: dict, line: int, catalogue: Catalogue) -> None:
    workshop, team = _workshop(batch, values, line, catalogue)
    _, rnd = _round(batch, workshop, values, catalogue)
    participant = _text(values, "participant", "display_name")
    card_id = _card(values, rnd, catalogue)
    rank = _whole_number(values, "rank", 1, MAX_PICK_LIMIT) if values.get("rank") else None
    rows = batch.workshops[workshop]
    known_team = rows.participants.setdefault(participant.lower(), team)
    if known_team != team:
        raise _LineError(
            f"participant '{participant}' is in team '{rows.teams.get(known_team, 'none')}' on an earlier line of this workshop."
        )
    ballot = rnd.ballots.setdefault(participant.lower(), BallotRows(participant, team))
    if any(card == card_id for card, _ in ballot.picks):
        raise _LineError(f"participant '{participant}' picked card '{values['card']}' twice in this round.")
    if rank is not None and any(r == rank for _, r in ballot.picks):
        raise _LineError(f"participant '{participant}' has rank {rank} twice in this round.")
    ballot.picks.append((card_id, rank))
    (ballot.ranked_lines if rank is not None else ballot.unranked_lines).append(line)
    rnd.pick_limit = max(rnd.pick_limit, len(ballot.picks), rank or 0)


def _count_row(batch: ImportBatch, values: dict, line: int, catalogue: Catalogue) -> None:
    workshop, team = _workshop(batch, values, line, catalogue)
    _, rnd = _round(batch, workshop, values, catalogue)
    card_id = _card(values, rnd, catalogue)
    picks = _whole_number(values, "picks", 0)
    participants = _whole_number(values, "participants", 1)
    if values.get("pick_limit"):
        limit = _whole_number(values, "pick_limit", 1, MAX_PICK_LIMIT)
        if rnd.pick_limit not in (0, limit):
            raise _LineError(f"pick_limit is {limit}, but {rnd.pick_limit} for this round on an earlier line.")
        rnd.pick_limit = limit
    if picks > participants:
        raise _LineError(f"picks ({picks}) exceed participants ({participants}); each participant picks a card at most once.")
    known = rnd.team_sizes.setdefault(team, participants)
    if known != participants:
        raise _LineError(f"participants is {participants}, but {known} for this team and round on an earlier line.")
    if (team, card_id) in rnd.counts:
        raise _LineError(f"card '{values['card']}' is counted twice for this team and round.")
    if picks:
        rnd.counts[(team, card_id)] = picks


def _answer_row(batch: ImportBatch, values: dict, line: int, catalogue: Catalogue) -> None:
    workshop, team = _workshop(batch, values, line, catalogue)
    statement = _text(values, "statement", "statement")
    scale = _SCALES.get(values.get("scale", "").lower())
    if scale is None:
        raise _LineError(f"scale is '{values.get('scale', '')}'; use agree3 (agree / partly / disagree) or scale5 (1 to 5).")
    title = _text(values, "survey", "poll_title", required=False) or "Imported survey"
    poll = batch.polls.setdefault((*workshop, title.lower()), PollRows(workshop, title, scale))
    if poll.scale is not scale:
        raise _LineError(f"scale {scale.value} differs from {poll.scale.value} given earlier for this survey.")
    value = _answer_value(values.get("answer", ""), scale)
    count = _whole_number(values, "count", 0)
    poll.statements.setdefault(statement.lower(), statement)
    if (statement.lower(), team, value) in poll.counts:
        raise _LineError("this answer is counted twice for this statement and team.")
    if count:
        poll.counts[(statement.lower(), team, value)] = count


def _answer_value(raw: str, scale: PollScale) -> int:
    if scale is PollScale.AGREE3 and raw.lower() in _AGREE3_WORDS:
        return _AGREE3_WORDS[raw.lower()]
    if raw.isdigit() and 1 <= int(raw) <= len(scale.answers):
        return int(raw)
    allowed = "agree, partly or disagree" if scale is PollScale.AGREE3 else "a number from 1 to 5"
    raise _LineError(f"answer is '{raw}'; on this scale use {allowed}.")


def _whole_file_problems(batch: ImportBatch) -> list[str]:
    """What only the whole file shows: partly ranked ballots, and teams with more picks than they could make."""
    problems = []
    for rnd in batch.rounds.values():
        if batch.kind == "counts":
            rnd.pick_limit = rnd.pick_limit or DEFAULT_PICK_LIMIT
            for team, participants in rnd.team_sizes.items():
                picks = sum(n for (t, _), n in rnd.counts.items() if t == team)
                if picks > participants * rnd.pick_limit:
                    workshop = batch.workshops[rnd.workshop]
                    problems.append(
                        f"Round '{rnd.question}' of '{workshop.title}': team '{workshop.teams.get(team, 'none')}' has {picks} picks, "
                        f"more than its {participants} participants could make with {rnd.pick_limit} picks each (set pick_limit)."
                    )
        for ballot in rnd.ballots.values():
            if ballot.ranked_lines and ballot.unranked_lines:
                problems.append(
                    f"Line {ballot.unranked_lines[0]}: participant '{ballot.participant}' ranks some picks (line "
                    f"{ballot.ranked_lines[0]}) but not this one; rank all of a participant's picks or none."
                )
    if not batch.rows:
        problems.append("The file has a header but no rows.")
    return problems
