"""The projector's round result and iceberg as plain HTML and CSS (ui/projector.css): no chart library to
fetch, so a projector opened that morning draws the first reveal at once. People's text (card titles,
team names, questions) is escaped with shown_text.html_text; every bar carries its card type as a letter, not
only as a colour, and its count and share as numbers.

Every view is built to fit one 1920x1080 screen at 28 px or more: long titles wrap to two lines at most,
and lists stop at what fits, saying how many more there are.
"""

from __future__ import annotations

import pandas as pd

from .domain import CARD_COLOURS, CARD_TYPES
from .i18n import _, ngettext, percent
from .projector import TEAMS_PER_PAGE, team_span
from .shown_text import html_text
from .tabular import row_tuples

TOP_CARDS = 10
TEAM_TOP = 3
STEP_SECONDS = 0.3  # the reveal: card 10 comes in first, number 1 last, one every STEP_SECONDS
WIDE_TITLE = 72  # characters that surely fit on one line of a full-width row (measured: about 85); longer take two
ICEBERG_LINES_ABOVE = 9
ICEBERG_LINES_BELOW = 6


def esc(text: object) -> str:
    """People's text in the projector's HTML, which Streamlit's markdown reads first (shown_text.html_text)."""
    return html_text(text)


def marker(letter: str) -> str:
    """The card type as a letter on its colour, named for screen readers."""
    name = _(CARD_TYPES[letter]) if letter in CARD_TYPES else letter
    return f"<span class='pj-mk pj-mk-{esc(letter)}' title='{esc(name)}'>{esc(letter)}</span>"


def legend() -> str:
    return "<div class='pj-legend'>" + "".join(f"<span>{marker(k)} {esc(_(v))}</span>" for k, v in CARD_TYPES.items()) + "</div>"


def head(title: str, subtitle: str = "") -> str:
    sub = f"<div class='pj-sub'>{subtitle}</div>" if subtitle else ""
    return f"<div class='pj-head'><div class='pj-title'>{title}</div>{sub}</div>"


def bar_row(rank: object, letter: str, title: str, share: float, numbers: str, delay: float | None = None) -> str:
    """One card: its place, type, title, a bar as long as its share, and the numbers."""
    timing = f" style='--pj-delay: {delay:.2f}s'" if delay is not None else ""
    width = max(0.0, min(1.0, float(share))) * 100
    return (
        f"<div class='pj-row'{timing}><span class='pj-rank'>{esc(rank)}</span>{marker(letter)}"
        f"<span class='pj-label'>{esc(title)}</span>"
        f"<span class='pj-track'><span class='pj-bar' style='width: {width:.1f}%; background: {CARD_COLOURS.get(letter, '#555')}'></span></span>"
        f"<span class='pj-num'>{numbers}</span></div>"
    )


def _cut(table: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    return table.head(limit), max(0, len(table) - limit)


def result_overall(title: str, subtitle: str, top: pd.DataFrame, ballots: int) -> str:
    """The room's top cards, arriving from number 10 up to number 1 while their bars grow."""
    shown, more = _cut(top, TOP_CARDS)
    count = len(shown)
    rows = [
        bar_row(row.rank, row.type, row.title, row.share, f"{row.picks} · {percent(row.share)}", (count - 1 - i) * STEP_SECONDS)
        for i, row in enumerate(row_tuples(shown))
    ]
    if more:
        tied = ngettext("and {n} more card tied at place {place}", "and {n} more cards tied at place {place}", more)
        rows.append(f"<div class='pj-more'>{tied.format(n=more, place=shown['rank'].iloc[-1])}</div>")
    voted = ngettext(
        "{n} participant voted · picks · share of participants", "{n} participants voted · picks · share of participants", ballots
    ).format(n=ballots)
    caption = f"<div class='pj-caption'>{voted}</div>"
    return f"<div class='pj pj-result'>{head(title, subtitle)}{legend()}{caption}<div class='pj-rows'>{''.join(rows)}</div></div>"


def result_teams(title: str, teams: list, page: int) -> str:
    """One page of the teams' own top cards, as small multiples in a 3 by 2 grid."""
    voted = [t for t in teams if t.ballots]
    page = max(1, min(page, (len(voted) + TEAMS_PER_PAGE - 1) // TEAMS_PER_PAGE or 1))
    boxes = []
    for team in voted[(page - 1) * TEAMS_PER_PAGE : page * TEAMS_PER_PAGE]:
        rows = [
            bar_row(row.rank, row.type, row.title, row.share, f"{row.picks}")
            for row in team.top(TEAM_TOP).head(TEAM_TOP).itertuples()
        ]
        votes = ngettext("{n} vote", "{n} votes", team.ballots).format(n=team.ballots)
        boxes.append(
            f"<div class='pj-team'><div class='pj-team-name'>{esc(team.name)} <span class='pj-quiet'>· {votes}</span></div>"
            f"{''.join(rows)}</div>"
        )
    span = team_span(page, len(voted), capital=True) if voted else _("No team has voted")
    silent = len(teams) - len(voted)
    note = " · " + ngettext("{n} team without votes", "{n} teams without votes", silent).format(n=silent) if silent else ""
    subtitle = _("Each team’s top cards · {span}").format(span=esc(span)) + note
    return f"<div class='pj pj-result'>{head(title, subtitle)}{legend()}<div class='pj-teams'>{''.join(boxes)}</div></div>"


def _lines(title: str) -> int:
    return 1 if len(title) <= WIDE_TITLE else 2


def _fit(rows: list[dict], budget: int) -> tuple[list[dict], int]:
    """The first rows whose titles fit in `budget` lines, and how many did not."""
    taken, used = [], 0
    for row in rows:
        if used + _lines(row["title"]) > budget:
            break
        taken.append(row)
        used += _lines(row["title"])
    return taken, len(rows) - len(taken)


def iceberg(title: str, subtitle: str, rows: list[dict], *, min_share: float = 0.25) -> str:
    """Above the waterline the cards teams shortlisted (discussed aloud); below it the cards many picked in
    the anonymous vote that no team shortlisted. Bars are the share of voters who picked the card."""
    above = sorted((r for r in rows if r["shortlisted_by"]), key=lambda r: (-r["shortlisted_by"], -r["share"], r["title"]))
    below = [r for r in rows if not r["shortlisted_by"] and r["share"] >= min_share and r["picks"] >= 2]
    above, above_more = _fit(above, ICEBERG_LINES_ABOVE)
    below, below_more = _fit(below, ICEBERG_LINES_BELOW)

    def zone(items: list[dict], more: int, with_teams: bool) -> str:
        out = [
            bar_row(
                "",
                r["type"],
                r["title"],
                r["share"],
                percent(r["share"])
                + (
                    " · " + ngettext("{n} team", "{n} teams", r["shortlisted_by"]).format(n=r["shortlisted_by"])
                    if with_teams
                    else ""
                ),
            )
            for r in items
        ]
        if more:
            out.append(
                "<div class='pj-more'>" + ngettext("and {n} more card", "and {n} more cards", more).format(n=more) + "</div>"
            )
        return "".join(out)

    top = zone(above, above_more, True) or "<div class='pj-more'>" + _("No team has a shortlist yet.") + "</div>"
    deep = (
        zone(below, below_more, False)
        or "<div class='pj-more'>" + _("Nothing hidden: every card many picked was discussed.") + "</div>"
    )
    discussed = _("Discussed aloud: on teams' shortlists")
    hidden = _("Below the waterline: many picked it, no team shortlisted it")
    return (
        f"<div class='pj pj-iceberg'>{head(title, subtitle)}"
        f"<div class='pj-zone pj-above'><div class='pj-zone-title'>{discussed}</div>{top}</div>"
        f"<div class='pj-zone pj-below'><div class='pj-zone-title'>{hidden}</div>{deep}</div></div>"
    )
