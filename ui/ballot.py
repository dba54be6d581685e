"""The participant's ballot: tap card titles to pick up to N, submit, change until the round closes.

Built for a full room on one core (bench/README.md): a tap reruns only a small fragment holding
three pill groups (Attitude, Behaviour, Culture), the count and the submit button, not the whole
deck. The deck itself, with descriptions, filter and search, is drawn once per page run as three
text blocks. Measured per tap: 26 ms with a checkbox per card, a few ms with pills.
"""

from __future__ import annotations

import streamlit as st

from abc_workshop.domain import CARD_TYPES, Card, Participant, Round, WorkshopError
from abc_workshop.store import Store
from ui.store import deck_cards
from ui.text import plain, plain_label

# Pills cut long titles short by default; a card title must be read whole, on a phone too.
PILL_STYLE = """<style>
button[data-variant="pills"] {height: auto !important; text-align: left;}
button[data-variant="pills"], button[data-variant="pills"] * {white-space: normal !important; text-overflow: clip !important; height: auto !important;}
</style>"""
BADGES = {"A": ":orange-badge[A · Attitude]", "B": ":blue-badge[B · Behaviour]", "C": ":green-badge[C · Culture]"}


@st.fragment
def ballot(store: Store, participant: Participant, rnd: Round) -> None:
    cards = deck_cards(store, rnd.deck_id)
    picks_key, saved_key, warning_key = (f"{name}-{rnd.id}-{rnd.attempt}" for name in ("picks", "saved", "over-budget"))
    if picks_key not in st.session_state:
        saved = set(store.ballot_cards(participant.id, rnd.id, rnd.attempt))
        st.session_state[picks_key], st.session_state[saved_key] = set(saved), saved
    picks: set[int] = st.session_state[picks_key]
    saved: set[int] = st.session_state[saved_key]

    st.markdown(PILL_STYLE, unsafe_allow_html=True)
    st.markdown(f"### {plain(rnd.question)}")
    st.caption(f"Perspective: {plain(rnd.perspective_text)} · tap the cards you pick, up to {rnd.pick_limit} · descriptions below")
    titles = {card.id: plain_label(card.title) for card in cards}  # pill labels are read as markdown
    for letter, name in CARD_TYPES.items():
        group = [card.id for card in cards if card.type == letter]
        widget_key = f"pills-{rnd.id}-{rnd.attempt}-{letter}"
        st.session_state.setdefault(widget_key, [card_id for card_id in group if card_id in picks])
        st.pills(
            f"{letter} · {name}",
            group,
            selection_mode="multi",
            format_func=titles.__getitem__,
            key=widget_key,
            on_change=_picked,
            args=(picks_key, warning_key, widget_key, group, rnd.pick_limit),
        )
    if st.session_state.pop(warning_key, False):
        st.warning(f"You can pick {rnd.pick_limit} cards. Untick one before you pick another.", icon="✋")
    st.progress(min(len(picks) / rnd.pick_limit, 1.0), text=f"{len(picks)} of {rnd.pick_limit} cards picked")
    if st.button(f"Submit my {len(picks)} card{'s' if len(picks) != 1 else ''}", type="primary", disabled=not picks, key="submit"):
        try:
            store.submit_ballot(participant.workshop_id, participant.token, rnd.id, rnd.attempt, sorted(picks))
        except WorkshopError as refusal:
            st.error(str(refusal))
        else:
            saved = st.session_state[saved_key] = set(picks)
    _status(picks, saved)


def _picked(picks_key: str, warning_key: str, widget_key: str, group: list[int], limit: int) -> None:
    """Keep the picks across the three groups; a tap past the budget is undone with a warning."""
    picks: set[int] = st.session_state[picks_key]
    chosen = set(st.session_state[widget_key] or [])
    others = picks - set(group)
    if len(others) + len(chosen) > limit:
        st.session_state[widget_key] = [card_id for card_id in group if card_id in picks]
        st.session_state[warning_key] = True
        return
    picks.clear()
    picks.update(others | chosen)


def _status(picks: set[int], saved: set[int]) -> None:
    if saved and picks == saved:
        st.success(f"Your ballot is saved ({len(saved)} cards). You can change it until the round closes.", icon="✅")
    elif saved:
        st.warning("You changed your picks; submit again to save the change.", icon="✏️")
    else:
        st.info("Nothing is saved until you submit.", icon="ℹ️")


def deck_reference(cards: list[Card]) -> None:
    """The cards with their descriptions, filterable; plain text blocks, so they cost little to redraw."""
    st.markdown("#### The cards")
    left, right = st.columns([3, 2])
    query = left.text_input("Search the cards", key="card-search", placeholder="e.g. users, change, blame").strip().lower()
    kind = right.segmented_control("Show", ["All", *CARD_TYPES], default="All", key="card-filter", format_func=_filter_label) or "All"
    shown = [c for c in cards if (kind == "All" or c.type == kind) and (not query or query in f"{c.title} {c.description} {c.theme}".lower())]
    if not shown:
        st.info("No card matches this filter.")
    for letter in CARD_TYPES:
        group = [c for c in shown if c.type == letter]
        if group:
            st.markdown("\n\n".join(f"**{plain(c.title)}** {BADGES[c.type]} :gray[{plain(c.theme)}]  \n{plain(c.description)}" for c in group))


def _filter_label(option: str) -> str:
    return f"{option} · {CARD_TYPES[option]}" if option in CARD_TYPES else option
