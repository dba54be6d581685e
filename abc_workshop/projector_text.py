"""The projector's text views as HTML (ui/projector.css): what a team wrote about its top cards, the actions
promised at earlier workshops, and a poll's statements and result. Every piece of people's text is escaped
with html.escape and clamped to the lines it has, so a view always fits the screen."""

from __future__ import annotations

from .analysis import HEADINGS, Topic
from .projector_html import esc, head, marker, plural

SUMMARY_CARDS = 3
SUMMARY_ACTIONS = 2
REVIEW_ROWS = 9
POLL_ROWS = 10
STATUS_MARKS = {"open": "☐ open", "done": "☑ done", "dropped": "✗ dropped"}


def _more(n: int, what: str) -> str:
    return f" <span class='pj-quiet'>(+{n} more {what})</span>" if n else ""


def _severity(topic: Topic) -> str:
    parts = []
    for heading, label in HEADINGS.items():
        median = topic.severities[heading].median
        parts.append(f"{esc(label)} <b>{'–' if median is None else f'{median:g}'}</b>")
    return "<div class='pj-line2'>Severity (1-5): " + " · ".join(parts) + "</div>"


def _topic_column(topic: Topic) -> str:
    out = [f"<div class='pj-card-title'>{marker(topic.card_type)} <span>{esc(topic.card_title)}</span></div>", _severity(topic)]
    for heading, label in HEADINGS.items():
        notes = topic.notes_under(heading)
        if notes:
            out.append(f"<div class='pj-line2'><b>{esc(label)}:</b> {esc(notes[0].text)}{_more(len(notes) - 1, 'notes')}</div>")
    if topic.decision is not None:
        reason = f": {esc(topic.decision_reason)}" if topic.decision_reason else ""
        out.append(f"<div class='pj-line2'><b>Acceptable business risk?</b> {esc(topic.decision.label)}{reason}</div>")
    else:
        out.append("<div class='pj-line1 pj-quiet'>Risk not decided yet</div>")
    behaviours = [b for b in topic.behaviours if not b.hidden]
    if behaviours:
        out.append(
            f"<div class='pj-line2'><b>We want:</b> “{esc(behaviours[0].statement)}”{_more(len(behaviours) - 1, 'behaviours')}</div>"
        )
    for action in topic.actions[:SUMMARY_ACTIONS]:
        due = f" by {esc(action.due_on)}" if action.due_on else ""
        out.append(f"<div class='pj-line2'>☐ <b>{esc(action.owner)}</b>{due}: {esc(action.what)}</div>")
    if len(topic.actions) > SUMMARY_ACTIONS:
        out.append(f"<div class='pj-line1 pj-quiet'>+{len(topic.actions) - SUMMARY_ACTIONS} more actions</div>")
    if not topic.actions:
        out.append("<div class='pj-line1 pj-quiet'>No actions yet</div>")
    return f"<div class='pj-topic'>{''.join(out)}</div>"


def team_summary(team_name: str, round_label: str, topics: list[Topic]) -> str:
    """What one team wrote about its top cards: the first note per heading, the decision with its reason,
    the desirable behaviour and the actions with their owners."""
    shown = topics[:SUMMARY_CARDS]
    more = len(topics) - len(shown)
    subtitle = esc(round_label) + (f" · {plural(more, 'more card')} on the shortlist" if more else "")
    body = "".join(_topic_column(t) for t in shown) or "<div class='pj-more'>This team has no shortlist yet.</div>"
    return f"<div class='pj pj-summary'>{head(f'{esc(team_name)} · our top cards', subtitle)}<div class='pj-topics'>{body}</div></div>"


def action_review(organisation: str, rows: list[dict]) -> str:
    """The actions promised at earlier workshops of the organisation, open ones first."""
    title = f"What we promised last time · {esc(organisation)}"
    if not rows:
        return f"<div class='pj pj-review'>{head(title)}<div class='pj-more'>No actions from earlier workshops.</div></div>"
    lines = [
        f"<div class='pj-review-row'><span class='pj-status pj-status-{esc(r['status'])}'>{STATUS_MARKS.get(r['status'], esc(r['status']))}</span>"
        f"<span class='pj-line2'><b>{esc(r['what'])}</b> — {esc(r['owner'])} <span class='pj-quiet'>({esc(r['team_name'])}, {esc(r['workshop_title'])})</span></span></div>"
        for r in rows[:REVIEW_ROWS]
    ]
    if len(rows) > REVIEW_ROWS:
        lines.append(f"<div class='pj-more'>and {plural(len(rows) - REVIEW_ROWS, 'more action')}</div>")
    open_count = sum(r["status"] == "open" for r in rows)
    return f"<div class='pj pj-review'>{head(title, f'{open_count} of {len(rows)} still open')}{''.join(lines)}</div>"


def poll_statements(title: str, scale: str, statements: list[str]) -> str:
    items = "".join(
        f"<div class='pj-statement'><span class='pj-rank'>{n}.</span><span class='pj-line2'>{esc(s)}</span></div>"
        for n, s in enumerate(statements[:POLL_ROWS], start=1)
    )
    return f"<div class='pj pj-poll'>{head(esc(title), esc(scale) + ' · answer on your voting page')}{items}</div>"


def poll_result(title: str, subtitle: str, table, small) -> str:
    """Agree, partly and disagree per statement as one stacked bar with the numbers beside it; `small(n)`
    tells when a group is too small for shares, and then counts are shown instead."""
    rows = []
    for row in table.head(POLL_ROWS).to_dict("records"):
        parts = [
            ("agree", "✓", row["Agree"], row["Agree share"]),
            ("partly", "~", row["Partly"], row["Partly share"]),
            ("disagree", "✗", row["Disagree"], row["Disagree share"]),
        ]
        bar = "".join(
            f"<span class='pj-seg pj-seg-{name}' style='width: {share * 100:.1f}%'></span>" for name, _, _, share in parts
        )
        counts = small(row["answers"])
        numbers = " · ".join(f"{mark} {count if counts else f'{share:.0%}'}" for _, mark, count, share in parts)
        rows.append(
            f"<div class='pj-poll-row'><span class='pj-label'>{esc(row['label'])}</span>"
            f"<span class='pj-stack'>{bar}</span><span class='pj-num'>{numbers}</span></div>"
        )
    key = "<div class='pj-legend'><span>✓ agree</span><span>~ partly</span><span>✗ disagree</span></div>"
    return f"<div class='pj pj-poll'>{head(esc(title) + ': the result', subtitle)}{key}{''.join(rows)}</div>"
