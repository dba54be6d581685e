"""What the projector shows, as a record the server owns: the facilitator's pages and the projector read it.

The rules (enforced in the store, in the transaction that changes the round or the poll):
- a round that opens or reopens takes the screen: the view goes back to the live round and a projected
  poll comes off, so latecomers always find the join code;
- revealing a round shows its result the same way;
- a poll, the iceberg, a team's summary or the earlier actions are explicit choices; they stay up until
  the facilitator chooses something else or a round opens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .domain import Poll, Round, RoundState

LIVE = "round"
MODES = {LIVE, "iceberg", "summary", "review", "evidence"}  # evidence: what scouts and customers said of one card
ROUND_MODES = {"iceberg", "summary"}  # the views that show one revealed round, chosen by the facilitator
TEAMS_PER_PAGE = 6  # a revealed round's per-team results, one page at a time after the room's own result


@dataclass(frozen=True)
class ProjectorNow:
    """The projector's screen at this moment.

    kind is one of waiting, voting, closed, result (the live round's four faces), poll, iceberg, summary, review.
    """

    kind: str
    sentence: str
    live: bool
    round_id: int | None = None
    team_id: int | None = None
    poll_id: int | None = None
    page: int = 0  # the result: 0 is the room's top cards, 1.. the pages of teams' top cards
    pages: int = 0
    teams: int = 0  # teams with votes in the revealed round
    card_id: int | None = None  # the card whose evidence from outside is up

    @property
    def next_page(self) -> int:
        """The result page after this one, back to the room's after the last."""
        return (self.page + 1) % (self.pages + 1)

    @property
    def next_page_label(self) -> str:
        following = self.next_page
        return f"Show {team_span(following, self.teams)}" if following else "Show the room's result"


def followed_teams(pulse: dict | None) -> tuple[str, ...]:
    """The teams' work a projector shows, as live topics (abc_workshop/live.py): the team whose summary is
    up, every team under the iceberg, none otherwise. Team work does not move the workshop's version, so a
    projector showing the result is not redrawn by 30 teams writing notes."""
    stored = pulse["projector"][0] if pulse else None
    view = json.loads(stored) if stored else {}
    if view.get("mode") == "summary" and view.get("team_id"):
        return (f"team:{view['team_id']}",)
    return ("teams",) if view.get("mode") == "iceberg" else ()


def team_span(page: int, teams: int) -> str:
    """'teams 7-12 of 30' for a page of TEAMS_PER_PAGE."""
    first = (page - 1) * TEAMS_PER_PAGE + 1
    return f"teams {first}-{min(page * TEAMS_PER_PAGE, teams)} of {teams}"


def team_pages(teams: int) -> int:
    return (teams + TEAMS_PER_PAGE - 1) // TEAMS_PER_PAGE


def live_round(current: Round | None, page: int = 0, teams_voted: int = 0) -> ProjectorNow:
    """The live round's face: the join screen until its result is revealed."""
    if current is None:
        return ProjectorNow("waiting", "Waiting for the first round - join screen", True)
    if current.state is RoundState.DRAFT:
        return ProjectorNow("waiting", f"Round {current.position} starts soon - join screen", True, current.id)
    if current.state is RoundState.OPEN:
        return ProjectorNow("voting", f"Round {current.position}: voting open - join screen", True, current.id)
    if current.state is RoundState.CLOSED:
        return ProjectorNow("closed", f"Round {current.position}: voting closed - result coming up", True, current.id)
    pages = team_pages(teams_voted)
    page = page if 0 <= page <= pages else 0
    part = f" - {team_span(page, teams_voted)}" if page else ""
    return ProjectorNow(
        "result", f"Round {current.position}: result{part}", True, current.id, page=page, pages=pages, teams=teams_voted
    )


def poll_view(poll: Poll) -> ProjectorNow:
    done = " - result" if poll.state is RoundState.REVEALED else ""
    return ProjectorNow("poll", f"Poll: {poll.title}{done}", False, poll_id=poll.id)


def chosen_view(mode: str, rnd: Round | None, team_name: str | None, team_id: int | None, organisation: str) -> ProjectorNow:
    """The facilitator's explicit choice: iceberg or summary of a round, or the earlier actions."""
    if mode == "evidence":
        return ProjectorNow("evidence", "Evidence from outside for one card", False)
    if mode == "review":
        return ProjectorNow("review", f"Earlier actions of {organisation}", False)
    if rnd is None:
        what = "Iceberg" if mode == "iceberg" else "Team summary"
        return ProjectorNow(mode, f"{what}: no round revealed yet", False)
    if mode == "iceberg":
        return ProjectorNow("iceberg", f"Iceberg of round {rnd.position}", False, rnd.id)
    if team_name is None:
        return ProjectorNow("summary", f"Team summary of round {rnd.position}: no teams", False, rnd.id)
    return ProjectorNow("summary", f"{team_name}'s summary of round {rnd.position}", False, rnd.id, team_id)
