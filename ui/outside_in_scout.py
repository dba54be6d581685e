"""A scout's page on a phone: the briefing, moments of truth (with the cards they suggest, which the scout
confirms) and the debrief. Everything is reached through the scout's own link only."""

from __future__ import annotations

import streamlit as st

from abc_workshop import i18n
from abc_workshop.i18n import _
from abc_workshop.outside_in import EFFORT, MAX_PHOTO_BYTES, STAGES, Visit, VisitStatus, suggest_cards
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import programme_cards
from ui.text import plain

DRAFT = "scout_draft"


def briefing(visit: Visit) -> None:
    about = [f"**{plain(visit.kind_label)}**", i18n.day(visit.visit_on), plain(visit.place)]
    if visit.host:
        about.append(_("host {host}").format(host=plain(visit.host)))
    st.markdown(" · ".join(about))
    st.markdown(_("**Your one customer activity:** {activity}").format(activity=plain(visit.activity)))
    with st.expander(_("Your briefing"), expanded=visit.status is VisitStatus.PLANNED):
        for label, text in (
            (_("What to look for"), visit.look_for),
            (_("Questions to ask"), visit.questions),
            (_("Expected outcome"), visit.expected),
        ):
            if text:
                st.markdown(f"**{label}**")
                st.markdown(plain(text).replace("\n", "  \n"))


def moment_form(store: Store, visit: Visit) -> None:
    """Step one: what happened. Step two: confirm the cards suggested from the text, then save."""
    draft = st.session_state.get(DRAFT)
    if draft is None or draft["visit"] != visit.id:
        _describe(visit)
    else:
        _confirm_cards(store, visit, draft)


def _describe(visit: Visit) -> None:
    with st.form("moment", clear_on_submit=False):
        stage = st.radio(_("Stage of the customer journey"), list(STAGES), format_func=lambda s: _(STAGES[s]), horizontal=True)
        positive = st.radio(
            # Translators: followed by the choice "positive" or "negative"
            _("This moment of truth was"),
            [False, True],
            format_func=lambda p: f"👍 {_tone(True)}" if p else f"👎 {_tone(False)}",
            horizontal=True,
        )
        what = st.text_area(
            _("What happened"), max_chars=1000, placeholder=_("What the customer was trying to do, and what happened")
        )
        words = st.text_input(_("What the customer said, in their own words (no names)"), max_chars=500)
        effort = st.select_slider(
            _("Effort or frustration it cost"), options=list(EFFORT), value=3, format_func=lambda e: _(EFFORT[e])
        )
        internal = st.checkbox(_("Internal note (it holds personal data: never shown to a room)"))
        limit = MAX_PHOTO_BYTES // 1024 // 1024
        photo = st.file_uploader(
            _("Photo (optional, up to {limit} MB)").format(limit=limit),
            type=["jpg", "jpeg", "png", "webp"],
            max_upload_size=limit,
        )
        if st.form_submit_button(_("Next: link ABC cards"), type="primary"):
            if not (what or "").strip():
                st.error(_("Please fill in what happened."))
                return
            st.session_state[DRAFT] = {
                "visit": visit.id,
                "stage": stage,
                "positive": positive,
                "what": what,
                "words": words,
                "effort": effort,
                "internal": internal,
                "photo": photo.getvalue() if photo else None,
                "photo_type": photo.type if photo else None,
            }
            st.rerun()


def _confirm_cards(store: Store, visit: Visit, draft: dict) -> None:
    cards = {c.id: c for c in programme_cards(store, visit.workshop_id)}
    suggested = [c.id for c in suggest_cards(f"{draft['what']} {draft['words']}", list(cards.values()))]
    tone = f"👍 {_tone(True)}" if draft["positive"] else f"👎 {_tone(False)}"
    st.markdown(f"**{_(STAGES[draft['stage']])}** · {tone} · {plain(draft['what'])}")
    st.caption(_("Suggested from your words; keep the ones this moment is evidence for, remove or add others."))
    picked = st.multiselect(
        _("ABC cards this is evidence for"),
        list(cards),
        default=suggested,
        format_func=lambda c: cards[c].title,
        key="draft-cards",
    )
    save, back = st.columns(2)
    if save.button(_("Save moment of truth"), type="primary") and attempt(
        lambda: store.record_moment(
            visit.token,
            stage=draft["stage"],
            positive=draft["positive"],
            what_happened=draft["what"],
            customer_words=draft["words"],
            effort=draft["effort"],
            internal=draft["internal"],
            card_ids=picked,
            photo=draft["photo"],
            photo_type=draft["photo_type"],
        ),
        success=_("Moment of truth saved"),
    ):
        del st.session_state[DRAFT]
        st.rerun()
    if back.button(_("Back to the text")):
        del st.session_state[DRAFT]
        st.rerun()


def recorded(store: Store, visit: Visit) -> None:
    moments = store.scout_moments(visit.token)
    st.subheader(_("Your moments of truth ({n})").format(n=len(moments)))
    cards = {c.id: c for c in programme_cards(store, visit.workshop_id)}
    for m in reversed(moments):
        titles = ", ".join(plain(cards[c].title) for c in m.card_ids if c in cards)
        st.markdown(
            f"{'👍' if m.positive else '👎'} **{_(STAGES[m.stage])}** · {plain(m.what_happened)}"
            + (" · 🔒 " + _("internal") if m.internal else "")
        )
        st.caption(
            (_("Cards: {titles}").format(titles=titles) if titles else _("Cards: no card yet"))
            + (f" · “{plain(m.customer_words)}”" if m.customer_words else "")
            + (" · 📷" if m.has_photo else "")
        )


def _tone(positive: bool) -> str:
    return _("positive") if positive else _("negative")


def debrief_form(store: Store, visit: Visit) -> None:
    with st.form("debrief"):
        summary = st.text_area(_("Your summary of the visit"), value=visit.summary or "", max_chars=2000)
        change = st.text_area(_("What should change"), value=visit.should_change or "", max_chars=2000)
        if st.form_submit_button(_("Save debrief"), type="primary"):
            attempt(lambda: store.debrief(visit.token, summary, change), success=_("Debrief saved"), rerun=True)
