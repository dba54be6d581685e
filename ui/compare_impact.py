"""The compare page's views of what came after the vote (severity, risk decisions, actions) and of statement polls."""

from __future__ import annotations

import streamlit as st

from abc_workshop import compare, compare_charts, i18n
from abc_workshop.analysis import RiskDecision
from abc_workshop.domain import CompareFilter
from abc_workshop.i18n import N_, _, ngettext, pgettext
from abc_workshop.store import Store
from abc_workshop.tabular import row_tuples
from ui.compare import GROUPS, MAX_GROUPS, PNG_HINT, group_choice, show

IMPACT_GROUPS = {**GROUPS, "card": N_("Card")}
STATEMENT_GROUPS = {
    "country": N_("Country"),
    "organisation": N_("Organisation"),
    "workshop": N_("Workshop"),
    "team": N_("Team"),
}
DECISION_COLOURS = {"yes": "#2b8a3e", "no": "#c92a2a", "undecided": "#adb5bd"}
STATUS_COLOURS = {"open": "#f08c00", "done": "#2b8a3e", "dropped": "#adb5bd"}


def decisions() -> dict[str, str]:
    """Each risk decision as the legend names it, in the run's language (RiskDecision.label is the English)."""
    return {d.value: _(d.label) for d in RiskDecision}


def statuses() -> dict[str, str]:
    """An action's status, as the legend names it."""
    return {
        "open": pgettext("action status", "Open"),
        "done": pgettext("action status", "Done"),
        "dropped": pgettext("action status", "Dropped"),
    }


def _largest(frame, measure: str):
    """The MAX_GROUPS groups with the most behind them, so a chart stays readable."""
    keep = frame.groupby("grp")[measure].sum().nlargest(MAX_GROUPS).index
    return frame[frame["grp"].isin(keep)]


def impact_view(store: Store, f: CompareFilter, scope: str) -> None:
    by = group_choice("impact-by", IMPACT_GROUPS)
    severity = store.severity_by_heading(f, by)
    judged = store.risk_decisions_by_group(f, by)
    actions = store.actions_by_group(f, by)
    if severity.empty and judged.empty and actions.empty:
        st.info(
            _(
                "No team has recorded impact, a risk decision or an action in this selection yet (the team page, after a "
                "round is revealed; teams' analyses from paper or another server come in on the Import tab)."
            ),
            icon="🔎",
        )
        return
    if not severity.empty:
        show(compare_charts.severity_figure(_largest(severity, "scores"), scope), f"severity-by-{by}")
    left, right = st.columns(2)
    with left:
        if not judged.empty:
            topics = int(judged["topics"].sum())
            subtitle = ngettext("{n} top card judged", "{n} top cards judged", topics).format(n=i18n.number(topics))
            show(
                compare_charts.stacked_counts_figure(
                    _largest(judged, "topics"),
                    "decision",
                    "topics",
                    decisions(),
                    DECISION_COLOURS,
                    _("Is it an acceptable business risk?"),
                    subtitle,
                ),
                f"risk-decisions-by-{by}",
            )
    with right:
        if not actions.empty:
            overdue, count = int(actions["overdue"].sum()), int(actions["actions"].sum())
            subtitle = " · ".join(
                [
                    ngettext("{n} action", "{n} actions", count).format(n=i18n.number(count)),
                    ngettext("{n} open past their due date", "{n} open past their due date", overdue).format(
                        n=i18n.number(overdue)
                    ),
                ]
            )
            show(
                compare_charts.stacked_counts_figure(
                    _largest(actions, "actions"),
                    "status",
                    "actions",
                    statuses(),
                    STATUS_COLOURS,
                    _("Actions: open or done?"),
                    subtitle,
                ),
                f"actions-by-{by}",
            )
    st.caption(
        _(
            "Severity: each participant's score from 1 (minor) to 5 (severe) per heading, for the cards on their team's "
            "shortlist; cells show the mean and how many scores lie behind it. The {n} groups with the most records are shown."
        ).format(n=MAX_GROUPS)
        + " "
        + _(PNG_HINT)
    )


def statements_view(store: Store, f: CompareFilter) -> None:
    choices = store.statement_choices(f)
    if choices.empty:
        st.info(
            _(
                "No statement poll has answers in this selection. Facilitators create polls on the facilitator page (Polls "
                "tab); past surveys can be imported."
            ),
            icon="🔎",
        )
        return
    left, right = st.columns([3, 2])
    labels = {row.statement: _statement_label(row.statement, row.answers, row.workshops) for row in row_tuples(choices)}
    statement = left.selectbox(_("Statement"), list(labels), format_func=labels.__getitem__, key="statement")
    with right:
        by = group_choice("statement-by", STATEMENT_GROUPS)
    table = compare.agreement(store.statement_agreement(f, statement, by))
    if len(table) > MAX_GROUPS:
        st.caption(_("The {shown} groups with the most answers of {n}.").format(shown=MAX_GROUPS, n=i18n.number(len(table))))
        table = table.nlargest(MAX_GROUPS, "answers").sort_values("Agree share", ascending=False)
    answers = int(table["answers"].sum())
    subtitle = (
        ngettext("{n} answer", "{n} answers", answers).format(n=i18n.number(answers))
        + " · "
        # Translators: "Agree" and "Partly" as the chart's legend says them; "agree" and "partly" as a poll's answers
        + _("Agree = agree, or 4–5 on a 1–5 scale; Partly = partly, or 3")
    )
    show(compare_charts.agreement_figure(table, statement, subtitle), f"statement-by-{by}")
    st.caption(
        _(
            "Statements match on their exact wording (case ignored), so reuse a statement's wording to compare it. "
            "Open polls count too: a survey left open for days shows its answers so far."
        )
        + " "
        + _(PNG_HINT)
    )


def _statement_label(statement: str, answers: int, workshops: int) -> str:
    """A statement (people's text) with what lies behind it: 'We … IT (120 answers, 3 workshops)'."""
    behind = ngettext("{n} answer", "{n} answers", answers).format(n=i18n.number(answers))
    held = ngettext("{n} workshop", "{n} workshops", workshops).format(n=i18n.number(workshops))
    # Translators: a statement of a poll, then how many answers and workshops lie behind it
    return _("{statement} ({answers}, {workshops})").format(statement=statement, answers=behind, workshops=held)
