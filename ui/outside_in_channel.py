"""The business's feedback channel: anyone with the link writes a moment of truth (name optional) and keeps
their own link, which shows IT's acknowledgement, answer and what was done."""

from __future__ import annotations

import datetime

import streamlit as st

from abc_workshop.outside_in import EFFORT, STAGES, FeedbackItem, FeedbackStatus, Organisation
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import own_feedback_url
from ui.text import plain

STEP_TEXT = {
    FeedbackStatus.NEW: "Received. IT has not acknowledged it yet.",
    FeedbackStatus.ACKNOWLEDGED: "IT has acknowledged it and an owner is working on an answer.",
    FeedbackStatus.ANSWERED: "IT has answered.",
    FeedbackStatus.ACTED_UPON: "IT has answered and acted upon it.",
    FeedbackStatus.DECLINED: "IT has declined to act on it, with a reason.",
}


def write_form(store: Store, organisation: Organisation) -> str | None:
    """Returns the writer's own token once the feedback is stored."""
    with st.form("send-feedback"):
        stage = st.radio("Where in your journey with IT", list(STAGES), format_func=STAGES.get, horizontal=True)
        positive = st.radio(
            "It was", [False, True], format_func=lambda p: "👍 a good moment" if p else "👎 a bad moment", horizontal=True
        )
        what = st.text_area("What happened", max_chars=1000, placeholder="What you were trying to do, and what IT made of it")
        effort = st.select_slider("How much effort or frustration it cost", options=list(EFFORT), value=3, format_func=EFFORT.get)
        unit = st.text_input("Your business unit (optional)", max_chars=120)
        name = st.text_input("Your name (optional)", max_chars=80)
        if st.form_submit_button("Send to IT", type="primary"):
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
    st.info(STEP_TEXT[item.status], icon="📬")
    m = item.moment
    st.markdown(f"**You wrote** ({_day(item.created_at)}, {STAGES[m.stage]}, {'good' if m.positive else 'bad'} moment):")
    st.markdown(f"> {plain(m.what_happened)}")
    if item.owner:
        st.markdown(f"**Owner in IT:** {plain(item.owner)}")
    for label, text, at in (
        ("IT's answer", item.answer, item.answered_at),
        ("What was done", item.action_taken, item.acted_upon_at),
        ("Why IT declined", item.decline_reason, item.declined_at),
    ):
        if text:
            st.markdown(f"**{label}** ({_day(at)}): {plain(text)}")
    st.caption("Keep this page's link to come back to it: " + own_feedback_url(item.token))


def _day(unix: float | None) -> str:
    return datetime.datetime.fromtimestamp(unix).strftime("%Y-%m-%d") if unix else ""
