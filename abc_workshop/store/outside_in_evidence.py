"""The outside-in programme's evidence for the next workshop and its reads for leads.

What a room sees (evidence per card, the projector, the iceberg's marks) leaves out every note a scout
marked internal; the lead's reads (heatmaps, trends, response times, coverage) need the key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pandas as pd

from ..domain import Card
from ..i18n import _
from ..outside_in import QUOTES_PER_CARD, STAGES
from ..tabular import row_tuples
from .analytics import read_frame
from .base import settled
from .outside_in_feedback import OutsideInFeedbackMixin
from .schema_texts import DESCRIPTION, THEME, TITLE


@dataclass(frozen=True)
class CardEvidence:
    """What our scouts and customers saw that points at one card."""

    card_id: int
    moments: int
    negative: int
    positive: int
    quotes: tuple[str, ...]


class OutsideInEvidenceMixin(OutsideInFeedbackMixin):
    def _room_moments(self, workshop_id: int, card_id: int | None = None) -> list[dict]:
        extra, params = ("AND mc.card_id = ?", (workshop_id, card_id)) if card_id is not None else ("", (workshop_id,))
        return self._rows(
            f"""
            SELECT mc.card_id, m.positive, m.what_happened, m.customer_words, m.stage FROM moment_cards mc
            JOIN moments m ON m.id = mc.moment_id JOIN workshops w ON w.organisation_id = m.organisation_id
            WHERE w.id = ? AND m.internal = 0 AND {settled("m.import_id")} {extra} ORDER BY m.created_at DESC, m.id DESC
            """,
            params,
        )

    def card_evidence(self, workshop_id: int) -> dict[int, CardEvidence]:
        """Per card, the moments of truth of the workshop's organisation that point at it, with a few quotes."""
        grouped: dict[int, list[dict]] = {}
        for row in self._room_moments(workshop_id):
            grouped.setdefault(row["card_id"], []).append(row)
        return {card_id: _evidence(card_id, rows) for card_id, rows in grouped.items()}

    def card(self, card_id: int) -> Card | None:
        row = self._row(
            f"SELECT c.id, c.deck_id, c.card_key AS key, c.type, {THEME} AS theme, {TITLE} AS title, {DESCRIPTION} AS description"
            " FROM cards c WHERE c.id = ?",
            (card_id,),
        )
        return Card(**row) if row else None

    def evidence_for_card(self, workshop_id: int, card_id: int) -> CardEvidence:
        return _evidence(card_id, self._room_moments(workshop_id, card_id))

    def cards_with_evidence(self, workshop_id: int) -> set[int]:
        """The cards the iceberg can mark as having evidence from outside the room."""
        return set(self.card_evidence(workshop_id))

    def observed_card_counts(self, organisations: tuple[str, ...] = ()) -> pd.DataFrame:
        """The third side of the comparison, "what we observed": per card, the moments of truth that point at it and
        their share of all card-linked moments (of the given organisations, matched as their records' name keys, or all).
        Internal moments count too: a count says nothing of what a note said."""
        where, params = _organisations_where(organisations)
        frame = read_frame(
            self,
            f"""
            SELECT c.id AS card_id, c.card_key, {TITLE} AS title, c.type, count(DISTINCT m.id) AS moments,
                   count(DISTINCT CASE WHEN m.positive = 0 THEN m.id END) AS negative
            FROM moment_cards mc JOIN moments m ON m.id = mc.moment_id JOIN cards c ON c.id = mc.card_id
            JOIN organisations o ON o.id = m.organisation_id {where}
            GROUP BY c.id ORDER BY moments DESC, c.card_key, c.id
            """,
            params,
        )
        total = self._value(
            f"SELECT count(DISTINCT m.id) FROM moments m JOIN organisations o ON o.id = m.organisation_id {where}"
            f" {'AND' if where else 'WHERE'} EXISTS (SELECT 1 FROM moment_cards WHERE moment_id = m.id)",
            params,
        )
        frame["share"] = frame["moments"] / total if total else 0.0
        frame["linked"] = total or 0  # the card-linked moments the shares are of
        return frame

    def moments_export_size(self, organisations: tuple[str, ...], key: str | None) -> tuple[int, int]:
        """How many moments of truth moments_for_export gives, and how many internal ones it leaves out, counted
        without reading them: the compare page's Export tab says so on every visit."""
        scope, params = _organisations_where(organisations)
        row = self._row(
            "SELECT count(*) AS moments, coalesce(sum(m.internal), 0) AS internal FROM moments m"
            f" JOIN organisations o ON o.id = m.organisation_id {scope}",
            params,
        )
        moments, internal = (row["moments"], row["internal"]) if row else (0, 0)
        return (moments, 0) if self._is_server_key(key) else (moments - internal, internal)

    def moments_for_export(self, organisations: tuple[str, ...], key: str | None) -> tuple[pd.DataFrame, int]:
        """The moments of truth of the given organisations (or all) in the import shape (docs/import-format.md, "Moments
        of truth"), and how many internal ones were left out: a scout's internal notes leave only with the server's key,
        the key that opens every organisation's programme (README.md, "Doors")."""
        scope, params = _organisations_where(organisations)
        where = scope if self._is_server_key(key) else f"{scope} {'AND' if scope else 'WHERE'} m.internal = 0"
        chosen = f"FROM moments m JOIN organisations o ON o.id = m.organisation_id {where}"
        moments = read_frame(
            self,
            "SELECT m.id, o.name AS organisation, date(m.created_at, 'unixepoch') AS date, m.source, m.stage, m.positive,"
            f" m.what_happened, m.customer_words, m.effort, m.business_unit, m.internal {chosen}"
            " ORDER BY o.name_key, m.created_at, m.id",
            params,
        )
        links = read_frame(
            self,
            "SELECT mc.moment_id, c.card_key, d.name AS deck FROM moment_cards mc JOIN cards c ON c.id = mc.card_id"
            f" JOIN decks d ON d.id = c.deck_id WHERE mc.moment_id IN (SELECT m.id {chosen})"
            " ORDER BY mc.moment_id, c.deck_id, c.position",
            params,
        )
        return moment_export_table(moments, links), self.moments_export_size(organisations, key)[1]

    # -- for leads -------------------------------------------------------------------------------------

    def programme_tables(self, workshop_id: int, key: str, today: datetime.date | None = None) -> dict[str, pd.DataFrame]:
        """The organisation's programme as tables for the report and workbook, internal notes included."""
        org = self.programme(workshop_id, key)
        moments = read_frame(
            self,
            "SELECT m.id, m.source, m.stage, m.positive, m.what_happened, m.customer_words, m.effort, m.business_unit, m.internal,"
            " m.created_at, v.person, v.place, v.activity FROM moments m LEFT JOIN visits v ON v.id = m.visit_id"
            f" WHERE m.organisation_id = ? AND {settled('m.import_id')} ORDER BY m.created_at",
            (org.id,),
        )
        links = read_frame(
            self,
            f"SELECT mc.moment_id, {TITLE} AS card FROM moment_cards mc JOIN moments m ON m.id = mc.moment_id"
            " JOIN cards c ON c.id = mc.card_id"
            f" WHERE m.organisation_id = ? AND {settled('m.import_id')}",
            (org.id,),
        )
        visits = read_frame(
            self,
            "SELECT visit_on, kind, person, team, role, place, activity, host, status, summary, should_change FROM visits"
            " WHERE organisation_id = ? ORDER BY visit_on",
            (org.id,),
        )
        return {
            "Immersion visits": visits,
            "Moments of truth": _moments_table(moments, links),
            "Journey x card": journey_by_card(moments, links),
            "Journey x business unit": journey_by_unit(moments),
            "Moments over time": moments_over_time(moments),
            "Feedback": self._feedback_table(workshop_id, key),
            "Coverage over time": self._coverage_over_time(org.id, today or datetime.date.today()),
        }

    def _feedback_table(self, workshop_id: int, key: str) -> pd.DataFrame:
        now = self._now()
        rows = []
        for item in self.feedback_inbox(workshop_id, key):
            hours = item.step_hours()
            rows.append(
                {
                    "written": _day(item.created_at),
                    "stage": STAGES[item.moment.stage],
                    "positive": item.moment.positive,
                    "what_happened": item.moment.what_happened,
                    "owner": item.owner,
                    "status": item.status.label,
                    "overdue": item.overdue(now),
                    "answer": item.answer,
                    "action_taken": item.action_taken,
                    "decline_reason": item.decline_reason,
                    "hours_to_acknowledge": hours["acknowledged"],
                    "hours_to_answer": hours["answered"],
                    "hours_to_act": hours["acted_upon"],
                    "hours_to_decline": hours["declined"],
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "written",
                "stage",
                "positive",
                "what_happened",
                "owner",
                "status",
                "overdue",
                "answer",
                "action_taken",
                "decline_reason",
                "hours_to_acknowledge",
                "hours_to_answer",
                "hours_to_act",
                "hours_to_decline",
            ],
        )

    def _coverage_over_time(self, organisation_id: int, today: datetime.date) -> pd.DataFrame:
        """Per calendar quarter: how many different IT people had an immersion visit that took place."""
        frame = read_frame(
            self,
            "SELECT strftime('%Y', visit_on) || '-Q' || ((CAST(strftime('%m', visit_on) AS INTEGER) + 2) / 3) AS quarter,"
            " count(DISTINCT lower(person)) AS people_visited, count(*) AS visits FROM visits"
            " WHERE organisation_id = ? AND status = 'done' AND kind != 'undercover_customer' AND visit_on <= ?"
            " GROUP BY quarter ORDER BY quarter",
            (organisation_id, today.isoformat()),
        )
        frame["it_people"] = self._value("SELECT count(*) FROM it_people WHERE organisation_id = ?", (organisation_id,))
        return frame


EXPORT_COLUMNS = [
    "organisation",
    "date",
    "source",
    "stage",
    "positive",
    "what_happened",
    "customer_words",
    "effort",
    "business_unit",
    "internal",
    "deck",
    "cards",
]


def _organisations_where(organisations: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The moments `m` of organisations `o` named as the compare page's filter names them (all when none), matched to
    their records the way the schema keys them (lower(trim(name)), so a name with letters beyond ASCII finds its record
    too); never those of an import still being stored."""
    if not organisations:
        return f"WHERE {settled('m.import_id')}", ()
    names = ",".join(["lower(trim(?))"] * len(organisations))
    return f"WHERE {settled('m.import_id')} AND o.name_key IN ({names})", tuple(organisations)


def moment_export_table(moments: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One line per moment: yes/no for the flags, the effort as a whole number, the cards' ids joined by '; ' with the
    deck they belong to (one deck for all of them, or one per card when they come from several)."""
    cards: dict[int, list[tuple[str, str]]] = {}
    for moment_id, card_key, deck in links.itertuples(index=False):
        cards.setdefault(moment_id, []).append((card_key, deck))
    rows = []
    for row in row_tuples(moments, index=False):
        linked = cards.get(row.id, [])
        decks = list(dict.fromkeys(deck for _, deck in linked))
        rows.append(
            {
                "organisation": row.organisation,
                "date": row.date,
                "source": row.source,
                "stage": row.stage,
                "positive": "yes" if row.positive else "no",
                "what_happened": row.what_happened,
                "customer_words": row.customer_words or "",
                "effort": "" if pd.isna(row.effort) else str(int(row.effort)),
                "business_unit": row.business_unit or "",
                "internal": "yes" if row.internal else "no",
                "deck": decks[0] if len(decks) == 1 else "; ".join(deck for _, deck in linked),
                "cards": "; ".join(card_key for card_key, _ in linked),
            }
        )
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def _evidence(card_id: int, rows: list[dict]) -> CardEvidence:
    quotes = tuple((r["customer_words"] or r["what_happened"]) for r in rows[:QUOTES_PER_CARD])
    negative = sum(1 for r in rows if not r["positive"])
    return CardEvidence(card_id, len(rows), negative, len(rows) - negative, quotes)


def _day(unix: float) -> str:
    return datetime.datetime.fromtimestamp(unix, datetime.UTC).date().isoformat()


def _moments_table(moments: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    cards = links.groupby("moment_id")["card"].agg("; ".join).to_dict() if len(links) else {}
    table = moments.copy()
    table["cards"] = [cards.get(moment_id, "") for moment_id in table["id"]]
    table["stage"] = table["stage"].map(STAGES)
    table["recorded"] = table["created_at"].map(_day)
    table["positive"] = table["positive"].astype(bool)
    table["internal"] = table["internal"].astype(bool)
    return table.drop(columns=["id", "created_at"])


def journey_by_card(moments: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Moments of truth per card (rows) and journey stage (columns)."""
    joined = links.merge(moments[["id", "stage"]], left_on="moment_id", right_on="id")
    return _crosstab(joined, "card")


def journey_by_unit(moments: pd.DataFrame) -> pd.DataFrame:
    # Translators: stands for the business unit of the moments of truth whose writer did not name one
    not_given = _("(not given)")
    return _crosstab(moments.assign(business_unit=moments["business_unit"].fillna(not_given)), "business_unit")


def _crosstab(frame: pd.DataFrame, rows: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[rows, *STAGES.values()])
    table = pd.crosstab(frame[rows], frame["stage"]).reindex(columns=list(STAGES), fill_value=0)
    table.columns = list(STAGES.values())
    return table.reset_index().rename(columns={"index": rows})


def moments_over_time(moments: pd.DataFrame) -> pd.DataFrame:
    """Positive and negative moments of truth per calendar month."""
    if moments.empty:
        return pd.DataFrame(columns=["month", "positive", "negative"])
    month = pd.to_datetime(moments["created_at"], unit="s", utc=True).dt.strftime("%Y-%m")
    counts = pd.crosstab(month, moments["positive"].map({1: "positive", 0: "negative"}))
    counts = counts.reindex(columns=["positive", "negative"], fill_value=0)
    return counts.rename_axis("month").reset_index().rename_axis(None, axis=1)
