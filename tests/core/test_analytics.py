"""Card comparisons across workshops, against numbers worked out by hand from tests/core/lead_history.py."""

from __future__ import annotations

import datetime
import math

import pandas as pd
import pytest

from abc_workshop import compare
from abc_workshop.domain import CompareFilter
from tests.core.lead_history import lead_history, play_round

RECOGNISE = CompareFilter(perspectives=("recognise",))


@pytest.fixture
def history(store):
    return lead_history(store)


def by_key(table, history, column):
    names = {card_id: key for key, card_id in history.card.items()}
    return {names[row.card_id]: getattr(row, column) for row in table.itertuples()}


def top(history, f=RECOGNISE):
    cards, decks = history.store.card_totals(f)
    return compare.top_cards(cards, decks), decks


def test_top_cards_count_picks_shares_ranks_with_ties_and_teams_top_three(history):
    table, decks = top(history)
    assert by_key(table, history, "picks") == {"01": 6, "02": 5, "03": 3, "06": 3, "04": 2, "05": 1}
    assert by_key(table, history, "share") == {"01": 0.6, "02": 0.5, "03": 0.3, "06": 0.3, "04": 0.2, "05": 0.1}
    assert by_key(table, history, "rank") == {"01": 1, "02": 2, "03": 3, "06": 3, "04": 5, "05": 6}
    # Desk W1 ties three cards at third place, Ops W1 ties two at second; ties count as top 3.
    assert by_key(table, history, "top3_teams") == {"01": 2, "02": 3, "03": 2, "04": 2, "05": 1, "06": 1}
    assert (int(decks["ballots"].sum()), int(decks["teams"].sum()), int(decks["ranked"].sum())) == (10, 3, 0)
    assert table["borda"].isna().all(), "live ballots have no ranks, so no Borda points are made up"


def test_filters_narrow_by_team_organisation_date_country_and_card_type(history):
    desk, decks = top(history, CompareFilter(perspectives=("recognise",), teams=("desk",)))
    assert by_key(desk, history, "picks") == {"01": 6, "02": 4, "06": 3, "03": 1, "04": 1, "05": 1}
    assert int(decks["ballots"].sum()) == 8
    acme, _ = top(history, CompareFilter(perspectives=("recognise",), organisations=("ACME it",)))
    assert by_key(acme, history, "rank") == {"01": 1, "02": 1, "03": 3, "04": 4, "05": 5}
    later, decks = top(history, CompareFilter(perspectives=("recognise",), date_from="2024-01-01", date_to="2024-12-31"))
    assert by_key(later, history, "picks") == {"06": 3, "01": 2, "02": 1} and int(decks["ballots"].sum()) == 3
    belgium, _ = top(history, CompareFilter(perspectives=("recognise",), countries=("belgium",)))
    assert set(by_key(belgium, history, "picks")) == {"06", "01", "02"}
    attitude, decks = top(history, CompareFilter(perspectives=("recognise",), card_types=("A",)))
    assert by_key(attitude, history, "share") == {"06": 0.3}, "a type filter hides cards but keeps every ballot in the share"


def test_a_filter_that_matches_nothing_gives_empty_results_not_errors(history):
    nothing = CompareFilter(organisations=("Nobody",))
    table, decks = top(history, nothing)
    assert table.empty and decks.empty
    assert history.store.compare_overview(nothing)["ballots"] == 0
    assert history.store.group_sizes(nothing, "team").empty
    cards, sizes = history.store.perspective_gap(nothing)
    assert cards.empty and sizes == {} and compare.perspective_gap(cards, 0, 0).table.empty


def test_the_overview_counts_workshops_rounds_places_and_ballots(history):
    assert history.store.compare_overview(RECOGNISE) == {
        "workshops": 2,
        "rounds": 2,
        "organisations": 2,
        "countries": 2,
        "ballots": 10,
        "ranked": 0,
    }
    everything = history.store.compare_overview(CompareFilter())
    assert (everything["workshops"], everything["rounds"], everything["ballots"], everything["countries"]) == (3, 5, 20, 2)


def test_groups_heatmap_and_abc_profile_with_small_groups_flagged(history):
    store = history.store
    sizes = store.group_sizes(RECOGNISE, "team")
    assert dict(zip(sizes["label"], sizes["ballots"])) == {"Desk": 8, "Ops": 2}
    picks = store.cards_by_group(RECOGNISE, "team", list(sizes["grp"]))
    table, _ = top(history)
    shares = compare.heatmap_table(picks, sizes, table)
    ids = history.card
    assert shares.loc[ids["01"], "Desk"] == 0.75 and shares.loc[ids["06"], "Desk"] == 0.375
    assert shares.loc[ids["03"], "Ops"] == 1.0 and shares.loc[ids["01"], "Ops"] == 0.0
    assert [compare.is_small(n) for n in sizes["ballots"]] == [False, True]
    profile = compare.type_profile(picks, table)
    assert profile.loc["Desk"].to_dict() == {"A": 3 / 16, "B": 8 / 16, "C": 5 / 16}
    assert profile.loc["Ops"].to_dict() == {"A": 0.0, "B": 0.5, "C": 0.5}
    countries = store.group_sizes(RECOGNISE, "country")
    assert dict(zip(countries["label"], countries["ballots"])) == {"Netherlands": 7, "Belgium": 3}
    workshops = store.group_sizes(RECOGNISE, "workshop")
    assert list(workshops["label"]) == ["W1 · 2023-03-01 · Acme IT", "W2 · 2024-06-01 · Beta Bank"]


def test_users_versus_it_compares_matched_organisations_with_rank_agreement(history):
    cards, sizes = history.store.perspective_gap(CompareFilter(teams=("Ops",), perspectives=("recognise",)))
    assert sizes["users_would_pick"]["ballots"] == 4 and sizes["users_pick"]["ballots"] == 5, "Gamma Gov has no IT round"
    gap = compare.perspective_gap(cards, 4, 5)
    ids = {v: k for k, v in history.card.items()}
    shares = {ids[r.card_id]: (r.it_share, r.users_share) for r in gap.table.itertuples()}
    assert shares == {"01": (1.0, 0.6), "02": (0.5, 0.2), "03": (0.25, 0.8), "04": (0.25, 0.0), "05": (0.0, 0.4)}
    assert gap.spearman == pytest.approx(1 / math.sqrt(95))
    assert gap.kendall == pytest.approx(1 / math.sqrt(90))
    assert [ids[c] for c in gap.over()["card_id"]] == ["01", "02", "04"]
    assert [ids[c] for c in gap.under()["card_id"]] == ["03", "05"]


def test_rank_agreement_edge_cases():
    same = pd.Series([3, 2, 1])
    assert compare.spearman(same, same) == pytest.approx(1.0) and compare.kendall_tau_b(same, same) == pytest.approx(1.0)
    assert compare.spearman(same, same[::-1].reset_index(drop=True)) == pytest.approx(-1.0)
    assert compare.spearman(pd.Series([1, 1, 1]), same) is None, "no variation, no correlation"
    assert compare.kendall_tau_b(pd.Series([1, 2]), pd.Series([2, 1])) is None, "too few cards"


def test_a_cards_trend_per_workshop_and_per_year_ranks_among_all_cards(history):
    store = history.store
    workshop, key = store.create_workshop(
        "W4", "Acme IT", datetime.date(2024, 9, 1), team_names=["Desk"], creator_key=history.workshops["W1"][1]
    )
    play_round(store, workshop, key, "recognise", {"Desk": ["02+03", "02+06"]})
    cards = [history.card["01"], history.card["02"]]
    trend = store.card_trend(RECOGNISE, "acme it", cards, "workshop")
    points = {(row.label, row.card_id): (row.picks, row.ballots, row.rank) for row in trend.itertuples()}
    assert points[("W1", cards[0])] == (4, 7, 1) and points[("W1", cards[1])] == (4, 7, 1), "a tie shares the first rank"
    assert points[("W4", cards[1])] == (2, 2, 1)
    assert points[("W4", cards[0])][:2] == (0, 2) and math.isnan(points[("W4", cards[0])][2]), "not picked: no rank"
    yearly = store.card_trend(RECOGNISE, "Acme IT", cards, "year")
    assert sorted(set(yearly["label"])) == ["2023", "2024"]


def test_tallies_follow_the_live_round_through_reopen_reset_and_a_team_rename(history):
    store = history.store
    workshop, key = history.workshops["W2"]
    played = history.rounds[("W2", "recognise")]
    assert store.compare_overview(CompareFilter(organisations=("Beta Bank",)))["ballots"] == 3
    store.reopen_round(played.round.id, key)
    assert store.compare_overview(CompareFilter(organisations=("Beta Bank",)))["ballots"] == 0, "an open round does not count yet"
    store.reset_round(played.round.id, key, "A test")
    store.open_round(played.round.id, key)
    voter = store.join(workshop.id, None, store.teams(workshop.id)[0].id)
    store.submit_ballot(workshop.id, voter.token, played.round.id, 2, [history.card["05"]])
    store.close_round(played.round.id, key)
    table, decks = top(history, CompareFilter(organisations=("Beta Bank",)))
    assert by_key(table, history, "picks") == {"05": 1} and int(decks["ballots"].sum()) == 1, "only the new attempt counts"
    store.db.execute("UPDATE teams SET name = 'Service Desk' WHERE id = ?", (store.teams(workshop.id)[0].id,))
    assert list(store.group_sizes(CompareFilter(organisations=("Beta Bank",)), "team")["label"]) == ["Service Desk"]
