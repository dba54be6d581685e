"""The programme page's listening side: the feedback channel's inbox (owner, status, overdue), every moment of
truth with its cards and photo, and the lead's reads (journey heatmaps, trends, response times, coverage)."""

from __future__ import annotations

import datetime
import time
from functools import partial

import streamlit as st

from abc_workshop.domain import Workshop
from abc_workshop.outside_in import ANSWER_TARGET_WORKING_DAYS, EFFORT, STAGES, FeedbackItem, FeedbackStatus
from abc_workshop.outside_in_charts import journey_heatmap
from abc_workshop.qr import qr_png
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import channel_url, own_feedback_url, programme_cards
from ui.text import plain


def channel_panel(store: Store, workshop: Workshop, key: str) -> None:
    org = store.programme(workshop.id, key)
    link = channel_url(org.channel_token)
    text, qr = st.columns([3, 1])
    text.markdown(
        f"Anyone in **{plain(org.name)}**'s business can tell IT about a moment of truth, any time, without an account:"
    )
    text.code(link, language=None)
    qr.image(qr_png(link, scale=6), caption="Feedback channel", width=180)


def inbox(store: Store, workshop: Workshop, key: str) -> None:
    items = store.feedback_inbox(workshop.id, key)
    now = time.time()
    late = sum(item.overdue(now) for item in items)
    st.caption(f"{len(items)} item(s) · {late} overdue (not answered within {ANSWER_TARGET_WORKING_DAYS} working days)")
    cards = {c.id: c for c in programme_cards(store, workshop.id)}
    for item in items:
        flag = " · ⏰ overdue" if item.overdue(now) else ""
        label = f"{'👍' if item.moment.positive else '👎'} {item.status.label}{flag} · {_day(item.created_at)} · {plain(item.moment.what_happened[:60])}"
        with st.expander(label, expanded=item.status in (FeedbackStatus.NEW, FeedbackStatus.ACKNOWLEDGED)):
            _item_details(item)
            _next_step_form(store, workshop, key, item)
            _cards_form(store, workshop, key, item.moment.id, item.moment.card_ids, cards)


def _item_details(item: FeedbackItem) -> None:
    m = item.moment
    st.markdown(
        f"**{STAGES[m.stage]}** · {'positive' if m.positive else 'negative'}"
        + (f" · effort {EFFORT[m.effort]}" if m.effort else "")
        + (f" · {plain(m.business_unit)}" if m.business_unit else "")
        + f" · from {plain(item.writer_name or 'someone who left no name')}"
    )
    st.markdown(plain(m.what_happened))
    if m.customer_words:
        st.markdown(f"> {plain(m.customer_words)}")
    steps = [(s, getattr(item, f"{s}_at")) for s in ("acknowledged", "answered", "acted_upon", "declined")]
    st.caption(
        " · ".join([f"written {_day(item.created_at)}"] + [f"{s.replace('_', ' ')} {_day(at)}" for s, at in steps if at])
        + (f" · owner: {plain(item.owner)}" if item.owner else "")
    )
    for label, text in (("Answer", item.answer), ("Acted upon", item.action_taken), ("Declined because", item.decline_reason)):
        if text:
            st.markdown(f"**{label}:** {plain(text)}")
    st.caption(f"The writer's own link: {own_feedback_url(item.token)}")


def _next_step_form(store: Store, workshop: Workshop, key: str, item: FeedbackItem) -> None:
    steps = item.status.next_steps()
    if not steps:
        return
    with st.form(f"feedback-step-{item.id}"):
        owner = st.text_input("Owner", value=item.owner or "", max_chars=80, key=f"owner-{item.id}")
        text_label = {
            FeedbackStatus.NEW: None,
            FeedbackStatus.ACKNOWLEDGED: "Answer to the writer",
            FeedbackStatus.ANSWERED: "What was done",
        }[item.status]
        text = st.text_area(text_label, max_chars=1000, key=f"step-text-{item.id}") if text_label else ""
        reason = st.text_input("Reason (only to decline)", max_chars=500, key=f"reason-{item.id}")
        forward, decline = st.columns(2)
        step = steps[0]
        if forward.form_submit_button(step.label, type="primary"):
            attempt(
                lambda: store.advance_feedback(workshop.id, key, item.id, step, owner=owner, answer=text, action_taken=text),
                success=f"Feedback {step.label.lower()}",
                rerun=True,
            )
        if decline.form_submit_button("Decline"):
            attempt(
                lambda: store.advance_feedback(workshop.id, key, item.id, FeedbackStatus.DECLINED, owner=owner, reason=reason),
                success="Feedback declined",
                rerun=True,
            )


def _cards_form(store: Store, workshop: Workshop, key: str, moment_id: int, chosen: tuple[int, ...], cards: dict) -> None:
    with st.form(f"moment-cards-{moment_id}"):
        picked = st.multiselect(
            "ABC cards this is evidence for",
            list(cards),
            default=[c for c in chosen if c in cards],
            format_func=lambda c: cards[c].title,
            key=f"cards-{moment_id}",
        )
        if st.form_submit_button("Save cards"):
            attempt(lambda: store.link_cards(workshop.id, key, moment_id, picked), success="Cards saved", rerun=True)


def moments_panel(store: Store, workshop: Workshop, key: str) -> None:
    """Every scout's moment of truth, internal ones marked; photos can be viewed and deleted (the log keeps it)."""
    moments = [m for m in store.programme_moments(workshop.id, key) if m.source == "scout"]
    if not moments:
        st.caption("No scout has recorded a moment of truth yet.")
    cards = {c.id: c for c in programme_cards(store, workshop.id)}
    for m in reversed(moments):
        head = f"{'👍' if m.positive else '👎'} {STAGES[m.stage]} · {_day(m.created_at)}" + (
            " · 🔒 internal" if m.internal else ""
        )
        with st.expander(f"{head} · {plain(m.what_happened[:60])}"):
            st.markdown(plain(m.what_happened))
            if m.customer_words:
                st.markdown(f"> {plain(m.customer_words)}")
            if m.has_photo:
                photo = store.moment_photo(m.id, workshop_id=workshop.id, key=key)
                if photo:
                    try:
                        st.image(photo[0], width=320)
                    except OSError:  # damaged on upload: it can still be deleted
                        st.caption("This photo cannot be shown (the file is damaged).")
                if st.button("Delete photo", key=f"delete-photo-{m.id}"):
                    attempt(partial(store.delete_photo, workshop.id, key, m.id), success="Photo deleted", rerun=True)
            _cards_form(store, workshop, key, m.id, m.card_ids, cards)


def leads_panel(store: Store, workshop: Workshop, key: str) -> None:
    tables = store.programme_tables(workshop.id, key)
    for name, rows, heading in (
        ("Journey x card", "card", "Customer journey × card"),
        ("Journey x business unit", "business_unit", "Customer journey × business unit"),
    ):
        st.markdown(f"**{heading}** (moments of truth)")
        if len(tables[name]):
            st.plotly_chart(journey_heatmap(tables[name], rows), key=f"heatmap-{rows}")
        else:
            st.caption("None yet.")
    over_time = tables["Moments over time"]
    st.markdown("**Positive and negative moments per month**")
    if len(over_time):
        st.bar_chart(over_time, x="month", y=["positive", "negative"], color=["#2b8a3e", "#d9480f"])
    else:
        st.caption("None yet.")
    st.markdown("**Feedback response times** (hours from writing to each step)")
    st.dataframe(
        tables["Feedback"][["written", "status", "owner", "overdue", "hours_to_acknowledge", "hours_to_answer", "hours_to_act"]],
        hide_index=True,
    )
    st.markdown("**Coverage over time** (IT people with a visit, per quarter)")
    st.dataframe(tables["Coverage over time"], hide_index=True)


def _day(unix: float) -> str:
    return datetime.datetime.fromtimestamp(unix).strftime("%Y-%m-%d")
