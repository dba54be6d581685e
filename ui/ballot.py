"""The participant's ballot: the deck as cards, a filter and search, at most N picks, and submit.

Picks are kept in session_state while the participant chooses (a filtered-out checkbox would
lose its widget state), and written to the store only on submit, where the rules are enforced.
"""

from __future__ import annotations

import streamlit as st

from abc_workshop.domain import CARD_TYPES, Card, Participant, Round, WorkshopError
from abc_workshop.store import Store
from ui.text import plain, plain_label

BADGES = {"A": ":orange-badge[A · Attitude]", "B": ":blue-badge[B · Behaviour]", "C": ":green-badge[C · Culture]"}
FILTERS = ["All", *CARD_TYPES, "My picks"]


@st.fragment
def ballot(store: Store, participant: Participant, rnd: Round) -> None:
    cards = store.cards(rnd.deck_id)
    picks_key, saved_key = f"picks-{rnd.id}-{rnd.attempt}", f"saved-{rnd.id}-{rnd.attempt}"
    if picks_key not in st.session_state:
        saved = set(store.ballot_cards(participant.id, rnd.id, rnd.attempt))
        st.session_state[picks_key], st.session_state[saved_key] = set(saved), saved
    picks: set[int] = st.session_state[picks_key]
    saved: set[int] = st.session_state[saved_key]

    st.markdown(f"### {plain(rnd.question)}")
    st.caption(f"Perspective: {plain(rnd.perspective_text)} · pick up to {rnd.pick_limit} cards")
    shown = _filtered(cards, picks)
    full = len(picks) >= rnd.pick_limit
    st.progress(len(picks) / rnd.pick_limit, text=f"{len(picks)} of {rnd.pick_limit} cards picked" + (" — that's all" if full else ""))

    for index, card in enumerate(shown):
        if index % 2 == 0:
            row = st.columns(2)  # a row at a time, so phones (which stack columns) keep the deck's order
        widget_key = f"card-{rnd.id}-{rnd.attempt}-{card.id}"
        with row[index % 2].container(border=True):
            st.checkbox(
                plain_label(card.title),
                value=card.id in picks,
                key=widget_key,
                disabled=full and card.id not in picks,
                on_change=_toggle,
                args=(picks_key, widget_key, card.id),
            )
            st.caption(f"{BADGES[card.type]} {plain(card.theme)} — {plain(card.description)}")
    if not shown:
        st.info("No card matches this filter.")

    if st.button(f"Submit my {len(picks)} card{'s' if len(picks) != 1 else ''}", type="primary", disabled=not picks, key="submit"):
        try:
            store.submit_ballot(participant.workshop_id, participant.token, rnd.id, rnd.attempt, sorted(picks))
        except WorkshopError as refusal:
            st.error(str(refusal))
        else:
            saved = st.session_state[saved_key] = set(picks)
    _status(picks, saved)

def _filtered(cards: list[Card], picks: set[int]) -> list[Card]:
    left, right = st.columns([3, 2])
    with right:
        kind = st.segmented_control("Show", FILTERS, default="All", key="card-filter", format_func=_filter_label) or "All"
    with left:
        query = st.text_input("Search the cards", key="card-search", placeholder="e.g. users, change, blame").strip().lower()
    shown = cards
    if kind in CARD_TYPES:
        shown = [c for c in shown if c.type == kind]
    elif kind == "My picks":
        shown = [c for c in shown if c.id in picks]
    if query:
        shown = [c for c in shown if query in f"{c.title} {c.description} {c.theme}".lower()]
    return shown


def _filter_label(option: str) -> str:
    return f"{option} · {CARD_TYPES[option]}" if option in CARD_TYPES else option


def _toggle(picks_key: str, widget_key: str, card_id: int) -> None:
    picks: set[int] = st.session_state[picks_key]
    if st.session_state[widget_key]:
        picks.add(card_id)
    else:
        picks.discard(card_id)


def _status(picks: set[int], saved: set[int]) -> None:
    if saved and picks == saved:
        st.success(f"Your ballot is saved ({len(saved)} cards). You can change it until the round closes.", icon="✅")
    elif saved:
        st.warning("You changed your picks; submit again to save the change.", icon="✏️")
    else:
        st.info("Nothing is saved until you submit.", icon="ℹ️")
