"""The facilitator's polls: create one (reusing earlier statements' wording keeps results comparable), open it
live or as a survey with a closing time, close, reveal, put it on the projector, and read the answers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Literal

import streamlit as st

from abc_workshop import compare, compare_charts
from abc_workshop.domain import MAX_STATEMENTS, Poll, PollScale, RoundState, Workshop
from abc_workshop.i18n import N_, _, ngettext
from abc_workshop.store import Store
from ui.facilitator import state_name
from ui.feedback import attempt
from ui.polls import answered_count, browser_zone, local_time, survey_link_panel
from ui.team import newest
from ui.text import plain

STATE_ICONS = {RoundState.DRAFT: "📝", RoundState.OPEN: "🟢", RoundState.CLOSED: "🔒", RoundState.REVEALED: "📊"}
# The statement a new poll suggests, in the page's language: the same wording each time keeps results comparable.
DEFAULT_STATEMENT = N_("We are still not customer focused enough in IT")


def polls_panel(store: Store, workshop: Workshop, key: str) -> None:
    st.caption(
        _(
            "A poll asks the room (on their voting pages) or anyone with its survey link to agree or disagree with "
            "statements. Leads compare the answers across workshops, organisations and countries on the compare page."
        )
    )
    polls = store.polls(workshop.id)
    for poll in reversed(newest(polls, "poll", "polls")):  # the newest first, a page of them
        closes = (
            " · " + _("closes {time}").format(time=local_time(poll.closes_at))
            if poll.closes_at and poll.state is RoundState.OPEN
            else ""
        )
        projected = " · 📽️ " + _("on the projector") if poll.on_projector else ""
        label = f"{STATE_ICONS[poll.state]} {plain(poll.title)} · {state_name(poll.state)}{closes}{projected}"
        expanded = poll.state is not RoundState.CLOSED or poll.on_projector
        with st.expander(label, expanded=expanded):
            st.caption(_(poll.scale.label) + " · " + " · ".join(plain(s.text) for s in poll.statements))
            _controls(store, poll, key)
            # A collapsed expander's content is still computed: a closed poll's chart only when asked for.
            if poll.state is not RoundState.DRAFT and (
                expanded or st.toggle(_("Show the answers"), key=f"poll-answers-{poll.id}")
            ):
                _answers(store, poll)
                with st.popover(_("Survey link")):
                    survey_link_panel(poll)
    with st.expander("➕ " + _("New poll"), expanded=not polls):
        _new_poll_form(store, workshop, key)


def _controls(store: Store, poll: Poll, key: str) -> None:
    # The English label is also the button's key, which never changes with the language.
    by_state: dict[RoundState, list[tuple[str, Callable[[int, str], Poll], Literal["primary", "secondary"]]]] = {
        RoundState.DRAFT: [],
        RoundState.OPEN: [(N_("Close"), store.close_poll, "secondary"), (N_("Close and reveal"), store.reveal_poll, "primary")],
        RoundState.CLOSED: [(N_("Reveal"), store.reveal_poll, "primary"), (N_("Reopen"), store.reopen_poll, "secondary")],
        RoundState.REVEALED: [(N_("Reopen"), store.reopen_poll, "secondary")],
    }
    actions = by_state[poll.state]
    if poll.state is RoundState.DRAFT:
        _open_form(store, poll, key)
    columns = st.columns(len(actions) + 1)
    for column, (text, action, kind) in zip(columns, actions):
        if column.button(_(text), key=f"poll-{text}-{poll.id}", type=kind):
            attempt(partial(action, poll.id, key), rerun=True)
    if poll.state is not RoundState.DRAFT:
        text = _("Take off the projector") if poll.on_projector else _("Show on the projector")
        if columns[-1].button(text, key=f"poll-projector-{poll.id}"):
            attempt(lambda: store.show_poll_on_projector(poll.id, key, not poll.on_projector), rerun=True)


def _open_form(store: Store, poll: Poll, key: str) -> None:
    with st.form(f"open-poll-{poll.id}"):
        as_survey = st.checkbox(_("Leave it open as a survey until a closing time"), key=f"survey-{poll.id}")
        day, hour = st.columns(2)
        closing_day = day.date_input(
            _("Closing day"), value=datetime.date.today() + datetime.timedelta(days=7), key=f"close-day-{poll.id}"
        )
        closing_time = hour.time_input(_("Closing time"), value=datetime.time(17, 0), key=f"close-time-{poll.id}")
        if st.form_submit_button(_("Open the poll"), type="primary"):
            closes_at = datetime.datetime.combine(closing_day, closing_time, browser_zone()).timestamp() if as_survey else None
            attempt(lambda: store.open_poll(poll.id, key, closes_at), rerun=True)


def _answers(store: Store, poll: Poll) -> None:
    if poll.state is RoundState.OPEN:
        answered_count(store, store.workshop(poll.workshop_id), poll.id)
    table = compare.agreement(store.poll_results(poll.id)).sort_values("grp")
    respondents = store.poll_respondents(poll.id)
    if not table.empty:
        answered = ngettext("{n} answered", "{n} answered", respondents).format(n=respondents)
        figure = compare_charts.agreement_figure(table, poll.title, f"{_(poll.scale.label)} · {answered}")
        st.plotly_chart(figure, theme=None, key=f"poll-chart-{poll.id}")


def _new_poll_form(store: Store, workshop: Workshop, key: str) -> None:
    earlier = store.known_statements()
    suggested = _(DEFAULT_STATEMENT)
    with st.form("new-poll"):
        title = st.text_input(_("Poll title"), value=_("Customer focus"), max_chars=120)
        scales = list(PollScale)  # passed as list(PollScale), mypy matches it to radio's no-options overload
        scale = st.radio(_("Answers"), scales, format_func=lambda s: _(s.label), horizontal=True)
        reused = st.multiselect(
            _("Statements asked before (same wording, so results compare)"),
            earlier,
            default=[suggested] if suggested in earlier else [],
        )
        typed = st.text_area(
            _("New statements, one per line (at most {n} in all)").format(n=MAX_STATEMENTS),
            value="" if suggested in earlier else suggested,
            height=110,
        )
        if st.form_submit_button(_("Create poll"), type="primary"):
            statements = list(dict.fromkeys([*reused, *typed.splitlines()]))
            attempt(lambda: store.create_poll(workshop.id, key, title, statements, scale), rerun=True)
