"""Reading past results from a CSV file or the app's own workbook, checked whole before anything is stored.

Six shapes, told apart by the header (docs/import-format.md): card picks per participant, card counts per
team, published rankings (rank and card; counts optional), statement answer counts, teams' analyses
(import_analyses.py) and moments of truth (import_moments.py), which belong to an organisation, not a workshop.
A workbook exported by the compare page brings them back in one go; a file may add to a workshop an earlier import
stored what that import did not hold (import_batch.addition_problem). Every problem is reported once per cause with the
lines it affects; one bad line rejects the file, so an import lands completely or not at all. Titles are matched
without typography (abc_workshop/titles.py); a title that still matches no card, or a date that reads both ways, is
asked about instead of refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from . import import_analyses as analysis_lines
from . import import_moments as moment_lines
from .dates import DateOrderUnknown, parse_date, slash_order
from .domain import LIMITS, MAX_PICK_LIMIT, PERSPECTIVE_LABELS, Perspective, PollScale
from .i18n import _, number, pgettext
from .import_batch import (  # history.py imports the batch's records from here
    AnalysisRows,
    BallotRows,
    Catalogue,
    Cause,
    Decisions,
    ImportBatch,
    ImportFileError,
    PollRows,
    Questions,
    RoundRows,
    Unmatched,
    WorkshopKey,
    WorkshopRows,
    addition_problem,
    file_problem,
)
from .import_fields import LineError, answer_value, field_text, whole_number
from .import_shapes import kind_of, tables_of
from .tabular import Table, cell_problem, undefused
from .titles import loose_key, nearest, title_key

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_RANK = 200
DEFAULT_PICK_LIMIT = 10  # the paper method: each participant picks their 10 worst cards
PROGRESS_EVERY = 5_000
# What each shape brings to a workshop (import_batch.HOLDINGS), and how the imports table records it (it knows
# picks, counts and answers: rankings and analyses are aggregated data without ballots, as counts are).
# Moments of truth are records without ballots too, and join no workshop.
_HOLDING = {"picks": "cards", "counts": "cards", "ranks": "cards", "answers": "answers", "analyses": "analyses"}
_RECORDED_KIND = {
    "picks": "picks",
    "counts": "counts",
    "ranks": "counts",
    "answers": "answers",
    "analyses": "counts",
    "moments": "counts",
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
Progress = Callable[[float, str], object]  # what it returns is ignored: a Streamlit bar's update returns the bar


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
    size = sum(len(content) for _name, content in files)
    if size > MAX_FILE_BYTES:
        raise file_problem(
            _("The file is {size} MB; an import may be at most {most} MB. Split it into several files.").format(
                size=number(size / 1024 / 1024), most=number(MAX_FILE_BYTES // 1024 // 1024)
            )
        )
    tables = []
    for name, content in files:
        for table in tables_of(content, name):
            table.where = f"{name}, {table.where}" if len(files) > 1 else table.where
            tables.append(table)
    reader = _Reader(catalogue, decisions or Decisions(), progress, sum(len(t.rows) for t in tables))
    kinds = [kind_of(table) for table in tables]
    digest = hashlib.sha256(
        b"".join(hashlib.sha256(content).digest() for _name, content in files) if len(files) > 1 else files[0][1]
    )
    batch = ImportBatch(_RECORDED_KIND[kinds[0]], file_name, digest.hexdigest(), 0)
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
            columns = [table.header.index(name) for name in ("date", "due") if name in table.header]  # due: of actions
            for _line, row in table.rows:
                for column in columns:
                    order = slash_order(row[column].strip() if column < len(row) else "")
                    if order:
                        orders.setdefault(order, row[column].strip())
        if "day_first" in orders and "month_first" in orders:
            self.whole.append(
                Cause(
                    _(
                        "The dates disagree: '{day_first}' reads day first, '{month_first}' month first. "
                        "Write every date the same way, best as YYYY-MM-DD."
                    ).format(day_first=orders["day_first"], month_first=orders["month_first"])
                )
            )
            return True
        if "either" in orders and len(orders) == 1:
            self.ambiguous = [orders["either"]]
            return None
        return "month_first" not in orders

    def read(self, batch: ImportBatch, table: Table, kind: str) -> None:
        read_row = {
            "picks": self._pick_row,
            "counts": self._count_row,
            "ranks": self._count_row,
            "answers": self._answer_row,
            "analyses": self._analysis_row,
            "moments": self._moment_row,
        }[kind]
        header = table.header
        for line, row in table.rows:
            if not any(cell.strip() for cell in row):
                continue
            batch.rows += 1
            self.seen += 1
            if self.progress and self.seen % PROGRESS_EVERY == 0:
                self.progress(
                    self.seen / self.total,
                    _("Checked {seen} of {total} rows").format(seen=number(self.seen), total=number(self.total)),
                )
            if batch.rows > MAX_ROWS:
                self.whole.append(
                    Cause(_("The file has more than {most} rows; split it into several imports.").format(most=number(MAX_ROWS)))
                )
                return
            try:
                for position, cell in enumerate(row):
                    problem = cell_problem(cell)
                    if problem:
                        name = f"'{header[position]}'" if position < len(header) and header[position] else str(position + 1)
                        # Translators: {field} is a column's name in quotes ('card') or its number; {problem} comes from
                        # the file checks, e.g. "starts with = (a formula), which spreadsheets would run".
                        raise LineError(_("field {field} {problem}").format(field=name, problem=problem))
                if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                    raise LineError(
                        _(
                            "it has {fields} fields but the header {header}; a comma (or semicolon) inside a text "
                            "needs quotes around the text."
                        ).format(fields=len(row), header=len(header))
                    )
                values = {column: undefused(row[i].strip()) if i < len(row) else "" for i, column in enumerate(header)}
                read_row(batch, values, line, kind)
            except LineError as problem:
                self.found.setdefault((table.where, str(problem)), []).append(line)

    # -- what every shape has ---------------------------------------------------------------------------------

    def _workshop(self, batch: ImportBatch, values: dict, line: int, kind: str) -> tuple[WorkshopKey, str | None]:
        """The line's workshop (created on first sight, or an earlier import's that this line adds to) and its team's
        key; a workshop must agree on its country."""
        organisation = field_text(values, "organisation", "organisation")
        title = field_text(values, "workshop", "title")
        raw_date = values.get("date", "")
        if not raw_date:
            # Translators: "date" is the name of a column of the file: keep it as it is.
            raise LineError(_("date is empty; write the year (2012), the month (2012-09) or the day (2012-09-30)."))
        try:
            date = parse_date(raw_date, day_first=self.day_first)
        except DateOrderUnknown:
            date = parse_date(raw_date, day_first=True)  # asked about once the rest is checked
        except ValueError as error:
            raise LineError(str(error)) from None
        country = field_text(values, "country", "country", required=False)
        team = field_text(values, "team", "team", required=False)
        key = (organisation.lower(), title.lower(), date.iso)
        stored = self.catalogue.imported.get(key)
        named = {"title": title, "organisation": organisation, "date": date.label()}
        if stored is None and key in self.catalogue.existing_workshops:
            raise LineError(
                _(
                    "the workshop '{title}' of '{organisation}' on {date} was run live here; imported results never join "
                    "live ones, so give it another title."
                ).format(**named)
            )
        problem = addition_problem(stored, _HOLDING[kind], **named) if stored else None
        if problem:
            raise LineError(problem)
        workshop = batch.workshops.setdefault(
            key, WorkshopRows(organisation, title, date.iso, stored.country if stored else country, line, stored=stored)
        )
        if workshop.line == line:
            workshop.precision = date.precision
        if stored and country and (stored.country or "").lower() != country.lower():
            raise LineError(
                _(
                    "country '{country}' differs from '{stored}' that import #{import_id} stored for the workshop '{title}' "
                    "of '{organisation}' on {date}."
                ).format(country=country, stored=stored.country or "", import_id=stored.import_id, **named)
            )
        if not stored and (workshop.country or "").lower() != (country or "").lower():
            raise LineError(
                _("country '{country}' differs from '{given}' given for this workshop on line {line}.").format(
                    country=country or "", given=workshop.country or "", line=workshop.line
                )
            )
        if team:
            workshop.teams.setdefault(team.lower(), team)
        return key, team.lower() if team else None

    def _round(self, batch: ImportBatch, workshop: WorkshopKey, values: dict) -> RoundRows:
        raw = values.get("perspective", "")
        perspective = _PERSPECTIVES.get(raw.lower())
        if perspective is None:
            choices = ", ".join(p.value for p in Perspective if p is not Perspective.CUSTOM)
            raise LineError(
                _("perspective is '{raw}'; use one of {choices} (or their wording on the facilitator page).").format(
                    raw=raw, choices=choices
                )
            )
        label = PERSPECTIVE_LABELS[Perspective(perspective)]
        # Stored as the round's question: in English, as every stored default is.
        question = field_text(values, "question", "question", required=False) or f"Imported: {label}"
        deck_name = values.get("deck") or self.catalogue.default_deck
        deck_id = self.catalogue.decks.get(deck_name.lower())
        if deck_id is None:
            raise LineError(
                _("deck '{deck}' is not loaded; load it on the facilitator page first (Decks).").format(deck=deck_name)
            )
        rnd = batch.rounds.setdefault(
            (*workshop, perspective, question.lower()), RoundRows(workshop, perspective, question, deck_id)
        )
        if rnd.deck_id != deck_id:
            raise LineError(_("deck '{deck}' differs from the deck given earlier for this round.").format(deck=deck_name))
        return rnd

    def _card(self, batch: ImportBatch, values: dict, line: int, deck_id: int) -> int:
        """The card a line names, by id or title, without typography; raises _Skip when the line waits for (or was
        left out by) the lead's decision."""
        raw = values.get("card", "")
        if not raw:
            raise LineError(_("card is empty; give the card's id (the Decks page lists them) or its title."))
        if len(raw) > LIMITS["card_title"]:
            raise LineError(
                _("card has {length} characters; a card's id or title has at most {most}.").format(
                    length=len(raw), most=LIMITS["card_title"]
                )
            )
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
        workshop, team = self._workshop(batch, values, line, kind)
        rnd = self._round(batch, workshop, values)
        participant = field_text(values, "participant", "display_name")
        rank = whole_number(values, "rank", 1, MAX_PICK_LIMIT) if values.get("rank") else None
        rows = batch.workshops[workshop]
        known_team = rows.participants.setdefault(participant.lower(), team)
        if known_team != team:
            raise LineError(
                _("participant '{participant}' is in team '{team}' on an earlier line of this workshop.").format(
                    participant=participant,
                    team=rows.teams.get(known_team, known_team) if known_team else pgettext("no team", "none"),
                )
            )
        ballot = rnd.ballots.setdefault(participant.lower(), BallotRows(participant, team))
        try:
            card_id = self._card(batch, values, line, rnd.deck_id)
        except _Skip:
            return
        if any(card == card_id for card, _rank in ballot.picks):
            raise LineError(
                _("participant '{participant}' picked card '{card}' twice in this round.").format(
                    participant=participant, card=values["card"]
                )
            )
        if rank is not None and any(r == rank for _card, r in ballot.picks):
            raise LineError(
                _("participant '{participant}' has rank {rank} twice in this round.").format(participant=participant, rank=rank)
            )
        ballot.picks.append((card_id, rank))
        (ballot.ranked_lines if rank is not None else ballot.unranked_lines).append(line)
        rnd.pick_limit = max(rnd.pick_limit, len(ballot.picks), rank or 0)

    def _count_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        """Counts per team and card, a published rank, or both on one line."""
        workshop, team = self._workshop(batch, values, line, kind)
        rnd = self._round(batch, workshop, values)
        rank = whole_number(values, "rank", 1, MAX_RANK) if values.get("rank") else None
        if kind == "counts":
            counted = bool(values.get("picks")) or rank is None  # without a rank, picks are required
        else:
            counted = bool(values.get("picks") or values.get("participants"))
        if rank is None and not counted:
            raise LineError(_("rank is empty; give the card's place in the published order (1 for the first)."))
        picks = whole_number(values, "picks", 0) if counted else 0
        participants = whole_number(values, "participants", 1) if counted else 0
        if values.get("pick_limit"):
            limit = whole_number(values, "pick_limit", 1, MAX_PICK_LIMIT)
            if rnd.pick_limit not in (0, limit):
                raise LineError(
                    _("pick_limit is {limit}, but {earlier} for this round on an earlier line.").format(
                        limit=limit, earlier=rnd.pick_limit
                    )
                )
            rnd.pick_limit = limit
        try:
            card_id = self._card(batch, values, line, rnd.deck_id)
        except _Skip:
            return
        if rank is not None:
            if (team, card_id) in rnd.ranks:
                raise LineError(_("card '{card}' is ranked twice in this ranking.").format(card=values["card"]))
            rnd.ranks[(team, card_id)] = rank
        if counted:
            self._counts(rnd, values, team, card_id, picks, participants)

    def _counts(self, rnd: RoundRows, values: dict, team: str | None, card_id: int, picks: int, participants: int) -> None:
        if picks > participants:
            raise LineError(
                _("picks ({picks}) exceed participants ({participants}); each participant picks a card at most once.").format(
                    picks=picks, participants=participants
                )
            )
        known = rnd.team_sizes.setdefault(team, participants)
        if known != participants:
            raise LineError(
                _("participants is {participants}, but {earlier} for this team and round on an earlier line.").format(
                    participants=participants, earlier=known
                )
            )
        if (team, card_id) in rnd.counts:
            raise LineError(_("card '{card}' is counted twice for this team and round.").format(card=values["card"]))
        if values.get("ranked"):
            ranked = whole_number(values, "ranked", 0, participants)
            if rnd.ranked.setdefault(team, ranked) != ranked:
                raise LineError(
                    _("ranked is {ranked}, but {earlier} for this team and round on an earlier line.").format(
                        ranked=ranked, earlier=rnd.ranked[team]
                    )
                )
        if picks:
            rnd.counts[(team, card_id)] = picks
            if values.get("borda_points"):
                rnd.borda[(team, card_id)] = whole_number(values, "borda_points", 0, picks * MAX_PICK_LIMIT)

    def _answer_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        workshop, team = self._workshop(batch, values, line, kind)
        statement = field_text(values, "statement", "statement")
        scale = _SCALES.get(values.get("scale", "").lower())
        if scale is None:
            raise LineError(
                _("scale is '{raw}'; use agree3 (agree / partly / disagree) or scale5 (1 to 5).").format(
                    raw=values.get("scale", "")
                )
            )
        # Stored as the poll's title: in English, as every stored default is.
        title = field_text(values, "survey", "poll_title", required=False) or "Imported survey"
        poll = batch.polls.setdefault((*workshop, title.lower()), PollRows(workshop, title, scale))
        if poll.scale is not scale:
            raise LineError(
                _("scale {scale} differs from {earlier} given earlier for this survey.").format(
                    scale=scale.value, earlier=poll.scale.value
                )
            )
        value = answer_value(values.get("answer", ""), scale)
        count = whole_number(values, "count", 0)
        poll.statements.setdefault(statement.lower(), statement)
        if (statement.lower(), team, value) in poll.counts:
            raise LineError(_("this answer is counted twice for this statement and team."))
        if count:
            poll.counts[(statement.lower(), team, value)] = count

    def _analysis_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        """A team's analysis of a card: a severity score, the risk decision or an action (import_analyses.py)."""
        workshop, team = self._workshop(batch, values, line, kind)
        if team is None:
            raise LineError(_("team is empty; an analysis is a team's (for a room without teams, name the room as its team)."))
        rnd = self._round(batch, workshop, values)
        stored = batch.workshops[workshop].stored
        if stored and "rounds" in stored.holds:
            rnd.stored_id = analysis_lines.stored_round(stored, rnd)
        said = analysis_lines.read_line(values, self.day_first)
        try:
            card_id = self._card(batch, values, line, rnd.deck_id)
        except _Skip:
            return
        analysis_lines.add_line(rnd.analyses.setdefault((team, card_id), AnalysisRows()), said, line)

    def _moment_row(self, batch: ImportBatch, values: dict, line: int, kind: str) -> None:
        """A moment of truth for an organisation's programme (import_moments.py)."""
        batch.moments.append(moment_lines.read_line(values, line, self.catalogue, self.day_first))

    def whole_file(self, batch: ImportBatch) -> None:
        """What only the whole file shows: partly ranked ballots, teams with more picks than they could make;
        and rounds left with nothing once the lead left lines out are dropped."""
        for key, rnd in list(batch.rounds.items()):
            rnd.ballots = {label: ballot for label, ballot in rnd.ballots.items() if ballot.picks}
            if not (rnd.ballots or rnd.team_sizes or rnd.ranks or rnd.analyses):
                del batch.rounds[key]
                continue
            if rnd.stored_id:
                continue  # an earlier import's round: this file brings only its teams' analyses
            if rnd.team_sizes or rnd.ranks or batch.kind == "counts":
                rnd.pick_limit = rnd.pick_limit or min(MAX_PICK_LIMIT, max([DEFAULT_PICK_LIMIT, *rnd.ranks.values()]))
            rnd.pick_limit = max(1, min(MAX_PICK_LIMIT, rnd.pick_limit))
            workshop = batch.workshops[rnd.workshop]
            for team, participants in rnd.team_sizes.items():
                picks = sum(n for (t, _card), n in rnd.counts.items() if t == team)
                if picks > participants * rnd.pick_limit:
                    self.whole.append(
                        Cause(
                            _(
                                "Round '{question}' of '{workshop}': team '{team}' has {picks} picks, more than its "
                                "{participants} participants could make with {limit} picks each (set pick_limit)."
                            ).format(
                                question=rnd.question,
                                workshop=workshop.title,
                                team=workshop.teams.get(team, team) if team else pgettext("no team", "none"),
                                picks=picks,
                                participants=participants,
                                limit=rnd.pick_limit,
                            )
                        )
                    )
            for ballot in rnd.ballots.values():
                if ballot.ranked_lines and ballot.unranked_lines:
                    self.found.setdefault(
                        (
                            "",
                            _(
                                "participant '{participant}' ranks some picks (line {line}) but not this one; "
                                "rank all of a participant's picks or none."
                            ).format(participant=ballot.participant, line=ballot.ranked_lines[0]),
                        ),
                        [],
                    ).append(ballot.unranked_lines[0])
        if not batch.rows:
            self.whole.append(Cause(_("The file has a header but no rows.")))


class _Skip(Exception):
    """A line whose card waits for the lead's decision, or that the lead chose to leave out."""
