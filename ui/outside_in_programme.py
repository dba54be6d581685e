"""The programme page's planning side: immersion visits with their briefings, the IT people, and coverage
(who had a visit in the last quarter or year, the gaps, and who is due)."""

from __future__ import annotations

import datetime
from functools import partial

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import Workshop
from abc_workshop.i18n import _, pgettext
from abc_workshop.outside_in import VISIT_KINDS, Briefing, VisitStatus, briefing_templates
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import scout_url
from ui.text import plain

STATUS_ICONS = {VisitStatus.PLANNED: "🗓️", VisitStatus.DONE: "✅", VisitStatus.CANCELLED: "✖️"}


@st.cache_data(show_spinner=False)
def _templates(language: str) -> dict[str, Briefing]:
    """The default briefings in one language (the language is part of what is cached)."""
    return briefing_templates(language=language)


def plan_visit_form(store: Store, workshop: Workshop, key: str) -> None:
    """One visit, one single customer activity; the briefing starts from the template for the kind of visit."""
    kind = st.selectbox(_("Kind of visit"), list(VISIT_KINDS), format_func=lambda k: _(VISIT_KINDS[k]), key="plan-kind")
    template = _templates(i18n.current())[kind]
    actions = store.programme_actions(workshop.id, key)
    with st.form("plan-visit", clear_on_submit=True):
        left, right = st.columns(2)
        person = left.text_input(
            _("Who goes"), max_chars=80, help=_("For an undercover customer: the business person who visits IT.")
        )
        team = right.text_input(
            _("IT team"), max_chars=60, help=_("The team they belong to, or the IT team an undercover customer visits.")
        )
        role = left.text_input(_("Role"), max_chars=80)
        place = right.text_input(
            _("Where"), max_chars=120, placeholder=_("e.g. Store 12, Leeds · Claims call centre · our mobile app")
        )
        activity = st.text_input(
            _("The one customer activity to observe"),
            max_chars=300,
            placeholder=_("e.g. A customer returns a faulty item at the till"),
        )
        host = left.text_input(_("Host (optional)"), max_chars=80, help=_("Who positions the visitor in the business."))
        visit_on = right.date_input(_("Date"), value=datetime.date.today() + datetime.timedelta(days=7), format="YYYY-MM-DD")
        action_id = st.selectbox(
            _("Carries out a workshop action (optional)"),
            [None, *[a["id"] for a in actions]],
            format_func=lambda a: "—" if a is None else _action_label(actions, a),
        )
        st.markdown(_("**Briefing** (from the template; edit for this visit)"))
        look_for = st.text_area(_("What to look for"), value=template.look_for, max_chars=1000, key=f"brief-look-{kind}")
        questions = st.text_area(_("Questions to ask"), value=template.questions, max_chars=1000, key=f"brief-questions-{kind}")
        expected = st.text_area(_("Expected outcome"), value=template.expected, max_chars=1000, key=f"brief-expected-{kind}")
        if st.form_submit_button(_("Plan visit"), type="primary"):
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
                success=_("Visit planned"),
                rerun=True,
            )


def _action_label(actions: list[dict], action_id: int) -> str:
    action = next(a for a in actions if a["id"] == action_id)
    return f"{action['what']} — {action['owner']} ({action['workshop_title']}, {_action_status(action['status'])})"


def _action_status(status: str) -> str:
    return {
        "open": pgettext("status", "open"),
        "done": pgettext("status", "done"),
        "dropped": pgettext("status", "dropped"),
    }.get(status, status)


def visits_list(store: Store, workshop: Workshop, key: str) -> None:
    visits = store.visits(workshop.id, key)
    if not visits:
        st.info(_("No immersion visit is planned yet."))
    for visit in visits:
        on = i18n.day(visit.visit_on)
        label = f"{STATUS_ICONS[visit.status]} {on} · {plain(visit.person)} ({plain(visit.team)}) → {plain(visit.place)}"
        with st.expander(label):
            about = [f"**{plain(visit.kind_label)}**", _("activity: {activity}").format(activity=plain(visit.activity))]
            if visit.host:
                about.append(_("host: {host}").format(host=plain(visit.host)))
            st.markdown(" · ".join(about))
            st.caption(_("The scout's personal link (send it to them only; it opens their briefing and their notes):"))
            st.code(scout_url(visit), language=None)
            if visit.summary:
                st.markdown(_("**Debrief:** {summary}").format(summary=plain(visit.summary)))
            if visit.should_change:
                st.markdown(_("**What should change:** {change}").format(change=plain(visit.should_change)))
            _briefing_form(store, workshop, key, visit)
            if visit.status is VisitStatus.PLANNED:
                done, cancel = st.columns(2)
                if done.button(_("Mark as done"), key=f"visit-done-{visit.id}"):
                    attempt(partial(store.set_visit_status, workshop.id, key, visit.id, VisitStatus.DONE), rerun=True)
                if cancel.button(_("Cancel visit"), key=f"visit-cancel-{visit.id}"):
                    attempt(partial(store.set_visit_status, workshop.id, key, visit.id, VisitStatus.CANCELLED), rerun=True)


def _briefing_form(store: Store, workshop: Workshop, key: str, visit) -> None:
    with st.form(f"briefing-{visit.id}"):
        look_for = st.text_area(_("What to look for"), value=visit.look_for, max_chars=1000)
        questions = st.text_area(_("Questions to ask"), value=visit.questions, max_chars=1000)
        expected = st.text_area(_("Expected outcome"), value=visit.expected, max_chars=1000)
        if st.form_submit_button(_("Save briefing")):
            attempt(
                lambda: store.edit_briefing(workshop.id, key, visit.id, Briefing(look_for, questions, expected)),
                success=_("Briefing saved"),
                rerun=True,
            )


def people_panel(store: Store, workshop: Workshop, key: str) -> None:
    """Everyone in IT, no exceptions: coverage is counted against this list."""
    with st.form("add-person", clear_on_submit=True):
        name, team, role = st.columns(3)
        typed = (
            name.text_input(_("Name"), max_chars=80),
            team.text_input(_("Team"), max_chars=60),
            role.text_input(_("Role") + " ", max_chars=80),  # the space keeps it apart from the visit form's "Role"
        )
        if st.form_submit_button(_("Add to the IT list")):
            attempt(lambda: store.add_person(workshop.id, key, *typed), success=_("Added"), rerun=True)
    people = store.people(workshop.id, key)
    if people:
        heads = (_("Name"), _("Team"), _("Role"))
        st.dataframe([dict(zip(heads, (p["name"], p["team"], p["role"]), strict=True)) for p in people], hide_index=True)


def coverage_panel(store: Store, workshop: Workshop, key: str) -> None:
    today = datetime.date.today()
    period = st.segmented_control(
        _("Period"),
        ["quarter", "year"],
        default="quarter",
        format_func=lambda p: _("Last quarter") if p == "quarter" else _("Last year"),
        key="coverage-period",
    )
    period = period or "quarter"
    by_team, by_role = st.columns(2)
    for column, by in ((by_team, "team"), (by_role, "role")):
        rows = store.coverage(workshop.id, key, by, period, today)
        column.markdown("**" + (_("By team") if by == "team" else _("By role")) + "**")
        if not rows:
            column.caption(_("Add the IT people (or plan a visit) to see coverage."))
            continue
        heads = (_("Team") if by == "team" else _("Role"), _("People"), _("Visited"), _("Last visit"))
        column.dataframe(
            [dict(zip(heads, (r.group, r.people, r.visited, _last_visit(r.last_visit)), strict=True)) for r in rows],
            hide_index=True,
        )
        for r in rows:
            if r.gap:
                column.warning(_gap(by, plain(r.group), r.last_visit), icon="🕳️")
    due = store.due_people(workshop.id, key, today)
    st.markdown(_("**Who is due** (no visit in the last quarter and none planned)"))
    if not due:
        st.success(_("Everyone on the IT list has had a visit this quarter or has one planned."))
    for person in due:
        last = (
            _("last visit: {day}").format(day=i18n.day(person["last_visit"])) if person["last_visit"] else _("last visit: never")
        )
        st.markdown(f"- {plain(person['name'])} · {plain(person['team'])} · {plain(person['role'])} · {last}")


def _last_visit(last_visit: str | None) -> str:
    # Translators: in the coverage table's "Last visit" column, for a group nobody of which has had a visit
    return i18n.day(last_visit) if last_visit else _("never")


def _gap(by: str, group: str, last_visit: str | None) -> str:
    """The warning for a team (or role) nobody of which has had a visit in the period."""
    if by == "team":
        if last_visit:
            return _("Nobody from {group} since {day}").format(group=group, day=i18n.day(last_visit))
        return _("Nobody from {group} has had a visit yet").format(group=group)
    if last_visit:
        return _("Nobody in the role {group} since {day}").format(group=group, day=i18n.day(last_visit))
    return _("Nobody in the role {group} has had a visit yet").format(group=group)
