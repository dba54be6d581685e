"""The participant's ballot: tap cards to pick up to N, submit, change until the round closes.

Drawn and kept in the browser (ui/ballot.js): a tap costs the server nothing, so a full room
tapping at once only reaches it with its submits (bench/README.md). A submit reruns this small
fragment alone; the answer carries the submit's nonce, and the browser sends the same submit again
if no answer came (a run whose output Streamlit dropped), which saves the same ballot once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from abc_workshop.domain import CARD_TYPES, Card, Participant, Round, WorkshopError
from abc_workshop.store import Store
from ui import live_routes
from ui.live import FALLBACK_KEY
from ui.store import deck_cards

MAX_NONCE = 64
INLINE_DECK = "ballot-inline-deck"  # set once the browser could not fetch the deck

_ballot = st.components.v2.component(
    "abc_ballot",
    js=Path(__file__).with_name("ballot.js").read_text(),
    css=Path(__file__).with_name("ballot.css").read_text(),
)


def cards_for_browser(cards: Sequence[Card]) -> list[dict]:
    """A deck as the ballot draws it (also what the server's /live/deck/<id> route sends)."""
    return [{"id": c.id, "title": c.title, "type": c.type, "theme": c.theme, "description": c.description} for c in cards]


@st.cache_resource(max_entries=32, show_spinner=False)
def _inline_deck(db_path: str, deck_id: int, _cards: tuple[Card, ...]) -> tuple[dict, ...]:
    return tuple(cards_for_browser(_cards))


@st.fragment
def ballot(store: Store, participant: Participant, rnd: Round) -> None:
    key = f"ballot-{rnd.id}-{rnd.attempt}"
    outcome_key = f"{key}-outcome"
    saved = store.ballot_cards(participant.id, rnd.id, rnd.attempt)
    if live_routes.running() and not st.session_state.get(INLINE_DECK) and not st.session_state.get(FALLBACK_KEY):
        # The browser fetches the deck once from the server's own route and keeps it; where that route cannot
        # be reached (the same proxy that keeps the event stream away), the cards come with the ballot.
        deck = {"deckUrl": f"/live/deck/{rnd.deck_id}"}
    else:
        deck = {"cards": list(_inline_deck(str(store.path), rnd.deck_id, deck_cards(store, rnd.deck_id)))}
    _ballot(
        key=key,
        data={
            "question": rnd.question,
            "perspective": rnd.perspective_text,
            "limit": rnd.pick_limit,
            **deck,
            "saved": saved,
            "outcome": st.session_state.pop(outcome_key, None),
            "storageKey": f"abc-ballot-{participant.token}-{rnd.id}-{rnd.attempt}",
            "names": CARD_TYPES,
            "named": rnd.show_names,
            "namedText": "The facilitator sees who picked which cards in this round.",
            "searchLabel": "Search the cards",
            "aboutButton": "About",
            "savingLabel": "Saving…",
            "loadingLabel": "Loading the cards…",
            "deckFailedLabel": "The cards could not be loaded. Check your connection and reload the page.",
        },
        on_submit_change=lambda: _submit(store, participant, rnd, key, outcome_key),
        on_inline_change=_inline,
        height="content",
    )


def _inline() -> None:
    st.session_state[INLINE_DECK] = True


def _submit(store: Store, participant: Participant, rnd: Round, key: str, outcome_key: str) -> None:
    answer = answer_submit(store, participant, rnd, st.session_state[key].get("submit"))
    if answer is not None:
        st.session_state[outcome_key] = answer


def answer_submit(store: Store, participant: Participant, rnd: Round, sent: object) -> dict | None:
    """Save what the browser sent and say how it went, under the submit's nonce; None for what no page sends."""
    nonce, card_ids = _read(sent)
    if nonce is None:
        return None
    if card_ids is None:
        return {"nonce": nonce, "ok": False, "message": "That ballot could not be read; please pick again."}
    try:
        store.submit_ballot(participant.workshop_id, participant.token, rnd.id, rnd.attempt, card_ids)
    except WorkshopError as refusal:
        return {"nonce": nonce, "ok": False, "message": str(refusal)}
    return {"nonce": nonce, "ok": True, "message": None}


def _read(sent: object) -> tuple[str | None, list[int] | None]:
    """(nonce, card ids) from the browser's submit; card ids None when they are not a short list of whole numbers."""
    if not isinstance(sent, dict) or not isinstance(sent.get("nonce"), str) or not 0 < len(sent["nonce"]) <= MAX_NONCE:
        return None, None
    cards = sent.get("cards")
    if not isinstance(cards, list) or len(cards) > 1000 or not all(isinstance(c, int) and not isinstance(c, bool) for c in cards):
        return sent["nonce"], None
    return sent["nonce"], cards
