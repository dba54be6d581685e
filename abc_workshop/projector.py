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
from dataclasses import dataclass, field

from .domain import Perspective, Poll, Round, RoundState
from .i18n import N_, _
from .said import Said

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
    said: Said | None = field(default=None, compare=False)  # the sentence as its message, for the log (store/base.py)

    @property
    def next_page(self) -> int:
        """The result page after this one, back to the room's after the last."""
        return (self.page + 1) % (self.pages + 1)

    @property
    def next_page_label(self) -> str:
        following = self.next_page
        if not following:
            return _("Show the room's result")
        first, last = _span(following, self.teams)
        return _("Show teams {first}-{last} of {total}").format(first=first, last=last, total=self.teams)


def followed_teams(pulse: dict | None) -> tuple[str, ...]:
    """The teams' work a projector shows, as live topics (abc_workshop/live.py): the team whose summary is
    up, every team under the iceberg, none otherwise. Team work does not move the workshop's version, so a
    projector showing the result is not redrawn by 30 teams writing notes."""
    stored = pulse["projector"][0] if pulse else None
    view = json.loads(stored) if stored else {}
    if view.get("mode") == "summary" and view.get("team_id"):
        return (f"team:{view['team_id']}",)
    return ("teams",) if view.get("mode") == "iceberg" else ()


def _span(page: int, teams: int) -> tuple[int, int]:
    """The first and last team of a page of TEAMS_PER_PAGE."""
    return (page - 1) * TEAMS_PER_PAGE + 1, min(page * TEAMS_PER_PAGE, teams)


def team_span(page: int, teams: int, *, capital: bool = False) -> str:
    """'teams 7-12 of 30' for a page of TEAMS_PER_PAGE ('Teams 7-12 of 30' at the start of a line)."""
    first, last = _span(page, teams)
    if capital:
        return _("Teams {first}-{last} of {total}").format(first=first, last=last, total=teams)
    return _("teams {first}-{last} of {total}").format(first=first, last=last, total=teams)


def perspective_shown(rnd: Round) -> str:
    """A round's perspective as shown: the facilitator's own wording as typed, one of ours in the run's language."""
    if rnd.perspective is Perspective.CUSTOM and rnd.perspective_label:
        return rnd.perspective_label
    return _(rnd.perspective.label)


def team_pages(teams: int) -> int:
    return (teams + TEAMS_PER_PAGE - 1) // TEAMS_PER_PAGE


def screen(kind: str, said: Said, live: bool, round_id: int | None = None, team_id: int | None = None, **rest) -> ProjectorNow:
    """A screen whose sentence is told in the run's language and kept as its message for the log."""
    return ProjectorNow(kind, said.text(), live, round_id, team_id, said=said, **rest)


def live_round(current: Round | None, page: int = 0, teams_voted: int = 0) -> ProjectorNow:
    """The live round's face: the join screen until its result is revealed."""
    if current is None:
        return screen("waiting", Said(N_("Waiting for the first round - join screen")), True)
    n = current.position
    if current.state is RoundState.DRAFT:
        return screen("waiting", Said(N_("Round {n} starts soon - join screen"), {"n": n}), True, current.id)
    if current.state is RoundState.OPEN:
        return screen("voting", Said(N_("Round {n}: voting open - join screen"), {"n": n}), True, current.id)
    if current.state is RoundState.CLOSED:
        return screen("closed", Said(N_("Round {n}: voting closed - result coming up"), {"n": n}), True, current.id)
    pages = team_pages(teams_voted)
    page = page if 0 <= page <= pages else 0
    if page:
        first, last = _span(page, teams_voted)
        said = Said(
            N_("Round {n}: result - teams {first}-{last} of {total}"),
            {"n": n, "first": first, "last": last, "total": teams_voted},
        )
    else:
        said = Said(N_("Round {n}: result"), {"n": n})
    return screen("result", said, True, current.id, page=page, pages=pages, teams=teams_voted)


def poll_view(poll: Poll) -> ProjectorNow:
    if poll.state is RoundState.REVEALED:
        return screen("poll", Said(N_("Poll: {title} - result"), {"title": poll.title}), False, poll_id=poll.id)
    return screen("poll", Said(N_("Poll: {title}"), {"title": poll.title}), False, poll_id=poll.id)


def chosen_view(mode: str, rnd: Round | None, team_name: str | None, team_id: int | None, organisation: str) -> ProjectorNow:
    """The facilitator's explicit choice: iceberg or summary of a round, or the earlier actions."""
    if mode == "evidence":
        return screen("evidence", Said(N_("Evidence from outside for one card")), False)
    if mode == "review":
        return screen("review", Said(N_("Earlier actions of {organisation}"), {"organisation": organisation}), False)
    if rnd is None:
        if mode == "iceberg":
            return screen(mode, Said(N_("Iceberg: no round revealed yet")), False)
        return screen(mode, Said(N_("Team summary: no round revealed yet")), False)
    n = rnd.position
    if mode == "iceberg":
        return screen("iceberg", Said(N_("Iceberg of round {n}"), {"n": n}), False, rnd.id)
    if team_name is None:
        return screen("summary", Said(N_("Team summary of round {n}: no teams"), {"n": n}), False, rnd.id)
    return screen("summary", Said(N_("{team}'s summary of round {n}"), {"team": team_name, "n": n}), False, rnd.id, team_id)
