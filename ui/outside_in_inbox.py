"""The programme page's listening side: the feedback channel's inbox (owner, status, overdue), every moment of
truth with its cards and photo, and the lead's reads (journey heatmaps, trends, response times, coverage)."""

from __future__ import annotations

import datetime
import time
from functools import partial

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.outside_in import ANSWER_TARGET_WORKING_DAYS, EFFORT, STAGES, FeedbackItem, FeedbackStatus
from abc_workshop.outside_in_charts import journey_heatmap
from abc_workshop.qr import qr_png
from abc_workshop.report_outside_in import column_heading, shown_frame
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import channel_url, own_feedback_url, programme_cards
from ui.text import plain


def channel_panel(store: Store, workshop: Workshop, key: str) -> None:
    org = store.programme(workshop.id, key)
    link = channel_url(org.channel_token)
    text, qr = st.columns([3, 1])
    text.markdown(
        _("Anyone in **{organisation}**'s business can tell IT about a moment of truth, any time, without an account:").format(
            organisation=plain(org.name)
        )
    )
    text.code(link, language=None)
    qr.image(qr_png(link, scale=6), caption=_("Feedback channel"), width=180)


def inbox(store: Store, workshop: Workshop, key: str) -> None:
    items = store.feedback_inbox(workshop.id, key)
    now = time.time()
    late = sum(item.overdue(now) for item in items)
    count = ngettext("{n} item", "{n} items", len(items)).format(n=len(items))
    overdue = ngettext(
        "{late} overdue (not answered within {days} working day)",
        "{late} overdue (not answered within {days} working days)",
        ANSWER_TARGET_WORKING_DAYS,
    ).format(late=late, days=ANSWER_TARGET_WORKING_DAYS)
    st.caption(f"{count} · {overdue}")
    cards = {c.id: c for c in programme_cards(store, workshop.id)}
    for item in items:
        flag = " · ⏰ " + _("overdue") if item.overdue(now) else ""
        label = f"{'👍' if item.moment.positive else '👎'} {_(item.status.label)}{flag} · {_day(item.created_at)} · {plain(item.moment.what_happened[:60])}"
        with st.expander(label, expanded=item.status in (FeedbackStatus.NEW, FeedbackStatus.ACKNOWLEDGED)):
            _item_details(item)
            _next_step_form(store, workshop, key, item)
            _cards_form(store, workshop, key, item.moment.id, item.moment.card_ids, cards)


def _item_details(item: FeedbackItem) -> None:
    m = item.moment
    parts = ["**" + _(STAGES[m.stage]) + "**", _tone(m.positive)]
    if m.effort:
        # Translators: {effort} is a level of effort such as "3 · some effort"
        parts.append(_("effort {effort}").format(effort=_(EFFORT[m.effort])))
    if m.business_unit:
        parts.append(plain(m.business_unit))
    parts.append(
        _("from {writer}").format(writer=plain(item.writer_name)) if item.writer_name else _("from someone who left no name")
    )
    st.markdown(" · ".join(parts))
    st.markdown(plain(m.what_happened))
    if m.customer_words:
        st.markdown(f"> {plain(m.customer_words)}")
    steps = {
        "acknowledged": _("acknowledged {day}"),
        "answered": _("answered {day}"),
        "acted_upon": _("acted upon {day}"),
        "declined": _("declined {day}"),
    }
    stamped = [_("written {day}").format(day=_day(item.created_at))]
    stamped += [message.format(day=_day(at)) for s, message in steps.items() if (at := getattr(item, f"{s}_at"))]
    if item.owner:
        stamped.append(_("owner: {owner}").format(owner=plain(item.owner)))
    st.caption(" · ".join(stamped))
    for message, text in (
        (_("**Answer:** {text}"), item.answer),
        (_("**Acted upon:** {text}"), item.action_taken),
        (_("**Declined because:** {text}"), item.decline_reason),
    ):
        if text:
            st.markdown(message.format(text=plain(text)))
    st.caption(_("The writer's own link: {link}").format(link=own_feedback_url(item.token)))


def _tone(positive: bool) -> str:
    return _("positive") if positive else _("negative")


def _next_step_form(store: Store, workshop: Workshop, key: str, item: FeedbackItem) -> None:
    steps = item.status.next_steps()
    if not steps:
        return
    with st.form(f"feedback-step-{item.id}"):
        owner = st.text_input(_("Owner"), value=item.owner or "", max_chars=80, key=f"owner-{item.id}")
        text_label = {
            FeedbackStatus.NEW: None,
            FeedbackStatus.ACKNOWLEDGED: _("Answer to the writer"),
            FeedbackStatus.ANSWERED: _("What was done"),
        }[item.status]
        text = st.text_area(text_label, max_chars=1000, key=f"step-text-{item.id}") if text_label else ""
        reason = st.text_input(_("Reason (only to decline)"), max_chars=500, key=f"reason-{item.id}")
        forward, decline = st.columns(2)
        step = steps[0]
        done = {
            FeedbackStatus.ACKNOWLEDGED: _("Feedback acknowledged"),
            FeedbackStatus.ANSWERED: _("Feedback answered"),
            FeedbackStatus.ACTED_UPON: _("Feedback acted upon"),
        }
        if forward.form_submit_button(_(step.label), type="primary"):
            attempt(
                lambda: store.advance_feedback(workshop.id, key, item.id, step, owner=owner, answer=text, action_taken=text),
                success=done[step],
                rerun=True,
            )
        if decline.form_submit_button(_("Decline")):
            attempt(
                lambda: store.advance_feedback(workshop.id, key, item.id, FeedbackStatus.DECLINED, owner=owner, reason=reason),
                success=_("Feedback declined"),
                rerun=True,
            )


def _cards_form(store: Store, workshop: Workshop, key: str, moment_id: int, chosen: tuple[int, ...], cards: dict) -> None:
    with st.form(f"moment-cards-{moment_id}"):
        picked = st.multiselect(
            _("ABC cards this is evidence for"),
            list(cards),
            default=[c for c in chosen if c in cards],
            format_func=lambda c: cards[c].title,
            key=f"cards-{moment_id}",
        )
        if st.form_submit_button(_("Save cards")):
            attempt(lambda: store.link_cards(workshop.id, key, moment_id, picked), success=_("Cards saved"), rerun=True)


def moments_panel(store: Store, workshop: Workshop, key: str) -> None:
    """Every scout's moment of truth, internal ones marked; photos can be viewed and deleted (the log keeps it)."""
    moments = [m for m in store.programme_moments(workshop.id, key) if m.source == "scout"]
    if not moments:
        st.caption(_("No scout has recorded a moment of truth yet."))
    cards = {c.id: c for c in programme_cards(store, workshop.id)}
    for m in reversed(moments):
        head = f"{'👍' if m.positive else '👎'} {_(STAGES[m.stage])} · {_day(m.created_at)}" + (
            " · 🔒 " + _("internal") if m.internal else ""
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
                        st.caption(_("This photo cannot be shown (the file is damaged)."))
                if st.button(_("Delete photo"), key=f"delete-photo-{m.id}"):
                    attempt(partial(store.delete_photo, workshop.id, key, m.id), success=_("Photo deleted"), rerun=True)
            _cards_form(store, workshop, key, m.id, m.card_ids, cards)


def leads_panel(store: Store, workshop: Workshop, key: str) -> None:
    tables = store.programme_tables(workshop.id, key)
    for name, rows, heading in (
        ("Journey x card", "card", _("**Customer journey × card** (moments of truth)")),
        ("Journey x business unit", "business_unit", _("**Customer journey × business unit** (moments of truth)")),
    ):
        st.markdown(heading)
        if len(tables[name]):
            st.plotly_chart(journey_heatmap(tables[name], rows), key=f"heatmap-{rows}")
        else:
            st.caption(_("None yet."))
    over_time = tables["Moments over time"]
    st.markdown("**" + _("Positive and negative moments per month") + "**")
    if len(over_time):
        month, positive, negative = (column_heading(c) for c in ("month", "positive", "negative"))
        shown = over_time.rename(columns={"month": month, "positive": positive, "negative": negative})
        st.bar_chart(shown, x=month, y=[positive, negative], color=["#2b8a3e", "#d9480f"])
    else:
        st.caption(_("None yet."))
    st.markdown(_("**Feedback response times** (hours from writing to each step)"))
    columns = ["written", "status", "owner", "overdue", "hours_to_acknowledge", "hours_to_answer", "hours_to_act"]
    st.dataframe(shown_frame(tables["Feedback"][columns]), hide_index=True)
    st.markdown(_("**Coverage over time** (IT people with a visit, per quarter)"))
    st.dataframe(shown_frame(tables["Coverage over time"]), hide_index=True)


def _day(unix: float) -> str:
    return i18n.day(datetime.datetime.fromtimestamp(unix).date())
