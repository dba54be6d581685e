"""Ballots: one a participant per round attempt, changeable while the round is open, frozen after."""

from __future__ import annotations

from ..domain import AccessDenied, InvalidInput, NotFound, Participant, VoteRejected, check_text
from ..i18n import N_, _
from ..keys import new_participant_token
from ..names import name_key, refuse_reserved
from ..said import Said
from .base import StoreBase, inserted_id
from .schema_texts import TITLE


class BallotsMixin(StoreBase):
    def submit_ballot(self, workshop_id: int, token: str, round_id: int, attempt: int, card_ids: list[int]) -> int:
        """Store (or replace) a participant's picks; the schema's triggers refuse late, stale or oversized ballots.

        Returns the ballot's id. The whole replacement is one transaction: a refused ballot
        leaves the earlier one exactly as it was.
        """
        participant = self.participant(workshop_id, token)
        if participant is None:
            raise NotFound(_("This device is not joined to the workshop; please join again with the code on the screen."))
        round_row = self._row("SELECT workshop_id, pick_limit FROM rounds WHERE id = ?", (round_id,))
        if round_row is None or round_row["workshop_id"] != workshop_id:
            raise NotFound(_("There is no such round in this workshop."))
        picks = list(dict.fromkeys(int(card_id) for card_id in card_ids))
        if not picks:
            raise VoteRejected(_("Pick at least one card before you submit."))
        if len(picks) > round_row["pick_limit"]:
            raise VoteRejected(
                _("You picked {picked} cards; this round allows {limit}.").format(
                    picked=len(picks), limit=round_row["pick_limit"]
                )
            )
        with self._write() as db:
            return self._write_ballot(db, round_id, attempt, participant.id, participant.team_id, picks)

    def _write_ballot(self, db, round_id: int, attempt: int, participant_id: int, team_id: int | None, picks: list[int]) -> int:
        """Insert or replace one ballot inside the caller's transaction; the triggers check state, time, deck and budget."""
        now = self._now()
        ballot_id = db.execute(
            "INSERT INTO ballots (round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (round_id, attempt, participant_id) DO UPDATE SET updated_at = excluded.updated_at"
            " RETURNING id",
            (round_id, attempt, participant_id, team_id, now, now),
        ).fetchone()[0]
        db.execute("DELETE FROM picks WHERE ballot_id = ?", (ballot_id,))
        db.conn.executemany("INSERT INTO picks (ballot_id, card_id) VALUES (?, ?)", [(ballot_id, c) for c in picks])
        return ballot_id

    def enter_paper_ballot(self, round_id: int, key: str, name: str, team_id: int | None, card_ids: list[int]) -> Participant:
        """The facilitator types in a paper ballot for someone without a device.

        The person becomes a participant of their own, marked as entered by the facilitator, with a token
        nobody is given. Entering a ballot again for the same name and team (in this round or a later one)
        uses that participant again, so it replaces their ballot in this round rather than counting them twice.
        The pick budget, the round's state and timer, and the deck are checked exactly as for any ballot.
        """
        round_row = self._row("SELECT workshop_id, pick_limit, attempt FROM rounds WHERE id = ?", (round_id,))
        if round_row is None:
            raise NotFound(_("There is no such round."))
        workshop_id = round_row["workshop_id"]
        self._require_key(workshop_id, key)
        person = check_text("display_name", name, label=N_("person's name"))
        refuse_reserved(person)
        teams = {row["id"]: row["name"] for row in self._rows("SELECT id, name FROM teams WHERE workshop_id = ?", (workshop_id,))}
        if teams and team_id not in teams:
            raise InvalidInput(_("Please choose the person's team."))
        if not teams:
            team_id = None
        picks = list(dict.fromkeys(int(card_id) for card_id in card_ids))
        if not picks:
            raise VoteRejected(_("Choose at least one card from the paper ballot."))
        if len(picks) > round_row["pick_limit"]:
            raise VoteRejected(
                _("The paper ballot has {count} cards; this round allows {limit}.").format(
                    count=len(picks), limit=round_row["pick_limit"]
                )
            )
        with self._write() as db:
            row = next(
                (
                    row
                    for row in self._rows(
                        "SELECT id, token, display_name FROM participants WHERE workshop_id = ? AND entered_by_facilitator = 1"
                        " AND team_id IS ?",
                        (workshop_id, team_id),
                    )
                    if name_key(row["display_name"]) == name_key(person)
                ),
                None,
            )  # the same name however typed: case, spacing and compatibility forms do not make another person
            if row is None:
                token = new_participant_token()
                participant_id = inserted_id(
                    db.execute(
                        "INSERT INTO participants (workshop_id, token, display_name, team_id, entered_by_facilitator) VALUES (?, ?, ?, ?, 1)",
                        (workshop_id, token, person, team_id),
                    )
                )
            else:
                participant_id, token = row["id"], row["token"]
            self._write_ballot(db, round_id, round_row["attempt"], participant_id, team_id, picks)
            if team_id:
                entered = Said.ngettext(
                    "Paper ballot entered by the facilitator for {person} ({team}): {n} card",
                    "Paper ballot entered by the facilitator for {person} ({team}): {n} cards",
                    len(picks),
                    person=person,
                    team=teams[team_id],
                )
            else:
                entered = Said.ngettext(
                    "Paper ballot entered by the facilitator for {person}: {n} card",
                    "Paper ballot entered by the facilitator for {person}: {n} cards",
                    len(picks),
                    person=person,
                )
            self._log(db, workshop_id, "paper_ballot", entered, round_id)
        return Participant(participant_id, workshop_id, token, person, team_id)

    def paper_ballots(self, round_id: int) -> list[dict]:
        """Who has a paper ballot in the round's current attempt: name, team and how many cards, by name."""
        return self._rows(
            "SELECT pa.display_name AS name, t.name AS team, (SELECT count(*) FROM picks p WHERE p.ballot_id = b.id) AS cards"
            " FROM ballots b JOIN rounds r ON r.id = b.round_id AND r.attempt = b.attempt"
            " JOIN participants pa ON pa.id = b.participant_id AND pa.entered_by_facilitator = 1"
            " LEFT JOIN teams t ON t.id = b.team_id WHERE b.round_id = ? ORDER BY pa.display_name COLLATE NOCASE",
            (round_id,),
        )

    def paper_participants(self, workshop_id: int) -> list[int]:
        """The ids of the participants whose ballots the facilitator entered from paper."""
        rows = self._rows(
            "SELECT id FROM participants WHERE workshop_id = ? AND entered_by_facilitator = 1 ORDER BY id", (workshop_id,)
        )
        return [row["id"] for row in rows]

    def ballot_cards(self, participant_id: int, round_id: int, attempt: int) -> list[int]:
        """The cards a participant picked in this attempt of the round (empty if they have not voted)."""
        rows = self._rows(
            "SELECT p.card_id FROM picks p JOIN ballots b ON b.id = p.ballot_id"
            " WHERE b.participant_id = ? AND b.round_id = ? AND b.attempt = ? ORDER BY p.card_id",
            (participant_id, round_id, attempt),
        )
        return [row["card_id"] for row in rows]

    def ballot_stamp(self, participant_id: int, round_id: int, attempt: int) -> float | None:
        """When the participant's ballot last changed (None before the first submit): one indexed lookup, cheap to poll."""
        return self._value(
            "SELECT updated_at FROM ballots WHERE round_id = ? AND attempt = ? AND participant_id = ?",
            (round_id, attempt, participant_id),
        )

    def pick_counts(self, round_id: int) -> tuple[list[dict], dict[int | None, int]]:
        """Raw material for the tally: picks per card and team, and ballots per team, for the current attempt."""
        attempt = self._value("SELECT attempt FROM rounds WHERE id = ?", (round_id,))
        counts = self._rows(
            "SELECT p.card_id, b.team_id, count(*) AS picks FROM picks p JOIN ballots b ON b.id = p.ballot_id"
            " WHERE b.round_id = ? AND b.attempt = ? GROUP BY p.card_id, b.team_id",
            (round_id, attempt),
        )
        ballots = self._rows(
            "SELECT team_id, count(*) AS ballots FROM ballots WHERE round_id = ? AND attempt = ? GROUP BY team_id",
            (round_id, attempt),
        )
        return counts, {row["team_id"]: row["ballots"] for row in ballots}

    def named_ballots(self, round_id: int, key: str) -> list[dict]:
        """Who picked what, for the facilitator only, and only in rounds created with names shown."""
        row = self._row("SELECT workshop_id, show_names, attempt FROM rounds WHERE id = ?", (round_id,))
        if row is None:
            raise NotFound(_("There is no such round."))
        self._require_key(row["workshop_id"], key)
        if not row["show_names"]:
            raise AccessDenied(_("This round was created anonymous; names are not shown."))
        return self._rows(
            "SELECT coalesce(pa.display_name, 'Anonymous #' || pa.id) AS participant, coalesce(t.name, 'No team') AS team,"
            f" (SELECT group_concat(title, ' | ') FROM (SELECT {TITLE} AS title FROM picks p JOIN cards c ON c.id = p.card_id"
            "   WHERE p.ballot_id = b.id ORDER BY c.position) AS titles) AS cards"
            " FROM ballots b JOIN participants pa ON pa.id = b.participant_id LEFT JOIN teams t ON t.id = b.team_id"
            " WHERE b.round_id = ? AND b.attempt = ? ORDER BY team, participant",
            (round_id, row["attempt"]),
        )
