"""The projector's text views as HTML (ui/projector.css): what a team wrote about its top cards, the actions
promised at earlier workshops, and a poll's statements and result. Every piece of people's text is escaped
with html.escape and clamped to the lines it has, so a view always fits the screen."""

from __future__ import annotations

from .analysis import HEADINGS, Topic, shown_day, shown_score, status_label
from .i18n import _, ngettext, percent
from .projector_html import esc, head, marker

SUMMARY_CARDS = 3
SUMMARY_ACTIONS = 2
REVIEW_ROWS = 9
POLL_ROWS = 10
STATUS_MARKS = {"open": "☐", "done": "☑", "dropped": "✗"}


def _more(text: str) -> str:
    return f" <span class='pj-quiet'>{text}</span>"


def _severity(topic: Topic) -> str:
    parts = []
    for heading, label in HEADINGS.items():
        parts.append(f"{esc(_(label))} <b>{shown_score(topic.severities[heading].median)}</b>")
    return "<div class='pj-line2'>" + _("Severity (1-5): {scores}").format(scores=" · ".join(parts)) + "</div>"


def _topic_column(topic: Topic) -> str:
    out = [f"<div class='pj-card-title'>{marker(topic.card_type)} <span>{esc(topic.card_title)}</span></div>", _severity(topic)]
    for heading, label in HEADINGS.items():
        notes = topic.notes_under(heading)
        if notes:
            more = len(notes) - 1
            # Translators: after the first of a heading's notes on the projector, e.g. "(+2 more notes)"
            rest = _more(ngettext("(+{n} more note)", "(+{n} more notes)", more).format(n=more)) if more else ""
            out.append(f"<div class='pj-line2'><b>{esc(_(label))}:</b> {esc(notes[0].text)}{rest}</div>")
    if topic.decision is not None:
        reason = f": {esc(topic.decision_reason)}" if topic.decision_reason else ""
        asked = _("Acceptable business risk?")
        out.append(f"<div class='pj-line2'><b>{asked}</b> {esc(topic.decision.label)}{reason}</div>")
    else:
        out.append("<div class='pj-line1 pj-quiet'>" + _("Risk not decided yet") + "</div>")
    behaviours = [b for b in topic.behaviours if not b.hidden]
    if behaviours:
        more = len(behaviours) - 1
        rest = _more(ngettext("(+{n} more behaviour)", "(+{n} more behaviours)", more).format(n=more)) if more else ""
        # Translators: a team's desirable behaviour on the projector follows, in quotes
        want = _("We want:")
        out.append(f"<div class='pj-line2'><b>{want}</b> “{esc(behaviours[0].statement)}”{rest}</div>")
    for action in topic.actions[:SUMMARY_ACTIONS]:
        if action.due_on:
            # Translators: an action on the projector: its owner, the day it is due, what is to be done
            line = _("<b>{owner}</b> by {due}: {what}").format(
                owner=esc(action.owner), due=esc(shown_day(action.due_on)), what=esc(action.what)
            )
        else:
            line = _("<b>{owner}</b>: {what}").format(owner=esc(action.owner), what=esc(action.what))
        out.append(f"<div class='pj-line2'>☐ {line}</div>")
    if len(topic.actions) > SUMMARY_ACTIONS:
        more = len(topic.actions) - SUMMARY_ACTIONS
        out.append(
            "<div class='pj-line1 pj-quiet'>" + ngettext("+{n} more action", "+{n} more actions", more).format(n=more) + "</div>"
        )
    if not topic.actions:
        out.append("<div class='pj-line1 pj-quiet'>" + _("No actions yet") + "</div>")
    return f"<div class='pj-topic'>{''.join(out)}</div>"


def team_summary(team_name: str, round_label: str, topics: list[Topic]) -> str:
    """What one team wrote about its top cards: the first note per heading, the decision with its reason,
    the desirable behaviour and the actions with their owners."""
    shown = topics[:SUMMARY_CARDS]
    more = len(topics) - len(shown)
    subtitle = esc(round_label)
    if more:
        subtitle += " · " + ngettext("{n} more card on the shortlist", "{n} more cards on the shortlist", more).format(n=more)
    body = "".join(_topic_column(t) for t in shown) or "<div class='pj-more'>" + _("This team has no shortlist yet.") + "</div>"
    # Translators: the title of a team's summary on the projector; {team} is the team's name
    title = _("{team} · our top cards").format(team=esc(team_name))
    return f"<div class='pj pj-summary'>{head(title, subtitle)}<div class='pj-topics'>{body}</div></div>"


def action_review(organisation: str, rows: list[dict]) -> str:
    """The actions promised at earlier workshops of the organisation, open ones first."""
    title = _("What we promised last time · {organisation}").format(organisation=esc(organisation))
    if not rows:
        return (
            f"<div class='pj pj-review'>{head(title)}<div class='pj-more'>"
            + _("No actions from earlier workshops.")
            + "</div></div>"
        )
    lines = [
        f"<div class='pj-review-row'><span class='pj-status pj-status-{esc(r['status'])}'>{_status(r['status'])}</span>"
        f"<span class='pj-line2'><b>{esc(r['what'])}</b> — {esc(r['owner'])} <span class='pj-quiet'>({esc(r['team_name'])}, {esc(r['workshop_title'])})</span></span></div>"
        for r in rows[:REVIEW_ROWS]
    ]
    if len(rows) > REVIEW_ROWS:
        more = len(rows) - REVIEW_ROWS
        lines.append(
            "<div class='pj-more'>" + ngettext("and {n} more action", "and {n} more actions", more).format(n=more) + "</div>"
        )
    open_count = sum(r["status"] == "open" for r in rows)
    still = ngettext("{open} of {n} still open", "{open} of {n} still open", len(rows)).format(open=open_count, n=len(rows))
    return f"<div class='pj pj-review'>{head(title, still)}{''.join(lines)}</div>"


def _status(status: str) -> str:
    """'☑ done': an action's status with its mark, the word in the run's language."""
    mark = STATUS_MARKS.get(status)
    return f"{mark} {esc(status_label(status))}" if mark else esc(status)


def poll_statements(title: str, scale: str, statements: list[str]) -> str:
    items = "".join(
        f"<div class='pj-statement'><span class='pj-rank'>{n}.</span><span class='pj-line2'>{esc(s)}</span></div>"
        for n, s in enumerate(statements[:POLL_ROWS], start=1)
    )
    subtitle = _("{scale} · answer on your voting page").format(scale=esc(scale))
    return f"<div class='pj pj-poll'>{head(esc(title), subtitle)}{items}</div>"


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
            f"<span class='pj-seg pj-seg-{name}' style='width: {share * 100:.1f}%'></span>"
            for name, _mark, _count, share in parts
        )
        counts = small(row["answers"])
        numbers = " · ".join(f"{mark} {count if counts else percent(share)}" for _name, mark, count, share in parts)
        rows.append(
            f"<div class='pj-poll-row'><span class='pj-label'>{esc(row['label'])}</span>"
            f"<span class='pj-stack'>{bar}</span><span class='pj-num'>{numbers}</span></div>"
        )
    # Translators: the key of a poll's result on the projector: agree, partly agree, disagree
    agree, partly, disagree = _("agree"), _("partly"), _("disagree")
    key = f"<div class='pj-legend'><span>✓ {agree}</span><span>~ {partly}</span><span>✗ {disagree}</span></div>"
    heading = _("{title}: the result").format(title=esc(title))
    return f"<div class='pj pj-poll'>{head(heading, subtitle)}{key}{''.join(rows)}</div>"
