"""Round results shared by every session: computed once per round, workshop version and language, not per phone."""

from __future__ import annotations

import streamlit as st

from abc_workshop import i18n
from abc_workshop.store import Store
from abc_workshop.tallies import RoundResult, tally_round


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_result(db_path: str, round_id: int, version: int, language: str, _store: Store) -> RoundResult:
    """`language` keys the cache: the result holds the room's group name, card types and titles in it."""
    current = _store.round(round_id)
    counts, ballots = _store.pick_counts(round_id)
    return tally_round(_store.cards(current.deck_id), _store.teams(current.workshop_id), counts, ballots)


def round_result(store: Store, round_id: int, version: int) -> RoundResult:
    """Results as of `version` in the run's language; a ballot does not bump the version, so pass a fresh number
    for live counts."""
    return _cached_result(store.location, round_id, version, i18n.current(), store)
