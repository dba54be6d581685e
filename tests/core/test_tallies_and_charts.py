"""Tallies with ties, and the chart built from them."""

from __future__ import annotations

from abc_workshop.charts import top_cards_bar
from abc_workshop.domain import Card, Team
from abc_workshop.tallies import tally_round

CARDS = [
    Card(i, 1, f"k{i}", t, "Theme", title, "d")
    for i, (t, title) in enumerate([("A", "Alpha"), ("B", "Bravo"), ("C", "Charlie"), ("A", "Delta <b>bold</b>")], start=1)
]
TEAMS = [Team(10, 1, "Desk"), Team(20, 1, "Ops")]


def result(counts, ballots):
    return tally_round(CARDS, TEAMS, [dict(zip(("card_id", "team_id", "picks"), c)) for c in counts], ballots)


def test_ties_share_a_rank_and_the_cut_off_keeps_every_tied_card():
    r = result([(1, 10, 2), (2, 10, 1), (3, 20, 1), (4, 20, 2)], {10: 2, 20: 2})
    table = r.overall.table
    assert list(table["title"]) == ["Alpha", "Delta <b>bold</b>", "Bravo", "Charlie"]
    assert list(table["rank"]) == [1, 1, 3, 3]
    assert list(table["share"]) == [0.5, 0.5, 0.25, 0.25]
    assert len(r.overall.top(1)) == 2
    assert len(r.overall.top(3)) == 4


def test_per_team_shares_use_the_team_s_own_ballots_and_unpicked_cards_are_not_top():
    r = result([(1, 10, 2), (3, 20, 1)], {10: 2, 20: 4})
    desk, ops = r.teams
    assert (desk.name, desk.ballots, ops.ballots) == ("Desk", 2, 4)
    assert desk.table.set_index("title").loc["Alpha", "share"] == 1.0
    assert ops.table.set_index("title").loc["Charlie", "share"] == 0.25
    assert list(desk.top(10)["title"]) == ["Alpha"]


def test_ballots_without_a_team_get_their_own_group_and_no_ballots_give_zero_shares():
    r = result([(2, None, 1)], {None: 1})
    assert [t.name for t in r.teams] == ["Desk", "Ops", "No team"]
    assert r.teams[2].table.set_index("title").loc["Bravo", "picks"] == 1
    assert r.teams[0].ballots == 0 and r.teams[0].table["share"].sum() == 0


def test_the_bar_chart_shows_counts_and_shares_per_type_and_escapes_titles():
    r = result([(1, 10, 2), (2, 10, 1), (4, 20, 2)], {10: 2, 20: 2})
    figure = top_cards_bar(r.overall.top(3), r.overall.ballots, "Everyone <script>")
    bars = {trace.name: trace for trace in figure.data}
    assert set(bars) == {"A · Attitude", "B · Behaviour", "C · Culture"}
    assert list(bars["A · Attitude"].text) == ["2 (50%)", "2 (50%)"]
    assert list(bars["B · Behaviour"].text) == ["1 (25%)"]
    assert len(bars["C · Culture"].x) == 0
    assert "Delta &lt;b&gt;bold&lt;/b&gt;" in bars["A · Attitude"].y
    assert figure.layout.title.text.startswith("Everyone &lt;script&gt; — 4 participants")


def test_a_phones_top_cards_keep_ties_at_the_better_rank_and_stop_at_five():
    from abc_workshop.tallies import top_picks

    titles = {1: "Blame", 2: "Apathy", 3: "Cynicism", 4: "Denial", 5: "Ego", 6: "Fear", 7: "Greed"}
    picks = {1: 5, 2: 3, 3: 3, 4: 1, 5: 1, 6: 1, 7: 0}
    assert top_picks(picks, titles) == [[1, 1, 5], [2, 2, 3], [2, 3, 3], [4, 4, 1], [4, 5, 1]]
    assert top_picks({7: 0}, titles) == [] and top_picks({}, titles) == []
