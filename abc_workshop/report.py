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

from .analysis import HEADINGS, Action, Topic
from .domain import CARD_COLOURS, CARD_TYPES, Event, Round, Workshop
from .export import excel_workbook
from .report_outside_in import html_section as outside_in_section
from .tabular import row_tuples
from .tallies import RoundResult, tally_round

if TYPE_CHECKING:
    from .store import Store

TOP_OVERALL, TOP_TEAM = 10, 5
SMALL_TEAM = 5  # a team with fewer voters than this is flagged: its shares swing with one ballot
ACTION_COLUMNS = {
    "team_name": "Team",
    "card_title": "Card",
    "what": "Action",
    "owner": "Owner",
    "due_on": "Due",
    "status": "Status",
}
REVIEW_COLUMNS = {
    "workshop_title": "Workshop",
    "team_name": "Team",
    "what": "Action",
    "owner": "Owner",
    "due_on": "Due",
    "status": "Status",
}
LOG_COLUMNS = {"at": "When (UTC)", "kind": "What", "detail": "Detail"}


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
    """One sheet per kind of record."""
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
            "heading": HEADINGS[n.heading],
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
            "heading": HEADINGS[h],
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
            "acceptable_risk": t.decision.label if t.decision else "not recorded",
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
    return excel_workbook(
        {
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
                        "perspective": r.perspective_text,
                        "state": r.state.value,
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
            "Actions": pd.DataFrame(report.actions).drop(columns=["team_id", "round_id", "topic_id"], errors="ignore"),
            "Earlier actions": pd.DataFrame(report.review).drop(columns=["team_id", "round_id", "topic_id"], errors="ignore"),
            "Log": pd.DataFrame([e.__dict__ for e in report.events]),
            **report.outside_in,
        }
    )


def _position(report: WorkshopReport, round_id: int) -> int | None:
    return next((r.position for r, _ in report.rounds if r.id == round_id), None)


# -- Plain text shared by the HTML and the PDF ---------------------------------------------------------


def meta_line(report: WorkshopReport) -> str:
    w = report.workshop
    return f"{w.organisation}{' · ' + w.held_on if w.held_on else ''} · report made {report.generated_at}"


def round_line(rnd: Round, voters: int) -> str:
    return (
        f"{rnd.perspective_text} · {rnd.pick_limit} picks each · {rnd.state.value} · {voters} voter{'s' if voters != 1 else ''}"
    )


def bar_label(row) -> str:
    """A result row's count, share of participants and card type letter."""
    return f"{row.picks} ({row.share:.0%}) · {CARD_TYPES[row.type][0]}"


def decision_text(topic: Topic) -> str:
    decision = topic.decision.label if topic.decision else "not recorded"
    return decision + (f" — {topic.decision_reason}" if topic.decision_reason else "")


def action_text(action: Action) -> str:
    return f"{action.what} — {action.owner}{' by ' + action.due_on if action.due_on else ''} ({action.status.value})"


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


def html(report: WorkshopReport) -> str:
    w = report.workshop
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(w.title)} — ABC workshop report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(w.title)}</h1><p class='meta'>{escape(meta_line(report))}</p>",
    ]
    if w.notes:
        parts.append(f"<p>{escape(w.notes)}</p>")
    parts.append("<h2>Voting rounds</h2>")
    for rnd, result in report.rounds:
        parts.append(_round_section(rnd, result))
    parts.append("<h2>After the vote: each team's analysis</h2>")
    if not report.topics:
        parts.append("<p>No team has a shortlist yet.</p>")
    for team_name in dict.fromkeys(t.team_name for t in report.topics):
        parts.append(f"<h3>{escape(team_name)}</h3>")
        parts.extend(_topic_section(t) for t in report.topics if t.team_name == team_name)
    parts.append("<h2>Actions</h2>")
    parts.append(_table(report.actions, ACTION_COLUMNS))
    if report.review:
        parts.append("<h2>Actions from earlier workshops</h2>")
        parts.append(_table(report.review, REVIEW_COLUMNS))
    parts.append(outside_in_section(report.outside_in))
    parts.append("<h2>Log</h2>")
    parts.append(_table([e.__dict__ for e in report.events], LOG_COLUMNS))
    parts.append("</body></html>")
    return "\n".join(parts)


def _round_section(rnd: Round, result: RoundResult) -> str:
    voters = result.overall.ballots
    head = f"<section><h3>Round {rnd.position}: {escape(rnd.question)}</h3><p class='small'>{escape(round_line(rnd, voters))}</p>"
    if not voters:
        return head + "<p>No ballots.</p></section>"
    teams = "".join(
        f"<div><h4>{escape(team.name)} ({team.ballots} voted)"
        f"{' <span class=flag>small group</span>' if team.ballots < SMALL_TEAM else ''}</h4>{_bars(team.top(TOP_TEAM))}</div>"
        for team in result.teams
        if team.ballots
    )
    return head + f"<h4>Everyone</h4>{_bars(result.overall.top(TOP_OVERALL))}<div class='grid'>{teams}</div></section>"


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
        f"<tr><th>{label}</th><td>{escape(topic.severities[heading].describe())}</td><td><ul>"
        + "".join(
            f"<li>{escape(n.text)} <span class='small'>— {escape(n.author)}</span></li>" for n in topic.notes_under(heading)
        )
        + "</ul></td></tr>"
        for heading, label in HEADINGS.items()
    )
    behaviours = "".join(f"<li>“{escape(b.statement)}”</li>" for b in topic.behaviours if not b.hidden) or "<li>none yet</li>"
    actions = "".join(f"<li>{escape(action_text(a))}</li>" for a in topic.actions) or "<li>none yet</li>"
    return (
        f"<section><h4>{escape(topic.card_title)} <span class='small'>({CARD_TYPES[topic.card_type]}, {topic.picks} picks in the team)</span></h4>"
        f"<table><tr><th>Heading</th><th>Severity</th><th>Negative impact</th></tr>{notes}</table>"
        f"<p><b>Acceptable business risk?</b> {escape(decision_text(topic))}</p>"
        f"<p><b>Desirable behaviour</b></p><ul>{behaviours}</ul><p><b>Actions</b></p><ul>{actions}</ul></section>"
    )


def _table(rows: list[dict], columns: dict[str, str]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{h}</th>" for h in columns.values())
    body = "".join("<tr>" + "".join(f"<td>{escape(str(row.get(c) or ''))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
