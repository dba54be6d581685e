"""The business's feedback channel: anyone with the link writes a moment of truth (name optional) and keeps
their own link, which shows IT's acknowledgement, answer and what was done."""

from __future__ import annotations

import datetime

import streamlit as st

from abc_workshop import i18n
from abc_workshop.i18n import N_, _
from abc_workshop.outside_in import EFFORT, STAGES, FeedbackItem, FeedbackStatus, Organisation
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import own_feedback_url
from ui.text import plain

STEP_TEXT = {
    FeedbackStatus.NEW: N_("Received. IT has not acknowledged it yet."),
    FeedbackStatus.ACKNOWLEDGED: N_("IT has acknowledged it and an owner is working on an answer."),
    FeedbackStatus.ANSWERED: N_("IT has answered."),
    FeedbackStatus.ACTED_UPON: N_("IT has answered and acted upon it."),
    FeedbackStatus.DECLINED: N_("IT has declined to act on it, with a reason."),
}


def write_form(store: Store, organisation: Organisation) -> str | None:
    """Returns the writer's own token once the feedback is stored."""
    with st.form("send-feedback"):
        stage = st.radio(_("Where in your journey with IT"), list(STAGES), format_func=lambda s: _(STAGES[s]), horizontal=True)
        positive = st.radio(
            # Translators: followed by the choice "a good moment" or "a bad moment"
            _("It was"),
            [False, True],
            format_func=lambda p: ("👍 " + _("a good moment")) if p else ("👎 " + _("a bad moment")),
            horizontal=True,
        )
        what = st.text_area(
            _("What happened"), max_chars=1000, placeholder=_("What you were trying to do, and what IT made of it")
        )
        effort = st.select_slider(
            _("How much effort or frustration it cost"), options=list(EFFORT), value=3, format_func=lambda e: _(EFFORT[e])
        )
        unit = st.text_input(_("Your business unit (optional)"), max_chars=120)
        name = st.text_input(_("Your name (optional)"), max_chars=80)
        if st.form_submit_button(_("Send to IT"), type="primary"):
            sent: list[str] = []
            attempt(
                lambda: sent.append(
                    store.send_feedback(
                        organisation.channel_token,
                        stage=stage,
                        positive=positive,
                        what_happened=what,
                        effort=effort,
                        business_unit=unit,
                        writer_name=name,
                    )
                )
            )
            return sent[0] if sent else None
    return None


def own_item(item: FeedbackItem) -> None:
    st.info(_(STEP_TEXT[item.status]), icon="📬")
    m = item.moment
    wrote = _("**You wrote** ({day}, {stage}, good moment):") if m.positive else _("**You wrote** ({day}, {stage}, bad moment):")
    st.markdown(wrote.format(day=_day(item.created_at), stage=_(STAGES[m.stage])))
    st.markdown(f"> {plain(m.what_happened)}")
    if item.owner:
        st.markdown(_("**Owner in IT:** {owner}").format(owner=plain(item.owner)))
    for message, text, at in (
        (_("**IT's answer** ({day}): {text}"), item.answer, item.answered_at),
        (_("**What was done** ({day}): {text}"), item.action_taken, item.acted_upon_at),
        (_("**Why IT declined** ({day}): {text}"), item.decline_reason, item.declined_at),
    ):
        if text:
            st.markdown(message.format(day=_day(at), text=plain(text)))
    st.caption(_("Keep this page's link to come back to it: {link}").format(link=own_feedback_url(item.token)))


def _day(unix: float | None) -> str:
    return i18n.day(datetime.datetime.fromtimestamp(unix).date()) if unix else ""
