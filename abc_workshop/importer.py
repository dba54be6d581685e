"""Reading past results from a CSV file or the app's own workbook, checked whole before anything is stored.

Four shapes, told apart by the header (docs/import-format.md): card picks per participant, card counts per
team, published rankings (rank and card; counts optional) and statement answer counts. A workbook exported by
the compare page brings its card counts and statement answers back in one go. Every problem is reported once
per cause with the lines it affects; one bad line rejects the file, so an import lands completely or not at
all. Titles are matched without typography (abc_workshop/titles.py); a title that still matches no card, or a
date that reads both ways, is asked about instead of refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .dates import DateOrderUnknown, parse_date, slash_order
from .domain import LIMITS, MAX_PICK_LIMIT, PERSPECTIVE_LABELS, Perspective, PollScale
from .import_batch import (  # noqa: F401  (the batch's records are imported from here by history.py)
    BallotRows,
    Catalogue,
    Cause,
    Decisions,
    ImpactRows,
    ImportBatch,
    ImportFileError,
    PollRows,
    Questions,
    RoundRows,
    Unmatched,
    WorkshopKey,
    WorkshopRows,
    file_problem,
)
from .tabular import Table, TableError, cell_problem, read_csv, read_workbook, undefused
from .titles import loose_key, nearest, title_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COUNT = 1_000_000  # picks, participants or answers on one line: more is a typo, not a workshop
MAX_RANK = 200
DEFAULT_PICK_LIMIT = 10  # the paper method: each participant picks their 10 worst cards
PROGRESS_EVERY = 5_000
WORKSHOP_COLUMNS = ("organisation", "workshop", "date")
KIND_COLUMNS = {
    "picks": ("perspective", "participant", "card"),
    "counts": ("perspective", "card", "picks", "participants"),
    "ranks": ("perspective", "card", "rank"),
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
Progress = Callable[[float, str], None]


class _LineError(Exception):
    """One line's problem; collected per cause, never shown alone."""


def parse_import(
    data: bytes | list[tuple[str, bytes]],
    file_name: str,
    catalogue: Catalogue,
    decisions: Decisions | None = None,
    progress: Progress | None = None,
) -> ImportBatch:
    """Read and check a whole import file (or several files as one import: a workshop's card counts and its statement
    answers), or raise ImportFileError: its problems (one per cause, with the lines), or, when nothing else is wrong,
    its questions (titles to map, a date order to choose)."""
    files = [(file_name, data)] if isinstance(data, bytes) else data
    size = sum(len(content) for _, content in files)
    if size > MAX_FILE_BYTES:
        raise file_problem(
            f"The file is {size / 1024 / 1024:.0f} MB; an import may be at most {MAX_FILE_BYTES // 1024 // 1024} MB. "
            "Split it into several files."
        )
    tables = []
    for name, content in files:
        for table in _tables(content, name):
            table.where = f"{name}, {table.where}" if len(files) > 1 else table.where
            tables.append(table)
    reader = _Reader(catalogue, decisions or Decisions(), progress, sum(len(t.rows) for t in tables))
    kinds = [_kind(table) for table in tables]
    digest = hashlib.sha256(b"".join(hashlib.sha256(content).digest() for _, content in files) if len(files) > 1 else files[0][1])
    batch = ImportBatch(kinds[0] if kinds[0] != "ranks" else "counts", file_name, digest.hexdigest(), 0)
    reader.day_first = reader.date_order(tables)
    for table, kind in zip(tables, kinds):
        reader.read(batch, table, kind)
    reader.whole_file(batch)
    if reader.causes:
        raise ImportFileError(reader.sorted_causes())
    questions = Questions(list(reader.unmatched.values()), reader.ambiguous)
    if questions:
        raise ImportFileError([], questions)
    return batch


def _tables(data: bytes, file_name: str) -> list[Table]:
    try:
        if data[:4] == b"PK\x03\x04" or file_name.lower().endswith(".xlsx"):
            tables = read_workbook(data, {kind: (*WORKSHOP_COLUMNS, *columns) for kind, columns in KIND_COLUMNS.items()})
            if not tables:
                raise file_problem(
                    "No sheet of the workbook has an import header (organisation, workshop, date and the columns of one "
                    "shape in docs/import-format.md); the compare page's workbook has them on 'Card counts' and "
                    "'Statement answers'."
                )
            return tables
        return [read_csv(data)]
    except TableError as error:
        raise ImportFileError([Cause(problem) for problem in error.problems]) from None


def _kind(table: Table) -> str:
    header = table.header
    if "participant" in header:
        kinds = ["picks"]
    elif "statement" in header:
        kinds = ["answers"]
    elif "picks" in header:
        kinds = ["counts"]
    elif "rank" in header:
        kinds = ["ranks"]
    else:
        kinds = []
    if not kinds or ("statement" in header and ("participant" in header or "card" in header)):
        raise ImportFileError(
            [
                Cause(
                    f"{table.at(1)}: the header must name one of the columns participant (picks per participant), picks "
                    "(counts per team), rank (a published ranking) or statement (answers); see docs/import-format.md."
                )
            ]
        )
    missing = [c for c in (*WORKSHOP_COLUMNS, *KIND_COLUMNS[kinds[0]]) if c not in header]
    if missing:
        raise ImportFileError([Cause(f"{table.at(1)}: the header lacks the column(s) {', '.join(missing)}.")])
    return kinds[0]


class _Reader:
    def __init__(self, catalogue: Catalogue, decisions: Decisions, progress: Progress | None, total: int):
        self.catalogue, self.decisions, self.progress, self.total = catalogue, decisions, progress, max(total, 1)
        self.found: dict[tuple[str, str], list[int]] = {}  # (where, message) -> lines
        self.whole: list[Cause] = []
        self.unmatched: dict[tuple[int, str], Unmatched] = {}
        self.ambiguous: list[str] = []
        self.day_first: bool | None = True
        self.seen = 0
        self.index: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}
        self.stored_lines: dict[WorkshopKey, int] = {}

    @property
    def causes(self) -> list[Cause]:
        return [Cause(message, tuple(lines), where) for (where, message), lines in self.found.items()] + self.whole

    def sorted_causes(self) -> list[Cause]:
        return sorted(self.causes, key=lambda c: (c.where, c.lines[:1] or (10**9,)))

    def date_order(self, tables: list[Table]) -> bool | None:
        """How slash dates read: as the lead decided, as the file settles it, or None (asked) when nothing does."""
        if self.decisions.day_first is not None:
            return self.decisions.day_first
        orders: dict[str, str] = {}
        for table in tables:
            if "date" not in table.header:
                continue
            column = table.header.index("date")
            for _, row in table.rows:
                raw = row[column].strip() if column < len(row) else ""
                order = slash_order(raw)
                if order:
                    orders.setdefault(order, raw)
        if "day_first" in orders and "month_first" in orders:
            self.whole.append(
                Cause(
                    f"The dates disagree: '{orders['day_first']}' reads day first, '{orders['month_first']}' month first. "
                    "Write every date the same way, best as YYYY-MM-DD."
                )
            )
            return True
        if "either" in orders and len(orders) == 1:
            self.ambiguous = [orders["either"]]
            return None
        return "month_first" not in orders

    def read(self, batch: ImportBatch, table: Table, kind: str) -> None:
        read_row = {"picks": self._pick_row, "counts": self._count_row, "ranks": self._count_row, "answers": self._answer_row}[
            kind
        ]
        header = table.header
        for line, row in table.rows:
            if not any(cell.strip() for cell in row):
                continue
            batch.rows += 1
            self.seen += 1
            if self.progress and self.seen % PROGRESS_EVERY == 0:
                self.progress(self.seen / self.total, f"Checked {self.seen:,} of {self.total:,} rows")
            if batch.rows > MAX_ROWS:
                self.whole.append(Cause(f"The file has more than {MAX_ROWS:,} rows; split it into several imports."))
                return
            try:
                for position, cell in enumerate(row):
                    problem = cell_problem(cell)
                    if problem:
                        name = f"'{header[position]}'" if position < len(header) and header[position] else str(position + 1)
                        raise _LineError(f"field {name} {problem}")
                if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                    raise _LineError(
                        f"it has {len(row)} fields but the header {len(header)}; a comma (or semicolon) inside a text "
                        "needs quotes around the text."
                    )
                values = {column: undefused(row[i].strip()) if i < len(row) else "" for i, column in enumerate(header)}
                read_row(batch, values, line, kind)
            except _LineError as problem:
                self.found.setdefault((table.where, str(problem)), []).append(line)

    # -- what every shape has ---------------------------------------------------------------------------------

    def _workshop(self, batch: ImportBatch, values: dict, line: int) -> tuple[WorkshopKey, str | None]:
        """The line's workshop (created on first sight) and its team's key; a workshop must agree on its country."""
        organisation = _text(values, "organisation", "organisation")
        title = _text(values, "workshop", "title")
        raw_date = values.get("date", "")
        if not raw_date:
            raise _LineError("date is empty; write the year (2012), the month (2012-09) or the day (2012-09-30).")
        try:
            date = parse_date(raw_date, day_first=self.day_first)
        except DateOrderUnknown:
            date = parse_date(raw_date, day_first=True)  # asked about once the rest is checked
        except ValueError as error:
            raise _LineError(str(error)) from None
        country = _text(values, "country", "country", required=False)
        team = _text(values, "team", "team", required=False)
        key = (organisation.lower(), title.lower(), date.iso)
        if key in self.catalogue.existing_workshops:
            raise _LineError(
                f"the workshop '{title}' of '{organisation}' on {date.label()} is stored already (imported earlier or run "
                "live). Undo that import under Imports so far, or give this workshop another title."
            )
        workshop = batch.workshops.setdefault(key, WorkshopRows(organisation, title, date.iso, country, line))
        if workshop.line == line:
            workshop.precision = date.precision
        if (workshop.country or "").lower() != (country or "").lower():
            raise _LineError(
                f"country '{country or ''}' differs from '{workshop.country or ''}' given for this workshop "
                f"on line {workshop.line}."
            )
        if team:
            workshop.teams.setdefault(team.lower(), team)
        return key, team.lower() if team else None

    def _round(self, batch: ImportBatch, workshop: WorkshopKey, values: dict) -> RoundRows:
        raw = values.get("perspective", "")
        perspective = _PERSPECTIVES.get(raw.lower())
        if perspective is None:
            choices = ", ".join(p.value for p in Perspective if p is not Perspective.CUSTOM)
            raise _LineError(f"perspective is '{raw}'; use one of {choices} (or their wording on the facilitator page).")
        question = (
            _text(values, "question", "question", required=False) or f"Imported: {PERSPECTIVE_LABELS[Perspective(perspective)]}"
        )
        deck_name = values.get("deck") or self.catalogue.default_deck
        deck_id = self.catalogue.decks.get(deck_name.lower())
        if deck_id is None:
            raise _LineError(f"deck '{deck_name}' is not loaded; load it on the facilitator page first (Decks).")
        rnd = batch.rounds.setdefault(
            (*workshop, perspective, question.lower()), RoundRows(workshop, perspective, question, deck_id)
        )
        if rnd.deck_id != deck_id:
            raise _LineError(f"deck '{deck_name}' differs from the deck given earlier for this round.")
        return rnd

    def _card(self, batch: ImportBatch, values: dict, line: int, deck_id: int) -> int | None:
        """The card a line names, by id or title, without typography; None when the line waits for (or was left out
        by) the lead's decision."""
        raw = values.get("card", "")
        if not raw:
            raise _LineError("card is empty; give the card's id (the Decks page lists them) or its title.")
        if len(raw) > LIMITS["card_title"]:
            raise _LineError(f"card has {len(raw)} characters; a card's id or title has at most {LIMITS['card_title']}.")
        found = self._match(deck_id, raw)
        if found is not None:
            return found
        source = (values.get("source") or values.get("organisation") or "").lower()
        key = title_key(raw)
        remembered = self.catalogue.mappings.get((source, deck_id, key))
        if remembered is not None:
            batch.remembered += 1
            return remembered
        if (deck_id, key) in self.decisions.cards:
            decided = self.decisions.cards[(deck_id, key)]
            if decided is None:
                batch.left_out += 1
                raise _Skip
            batch.decided.add((source, deck_id, key, decided))
            return decided
        titles = self.catalogue.titles.get(deck_id, {})
        unmatched = self.unmatched.setdefault((deck_id, key), Unmatched(deck_id, raw, key, nearest(raw, titles)))
        unmatched.lines.append(line)
        unmatched.sources.add(source)
        raise _Skip

    def _match(self, deck_id: int, raw: str) -> int | None:
        exact = self.catalogue.cards.get(deck_id, {}).get(raw.lower())
        if exact is not None:
            return exact
        if deck_id not in self.index:
            by_key: dict[str, list[int]] = {}
            by_loose: dict[str, list[int]] = {}
            for card, title in self.catalogue.titles.get(deck_id, {}).items():
                by_key.setdefault(title_key(title), []).append(card)
                by_loose.setdefault(loose_key(title), []).append(card)
            self.index[deck_id] = (by_key, by_loose)
        by_key, by_loose = self.index[deck_id]
        for candidates in (by_key.get(title_key(raw), []), by_loose.get(loose_key(raw), [])):
            if len(candidates) == 1:
                return candidates[0]
        return None

    # -- the shapes ---------------------------------------------------------------------------------------------

    def _pick_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        workshop, team = self._workshop(batch, values, line)
        rnd = self._round(batch, workshop, values)
        participant = _text(values, "participant", "display_name")
        rank = _whole_number(values, "rank", 1, MAX_PICK_LIMIT) if values.get("rank") else None
        rows = batch.workshops[workshop]
        known_team = rows.participants.setdefault(participant.lower(), team)
        if known_team != team:
            raise _LineError(
                f"participant '{participant}' is in team '{rows.teams.get(known_team, 'none')}' "
                "on an earlier line of this workshop."
            )
        ballot = rnd.ballots.setdefault(participant.lower(), BallotRows(participant, team))
        try:
            card_id = self._card(batch, values, line, rnd.deck_id)
        except _Skip:
            return
        if any(card == card_id for card, _ in ballot.picks):
            raise _LineError(f"participant '{participant}' picked card '{values['card']}' twice in this round.")
        if rank is not None and any(r == rank for _, r in ballot.picks):
            raise _LineError(f"participant '{participant}' has rank {rank} twice in this round.")
        ballot.picks.append((card_id, rank))
        (ballot.ranked_lines if rank is not None else ballot.unranked_lines).append(line)
        rnd.pick_limit = max(rnd.pick_limit, len(ballot.picks), rank or 0)

    def _count_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        """Counts per team and card, a published rank, or both on one line."""
        workshop, team = self._workshop(batch, values, line)
        rnd = self._round(batch, workshop, values)
        rank = _whole_number(values, "rank", 1, MAX_RANK) if values.get("rank") else None
        if kind == "counts":
            counted = bool(values.get("picks")) or rank is None  # without a rank, picks are required
        else:
            counted = bool(values.get("picks") or values.get("participants"))
        if rank is None and not counted:
            raise _LineError("rank is empty; give the card's place in the published order (1 for the first).")
        picks = _whole_number(values, "picks", 0) if counted else 0
        participants = _whole_number(values, "participants", 1) if counted else 0
        if values.get("pick_limit"):
            limit = _whole_number(values, "pick_limit", 1, MAX_PICK_LIMIT)
            if rnd.pick_limit not in (0, limit):
                raise _LineError(f"pick_limit is {limit}, but {rnd.pick_limit} for this round on an earlier line.")
            rnd.pick_limit = limit
        try:
            card_id = self._card(batch, values, line, rnd.deck_id)
        except _Skip:
            return
        if rank is not None:
            if (team, card_id) in rnd.ranks:
                raise _LineError(f"card '{values['card']}' is ranked twice in this ranking.")
            rnd.ranks[(team, card_id)] = rank
        if counted:
            self._counts(rnd, values, team, card_id, picks, participants)

    def _counts(self, rnd: RoundRows, values: dict, team: str | None, card_id: int, picks: int, participants: int) -> None:
        if picks > participants:
            raise _LineError(f"picks ({picks}) exceed participants ({participants}); each participant picks a card at most once.")
        known = rnd.team_sizes.setdefault(team, participants)
        if known != participants:
            raise _LineError(f"participants is {participants}, but {known} for this team and round on an earlier line.")
        if (team, card_id) in rnd.counts:
            raise _LineError(f"card '{values['card']}' is counted twice for this team and round.")
        if values.get("ranked"):
            ranked = _whole_number(values, "ranked", 0, participants)
            if rnd.ranked.setdefault(team, ranked) != ranked:
                raise _LineError(f"ranked is {ranked}, but {rnd.ranked[team]} for this team and round on an earlier line.")
        if picks:
            rnd.counts[(team, card_id)] = picks
            if values.get("borda_points"):
                rnd.borda[(team, card_id)] = _whole_number(values, "borda_points", 0, picks * MAX_PICK_LIMIT)

    def _answer_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        workshop, team = self._workshop(batch, values, line)
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

    def whole_file(self, batch: ImportBatch) -> None:
        """What only the whole file shows: partly ranked ballots, teams with more picks than they could make;
        and rounds left with nothing once the lead left lines out are dropped."""
        for key, rnd in list(batch.rounds.items()):
            rnd.ballots = {label: ballot for label, ballot in rnd.ballots.items() if ballot.picks}
            if not (rnd.ballots or rnd.team_sizes or rnd.ranks):
                del batch.rounds[key]
                continue
            if rnd.team_sizes or rnd.ranks or batch.kind == "counts":
                rnd.pick_limit = rnd.pick_limit or min(MAX_PICK_LIMIT, max([DEFAULT_PICK_LIMIT, *rnd.ranks.values()]))
            rnd.pick_limit = max(1, min(MAX_PICK_LIMIT, rnd.pick_limit))
            workshop = batch.workshops[rnd.workshop]
            for team, participants in rnd.team_sizes.items():
                picks = sum(n for (t, _), n in rnd.counts.items() if t == team)
                if picks > participants * rnd.pick_limit:
                    self.whole.append(
                        Cause(
                            f"Round '{rnd.question}' of '{workshop.title}': team '{workshop.teams.get(team, 'none')}' "
                            f"has {picks} picks, more than its {participants} participants could make with "
                            f"{rnd.pick_limit} picks each (set pick_limit)."
                        )
                    )
            for ballot in rnd.ballots.values():
                if ballot.ranked_lines and ballot.unranked_lines:
                    self.found.setdefault(
                        (
                            "",
                            f"participant '{ballot.participant}' ranks some picks (line {ballot.ranked_lines[0]}) "
                            "but not this one; "
                            "rank all of a participant's picks or none.",
                        ),
                        [],
                    ).append(ballot.unranked_lines[0])
        if not batch.rows:
            self.whole.append(Cause("The file has a header but no rows."))


class _Skip(Exception):
    """A line whose card waits for the lead's decision, or that the lead chose to leave out."""


def _text(values: dict, column: str, limit_name: str, *, required: bool = True) -> str | None:
    value = values.get(column, "")
    if not value:
        if required:
            raise _LineError(f"{column} is empty.")
        return None
    if len(value) > LIMITS[limit_name]:
        raise _LineError(f"{column} has {len(value)} characters; the limit is {LIMITS[limit_name]}.")
    return value


def _whole_number(values: dict, column: str, low: int, high: int = MAX_COUNT) -> int:
    raw = values.get(column, "")
    if raw.endswith(".0") and raw[:-2].isdigit():  # a spreadsheet's way of writing a whole number
        raw = raw[:-2]
    digits = raw[1:] if raw.startswith("-") else raw
    number = None
    if digits.isascii() and digits.isdigit():
        number = int(raw) if len(digits) <= 30 else (-1 if raw.startswith("-") else 1) * 10**30  # no 4,300-digit parse
    if number is None:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise _LineError(f"{column} is '{shown}'; a whole number is needed.")
    if not low <= number <= high:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise _LineError(f"{column} is {shown}; it must be between {low:,} and {high:,}.")
    return number


def _answer_value(raw: str, scale: PollScale) -> int:
    if scale is PollScale.AGREE3 and raw.lower() in _AGREE3_WORDS:
        return _AGREE3_WORDS[raw.lower()]
    if raw.isdigit() and 1 <= int(raw) <= len(scale.answers):
        return int(raw)
    allowed = "agree, partly or disagree" if scale is PollScale.AGREE3 else "a number from 1 to 5"
    raise _LineError(f"answer is '{raw}'; on this scale use {allowed}.")
