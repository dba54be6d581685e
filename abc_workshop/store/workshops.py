"""Workshops, their teams and the participants who join them."""

from __future__ import annotations

import datetime

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
from ..keys import hash_key, new_facilitator_key, new_join_code, new_participant_token, normalise_join_code
from .base import StoreBase

MAX_TEAMS = 30
_WORKSHOP_COLUMNS = "id, join_code, title, organisation, held_on, notes, version, current_round_id"


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
    ) -> tuple[Workshop, str]:
        """Create a workshop and return it with its facilitator key, which is never shown again.

        When the server has a facilitator key of its own, only its holders may create workshops.
        """
        if self.server_key and (creator_key or "").strip() != self.server_key:
            raise AccessDenied("This server asks for its facilitator key before a workshop can be created.")
        title = check_text("title", title, label="workshop title")
        organisation = check_text("organisation", organisation)
        notes = check_text("notes", notes, required=False)
        country = check_text("country", country, required=False)
        names = _clean_team_names(team_names or [])
        key = new_facilitator_key()
        with self._write() as db:
            code = self._unused_join_code()
            cursor = db.execute(
                "INSERT INTO workshops (join_code, title, organisation, held_on, notes, key_hash, country) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (code, title, organisation, held_on.isoformat() if held_on else None, notes, hash_key(key), country),
            )
            workshop_id = cursor.lastrowid
            for position, name in enumerate(names):
                db.execute("INSERT INTO teams (workshop_id, name, position) VALUES (?, ?, ?)", (workshop_id, name, position))
            self._changed(db, workshop_id, "workshop_created", f"Workshop '{title}' created with {len(names)} team(s)")
        return self.workshop(workshop_id), key

    def _unused_join_code(self) -> str:
        while True:
            code = new_join_code()
            if self._value("SELECT 1 FROM workshops WHERE join_code = ?", (code,)) is None:
                return code

    def workshop(self, workshop_id: int) -> Workshop:
        row = self._row(f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", (workshop_id,))
        if row is None:
            raise NotFound("There is no such workshop.")
        return Workshop(**row)

    def workshop_by_code(self, typed_code: str) -> Workshop:
        code = normalise_join_code(typed_code or "")
        row = self._row(f"SELECT {_WORKSHOP_COLUMNS} FROM workshops WHERE join_code = ?", (code,))
        if row is None:
            raise NotFound(f"No workshop has the join code '{typed_code.strip()}'. Check the code on the screen.")
        return Workshop(**row)

    def version(self, workshop_id: int) -> int:
        """The cheap 'did anything change?' number that open pages poll."""
        return self._value("SELECT version FROM workshops WHERE id = ?", (workshop_id,)) or 0

    def add_team(self, workshop_id: int, key: str, name: str) -> Team:
        self._require_key(workshop_id, key)
        (name,) = _clean_team_names([name])
        with self._write() as db:
            count = self._value("SELECT count(*) FROM teams WHERE workshop_id = ?", (workshop_id,))
            if count >= MAX_TEAMS:
                raise InvalidInput(f"A workshop can have at most {MAX_TEAMS} teams.")
            if self._value("SELECT 1 FROM teams WHERE workshop_id = ? AND name = ?", (workshop_id, name)):
                raise InvalidInput(f"There is already a team called '{name}'.")
            cursor = db.execute(
                "INSERT INTO teams (workshop_id, name, position) VALUES (?, ?, ?)", (workshop_id, name, count)
            )
            self._changed(db, workshop_id, "team_added", f"Team '{name}' added")
        return Team(cursor.lastrowid, workshop_id, name)

    def teams(self, workshop_id: int) -> list[Team]:
        rows = self._rows("SELECT id, workshop_id, name FROM teams WHERE workshop_id = ? ORDER BY position", (workshop_id,))
        return [Team(**row) for row in rows]

    def join(self, workshop_id: int, display_name: str | None, team_id: int | None) -> Participant:
        """Register a participant; the returned token is their identity from now on (kept in their URL)."""
        name = check_text("display_name", display_name, required=False, label="name")
        teams = {team.id for team in self.teams(workshop_id)}
        if teams and team_id not in teams:
            raise InvalidInput("Please pick your team.")
        if not teams:
            team_id = None
        token = new_participant_token()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO participants (workshop_id, token, display_name, team_id) VALUES (?, ?, ?, ?)",
                (workshop_id, token, name, team_id),
            )
        return Participant(cursor.lastrowid, workshop_id, token, name, team_id)

    def participant(self, workshop_id: int, token: str | None) -> Participant | None:
        if not token:
            return None
        row = self._row(
            "SELECT id, workshop_id, token, display_name, team_id FROM participants WHERE workshop_id = ? AND token = ?",
            (workshop_id, token),
        )
        return Participant(**row) if row else None

    def events(self, workshop_id: int, key: str, limit: int = 200) -> list[Event]:
        """The workshop's log, newest first: resets, state changes and imports are never silent."""
        self._require_key(workshop_id, key)
        rows = self._rows(
            "SELECT at, kind, detail, round_id FROM events WHERE workshop_id = ? ORDER BY id DESC LIMIT ?",
            (workshop_id, limit),
        )
        return [Event(**row) for row in rows]


def _clean_team_names(names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in names:
        name = check_text("team", raw, required=False, label="team name")
        if name is None:
            continue
        if name.lower() in (existing.lower() for existing in cleaned):
            raise InvalidInput(f"The team '{name}' is listed twice.")
        cleaned.append(name)
    if len(cleaned) > MAX_TEAMS:
        raise InvalidInput(f"A workshop can have at most {MAX_TEAMS} teams.")
    return cleaned

