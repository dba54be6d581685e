"""Addresses of the outside-in programme: a scout's personal link, the feedback channel and a writer's own link.

The tokens in them are random (abc_workshop/keys.py), so a link reaches only its own records.
"""

from __future__ import annotations

from abc_workshop.domain import Card
from abc_workshop.outside_in import Visit
from abc_workshop.store import Store
from ui.links import page_url
from ui.store import deck_cards


def scout_url(visit: Visit) -> str:
    return page_url("scout", v=visit.token)


def channel_url(channel_token: str) -> str:
    return page_url("feedback", c=channel_token)


def own_feedback_url(token: str) -> str:
    return page_url("feedback", f=token)


def programme_cards(store: Store, workshop_id: int | None) -> tuple[Card, ...]:
    """The cards moments of truth are linked to: the deck of the workshop's latest round, else the first deck."""
    rounds = store.rounds(workshop_id) if workshop_id else []
    decks = store.decks()
    if rounds:
        return deck_cards(store, rounds[-1].deck_id)
    return deck_cards(store, decks[0].id) if decks else ()
