"""Statement polls for participants (their voting page, or a survey's own link); the projector's view of a poll is in ui/projector.py.

Answers are written only on submit, where the schema's triggers enforce the rules; times are shown in the
reader's own time zone (the browser's), since a survey left open for days may cross several.
"""

from __future__ import annotations

import datetime
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel.dates import format_datetime

from abc_workshop import compare, i18n
from abc_workshop.domain import Participant, Poll, RoundState, Workshop, WorkshopError
from abc_workshop.i18n import _, ngettext
from abc_workshop.qr import qr_png
from abc_workshop.store import Store
from ui.feedback import show_refusal
from ui.guard import count, refuse_while_waiting
from ui.language import for_phone, in_language, phone_switch
from ui.links import page_url
from ui.live import follow, live_count
from ui.text import plain, plain_label


def browser_zone() -> ZoneInfo:
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(timestamp: float) -> str:
    """'Mon 07 Dec 2026, 17:00' in the reader's time zone, in the page's language."""
    # Translators: a date and time pattern (Unicode CLDR: EEE weekday, dd day, MMM month, y year, HH:mm the time);
    # write it as your language writes a day and a time, e.g. "EEE dd. MMM y, HH:mm".
    pattern = _("EEE dd MMM y, HH:mm")
    return format_datetime(datetime.datetime.fromtimestamp(timestamp, browser_zone()), pattern, locale=i18n.locale())


def survey_url(poll: Poll) -> str:
    return page_url("survey", s=poll.survey_code)


def participant_polls(store: Store, participant: Participant) -> None:
    """On the voting page: the open polls to answer, and the revealed ones' results."""
    for poll in store.live_polls(participant.workshop_id):
        if poll.state is RoundState.REVEALED:
            poll_result_text(store, poll)
        elif poll.accepts_answers(time.time()):
            poll_form(store, participant, poll)
        elif store.close_poll_if_expired(poll.id):
            st.rerun()


def poll_form(store: Store, participant: Participant, poll: Poll, *, heading: bool = True) -> None:
    """One choice per statement, sent together; changeable while the poll is open."""
    if heading:
        st.markdown(f"### 💬 {plain(poll.title)}")
    if poll.closes_at:
        st.caption(_("Open until {time}").format(time=local_time(poll.closes_at)))
    mine = store.my_answers(participant.id, poll.id)
    values = list(range(1, len(poll.scale.answers) + 1))
    with st.form(f"poll-{poll.id}"):
        chosen = {
            statement.id: st.radio(
                plain_label(statement.text),
                values,
                index=mine[statement.id] - 1 if statement.id in mine else None,
                format_func=lambda v: _(poll.scale.answers[v - 1]),
                horizontal=True,
                key=f"answer-{poll.id}-{statement.id}",
            )
            for statement in poll.statements
        }
        if st.form_submit_button(_("Change my answers") if mine else _("Send my answers"), type="primary"):
            try:
                store.submit_answers(participant.workshop_id, participant.token, poll.id, chosen)
            except WorkshopError as refusal:
                show_refusal(refusal)
            else:
                st.success(_("Thank you: your answers are saved. You can change them while the poll is open."), icon="✅")


def poll_result_text(store: Store, poll: Poll) -> None:
    table = compare.agreement(store.poll_results(poll.id)).sort_values("grp")
    st.markdown("### 💬 " + _("{title}: the result").format(title=plain(poll.title)))
    lines = []
    for row in table.to_dict("records"):
        counts: tuple[object, ...] = (row["Agree"], row["Partly"], row["Disagree"])
        if not compare.is_small(row["answers"]):
            counts = tuple(i18n.percent(share) for share in (row["Agree share"], row["Partly share"], row["Disagree share"]))
        lines.append(
            ngettext(
                "{statement}: {agree} agree, {partly} partly, {disagree} disagree ({n} answer)",
                "{statement}: {agree} agree, {partly} partly, {disagree} disagree ({n} answers)",
                row["answers"],
            ).format(statement=row["label"], agree=counts[0], partly=counts[1], disagree=counts[2], n=row["answers"])
        )
    st.text("\n".join(lines) or _("No answers yet."))


def survey_page(store: Store, poll: Poll) -> None:
    """A survey's own page: join anonymously (with a team if the workshop has teams), then answer."""
    workshop = store.workshop(poll.workshop_id)
    participant = store.participant(workshop.id, st.query_params.get("p"))
    for_phone(store, workshop, participant)
    follow(store, workshop, ("polls",), key="survey")  # the survey closes or shows its result without a reload
    poll = store.poll(poll.id)  # read after what the page follows, so no change slips between the two
    st.title(f"💬 {plain(poll.title)}")
    st.caption(_("{organisation} · anonymous: your name is not asked").format(organisation=plain(workshop.organisation)))
    phone_switch("../pages/survey.py")
    if poll.state is RoundState.REVEALED:
        poll_result_text(store, poll)
    elif poll.accepts_answers(time.time()):
        if participant is None:
            _survey_join(store, workshop, poll)
        else:
            poll_form(store, participant, poll, heading=False)
    else:
        store.close_poll_if_expired(poll.id)
        st.info(
            _("This survey is not open for answers. It closed on {time}.").format(time=local_time(poll.closes_at))
            if poll.closes_at
            else _("This survey is not open for answers."),
            icon="🔒",
        )


def _survey_join(store: Store, workshop: Workshop, poll: Poll) -> None:
    """Respondents join the survey, not the workshop: live rounds do not count them (store.join_survey)."""
    teams = store.teams(workshop.id)
    with st.form("survey-join"):
        team = st.radio(_("Your team"), teams, format_func=lambda t: plain_label(t.name), index=None) if teams else None
        if st.form_submit_button(_("Start"), type="primary") and not refuse_while_waiting("joins"):
            try:
                joined = store.join_survey(poll.id, team.id if team else None)
            except WorkshopError as refusal:
                show_refusal(refusal)
            else:
                count("joins")
                st.query_params["p"] = joined.token
                st.rerun()


def answered_count(store: Store, workshop: Workshop, poll_id: int, big: bool = False) -> None:
    """How many answered: drawn from the event stream where the page has it, else polled."""
    if not live_count(store, workshop, poll_id, big=big):
        _polled_count(store, poll_id, big)


@st.fragment(run_every=2)
@in_language
def _polled_count(store: Store, poll_id: int, big: bool = False) -> None:
    count = store.poll_respondents(poll_id)
    text = ngettext("{n} answered", "{n} answered", count).format(n=count)
    st.markdown(
        f"<div class='big-progress'>{text}</div>" if big else f"**{text}**",  # not translated: markup around translated words
        unsafe_allow_html=big,
    )


def survey_link_panel(poll: Poll) -> None:
    """For the facilitator: the survey's own link and QR code, for people outside the room."""
    link = survey_url(poll)
    st.code(link, language=None)
    st.image(qr_png(link), width=160, caption=_("The survey's own link: no join code needed"))
