"""A scout's page on a phone: the briefing, moments of truth (with the cards they suggest, which the scout
confirms) and the debrief. Everything is reached through the scout's own link only."""

from __future__ import annotations

import streamlit as st

from abc_workshop.outside_in import EFFORT, MAX_PHOTO_BYTES, STAGES, Visit, VisitStatus, suggest_cards
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.outside_in_links import programme_cards
from ui.text import plain

DRAFT = "scout_draft"


def briefing(visit: Visit) -> None:
    st.markdown(
        f"**{plain(visit.kind_label)}** · {visit.visit_on} · {plain(visit.place)}"
        + (f" · host {plain(visit.host)}" if visit.host else "")
    )
    st.markdown(f"**Your one customer activity:** {plain(visit.activity)}")
    with st.expander("Your briefing", expanded=visit.status is VisitStatus.PLANNED):
        for label, text in (
            ("What to look for", visit.look_for),
            ("Questions to ask", visit.questions),
            ("Expected outcome", visit.expected),
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
        stage = st.radio("Stage of the customer journey", list(STAGES), format_func=STAGES.get, horizontal=True)
        positive = st.radio(
            "This moment of truth was",
            [False, True],
            format_func=lambda p: "👍 positive" if p else "👎 negative",
            horizontal=True,
        )
        what = st.text_area("What happened", max_chars=1000, placeholder="What the customer was trying to do, and what happened")
        words = st.text_input("What the customer said, in their own words (no names)", max_chars=500)
        effort = st.select_slider("Effort or frustration it cost", options=list(EFFORT), value=3, format_func=EFFORT.get)
        internal = st.checkbox("Internal note (it holds personal data: never shown to a room)")
        limit = MAX_PHOTO_BYTES // 1024 // 1024
        photo = st.file_uploader(
            f"Photo (optional, up to {limit} MB)", type=["jpg", "jpeg", "png", "webp"], max_upload_size=limit
        )
        if st.form_submit_button("Next: link ABC cards", type="primary"):
            if not (what or "").strip():
                st.error("Please fill in what happened.")
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
    st.markdown(
        f"**{STAGES[draft['stage']]}** · {'👍 positive' if draft['positive'] else '👎 negative'} · {plain(draft['what'])}"
    )
    st.caption("Suggested from your words; keep the ones this moment is evidence for, remove or add others.")
    picked = st.multiselect(
        "ABC cards this is evidence for", list(cards), default=suggested, format_func=lambda c: cards[c].title, key="draft-cards"
    )
    save, back = st.columns(2)
    if save.button("Save moment of truth", type="primary") and attempt(
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
        success="Moment of truth saved",
    ):
        del st.session_state[DRAFT]
        st.rerun()
    if back.button("Back to the text"):
        del st.session_state[DRAFT]
        st.rerun()


def recorded(store: Store, visit: Visit) -> None:
    moments = store.scout_moments(visit.token)
    st.subheader(f"Your moments of truth ({len(moments)})")
    cards = {c.id: c for c in programme_cards(store, visit.workshop_id)}
    for m in reversed(moments):
        titles = ", ".join(plain(cards[c].title) for c in m.card_ids if c in cards) or "no card yet"
        st.markdown(
            f"{'👍' if m.positive else '👎'} **{STAGES[m.stage]}** · {plain(m.what_happened)}"
            + (" · 🔒 internal" if m.internal else "")
        )
        st.caption(
            f"Cards: {titles}"
            + (f" · “{plain(m.customer_words)}”" if m.customer_words else "")
            + (" · 📷" if m.has_photo else "")
        )


def debrief_form(store: Store, visit: Visit) -> None:
    with st.form("debrief"):
        summary = st.text_area("Your summary of the visit", value=visit.summary or "", max_chars=2000)
        change = st.text_area("What should change", value=visit.should_change or "", max_chars=2000)
        if st.form_submit_button("Save debrief", type="primary"):
            attempt(lambda: store.debrief(visit.token, summary, change), success="Debrief saved", rerun=True)
