"""The compare page's views of what came after the vote (severity, risk decisions, actions) and of statement polls."""

from __future__ import annotations

import streamlit as st

from abc_workshop import compare, compare_charts
from abc_workshop.analysis import RiskDecision
from abc_workshop.domain import CompareFilter
from abc_workshop.store import Store
from abc_workshop.tabular import row_tuples
from ui.compare import GROUPS, MAX_GROUPS, PNG_HINT, group_choice, show

IMPACT_GROUPS = {**GROUPS, "card": "Card"}
DECISIONS = {d.value: d.label for d in RiskDecision}
DECISION_COLOURS = {"yes": "#2b8a3e", "no": "#c92a2a", "undecided": "#adb5bd"}
STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}
STATUS_COLOURS = {"open": "#f08c00", "done": "#2b8a3e", "dropped": "#adb5bd"}


def _largest(frame, measure: str):
    """The MAX_GROUPS groups with the most behind them, so a chart stays readable."""
    keep = frame.groupby("grp")[measure].sum().nlargest(MAX_GROUPS).index
    return frame[frame["grp"].isin(keep)]


def impact_view(store: Store, f: CompareFilter, scope: str) -> None:
    by = group_choice("impact-by", IMPACT_GROUPS)
    severity = store.severity_by_heading(f, by)
    decisions = store.risk_decisions_by_group(f, by)
    actions = store.actions_by_group(f, by)
    if severity.empty and decisions.empty and actions.empty:
        st.info(
            "No team has recorded impact, a risk decision or an action in this selection yet (the team page, after a "
            "round is revealed; teams' analyses from paper or another server come in on the Import tab).",
            icon="🔎",
        )
        return
    if not severity.empty:
        show(compare_charts.severity_figure(_largest(severity, "scores"), scope), f"severity-by-{by}")
    left, right = st.columns(2)
    with left:
        if not decisions.empty:
            subtitle = f"{int(decisions['topics'].sum()):,} top cards judged"
            show(
                compare_charts.stacked_counts_figure(
                    _largest(decisions, "topics"),
                    "decision",
                    "topics",
                    DECISIONS,
                    DECISION_COLOURS,
                    "Is it an acceptable business risk?",
                    subtitle,
                ),
                f"risk-decisions-by-{by}",
            )
    with right:
        if not actions.empty:
            overdue = int(actions["overdue"].sum())
            subtitle = f"{int(actions['actions'].sum()):,} actions · {overdue:,} open past their due date"
            show(
                compare_charts.stacked_counts_figure(
                    _largest(actions, "actions"),
                    "status",
                    "actions",
                    STATUSES,
                    STATUS_COLOURS,
                    "Actions: open or done?",
                    subtitle,
                ),
                f"actions-by-{by}",
            )
    st.caption(
        "Severity: each participant's score from 1 (minor) to 5 (severe) per heading, for the cards on their team's shortlist; "
        f"cells show the mean and how many scores lie behind it. The {MAX_GROUPS} groups with the most records are shown. "
        + PNG_HINT
    )


def statements_view(store: Store, f: CompareFilter) -> None:
    choices = store.statement_choices(f)
    if choices.empty:
        st.info(
            "No statement poll has answers in this selection. Facilitators create polls on the facilitator page (Polls tab); "
            "past surveys can be imported.",
            icon="🔎",
        )
        return
    left, right = st.columns([3, 2])
    labels = {
        row.statement: f"{row.statement} ({row.answers:,} answers, {row.workshops:,} workshops)" for row in row_tuples(choices)
    }
    statement = left.selectbox("Statement", list(labels), format_func=labels.__getitem__, key="statement")
    with right:
        by = group_choice(
            "statement-by", {"country": "Country", "organisation": "Organisation", "workshop": "Workshop", "team": "Team"}
        )
    table = compare.agreement(store.statement_agreement(f, statement, by))
    if len(table) > MAX_GROUPS:
        st.caption(f"The {MAX_GROUPS} groups with the most answers of {len(table)}.")
        table = table.nlargest(MAX_GROUPS, "answers").sort_values("Agree share", ascending=False)
    subtitle = f"{int(table['answers'].sum()):,} answers · Agree = agree, or 4–5 on a 1–5 scale; Partly = partly, or 3"
    show(compare_charts.agreement_figure(table, statement, subtitle), f"statement-by-{by}")
    st.caption(
        "Statements match on their exact wording (case ignored), so reuse a statement's wording to compare it. "
        "Open polls count too: a survey left open for days shows its answers so far. " + PNG_HINT
    )
