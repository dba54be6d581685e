"""Comparing workshops: card counts across everything recorded, aggregated in SQL from the tallies of finished rounds.

The tallies (schema 0003) hold one row per finished round, team and picked card, with the card's rank in
its team, so no query here touches the raw picks, and every query returns at most a few thousand rows.
Only finished (closed or revealed) rounds count: an open round's numbers still move.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ..domain import CompareFilter, InvalidInput
from ..i18n import N_, _
from .base import StoreBase, settled, settled_by
from .schema_texts import TITLE, in_language, shown

MAX_LISTED_WORKSHOPS = 300
FEW_WORKSHOPS = 0.05  # a filter keeping fewer than this share of workshops is read through the workshop index
IT_PREDICTS, USERS_PICK = "users_would_pick", "users_pick"
# What each column means in tally_teams (a row per finished round and team) and tally_cards (and card); "settled" is
# the condition that leaves out the rows of an import still being stored (base.settled), which every Scope applies.
TEAM_COLUMNS = {
    "workshop_id": "t.workshop_id",
    "team_id": "t.team_id",
    "team_name": "t.team_name",
    "perspective": "t.perspective",
    "deck_id": "t.deck_id",
    "organisation": "t.organisation",
    "country": "t.country",
    "settled": settled_by("t.round_id", "rounds"),  # the round is in the covering index (schema_import_steps.py)
}
CARD_COLUMNS = {**TEAM_COLUMNS, "card_type": "t.card_type", "card_id": "t.card_id"}
_SHOWN_WORKSHOP = settled("import_id")
# A workshop's date as the import format writes it: as precise as its source (2012, 2012-09 or 2012-09-30).
DATE_AT_PRECISION = (
    "CASE w.date_precision WHEN 'year' THEN substr(w.held_on, 1, 4) WHEN 'month' THEN substr(w.held_on, 1, 7) ELSE w.held_on END"
)
# A grouping's key, its label (an aggregate, for GROUP BY queries) and the joins the label needs. A label's own words
# ({no_team}, {no_date}, {unknown}: GROUP_WORDS) are put in in the run's language; the keys stay the same in every one.
GROUPINGS = {
    "team": ("coalesce({team_name}, 'No team')", "coalesce(min({team_name}), {no_team})", ""),
    "workshop": (
        "{workshop_id}",
        "min(wl.title || ' · ' || coalesce(wl.held_on, {no_date}) || ' · ' || wl.organisation)",
        "JOIN workshops wl ON wl.id = {workshop_id}",
    ),
    "organisation": ("{organisation} COLLATE NOCASE", "min({organisation})", ""),
    "country": ("coalesce({country}, 'Unknown') COLLATE NOCASE", "coalesce(min({country}), {unknown})", ""),
    "card": ("{card_id}", in_language("title", "{card_id}", "min(cd.title)"), "JOIN cards cd ON cd.id = {card_id}"),
}
GROUP_WORDS = {"no_team": N_("No team"), "no_date": N_("no date"), "unknown": N_("Unknown")}


@dataclass(frozen=True)
class Scope:
    """A CompareFilter as a WHERE clause over the columns that `columns` names; a filter on a column the rows
    lack (a card type for statements) does not apply to them."""

    sql: str
    params: tuple

    @classmethod
    def of(
        cls,
        f: CompareFilter,
        columns: dict[str, str],
        *,
        few_workshops: bool = False,
        perspectives: bool = True,
        teams: bool = True,
    ) -> Scope:
        """With `few_workshops`, every workshop condition goes through the workshops table, so SQLite can start
        from the few workshops kept; otherwise it scans the covering index and checks each row on the way."""
        clauses: list[str] = [columns["settled"]]
        params: list = []

        def among(expression: str, values: tuple) -> None:
            clauses.append(f"{expression} IN ({','.join('?' * len(values))})")
            params.extend(values)

        direct = () if few_workshops else ("organisation", "country")
        workshop_sql, workshop_params = _workshop_conditions(f, skip=direct)
        if workshop_sql:
            column = columns["workshop_id"] if few_workshops else f"+{columns['workshop_id']}"  # + : no index for this term
            clauses.append(f"{column} IN (SELECT id FROM workshops WHERE {workshop_sql})")
            params.extend(workshop_params)
        for name, values in (("organisation", f.organisations), ("country", f.countries)):
            if name in direct and values:
                among(f"{columns[name]} COLLATE NOCASE", values)
        if teams and f.teams:
            among(f"{columns['team_name']} COLLATE NOCASE", f.teams)
        for name, picked in (
            ("perspective", f.perspectives if perspectives else ()),
            ("deck_id", f.deck_ids),
            ("card_type", f.card_types),
        ):
            if picked and name in columns:
                among(columns[name], picked)
        return cls(" AND ".join(clauses), tuple(params))


def _workshop_conditions(f: CompareFilter, skip: tuple = ()) -> tuple[str, list]:
    conditions: list[str] = []
    params: list = []
    for name, expression, values in (
        ("organisation", "organisation COLLATE NOCASE", f.organisations),
        ("country", "country", f.countries),
        ("id", "id", f.workshop_ids),
    ):
        if values and name not in skip:
            conditions.append(f"{expression} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if f.date_from:
        conditions.append("held_on >= ?")
        params.append(f.date_from)
    if f.date_to:
        conditions.append("held_on <= ?")
        params.append(f.date_to)
    return " AND ".join(conditions), params


def grouping(name: str, columns: dict[str, str]) -> tuple[str, str, str]:
    """(key, label, joins) of a grouping as SQL over `columns`; the label's words in the run's language."""
    if name not in GROUPINGS:
        raise InvalidInput(_("Unknown grouping '{name}'.").format(name=name))
    words = {word: "'" + _(text).replace("'", "''") + "'" for word, text in GROUP_WORDS.items()}  # as SQL text literals
    key, label, joins = (part.format(**columns, **words) for part in GROUPINGS[name])
    return key, label, joins


def read_frame(store: StoreBase, sql: str, params=()) -> pd.DataFrame:
    """A query's rows as a DataFrame, for aggregates that go on to charts."""
    with store._reading() as conn:
        cursor = conn.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=[c[0] for c in cursor.description])


class AnalyticsMixin(StoreBase):
    def _frame(self, sql: str, params=()) -> pd.DataFrame:
        return read_frame(self, sql, params)

    def compare_scope(self, f: CompareFilter, columns: dict[str, str], **only) -> Scope:
        """The filter as SQL, read through the workshop index when it keeps few workshops (one organisation, one
        month) and through the covering index otherwise; each way is about ten times faster where it applies."""
        workshop_sql, params = _workshop_conditions(f)
        few = bool(workshop_sql) and (
            self._value(f"SELECT count(*) FROM workshops WHERE {workshop_sql}", params)
            < FEW_WORKSHOPS * (self._value("SELECT count(*) FROM workshops") or 1)
        )
        return Scope.of(f, columns, few_workshops=few, **only)

    def filter_choices(self) -> dict:
        """Choices that do not depend on other filters: organisations, countries, the dates recorded, decks."""
        return {
            "organisations": [
                r["o"]
                for r in self._rows(
                    f"SELECT min(organisation) AS o FROM workshops WHERE {_SHOWN_WORKSHOP} GROUP BY organisation COLLATE NOCASE"
                    " ORDER BY 1"
                )
            ],
            "countries": [
                r["c"]
                for r in self._rows(
                    f"SELECT min(country) AS c FROM workshops WHERE country IS NOT NULL AND {_SHOWN_WORKSHOP}"
                    " GROUP BY country ORDER BY 1"
                )
            ],
            "dates": self._row(f"SELECT min(held_on) AS first, max(held_on) AS last FROM workshops WHERE {_SHOWN_WORKSHOP}"),
            "decks": self._rows("SELECT id, name FROM decks ORDER BY id"),
        }

    def workshop_choices(self, f: CompareFilter) -> dict:
        """Workshops (when few enough to list) and team names within the organisations, countries and dates chosen."""
        narrowed = CompareFilter(organisations=f.organisations, countries=f.countries, date_from=f.date_from, date_to=f.date_to)
        workshop_sql, params = _workshop_conditions(narrowed)
        where = f"WHERE {_SHOWN_WORKSHOP}" + (f" AND {workshop_sql}" if workshop_sql else "")
        count = self._value(f"SELECT count(*) FROM workshops {where}", params)
        listed = self._rows(
            f"SELECT id, title, organisation, held_on FROM workshops {where} ORDER BY held_on DESC, title LIMIT ?",
            [*params, MAX_LISTED_WORKSHOPS],
        )
        teams = self._rows(
            f"SELECT min(name) AS name FROM teams WHERE workshop_id IN (SELECT id FROM workshops {where})"
            f" AND {settled('import_id')} GROUP BY name ORDER BY 1",
            params,
        )
        return {"count": count, "workshops": listed if count <= MAX_LISTED_WORKSHOPS else [], "teams": [r["name"] for r in teams]}

    def compare_overview(self, f: CompareFilter) -> dict:
        """How much lies behind the selection: workshops, rounds, organisations, countries, participants' ballots."""
        scope = self.compare_scope(f, TEAM_COLUMNS)
        return self._rows(  # an aggregate: always one row
            "SELECT count(DISTINCT t.workshop_id) AS workshops, count(DISTINCT t.round_id) AS rounds,"
            " count(DISTINCT t.organisation) AS organisations, count(DISTINCT t.country) AS countries,"
            f" coalesce(sum(t.participants), 0) AS ballots, coalesce(sum(t.ranked), 0) AS ranked FROM tally_teams t WHERE {scope.sql}",
            scope.params,
        )[0]

    def card_totals(self, f: CompareFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per card: picks, Borda points, and teams with it in their top 3 (ties included); and per deck the
        participants' ballots, ranked ballots and teams behind those numbers. Grouped by perspective first,
        which follows the covering index, then summed: no sort of the million rows."""
        scope = self.compare_scope(f, CARD_COLUMNS)
        cards = self._frame(
            f"""
            SELECT x.card_id, c.card_key AS key, {TITLE} AS title, c.type, c.deck_id, sum(x.picks) AS picks, sum(x.borda) AS borda,
                   sum(x.top3) AS top3_teams
            FROM (SELECT t.perspective, t.card_id, sum(t.picks) AS picks, sum(t.borda) AS borda,
                         sum(t.team_rank <= 3 AND t.team_name IS NOT NULL) AS top3
                  FROM tally_cards t WHERE {scope.sql} GROUP BY t.perspective, t.card_id) x
            JOIN cards c ON c.id = x.card_id GROUP BY x.card_id, c.id
            """,
            scope.params,
        )
        team_scope = self.compare_scope(f, TEAM_COLUMNS)
        decks = self._frame(
            f"SELECT t.deck_id, sum(t.participants) AS ballots, sum(t.ranked) AS ranked, count(t.team_name) AS teams"
            f" FROM tally_teams t WHERE {team_scope.sql} GROUP BY t.deck_id",
            team_scope.params,
        )
        return self._counted_together(cards), decks

    def card_correspondences(self) -> pd.DataFrame:
        """Cards of other decks that count as a card of the default deck: card_id, its deck, and the card it counts as."""
        return self._frame(
            f"SELECT c.id AS card_id, c.deck_id, c.card_key AS key, {TITLE} AS title, c.same_as, m.card_key AS same_as_key,"
            f" {shown('title', 'm')} AS same_as_title FROM cards c JOIN cards m ON m.id = c.same_as ORDER BY c.deck_id, c.position"
        )

    def _counted_together(self, cards: pd.DataFrame) -> pd.DataFrame:
        """Per-card totals with every card that corresponds to a default-deck card folded into that card; `decks` lists
        the decks whose ballots could pick each card (its share is taken over all of them)."""
        links = self.card_correspondences()
        if links.empty or cards.empty:
            decks: list[Any] = [(deck,) for deck in cards["deck_id"]]  # one tuple per row: the column holds tuples
            return cards.assign(decks=decks)
        target = dict(zip(links["card_id"], links["same_as"]))
        cards = cards.assign(card_id=[target.get(card, card) for card in cards["card_id"]])
        sums = cards.groupby("card_id", as_index=False)[["picks", "borda", "top3_teams"]].sum(min_count=1)
        own = self._frame(
            f"SELECT c.id AS card_id, c.card_key AS key, {TITLE} AS title, c.type, c.deck_id FROM cards c"
            f" WHERE c.id IN ({','.join('?' * len(sums))})",
            [int(card) for card in sums["card_id"]],
        )
        members: dict[int, set] = {}
        for card, deck in zip(links["same_as"], links["deck_id"]):
            members.setdefault(card, set()).add(deck)
        table = own.merge(sums, on="card_id")
        table["decks"] = [tuple(sorted({deck, *members.get(card, ())})) for card, deck in zip(table["card_id"], table["deck_id"])]
        return table

    def group_sizes(self, f: CompareFilter, by: str) -> pd.DataFrame:
        """Participants' ballots per group and deck (team name, workshop, organisation or country), largest first."""
        key, label, joins = grouping(by, TEAM_COLUMNS)
        scope = self.compare_scope(f, TEAM_COLUMNS)
        return self._frame(
            f"SELECT {key} AS grp, {label} AS label, t.deck_id, sum(t.participants) AS ballots FROM tally_teams t {joins}"
            f" WHERE {scope.sql} GROUP BY {key}, t.deck_id ORDER BY ballots DESC, label",
            scope.params,
        )

    def cards_by_group(self, f: CompareFilter, by: str, groups: list) -> pd.DataFrame:
        """Picks per card and group, for the given groups only (the largest: a heatmap must stay readable); a card of
        another deck counts as the default-deck card it corresponds to."""
        if not groups:
            return pd.DataFrame(columns=["card_id", "grp", "picks"])
        key, _label, joins = grouping(by, CARD_COLUMNS)
        scope = self.compare_scope(f, CARD_COLUMNS)
        return self._frame(
            "SELECT coalesce(c.same_as, x.card_id) AS card_id, x.grp, sum(x.picks) AS picks FROM"
            f" (SELECT t.perspective, t.card_id, {key} AS grp, sum(t.picks) AS picks"
            f" FROM tally_cards t {joins} WHERE {scope.sql} AND {key} IN ({','.join('?' * len(groups))})"
            f" GROUP BY t.perspective, t.card_id, {key}) x JOIN cards c ON c.id = x.card_id GROUP BY 1, 2",
            [*scope.params, *groups],
        )

    def perspective_gap(self, f: CompareFilter) -> tuple[pd.DataFrame, dict]:
        """What IT predicted its users would pick against what users picked, per card.

        Only organisations with rounds of both perspectives count, so IT is compared with its own users;
        the team and perspective filters do not apply (the two sides are different perspectives and teams).
        """
        sides = (
            f"AND t.perspective IN ('{IT_PREDICTS}', '{USERS_PICK}') AND t.organisation IN (SELECT organisation FROM tally_teams"
            f" WHERE perspective IN ('{IT_PREDICTS}', '{USERS_PICK}') AND {settled_by('round_id', 'rounds')}"
            " GROUP BY organisation HAVING count(DISTINCT perspective) = 2)"
        )
        scope = self.compare_scope(f, CARD_COLUMNS, perspectives=False, teams=False)
        cards = self._frame(
            f"SELECT x.perspective, x.card_id, {TITLE} AS title, c.type, x.picks FROM (SELECT t.perspective, t.card_id, sum(t.picks) AS picks"
            f" FROM tally_cards t WHERE {scope.sql} {sides} GROUP BY t.perspective, t.card_id) x JOIN cards c ON c.id = x.card_id",
            scope.params,
        )
        team_scope = self.compare_scope(f, TEAM_COLUMNS, perspectives=False, teams=False)
        sizes = {
            row["perspective"]: row
            for row in self._rows(
                f"SELECT t.perspective, sum(t.participants) AS ballots, count(DISTINCT t.organisation) AS organisations"
                f" FROM tally_teams t WHERE {team_scope.sql} {sides} GROUP BY t.perspective",
                team_scope.params,
            )
        }
        return cards, sizes

    def card_trend(self, f: CompareFilter, organisation: str, card_ids: list[int], per: str = "workshop") -> pd.DataFrame:
        """One organisation over time, per workshop or per year: the chosen cards' picks, and their rank among all
        cards (any type) at that point, with the ballots behind each point; other decks' cards count as the
        default-deck card they correspond to."""
        if not card_ids:
            return pd.DataFrame(
                columns=["point", "label", "held_on", "precision", "workshops", "card_id", "picks", "ballots", "rank"]
            )
        point, label = {
            "workshop": ("t.workshop_id", "min(w.title)"),
            "year": ("substr(w.held_on, 1, 4)", "substr(min(w.held_on), 1, 4)"),
        }[per]
        scope = self.compare_scope(replace(f, organisations=(organisation,)), TEAM_COLUMNS)
        rows = f"JOIN workshops w ON w.id = t.workshop_id WHERE {scope.sql} AND w.held_on IS NOT NULL"
        return self._frame(
            f"""
            WITH per_card AS (
                SELECT {point} AS point, coalesce(cc.same_as, t.card_id) AS card_id, sum(t.picks) AS picks
                FROM tally_cards t JOIN cards cc ON cc.id = t.card_id {rows} GROUP BY 1, 2
            ), ranked AS (
                SELECT point, card_id, picks, rank() OVER (PARTITION BY point ORDER BY picks DESC) AS rank FROM per_card
            ), sizes AS (
                SELECT {point} AS point, {label} AS label, min(w.held_on) AS held_on, min(w.date_precision) AS precision,
                       count(DISTINCT t.workshop_id) AS workshops, sum(t.participants) AS ballots
                FROM tally_teams t {rows} GROUP BY 1
            )
            SELECT s.point, s.label, s.held_on, s.precision, s.workshops, c.id AS card_id, coalesce(r.picks, 0) AS picks,
                   s.ballots, r.rank
            FROM sizes s CROSS JOIN cards c LEFT JOIN ranked r ON r.point = s.point AND r.card_id = c.id
            WHERE c.id IN ({",".join("?" * len(card_ids))}) ORDER BY s.held_on, s.point
            """,
            [*scope.params, *scope.params, *card_ids],
        )
