"""Exports of the compare page's selection: CSV files in the import formats (so a selection moves to another
server), and an Excel workbook with the tables behind every chart. Files are built only when clicked.

The moments of truth of the selected organisations go too; a scout's internal notes only when the page was opened
with the server's key (the store decides, abc_workshop/store/outside_in_evidence.py), and the page says when they
were left out."""

from __future__ import annotations

import datetime
import logging

import pandas as pd
import streamlit as st

from abc_workshop import compare
from abc_workshop.domain import CompareFilter, Perspective
from abc_workshop.export import csv_bytes, excel_workbook
from abc_workshop.store import Store
from ui.text import plain

CSV_ROWS = 200_000
EXCEL_DETAIL_ROWS = 20_000
STATEMENTS_IN_WORKBOOK = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUILT = "built-compare-exports"  # (label, filter) -> bytes: a built file stays downloadable however often the page redraws
log = logging.getLogger(__name__)


def export_view(store: Store, f: CompareFilter, scope: str, key: str = "") -> None:
    rows, analyses = store.export_size(f), store.analysis_export_size(f)
    moments, internal_left_out = store.moments_export_size(f.organisations, key)
    today = datetime.date.today().isoformat()
    st.markdown(
        f"**The selection:** {plain(scope)} — {rows:,} rows of card counts and published ranks (one per round, team and card) "
        f"and {analyses:,} rows of teams' analyses (one per heading and severity scored, per risk decision and per action); "
        f"{moments:,} moments of truth of {plain(', '.join(f.organisations) or 'every organisation')} (only the "
        "organisation filter applies to them)."
    )
    if internal_left_out:
        st.info(
            f"{internal_left_out:,} internal moment{'s' if internal_left_out != 1 else ''} of truth "
            f"{'are' if internal_left_out != 1 else 'is'} left out of the exports: a scout's internal notes leave only with "
            "this server's facilitator key (ABC_FACILITATOR_KEY), which opens every organisation's programme"
            + ("." if store.server_key else "; this server has none."),
            icon="🔒",
        )
    too_many, too_many_analyses = rows > CSV_ROWS, analyses > CSV_ROWS
    downloads = [  # label, builder given a progress callback, file name, type, icon, disabled, what it holds
        (
            "Excel workbook (every chart's table)",
            lambda tell: workbook(store, f, scope, tell, key),
            f"abc-compare-{today}.xlsx",
            XLSX,
            "📊",
            False,
            (
                f"Sheets: about, top cards, by team, users vs IT, statements, impact; the card counts, statement answers, teams' "
                f"analyses and moments of truth too (up to {EXCEL_DETAIL_ROWS:,} rows each), which the Import tab takes back as "
                "they are."
            ),
        ),
        (
            "Card counts (CSV)",
            lambda tell: csv_bytes(store.export_rows(f)),
            f"abc-card-counts-{today}.csv",
            "text/csv",
            "🗂️",
            too_many or not rows,
            f"More than {CSV_ROWS:,} rows: narrow the filters (one organisation, a year) to download."
            if too_many
            else "In the import format (counts, Borda points, ranked ballots, published ranks): another server imports it "
            "as it is.",
        ),
        (
            "Statement answers (CSV)",
            lambda tell: csv_bytes(store.answer_rows(f)),
            f"abc-statement-answers-{today}.csv",
            "text/csv",
            "💬",
            False,
            "Answers per statement, team and answer, in the import format for answers.",
        ),
        (
            "Teams' analyses (CSV)",
            lambda tell: csv_bytes(store.analysis_rows(f)),
            f"abc-team-analyses-{today}.csv",
            "text/csv",
            "🧭",
            too_many_analyses or not analyses,
            f"More than {CSV_ROWS:,} rows: narrow the filters to download."
            if too_many_analyses
            else "What the Impact view counts (severity scores, risk decisions, actions), in the import format for analyses; "
            "import it with the card counts, or after them.",
        ),
        (
            "Moments of truth (CSV)",
            lambda tell: csv_bytes(store.moments_for_export(f.organisations, key)[0]),
            f"abc-moments-of-truth-{today}.csv",
            "text/csv",
            "🔭",
            not moments,
            "No moment of truth of the selected organisations (only the organisation filter applies)."
            if not moments
            else "What scouts and the feedback channel recorded, one line per moment with its cards' ids, in the import format "
            "for moments of truth: another server's programme takes it as it is.",
        ),
    ]
    built = st.session_state.setdefault(BUILT, {})
    for column, (label, build, file_name, mime, icon, disabled, holds) in zip(st.columns(len(downloads)), downloads):
        with column:
            wanted = (label, f)
            if st.button(f"Build {label}", key=f"build-{label}", icon=icon, disabled=disabled, width="stretch"):
                data = _build(label, build)
                if data is not None:
                    built[wanted] = data
            if wanted in built:
                st.download_button(
                    f"Download {label}",
                    data=built[wanted],
                    file_name=file_name,
                    mime=mime,
                    icon="⬇️",
                    type="primary",
                    on_click="ignore",
                    key=f"download-{label}",
                    width="stretch",
                )
            st.caption(holds)


def _build(label: str, build) -> bytes | None:
    """Build a file with a progress bar; a failure is said on the page, with nothing downloaded."""
    bar = st.progress(0.0, text=f"Building the {label.lower()}…")
    try:
        data = build(lambda fraction, text: bar.progress(min(1.0, fraction), text=text))
    except Exception as error:  # any failure must reach the lead as a sentence, never as a click that does nothing
        log.exception("building %s failed", label)
        bar.empty()
        reason = plain(str(error) or type(error).__name__)
        st.error(f"The {plain(label.lower())} could not be built: {reason}. Nothing was downloaded.")
        return None
    bar.empty()
    return data


def workbook(store: Store, f: CompareFilter, scope: str, progress=None, key: str | None = None) -> bytes:
    """Every view's table for the selection, one sheet each, with a sheet that says what was selected; the card counts,
    statement answers, teams' analyses and moments of truth in the import format, so the workbook (edited or not) can be
    imported again. Internal moments only with the server's key."""
    tell = progress or (lambda fraction, text: None)
    tell(0.0, "Adding up the cards")
    cards, decks = store.card_totals(f)
    top = compare.top_cards(cards, decks)
    gap_cards, gap_sizes = store.perspective_gap(f)
    gap = compare.perspective_gap(
        gap_cards,
        gap_sizes.get(Perspective.USERS_WOULD_PICK.value, {}).get("ballots", 0),
        gap_sizes.get(Perspective.USERS_PICK.value, {}).get("ballots", 0),
    )
    detail_rows, analysis_rows = store.export_size(f), store.analysis_export_size(f)
    observed = store.observed_card_counts(f.organisations)
    moments, internal_left_out = store.moments_export_size(f.organisations, key)
    tell(0.3, "Reading statements and team analyses")
    sheets = {
        "About": _about(f, scope, decks, gap, detail_rows, analysis_rows, (moments, internal_left_out)),
        "Top cards": top.drop(columns=["card_id", "deck_id", "decks"], errors="ignore").rename(
            columns={
                "ballots": "participants",
                "share": "share of participants",
                "top3_teams": "teams with it in top 3",
                "teams": "team results",
            }
        ),
        "By team": _by_team(store, f, top),
        "Users vs IT": _three_sides(gap, observed),
        "Statements": _statements(store, f),
        "Severity": store.severity_by_heading(f, "team").drop(columns=["grp"]).rename(columns={"label": "team"}),
        "Risk decisions": store.risk_decisions_by_group(f, "team").drop(columns=["grp"]).rename(columns={"label": "team"}),
        "Actions": store.actions_by_group(f, "team").drop(columns=["grp"]).rename(columns={"label": "team"}),
    }
    if detail_rows <= EXCEL_DETAIL_ROWS:
        sheets["Card counts"] = store.export_rows(f)
        sheets["Statement answers"] = store.answer_rows(f)
    if analysis_rows <= EXCEL_DETAIL_ROWS:
        sheets["Team analyses"] = store.analysis_rows(f)
    if moments <= EXCEL_DETAIL_ROWS:
        sheets["Moments of truth"] = store.moments_for_export(f.organisations, key)[0]
    return excel_workbook(sheets, lambda fraction, text: tell(0.5 + 0.5 * fraction, text))


def _three_sides(gap: compare.Gap, observed: pd.DataFrame) -> pd.DataFrame:
    """The Users vs IT table with the third side, what we observed (compare.three_sides)."""
    sides = compare.three_sides(gap, observed).merge(
        gap.table.drop(columns=["title", "type"]), on="card_id", how="left", suffixes=("", "_gap")
    )
    return sides.reindex(
        columns=[
            "title",
            "type",
            "it_share",
            "users_share",
            "difference",
            "it_rank",
            "users_rank",
            "observed_moments",
            "observed_share",
        ]
    ).rename(
        columns={
            "it_share": "IT predicted (share)",
            "users_share": "users picked (share)",
            "observed_moments": "moments of truth",
            "observed_share": "we observed (share)",
        }
    )


def _about(
    f: CompareFilter,
    scope: str,
    decks: pd.DataFrame,
    gap: compare.Gap,
    detail_rows: int,
    analysis_rows: int,
    moments: tuple[int, int] = (0, 0),
) -> pd.DataFrame:
    facts = [
        ("Generated", datetime.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("Selection", scope),
        ("Participants' ballots", int(decks["ballots"].sum())),
        ("Ranked ballots (Borda points)", int(decks["ranked"].sum())),
        ("Counted rounds", "finished rounds only (closed or revealed)"),
        ("Share of participants", "picks / participants' ballots in rounds with the card's deck"),
        ("Teams' top 3", "team results (a team in a round) with the card among their three most picked, ties included"),
        ("Borda points", "ranked ballots only: a card ranked r in a round of n picks scores n + 1 - r"),
        ("Users vs IT", "organisations with both an 'Our users would pick this' and an 'As users, we see this in IT' round"),
        ("Rank agreement (Spearman)", None if gap.spearman is None else round(gap.spearman, 3)),
        ("Rank agreement (Kendall tau-b)", None if gap.kendall is None else round(gap.kendall, 3)),
        (
            "Card counts and Statement answers sheets",
            "included, in the import format"
            if detail_rows <= EXCEL_DETAIL_ROWS
            else f"left out: {detail_rows:,} rows; use the CSV downloads",
        ),
        (
            "Team analyses sheet",
            "included, in the import format"
            if analysis_rows <= EXCEL_DETAIL_ROWS
            else f"left out: {analysis_rows:,} rows; use the CSV download",
        ),
        (
            "What we observed (Users vs IT)",
            (
                "of the moments of truth of the selected organisations that point at a card, "
                "the share that points at each card (only the organisation filter applies)"
            ),
        ),
        (
            "Moments of truth sheet",
            (
                f"{moments[0]:,} moments, in the import format"
                if moments[0] <= EXCEL_DETAIL_ROWS
                else f"left out: {moments[0]:,} rows; use the CSV download"
            )
            + (f"; {moments[1]:,} internal left out (they need the server's key)" if moments[1] else ""),
        ),
    ]
    return pd.DataFrame(facts, columns=["what", "value"])


def _by_team(store: Store, f: CompareFilter, top: pd.DataFrame) -> pd.DataFrame:
    sizes = store.group_sizes(f, "team")
    picks = store.cards_by_group(f, "team", sizes["grp"].unique().tolist())
    if picks.empty:
        return pd.DataFrame(columns=["team", "card", "picks", "participants", "share"])
    ballots = sizes.groupby(["grp", "deck_id"])["ballots"].sum().rename("participants").reset_index()
    table = picks.merge(top[["card_id", "title", "deck_id"]], on="card_id").merge(ballots, on=["grp", "deck_id"])
    table["share"] = table["picks"] / table["participants"]
    table = table.merge(sizes.drop_duplicates("grp")[["grp", "label"]], on="grp")
    return table.rename(columns={"label": "team", "title": "card"})[
        ["team", "card", "picks", "participants", "share"]
    ].sort_values(["team", "share"], ascending=[True, False])


def _statements(store: Store, f: CompareFilter) -> pd.DataFrame:
    frames = []
    for statement in store.statement_choices(f)["statement"][:STATEMENTS_IN_WORKBOOK]:
        table = compare.agreement(store.statement_agreement(f, statement, "country"))
        frames.append(table.drop(columns=["grp"]).rename(columns={"label": "country"}).assign(statement=statement))
    if not frames:
        return pd.DataFrame(columns=["statement", "country", "answers"])
    table = pd.concat(frames, ignore_index=True)
    return table[["statement", *[c for c in table.columns if c != "statement"]]]
