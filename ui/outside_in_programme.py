"""The programme page's planning side: immersion visits with their briefings, the IT people, and coverage
(who had a visit in the last quarter or year, the gaps, and who is due)."""

from __future__ import annotations

import datetime
from functools import partial

import streamlit as st

from abc_workshop.domain import Workshop
from abc_workshop.outside_in import VISIT_KINDS, Briefing, VisitStatus, briefing_templates
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import scout_url
from ui.text import plain

STATUS_ICONS = {VisitStatus.PLANNED: "🗓️", VisitStatus.DONE: "✅", VisitStatus.CANCELLED: "✖️"}


@st.cache_data(show_spinner=False)
def _templates() -> dict[str, Briefing]:
    return briefing_templates()


def plan_visit_form(store: Store, workshop: Workshop, key: str) -> None:
    """One visit, one single customer activity; the briefing starts from the template for the kind of visit."""
    kind = st.selectbox("Kind of visit", list(VISIT_KINDS), format_func=VISIT_KINDS.__getitem__, key="plan-kind")
    template = _templates()[kind]
    actions = store.programme_actions(workshop.id, key)
    with st.form("plan-visit", clear_on_submit=True):
        left, right = st.columns(2)
        person = left.text_input("Who goes", max_chars=80, help="For an undercover customer: the business person who visits IT.")
        team = right.text_input(
            "IT team", max_chars=60, help="The team they belong to, or the IT team an undercover customer visits."
        )
        role = left.text_input("Role", max_chars=80)
        place = right.text_input("Where", max_chars=120, placeholder="e.g. Store 12, Leeds · Claims call centre · our mobile app")
        activity = st.text_input(
            "The one customer activity to observe", max_chars=300, placeholder="e.g. A customer returns a faulty item at the till"
        )
        host = left.text_input("Host (optional)", max_chars=80, help="Who positions the visitor in the business.")
        visit_on = right.date_input("Date", value=datetime.date.today() + datetime.timedelta(days=7), format="YYYY-MM-DD")
        action_id = st.selectbox(
            "Carries out a workshop action (optional)",
            [None, *[a["id"] for a in actions]],
            format_func=lambda a: "—" if a is None else _action_label(actions, a),
        )
        st.markdown("**Briefing** (from the template; edit for this visit)")
        look_for = st.text_area("What to look for", value=template.look_for, max_chars=1000, key=f"brief-look-{kind}")
        questions = st.text_area("Questions to ask", value=template.questions, max_chars=1000, key=f"brief-questions-{kind}")
        expected = st.text_area("Expected outcome", value=template.expected, max_chars=1000, key=f"brief-expected-{kind}")
        if st.form_submit_button("Plan visit", type="primary"):
            attempt(
                lambda: store.plan_visit(
                    workshop.id,
                    key,
                    kind=kind,
                    person=person,
                    team=team,
                    role=role,
                    place=place,
                    activity=activity,
                    host=host,
                    visit_on=visit_on,
                    briefing=Briefing(look_for, questions, expected),
                    action_id=action_id,
                ),
                success="Visit planned",
                rerun=True,
            )


def _action_label(actions: list[dict], action_id: int) -> str:
    action = next(a for a in actions if a["id"] == action_id)
    return f"{action['what']} — {action['owner']} ({action['workshop_title']}, {action['status']})"


def visits_list(store: Store, workshop: Workshop, key: str) -> None:
    visits = store.visits(workshop.id, key)
    if not visits:
        st.info("No immersion visit is planned yet.")
    for visit in visits:
        label = (
            f"{STATUS_ICONS[visit.status]} {visit.visit_on} · {plain(visit.person)} ({plain(visit.team)}) → {plain(visit.place)}"
        )
        with st.expander(label):
            st.markdown(
                f"**{plain(visit.kind_label)}** · activity: {plain(visit.activity)}"
                + (f" · host: {plain(visit.host)}" if visit.host else "")
            )
            st.caption("The scout's personal link (send it to them only; it opens their briefing and their notes):")
            st.code(scout_url(visit), language=None)
            if visit.summary:
                st.markdown(f"**Debrief:** {plain(visit.summary)}")
            if visit.should_change:
                st.markdown(f"**What should change:** {plain(visit.should_change)}")
            _briefing_form(store, workshop, key, visit)
            if visit.status is VisitStatus.PLANNED:
                done, cancel = st.columns(2)
                if done.button("Mark as done", key=f"visit-done-{visit.id}"):
                    attempt(partial(store.set_visit_status, workshop.id, key, visit.id, VisitStatus.DONE), rerun=True)
                if cancel.button("Cancel visit", key=f"visit-cancel-{visit.id}"):
                    attempt(partial(store.set_visit_status, workshop.id, key, visit.id, VisitStatus.CANCELLED), rerun=True)


def _briefing_form(store: Store, workshop: Workshop, key: str, visit) -> None:
    with st.form(f"briefing-{visit.id}"):
        look_for = st.text_area("What to look for", value=visit.look_for, max_chars=1000)
        questions = st.text_area("Questions to ask", value=visit.questions, max_chars=1000)
        expected = st.text_area("Expected outcome", value=visit.expected, max_chars=1000)
        if st.form_submit_button("Save briefing"):
            attempt(
                lambda: store.edit_briefing(workshop.id, key, visit.id, Briefing(look_for, questions, expected)),
                success="Briefing saved",
                rerun=True,
            )


def people_panel(store: Store, workshop: Workshop, key: str) -> None:
    """Everyone in IT, no exceptions: coverage is counted against this list."""
    with st.form("add-person", clear_on_submit=True):
        name, team, role = st.columns(3)
        typed = (
            name.text_input("Name", max_chars=80),
            team.text_input("Team", max_chars=60),
            role.text_input("Role ", max_chars=80),
        )
        if st.form_submit_button("Add to the IT list"):
            attempt(lambda: store.add_person(workshop.id, key, *typed), success="Added", rerun=True)
    people = store.people(workshop.id, key)
    if people:
        st.dataframe([{"Name": p["name"], "Team": p["team"], "Role": p["role"]} for p in people], hide_index=True)


def coverage_panel(store: Store, workshop: Workshop, key: str) -> None:
    today = datetime.date.today()
    period = st.segmented_control(
        "Period", ["quarter", "year"], default="quarter", format_func=lambda p: f"Last {p}", key="coverage-period"
    )
    period = period or "quarter"
    by_team, by_role = st.columns(2)
    for column, by in ((by_team, "team"), (by_role, "role")):
        rows = store.coverage(workshop.id, key, by, period, today)
        column.markdown(f"**By {by}**")
        if not rows:
            column.caption("Add the IT people (or plan a visit) to see coverage.")
            continue
        column.dataframe(
            [
                {by.capitalize(): r.group, "People": r.people, "Visited": r.visited, "Last visit": r.last_visit or "never"}
                for r in rows
            ],
            hide_index=True,
        )
        for r in rows:
            if r.gap:
                who = f"Nobody from {plain(r.group)}" if by == "team" else f"Nobody in the role {plain(r.group)}"
                column.warning(f"{who} " + (f"since {r.last_visit}" if r.last_visit else "has had a visit yet"), icon="🕳️")
    due = store.due_people(workshop.id, key, today)
    st.markdown("**Who is due** (no visit in the last quarter and none planned)")
    if not due:
        st.success("Everyone on the IT list has had a visit this quarter or has one planned.")
    for person in due:
        st.markdown(
            f"- {plain(person['name'])} · {plain(person['team'])} · {plain(person['role'])} · last visit: {person['last_visit'] or 'never'}"
        )
