"""The workshop report: one self-contained HTML page and an Excel workbook (report_pdf.py makes the PDF).

All are built from the same gathered records at any moment of the workshop. The HTML draws its
bar charts with plain HTML and CSS, so it needs no script, prints cleanly and opens offline.
The plain-text pieces below are shared with the PDF so both say the same; each format escapes them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from .analysis import HEADINGS, Action, Topic, decision_label, shown_day, status_label
from .domain import CARD_COLOURS, CARD_TYPES, Event, Round, Workshop
from .export import excel_workbook
from .i18n import N_, _, current, ngettext, percent, pgettext
from .projector import perspective_shown
from .report_outside_in import html_section as outside_in_section
from .tabular import row_tuples
from .tallies import RoundResult, tally_round

if TYPE_CHECKING:
    from .store import Store

TOP_OVERALL, TOP_TEAM = 10, 5
SMALL_TEAM = 5  # a team with fewer voters than this is flagged: its shares swing with one ballot
# The report's tables: a record's field and its column header, in English (shown as _(header)).
ACTION_COLUMNS = {
    "team_name": N_("Team"),
    "card_title": N_("Card"),
    "what": N_("Action"),
    "owner": N_("Owner"),
    "due_on": N_("Due"),
    "status": N_("Status"),
}
REVIEW_COLUMNS = {
    "workshop_title": N_("Workshop"),
    "team_name": N_("Team"),
    "what": N_("Action"),
    "owner": N_("Owner"),
    "due_on": N_("Due"),
    "status": N_("Status"),
}
# Translators: the headers of the report's log: when (UTC), what kind of change, its detail
LOG_COLUMNS = {"at": N_("When (UTC)"), "kind": N_("What"), "detail": N_("Detail")}


@dataclass(frozen=True)
class WorkshopReport:
    workshop: Workshop
    rounds: list[tuple[Round, RoundResult]]
    topics: list[Topic]
    actions: list[dict]
    review: list[dict]
    events: list[Event]
    generated_at: str
    outside_in: dict[str, pd.DataFrame] = field(default_factory=dict)  # the organisation's programme (report_outside_in.py)


def gather(store, workshop_id: int, key: str) -> WorkshopReport:
    """Everything recorded so far; the key is needed because the log and names are the facilitator's."""
    events = store.events(workshop_id, key, limit=10_000)
    workshop = store.workshop(workshop_id)
    teams = store.teams(workshop_id)
    rounds = []
    for rnd in store.rounds(workshop_id):
        counts, ballots = store.pick_counts(rnd.id)
        rounds.append((rnd, tally_round(store.cards(rnd.deck_id), teams, counts, ballots)))
    topics = [topic for round_id in store.revealed_rounds(workshop_id) for topic in store.round_topics(round_id)]
    return WorkshopReport(
        workshop=workshop,
        rounds=rounds,
        topics=topics,
        actions=store.workshop_actions(workshop_id),
        review=store.actions_to_review(workshop_id),
        events=events,
        generated_at=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        outside_in=_programme(store, workshop_id, key),
    )


def _programme(store: Store, workshop_id: int, key: str) -> dict[str, pd.DataFrame]:
    """The organisation's outside-in programme, once it holds anything: every workshop has an organisation
    (README.md, "Doors"), and seven empty sheets would only say that none was run."""
    tables = store.programme_tables(workshop_id, key)
    return tables if any(not table.empty for table in tables.values()) else {}


# -- Excel ------------------------------------------------------------------------------------------


def workbook(report: WorkshopReport) -> bytes:
    """One sheet per kind of record, its name and column headers in the run's language. No import reads this
    workbook back (no sheet has an import header, docs/import-format.md), so all of it is for people; the
    organisation's programme sheets (report_outside_in) come as the store writes them."""
    results = [
        {
            "round": rnd.position,
            "question": rnd.question,
            "group": group.name,
            "voters": group.ballots,
            "rank": row.rank,
            "card_id": row.key,
            "card": row.title,
            "type": row.type_name,
            "picks": row.picks,
            "share": round(row.share, 4),
        }
        for rnd, result in report.rounds
        for group in (result.overall, *result.teams)
        if group.ballots
        for row in row_tuples(group.table[group.table["picks"] > 0])
    ]
    shortlist = [
        {
            "round": _position(report, t.round_id),
            "team": t.team_name,
            "card": t.card_title,
            "type": t.card_type,
            "team_picks": t.picks,
        }
        for t in report.topics
    ]
    notes = [
        {
            "round": _position(report, t.round_id),
            "team": t.team_name,
            "card": t.card_title,
            "heading": _(HEADINGS[n.heading]),
            "note": n.text,
            "author": n.author,
            "edited": n.edited,
            "hidden": n.hidden,
        }
        for t in report.topics
        for n in t.notes
    ]
    severity = [
        {
            "round": _position(report, t.round_id),
            "team": t.team_name,
            "card": t.card_title,
            "heading": _(HEADINGS[h]),
            "median": t.severities[h].median,
            "lowest": min(t.severities[h].scores, default=None),
            "highest": max(t.severities[h].scores, default=None),
            "scored_by": t.severities[h].count,
        }
        for t in report.topics
        for h in HEADINGS
    ]
    decisions = [
        {
            "round": _position(report, t.round_id),
            "team": t.team_name,
            "card": t.card_title,
            "acceptable_risk": decision_label(t.decision),
            "reason": t.decision_reason,
        }
        for t in report.topics
    ]
    behaviours = [
        {"team": t.team_name, "card": t.card_title, "behaviour": b.statement, "author": b.author, "hidden": b.hidden}
        for t in report.topics
        for b in t.behaviours
    ]
    w = report.workshop
    sheets = {
        "Workshop": pd.DataFrame(
            [
                {
                    "title": w.title,
                    "organisation": w.organisation,
                    "date": w.held_on,
                    "join_code": w.join_code,
                    "notes": w.notes,
                    "report_made": report.generated_at,
                }
            ]
        ),
        "Rounds": pd.DataFrame(
            [
                {
                    "round": r.position,
                    "question": r.question,
                    "perspective": perspective_shown(r),
                    "state": round_state(r),
                    "picks_each": r.pick_limit,
                    "attempt": r.attempt,
                    "voters": res.overall.ballots,
                }
                for r, res in report.rounds
            ]
        ),
        "Results": pd.DataFrame(results),
        "Shortlists": pd.DataFrame(shortlist),
        "Impact notes": pd.DataFrame(notes),
        "Severity": pd.DataFrame(severity),
        "Risk decisions": pd.DataFrame(decisions),
        "Behaviours": pd.DataFrame(behaviours),
        "Actions": _actions_frame(report.actions),
        "Earlier actions": _actions_frame(report.review),
        "Log": pd.DataFrame([e.__dict__ for e in report.events]),
    }
    names, headers = _sheet_names(), _workbook_headers()
    translated = {names[name]: frame.rename(columns=lambda c: headers.get(c, c)) for name, frame in sheets.items()}
    return excel_workbook({**translated, **report.outside_in})


def _actions_frame(rows: list[dict]) -> pd.DataFrame:
    """Actions as the store lists them, their status in words; due days stay ISO days in a file."""
    frame = pd.DataFrame(rows).drop(columns=["team_id", "round_id", "topic_id"], errors="ignore")
    if "status" in frame.columns:
        frame["status"] = frame["status"].map(status_label)
    return frame


def _sheet_names() -> dict[str, str]:
    """The workbook's sheets in the run's language (Excel allows 31 characters and none of []:*?/\\)."""
    return {
        "Workshop": _("Workshop"),
        "Rounds": _("Rounds"),
        "Results": _("Results"),
        "Shortlists": _("Shortlists"),
        "Impact notes": _("Impact notes"),
        "Severity": _("Severity"),
        "Risk decisions": _("Risk decisions"),
        "Behaviours": _("Behaviours"),
        "Actions": _("Actions"),
        "Earlier actions": _("Earlier actions"),
        "Log": _("Log"),
    }


def _workbook_headers() -> dict[str, str]:
    """The workbook's column headers in the run's language; in English they are the fields' own names."""
    return {
        "round": pgettext("workbook column", "round"),
        "question": pgettext("workbook column", "question"),
        "group": pgettext("workbook column", "group"),
        "voters": pgettext("workbook column", "voters"),
        "rank": pgettext("workbook column", "rank"),
        "card_id": pgettext("workbook column", "card_id"),
        "card": pgettext("workbook column", "card"),
        "type": pgettext("workbook column", "type"),
        "picks": pgettext("workbook column", "picks"),
        "share": pgettext("workbook column", "share"),
        "team": pgettext("workbook column", "team"),
        "team_picks": pgettext("workbook column", "team_picks"),
        "heading": pgettext("workbook column", "heading"),
        "note": pgettext("workbook column", "note"),
        "author": pgettext("workbook column", "author"),
        "edited": pgettext("workbook column", "edited"),
        "hidden": pgettext("workbook column", "hidden"),
        "median": pgettext("workbook column", "median"),
        "lowest": pgettext("workbook column", "lowest"),
        "highest": pgettext("workbook column", "highest"),
        "scored_by": pgettext("workbook column", "scored_by"),
        "acceptable_risk": pgettext("workbook column", "acceptable_risk"),
        "reason": pgettext("workbook column", "reason"),
        "behaviour": pgettext("workbook column", "behaviour"),
        "title": pgettext("workbook column", "title"),
        "organisation": pgettext("workbook column", "organisation"),
        "date": pgettext("workbook column", "date"),
        "join_code": pgettext("workbook column", "join_code"),
        "notes": pgettext("workbook column", "notes"),
        "report_made": pgettext("workbook column", "report_made"),
        "perspective": pgettext("workbook column", "perspective"),
        "state": pgettext("workbook column", "state"),
        "picks_each": pgettext("workbook column", "picks_each"),
        "attempt": pgettext("workbook column", "attempt"),
        "id": pgettext("workbook column", "id"),
        "what": pgettext("workbook column", "what"),
        "owner": pgettext("workbook column", "owner"),
        "due_on": pgettext("workbook column", "due_on"),
        "status": pgettext("workbook column", "status"),
        "card_title": pgettext("workbook column", "card_title"),
        "team_name": pgettext("workbook column", "team_name"),
        "workshop_title": pgettext("workbook column", "workshop_title"),
        "held_on": pgettext("workbook column", "held_on"),
        "at": pgettext("workbook column", "at"),
        "kind": pgettext("workbook column", "kind"),
        "detail": pgettext("workbook column", "detail"),
        "round_id": pgettext("workbook column", "round_id"),
    }


def _position(report: WorkshopReport, round_id: int) -> int | None:
    return next((r.position for r, _result in report.rounds if r.id == round_id), None)


# -- Plain text shared by the HTML and the PDF ---------------------------------------------------------


def meta_line(report: WorkshopReport) -> str:
    w = report.workshop
    made = report.generated_at  # 'YYYY-MM-DD HH:MM'
    when = f"{shown_day(made[:10])} {made[11:]}".strip()
    parts = [w.organisation, shown_day(w.held_on), _("report made {when}").format(when=when)]
    return " · ".join(part for part in parts if part)


def round_state(rnd: Round) -> str:
    """A round's state in words: draft, open, closed, revealed (the context "status" is shared with the pages')."""
    words = {
        "draft": pgettext("status", "draft"),
        "open": pgettext("status", "open"),
        "closed": pgettext("status", "closed"),
        "revealed": pgettext("status", "revealed"),
    }
    return words.get(rnd.state.value, rnd.state.value)


def round_line(rnd: Round, voters: int) -> str:
    """'Our users would pick this · 3 picks each · revealed · 12 voters': four facts, each in words of its own."""
    return " · ".join(
        [
            perspective_shown(rnd),
            ngettext("{n} pick each", "{n} picks each", rnd.pick_limit).format(n=rnd.pick_limit),
            round_state(rnd),
            ngettext("{n} voter", "{n} voters", voters).format(n=voters),
        ]
    )


def round_title(rnd: Round) -> str:
    return _("Round {n}: {question}").format(n=rnd.position, question=rnd.question)


def team_voted(name: str, ballots: int) -> str:
    """'Service Desk (4 voted)' over a team's chart."""
    return ngettext("{team} ({n} voted)", "{team} ({n} voted)", ballots).format(team=name, n=ballots)


def bar_label(row) -> str:
    """A result row's count, share of participants and card type letter (A, B or C: the method's own letters)."""
    return f"{row.picks} ({percent(row.share)}) · {row.type}"


def card_line(topic: Topic) -> str:
    """'(Attitude, 3 picks in the team)' after a card's title."""
    kind = _(CARD_TYPES[topic.card_type]) if topic.card_type in CARD_TYPES else topic.card_type
    return ngettext("({type}, {n} pick in the team)", "({type}, {n} picks in the team)", topic.picks).format(
        type=kind, n=topic.picks
    )


def impact_headers() -> tuple[str, str, str]:
    """The headers of a card's table of notes, in the HTML and the PDF."""
    return _("Heading"), _("Severity"), _("Negative impact")


def decision_text(topic: Topic) -> str:
    decision = decision_label(topic.decision)
    return decision + (f" — {topic.decision_reason}" if topic.decision_reason else "")


def action_text(action: Action) -> str:
    if action.due_on:
        # Translators: an action in the report: what is to be done, its owner, the day it is due and its status
        return _("{what} — {owner} by {due} ({status})").format(
            what=action.what, owner=action.owner, due=shown_day(action.due_on), status=action.status.label
        )
    return _("{what} — {owner} ({status})").format(what=action.what, owner=action.owner, status=action.status.label)


def cell_text(column: str, value: object) -> str:
    """A field of an action or log row as a report's table shows it: a status in words, a due day as a day."""
    if column == "status" and isinstance(value, str):
        return status_label(value)
    if column == "due_on" and isinstance(value, str):
        return shown_day(value)
    return str(value or "")


# -- HTML -------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { margin-bottom: 0; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; }
.meta { color: #666; }
section { break-inside: avoid; }
.bars { display: grid; grid-template-columns: minmax(12rem, 22rem) 1fr; gap: .25rem .6rem; align-items: center; margin: .6rem 0 1rem; }
.bar { height: 1.1rem; border-radius: 3px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.bar span { margin-left: calc(100% + .3rem); white-space: nowrap; font-size: .85rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } td, th { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.small { font-size: .85rem; color: #666; }
.flag { background: #fff3bf; padding: .1rem .3rem; border-radius: 3px; }
@page { margin: 1.5cm; }
"""


def _t(text: str) -> str:
    """Our own words in the HTML, escaped too: a translation may hold an '&'."""
    return escape(text, quote=False)


def html(report: WorkshopReport) -> str:
    w = report.workshop
    title = _("{title} — ABC workshop report").format(title=w.title)
    parts = [
        f"<!doctype html><html lang='{escape(current())}'><head><meta charset='utf-8'><title>{escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(w.title)}</h1><p class='meta'>{escape(meta_line(report))}</p>",
    ]
    if w.notes:
        parts.append(f"<p>{escape(w.notes)}</p>")
    parts.append("<h2>" + _t(_("Voting rounds")) + "</h2>")
    for rnd, result in report.rounds:
        parts.append(_round_section(rnd, result))
    parts.append("<h2>" + _t(_("After the vote: each team's analysis")) + "</h2>")
    if not report.topics:
        parts.append("<p>" + _t(_("No team has a shortlist yet.")) + "</p>")
    for team_name in dict.fromkeys(t.team_name for t in report.topics):
        parts.append(f"<h3>{escape(team_name)}</h3>")
        parts.extend(_topic_section(t) for t in report.topics if t.team_name == team_name)
    parts.append("<h2>" + _t(_("Actions")) + "</h2>")
    parts.append(_table(report.actions, ACTION_COLUMNS))
    if report.review:
        parts.append("<h2>" + _t(_("Actions from earlier workshops")) + "</h2>")
        parts.append(_table(report.review, REVIEW_COLUMNS))
    parts.append(outside_in_section(report.outside_in))
    parts.append("<h2>" + _t(_("Log")) + "</h2>")
    parts.append(_table([e.__dict__ for e in report.events], LOG_COLUMNS))
    parts.append("</body></html>")
    return "\n".join(parts)


def _round_section(rnd: Round, result: RoundResult) -> str:
    voters = result.overall.ballots
    head = f"<section><h3>{escape(round_title(rnd))}</h3><p class='small'>{escape(round_line(rnd, voters))}</p>"
    if not voters:
        return head + "<p>" + _t(_("No ballots.")) + "</p></section>"
    # Translators: a flag beside a team with fewer than 5 voters: its shares swing with one ballot
    small = " <span class=flag>" + _t(_("small group")) + "</span>"
    teams = "".join(
        f"<div><h4>{escape(team_voted(team.name, team.ballots))}"
        f"{small if team.ballots < SMALL_TEAM else ''}</h4>{_bars(team.top(TOP_TEAM))}</div>"
        for team in result.teams
        if team.ballots
    )
    everyone = _t(_("Everyone"))
    return head + f"<h4>{everyone}</h4>{_bars(result.overall.top(TOP_OVERALL))}<div class='grid'>{teams}</div></section>"


def _bars(table: pd.DataFrame) -> str:
    rows = []
    for row in row_tuples(table):
        rows.append(
            f"<div>{row.rank}. {escape(row.title)}</div>"
            f"<div><div class='bar' style='width:{row.share * 80:.1f}%;background:{CARD_COLOURS[row.type]}'>"
            f"<span>{escape(bar_label(row))}</span></div></div>"
        )
    return f"<div class='bars'>{''.join(rows)}</div>"


def _topic_section(topic: Topic) -> str:
    notes = "".join(
        f"<tr><th>{_t(_(label))}</th><td>{escape(topic.severities[heading].describe())}</td><td><ul>"
        + "".join(
            f"<li>{escape(n.text)} <span class='small'>— {escape(n.author)}</span></li>" for n in topic.notes_under(heading)
        )
        + "</ul></td></tr>"
        for heading, label in HEADINGS.items()
    )
    none_yet = "<li>" + _t(_("none yet")) + "</li>"
    behaviours = "".join(f"<li>“{escape(b.statement)}”</li>" for b in topic.behaviours if not b.hidden) or none_yet
    actions = "".join(f"<li>{escape(action_text(a))}</li>" for a in topic.actions) or none_yet
    header = "".join(f"<th>{_t(h)}</th>" for h in impact_headers())
    risk, wanted, agreed = _t(_("Acceptable business risk?")), _t(_("Desirable behaviour")), _t(_("Actions"))
    return (
        f"<section><h4>{escape(topic.card_title)} <span class='small'>{escape(card_line(topic))}</span></h4>"
        f"<table><tr>{header}</tr>{notes}</table>"
        f"<p><b>{risk}</b> {escape(decision_text(topic))}</p>"
        f"<p><b>{wanted}</b></p><ul>{behaviours}</ul><p><b>{agreed}</b></p><ul>{actions}</ul></section>"
    )


def _table(rows: list[dict], columns: dict[str, str]) -> str:
    if not rows:
        return "<p>" + _t(_("None.")) + "</p>"
    head = "".join(f"<th>{_t(_(h))}</th>" for h in columns.values())
    body = "".join("<tr>" + "".join(f"<td>{escape(cell_text(c, row.get(c)))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
