"""Round results shared by every session: computed once per round and workshop version, not per phone."""

from __future__ import annotations

import streamlit as st

from abc_workshop.store import Store
from abc_workshop.tallies import RoundResult, tally_round


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_result(db_path: str, round_id: int, version: int, _store: Store) -> RoundResult:
    current = _store.round(round_id)
    counts, ballots = _store.pick_counts(round_id)
    return tally_round(_store.cards(current.deck_id), _store.teams(current.workshop_id), counts, ballots)


def round_result(store: Store, round_id: int, version: int) -> RoundResult:
    """Results as of `version`; a ballot does not bump the version, so pass a fresh number for live counts."""
    return _cached_result(str(store.path), round_id, version, store)


def format_top(result_table, limit: int = 5) -> list[str]:
    """Plain lines such as '1. Blame culture: 12 (67%)' for picked cards, ties sharing a rank."""
    picked = result_table[result_table["picks"] > 0].head(limit)
    return [f"{row.rank}. {row.title}: {row.picks} ({row.share:.0%})" for row in picked.itertuples()]


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached_lines(db_path: str, round_id: int, version: int, _store: Store) -> tuple[int, tuple[str, ...], dict]:
    result = _cached_result(db_path, round_id, version, _store)
    teams = {r.name: (r.ballots, tuple(format_top(r.table))) for r in result.teams if r.ballots}
    return result.overall.ballots, tuple(format_top(result.overall.table)), teams


def result_lines(store: Store, round_id: int, version: int) -> tuple[int, tuple[str, ...], dict]:
    """What a phone shows of a revealed round, formatted once for every phone: (ballots, the room's top
    lines, {team name: (ballots, its top lines)})."""
    return _cached_lines(str(store.path), round_id, version, store)
