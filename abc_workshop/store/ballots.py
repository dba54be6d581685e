"""Ballots: one a participant per round attempt, changeable while the round is open, frozen after."""

from __future__ import annotations

from ..domain import AccessDenied, NotFound, VoteRejected
from .base import StoreBase


class BallotsMixin(StoreBase):
    def submit_ballot(self, workshop_id: int, token: str, round_id: int, attempt: int, card_ids: list[int]) -> int:
        """Store (or replace) a participant's picks; the schema's triggers refuse late, stale or oversized ballots.

        Returns the ballot's id. The whole replacement is one transaction: a refused ballot
        leaves the earlier one exactly as it was.
        """
        participant = self.participant(workshop_id, token)
        if participant is None:
            raise NotFound("This device is not joined to the workshop; please join again with the code on the screen.")
        round_row = self._row("SELECT workshop_id, pick_limit FROM rounds WHERE id = ?", (round_id,))
        if round_row is None or round_row["workshop_id"] != workshop_id:
            raise NotFound("There is no such round in this workshop.")
        picks = list(dict.fromkeys(int(card_id) for card_id in card_ids))
        if not picks:
            raise VoteRejected("Pick at least one card before you submit.")
        if len(picks) > round_row["pick_limit"]:
            raise VoteRejected(f"You picked {len(picks)} cards; this round allows {round_row['pick_limit']}.")
        now = self._now()
        with self._write() as db:
            ballot_id = db.execute(
                "INSERT INTO ballots (round_id, attempt, participant_id, team_id, submitted_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (round_id, attempt, participant_id) DO UPDATE SET updated_at = excluded.updated_at"
                " RETURNING id",
                (round_id, attempt, participant.id, participant.team_id, now, now),
            ).fetchone()[0]
            db.execute("DELETE FROM picks WHERE ballot_id = ?", (ballot_id,))
            db.conn.executemany("INSERT INTO picks (ballot_id, card_id) VALUES (?, ?)", [(ballot_id, c) for c in picks])
        return ballot_id

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
            raise NotFound("There is no such round.")
        self._require_key(row["workshop_id"], key)
        if not row["show_names"]:
            raise AccessDenied("This round was created anonymous; names are not shown.")
        return self._rows(
            "SELECT coalesce(pa.display_name, 'Anonymous #' || pa.id) AS participant, coalesce(t.name, 'No team') AS team,"
            " (SELECT group_concat(title, ' | ') FROM (SELECT c.title FROM picks p JOIN cards c ON c.id = p.card_id"
            "   WHERE p.ballot_id = b.id ORDER BY c.position)) AS cards"
            " FROM ballots b JOIN participants pa ON pa.id = b.participant_id LEFT JOIN teams t ON t.id = b.team_id"
            " WHERE b.round_id = ? AND b.attempt = ? ORDER BY team, participant",
            (round_id, row["attempt"]),
        )
