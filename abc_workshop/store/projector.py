"""The projector's state: the facilitator's chosen view (workshops.projector_view, JSON) and the projected
poll (polls.on_projector). See abc_workshop/projector.py for the rules; rounds.py and polls.py call
`take_screen` inside their own transactions."""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..domain import InvalidInput, NotFound
from ..i18n import DEFAULT, N_, _, speaking
from ..projector import LIVE, MODES, ROUND_MODES, ProjectorNow, chosen_view, live_round, poll_view, screen
from ..said import Said
from .base import StoreBase
from .schema_texts import TITLE


def take_screen(db: Database, workshop_id: int) -> None:
    """Inside a write transaction: the live round takes the projector, whatever was up before."""
    db.execute("UPDATE workshops SET projector_view = NULL WHERE id = ?", (workshop_id,))
    db.execute("UPDATE polls SET on_projector = 0 WHERE workshop_id = ? AND on_projector = 1", (workshop_id,))


class ProjectorMixin(StoreBase):
    def set_projector_view(
        self,
        workshop_id: int,
        key: str,
        mode: str,
        *,
        round_id: int | None = None,
        team_id: int | None = None,
        page: int = 0,
        card_id: int | None = None,
    ) -> None:
        """Put a view on the projector; any projected poll comes off.

        mode "round" is the live round; once it is revealed, `page` 1.. shows the teams' results a page at a time. The iceberg and a team's summary show one revealed round: the
        one given, else the one the view already shows, else the latest revealed. A summary shows the
        given team, else the first.
        """
        self._require_key(workshop_id, key)
        if mode not in MODES:
            raise InvalidInput(_("Unknown projector view '{mode}'.").format(mode=mode))
        view: dict = {"mode": mode}
        if page:
            now = live_round(self.current_round(workshop_id), 0, self._teams_voted(workshop_id))
            if mode != LIVE or now.kind != "result" or not 0 < int(page) <= now.pages:
                raise InvalidInput(_("There is no such page of team results to show."))
            view["page"] = int(page)
        if mode in ROUND_MODES:
            view["round_id"] = self._view_round(workshop_id, round_id)
        if mode == "summary":
            view["team_id"] = self._view_team(workshop_id, team_id)
        if mode == "evidence":
            if card_id is None:
                raise InvalidInput(_("Choose the card under 'Evidence from outside' and put it on the projector from there."))
            if self._value("SELECT 1 FROM cards WHERE id = ?", (card_id,)) is None:
                raise NotFound(_("There is no such card to show the evidence for."))
            view["card_id"] = int(card_id)
        with self._write() as db:
            take_screen(db, workshop_id)
            if view != {"mode": LIVE}:
                db.execute("UPDATE workshops SET projector_view = ? WHERE id = ?", (json.dumps(view), workshop_id))
            self._changed(db, workshop_id, "projector_view", self._describe_view(workshop_id, view))

    def _view_round(self, workshop_id: int, round_id: int | None) -> int | None:
        if round_id is not None:
            state = self._value("SELECT state FROM rounds WHERE id = ? AND workshop_id = ?", (round_id, workshop_id))
            if state is None:
                raise NotFound(_("There is no such round in this workshop."))
            if state != "revealed":
                raise InvalidInput(_("Only a revealed round can be shown as an iceberg or a team summary."))
            return round_id
        shown = self.projector_view(workshop_id).get("round_id")
        revealed = self._revealed_ids(workshop_id)
        if shown in revealed:
            return shown
        return revealed[-1] if revealed else None

    def _view_team(self, workshop_id: int, team_id: int | None) -> int | None:
        teams = [row["id"] for row in self._rows("SELECT id FROM teams WHERE workshop_id = ? ORDER BY position", (workshop_id,))]
        if team_id is not None and team_id not in teams:
            raise NotFound(_("There is no such team in this workshop."))
        return team_id if team_id is not None else (teams[0] if teams else None)

    def _revealed_ids(self, workshop_id: int) -> list[int]:
        rows = self._rows("SELECT id FROM rounds WHERE workshop_id = ? AND state = 'revealed' ORDER BY position", (workshop_id,))
        return [row["id"] for row in rows]

    def _describe_view(self, workshop_id: int, view: dict) -> Said:
        """The log's line for a view, kept as its message (each reader reads it in their language); a card's title in
        it is the deck's English one, like the rest of what the log keeps."""
        with speaking(DEFAULT):
            shown = self._now_of(workshop_id, view, None)
        # Translators: the log's line; {view} is what the projector shows now, e.g. "Iceberg of round 1".
        return Said(N_("Projector: {view}"), {"view": shown.said or shown.sentence})

    def projector_view(self, workshop_id: int) -> dict:
        """The facilitator's chosen view as stored: {"mode": "round"} when the live round is up."""
        raw = self._value("SELECT projector_view FROM workshops WHERE id = ?", (workshop_id,))
        return json.loads(raw) if raw else {"mode": LIVE}

    def projector_now(self, workshop_id: int) -> ProjectorNow:
        """What the projector shows now, with a sentence for the facilitator."""
        poll = self.projected_poll(workshop_id)
        return self._now_of(workshop_id, self.projector_view(workshop_id), poll)

    def _now_of(self, workshop_id: int, view: dict, poll) -> ProjectorNow:
        if poll is not None:
            return poll_view(poll)
        mode = view.get("mode", LIVE)
        if mode == LIVE:
            return live_round(self.current_round(workshop_id), view.get("page", 0), self._teams_voted(workshop_id))
        if mode == "evidence":
            title = self._value(f"SELECT {TITLE} FROM cards c WHERE c.id = ?", (view.get("card_id"),))
            return (
                chosen_view(mode, None, None, None, "")
                if title is None
                else screen(
                    "evidence", Said(N_("Evidence from outside: {title}"), {"title": title}), False, card_id=view["card_id"]
                )
            )
        round_id = view.get("round_id")
        if round_id not in self._revealed_ids(workshop_id):
            revealed = self._revealed_ids(workshop_id)  # the chosen round was reset since: the latest revealed instead
            round_id = revealed[-1] if revealed else None
        team = self._row("SELECT id, name FROM teams WHERE id = ? AND workshop_id = ?", (view.get("team_id"), workshop_id))
        if mode == "summary" and team is None:
            team = self._row("SELECT id, name FROM teams WHERE workshop_id = ? ORDER BY position LIMIT 1", (workshop_id,))
        organisation = self._value("SELECT organisation FROM workshops WHERE id = ?", (workshop_id,))
        return chosen_view(
            mode,
            self.round(round_id) if round_id else None,
            team["name"] if team else None,
            team["id"] if team else None,
            organisation,
        )

    def show_next_result_page(self, workshop_id: int, key: str) -> None:
        """Step the revealed result on: the room's top cards, then each page of teams, then the room's again."""
        now = self.projector_now(workshop_id)
        if now.kind != "result" or not now.pages:
            raise InvalidInput(_("The projector is not showing a result with team pages."))
        self.set_projector_view(workshop_id, key, LIVE, page=now.next_page)

    def _teams_voted(self, workshop_id: int) -> int:
        """How many teams have ballots in the current round's current attempt."""
        return self._value(
            "SELECT count(DISTINCT b.team_id) FROM ballots b JOIN rounds r ON r.id = b.round_id JOIN workshops w ON w.current_round_id = r.id"
            " WHERE w.id = ? AND b.attempt = r.attempt AND b.team_id IS NOT NULL",
            (workshop_id,),
        )

    def joined_count(self, workshop_id: int) -> int:
        """How many people have joined the workshop (the waiting screen's "N joined")."""
        return self._value("SELECT count(*) FROM participants WHERE workshop_id = ?", (workshop_id,))
