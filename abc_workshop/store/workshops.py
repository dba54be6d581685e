"""Workshops, their teams and the participants who join them."""

from __future__ import annotations

import datetime

from ..dates import iso_now
from ..domain import (
    AccessDenied,
    Event,
    InvalidInput,
    NotFound,
    Participant,
    Team,
    Workshop,
    check_text,
)
from ..i18n import N_, _
from ..keys import hash_key, key_hint, new_facilitator_key, new_join_code, new_participant_token, normalise_join_code
from ..names import name_key, refuse_reserved
from ..said import Said
from .base import StoreBase, inserted_id, refusal_text
from .languages import DEFAULT_LANGUAGE, check_language
from .schema_events import event_detail

MAX_TEAMS = 30
JOINING_DAYS = 2  # the join code lets people join until the end of the second day after the workshop's date
_WORKSHOP_COLUMNS = (
    "id, join_code, title, organisation, held_on, notes, version, current_round_id, organisation_id,"
    " import_id IS NOT NULL AS imported, ended_at IS NOT NULL AS ended_by_facilitator, language, ended_at, created_at"
)

# How a new workshop came to its organisation, for the log (a part of a sentence, told in the reader's language).
_HOW = {
    # Translators: {how} in "Workshop '{title}' created with 3 teams in {how}".
    "new": N_("the new organisation '{organisation}'"),
    # Translators: {how} in "Workshop '{title}' created with 3 teams in {how}".
    "server": N_("the organisation '{organisation}' (with the server's key)"),
    # Translators: {how} in "Workshop '{title}' created with 3 teams in {how}".
    "mine": N_("the organisation '{organisation}' (with the key of one of its workshops)"),
    # Translators: {how} in "Workshop '{title}' created with 3 teams in {how}".
    "first": N_("the organisation '{organisation}' (the first workshop of this server)"),
    # Translators: {how} in "Workshop '{title}' created with 3 teams in {how}".
    "empty": N_("the organisation '{organisation}' (an empty record)"),
}


class WorkshopsMixin(StoreBase):
    def create_workshop(
        self,
        title: str,
        organisation: str,
        held_on: datetime.date | None = None,
        notes: str | None = None,
        team_names: list[str] | None = None,
        creator_key: str | None = None,
        country: str | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> tuple[Workshop, str]:
        """Create a workshop and return it with its facilitator key, which is never shown again.

        `creator_key` opens the doors (README.md, "Doors"): when the server has a facilitator key of its own, only
        its holders create workshops; on a server without one, anyone holding the key of one of its workshops does
        (the first workshop is free). The organisation is a record: a new name makes a new one; an existing
        organisation is joined only with the server's key or the key of one of that organisation's workshops.
        """
        if self.server_key and not self._is_server_key(creator_key):
            raise AccessDenied(_("This server asks for its facilitator key before a workshop can be created."))
        title = check_text("title", title, label=N_("workshop title"))
        organisation = check_text("organisation", organisation)
        notes = check_text("notes", notes, required=False)
        country = check_text("country", country, required=False)
        names = _clean_team_names(team_names or [])
        language = check_language(language)
        open_server = not self.doors_need_key()  # no key anywhere yet: the first workshop may join any record
        proven = self._require_door_key(creator_key, "Creating a workshop")
        key = new_facilitator_key()
        with self._write() as db:
            organisation_id, organisation, how = self._organisation_for(db, organisation, creator_key, proven, open_server)
            code = self._unused_join_code()
            cursor = db.execute(
                "INSERT INTO workshops (join_code, title, organisation, organisation_id, held_on, notes, key_hash, key_hint,"
                " country, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    title,
                    organisation,
                    organisation_id,
                    held_on.isoformat() if held_on else None,
                    notes,
                    hash_key(key),
                    key_hint(key),
                    country,
                    language,
                ),
            )
            workshop_id = inserted_id(cursor)
            for position, name in enumerate(names):
                db.execute("INSERT INTO teams (workshop_id, name, position) VALUES (?, ?, ?)", (workshop_id, name, position))
            self._changed(
                db,
                workshop_id,
                "workshop_created",
                # Translators: the log's line; {how} says how it found its organisation, e.g. "the new organisation 'Acme IT'".
                Said.ngettext(
                    "Workshop '{title}' created with {n} team in {how}",
                    "Workshop '{title}' created with {n} teams in {how}",
                    len(names),
                    title=title,
                    how=how,
                ),
            )
        return self.workshop(workshop_id), key

    def _organisation_for(self, db, name: str, key: str | None, proven: int | None, open_server: bool) -> tuple[int, str, Said]:
        """The organisation record a new workshop joins: (id, its name, how it was chosen, for the log's "in {how}")."""
        existing = self._row("SELECT id, name FROM organisations WHERE name_key = lower(trim(?))", (name,))
        if existing is None:
            organisation_id = db.execute(
                "INSERT INTO organisations (name, name_key, channel_token) VALUES (?, lower(?), ?)",
                (name, name, new_participant_token()),
            ).lastrowid
            return organisation_id, name, Said(_HOW["new"], {"organisation": name})
        members = self._value("SELECT count(*) FROM workshops WHERE organisation_id = ?", (existing["id"],))
        server = self._is_server_key(key)
        home = self._value("SELECT organisation_id FROM workshops WHERE id = ?", (proven,)) if proven is not None else None
        mine = home == existing["id"]
        if not (members == 0 or mine or server or open_server):
            raise AccessDenied(
                _(
                    "The organisation '{organisation}' has workshops here already. A new workshop joins it only with the "
                    "facilitator key of one of its workshops (or the server's key); otherwise give your organisation another "
                    "name."
                ).format(organisation=existing["name"])
            )
        how = "server" if server else "mine" if mine else "first" if open_server else "empty"
        return existing["id"], existing["name"], Said(_HOW[how], {"organisation": existing["name"]})

    def _unused_join_code(self) -> str:
        while True:
            code = new_join_code()
            if self._value("SELECT 1 FROM workshops WHERE join_code = ?", (code,)) is None:
                return code

    def workshop(self, workshop_id: int) -> Workshop:
        row = self._row(f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", (workshop_id,))
        if row is None:
            raise NotFound(_("There is no such workshop."))
        return _workshop(row)

    def workshop_by_code(self, typed_code: str) -> Workshop:
        """The live workshop a join code opens; an imported workshop's code opens nothing (README.md, "Doors")."""
        code = normalise_join_code(typed_code or "")
        row = self._row(f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE join_code = ? AND import_id IS NULL", (code,))
        if row is None:
            raise NotFound(
                _("No workshop has the join code '{code}'. Check the code on the screen.").format(code=typed_code.strip())
            )
        return _workshop(row)

    def version(self, workshop_id: int) -> int:
        """The cheap 'did anything change?' number that open pages poll."""
        return self._value("SELECT version FROM workshops WHERE id = ?", (workshop_id,)) or 0

    def add_team(self, workshop_id: int, key: str, name: str) -> Team:
        self._require_key(workshop_id, key)
        self._require_live(workshop_id)
        (name,) = _clean_team_names([name])
        with self._write() as db:
            count = self._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (workshop_id,))
            if count >= MAX_TEAMS:
                raise InvalidInput(_("A workshop can have at most {most} teams.").format(most=MAX_TEAMS))
            same = next((team.name for team in self.teams(workshop_id) if name_key(team.name) == name_key(name)), None)
            if same is not None:
                raise InvalidInput(_("There is already a team called '{team}'.").format(team=same))
            cursor = db.execute("INSERT INTO teams (workshop_id, name, position) VALUES (?, ?, ?)", (workshop_id, name, count))
            self._changed(db, workshop_id, "team_added", N_("Team '{name}' added"), name=name)
        return Team(inserted_id(cursor), workshop_id, name)

    def teams(self, workshop_id: int) -> list[Team]:
        rows = self._rows("SELECT id, workshop_id, name FROM teams WHERE workshop_id = ? ORDER BY position", (workshop_id,))
        return [Team(**row) for row in rows]

    def join(self, workshop_id: int, display_name: str | None, team_id: int | None) -> Participant:
        """Register a participant; the returned token is their identity from now on (kept in their URL).

        Only while the workshop takes new participants: never an imported one, and not once it ended."""
        workshop = self.workshop(workshop_id)
        if workshop.imported:
            raise InvalidInput(refusal_text("imported_workshop_is_read_only"))
        if not workshop.takes_new_participants(iso_now()):
            raise InvalidInput(
                _(
                    "This workshop has ended, so its join code no longer lets anyone join. If you took part, open the link "
                    "your phone was given; otherwise ask the facilitator."
                )
            )
        name = check_text("display_name", display_name, required=False, label=N_("name"))
        if name is not None:
            refuse_reserved(name)
        return self._new_participant(workshop_id, name, team_id, via_survey=False)

    def join_survey(self, poll_id: int, team_id: int | None) -> Participant:
        """An anonymous respondent of a survey, while it takes answers; not counted as joined in live rounds."""
        row = self._row("SELECT workshop_id, state, closes_at FROM polls WHERE id = ? AND import_id IS NULL", (poll_id,))
        if row is None:
            raise NotFound(_("There is no such survey."))
        if row["state"] != "open" or (row["closes_at"] is not None and row["closes_at"] <= self._now()):
            raise InvalidInput(_("This survey is not open for answers."))
        return self._new_participant(row["workshop_id"], None, team_id, via_survey=True)

    def _new_participant(self, workshop_id: int, name: str | None, team_id: int | None, *, via_survey: bool) -> Participant:
        teams = {team.id for team in self.teams(workshop_id)}
        if teams and team_id not in teams:
            raise InvalidInput(_("Please pick your team."))
        if not teams:
            team_id = None
        token = new_participant_token()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO participants (workshop_id, token, display_name, team_id, via_survey) VALUES (?, ?, ?, ?, ?)",
                (workshop_id, token, name, team_id, int(via_survey)),
            )
        return Participant(inserted_id(cursor), workshop_id, token, name, team_id)

    def end_workshop(self, workshop_id: int, key: str, ended: bool = True) -> Workshop:
        """The facilitator ends the workshop (its join code stops letting people join) or lets people join again,
        which still ends JOINING_DAYS after its date."""
        self._require_key(workshop_id, key)
        self._require_live(workshop_id)
        with self._write() as db:
            db.execute("UPDATE workshops SET ended_at = ? WHERE id = ?", (iso_now() if ended else None, workshop_id))
            self._changed(
                db,
                workshop_id,
                "workshop_ended" if ended else "joining_reopened",
                N_("Workshop ended: the join code no longer lets anyone join") if ended else N_("Joining opened again"),
            )
        return self.workshop(workshop_id)

    def participant(self, workshop_id: int, token: str | None) -> Participant | None:
        if not token:
            return None
        row = self._row(
            "SELECT id, workshop_id, token, display_name, team_id, language FROM participants WHERE workshop_id = ? AND token = ?",
            (workshop_id, token),
        )
        return Participant(**row) if row else None

    def events(self, workshop_id: int, key: str, limit: int = 200) -> list[Event]:
        """The workshop's log, newest first: resets, state changes and imports are never silent. Each line is told in
        the run's language (store/schema_events.py); a line written before that, as it was written."""
        self._require_key(workshop_id, key)
        rows = self._rows(
            "SELECT at, kind, detail, params, round_id FROM events WHERE workshop_id = ? ORDER BY id DESC LIMIT ?",
            (workshop_id, limit),
        )
        return [
            Event(at=row["at"], kind=row["kind"], detail=event_detail(row["detail"], row["params"]), round_id=row["round_id"])
            for row in rows
        ]


def _workshop(row: dict) -> Workshop:
    fields = {key: value for key, value in row.items() if key not in ("ended_at", "created_at")}
    fields.update(
        imported=bool(row["imported"]),
        ended_by_facilitator=bool(row["ended_by_facilitator"]),
        joining_ends=_joining_ends(row["ended_at"], row["held_on"], row["created_at"]),
    )
    return Workshop(**fields)


def _joining_ends(ended_at: str | None, held_on: str | None, created_at: str) -> str | None:
    """When the join code stops letting people in: when the facilitator ended the workshop, else at midnight (UTC)
    JOINING_DAYS days after its date or the day it was made, whichever is later; None when that day is no day of the
    calendar (a date known only to its month or year: imported workshops, which nobody joins)."""
    if ended_at:
        return ended_at
    day = max(held_on or "", created_at[:10])
    try:
        start = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    return (start + datetime.timedelta(days=JOINING_DAYS + 1)).isoformat() + "T00:00:00Z"


def _clean_team_names(names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in names:
        name = check_text("team", raw, required=False, label=N_("team name"))
        if name is None:
            continue
        if name_key(name) in (name_key(existing) for existing in cleaned):
            raise InvalidInput(_("The team '{team}' is listed twice.").format(team=name))
        cleaned.append(name)
    if len(cleaned) > MAX_TEAMS:
        raise InvalidInput(_("A workshop can have at most {most} teams.").format(most=MAX_TEAMS))
    return cleaned
