"""The Decks page: every deck's cards with their ids, types and themes (the ids an import file may use), and for
decks other than the default one, which default-deck card each card counts as, set here or by the deck file's
counts_as column, so comparisons count a licensed, translated or older edition's results with the default deck's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from abc_workshop.domain import CARD_TYPES
from abc_workshop.i18n import _, ngettext
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.imports import lead_access
from ui.text import plain

OWN_CARD = 0  # "no correspondence" among default-deck card ids


def deck_view(store: Store) -> None:
    decks = store.decks()
    if not decks:
        st.info(_("No deck is loaded yet."), icon="🃏")
        return
    default = store.default_deck_id()
    names = {
        # Translators: a deck's name and how many cards it has, e.g. "ABC cards (40 cards)"
        deck.id: ngettext("{deck} ({n} card)", "{deck} ({n} cards)", deck.card_count).format(deck=deck.name, n=deck.card_count)
        for deck in decks
    }
    deck_id = st.selectbox(_("Deck"), list(names), format_func=names.__getitem__, key="deck-shown", bind="query-params")
    deck = next(d for d in decks if d.id == deck_id)
    links = store.card_correspondences()
    links = links[links["deck_id"] == deck_id]
    linked = dict(zip(links["card_id"], links["same_as_key"] + " · " + links["same_as_title"]))
    cards = store.cards(deck_id)
    st.caption(
        _("Source: {source}.").format(source=plain(deck.source))
        + " "
        + (
            _("This is the default deck: other decks' cards correspond to its cards.")
            if deck_id == default
            else ngettext(
                "{linked} of {n} card counts as a card of the default deck in comparisons.",
                "{linked} of {n} cards count as a card of the default deck in comparisons.",
                len(cards),
            ).format(linked=len(linked), n=len(cards))
        )
    )
    table = pd.DataFrame(
        {
            # Translators: column headers of a deck's table of cards
            _("id"): [c.key for c in cards],
            _("type"): [f"{c.type} · {_(CARD_TYPES[c.type])}" for c in cards],
            _("theme"): [c.theme for c in cards],
            _("title"): [c.title for c in cards],
            **({} if deck_id == default else {_("counts as"): [linked.get(c.id, "") for c in cards]}),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", height=min(38 * len(cards) + 40, 900))
    if deck_id != default and default is not None:
        _correspondences(store, deck_id, cards, default, dict(zip(links["card_id"], links["same_as"])))


def _correspondences(store: Store, deck_id: int, cards: list, default: int, current: dict) -> None:
    st.subheader(_("Which default-deck card each card counts as"))
    key = lead_access(store)
    if key is None:
        return
    targets = {card.id: f"{card.key} · {card.title}" for card in store.cards(default)}
    options = [OWN_CARD, *targets]
    with st.form(f"correspondences-{deck_id}"):
        chosen = {}
        for card in cards:
            chosen[card.id] = st.selectbox(
                f"{card.key} · {card.title}",
                options,
                index=options.index(current.get(card.id, OWN_CARD)),
                format_func=lambda c: _("its own card (counted apart)") if c == OWN_CARD else targets[c],
                key=f"same-as-{deck_id}-{card.id}",
            )
        if st.form_submit_button(_("Save correspondences"), type="primary"):
            links = {card: (None if target == OWN_CARD else target) for card, target in chosen.items()}
            attempt(lambda: store.set_correspondences(deck_id, links, key), success=_("Correspondences saved"), rerun=True)
