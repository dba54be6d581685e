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

from abc_workshop import compare, i18n
from abc_workshop.domain import CompareFilter, Perspective
from abc_workshop.export import csv_bytes, excel_workbook
from abc_workshop.i18n import _, ngettext, pgettext
from abc_workshop.store import Store
from ui.text import plain

CSV_ROWS = 200_000
EXCEL_DETAIL_ROWS = 20_000
STATEMENTS_IN_WORKBOOK = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUILT = "built-compare-exports"  # (name, filter) -> bytes: a built file stays downloadable however often the page redraws
log = logging.getLogger(__name__)
# Each download by its English name, which its buttons' keys carry in every language (tests and bookmarks find them).
WORKBOOK = "Excel workbook (every chart's table)"
CARD_COUNTS = "Card counts (CSV)"
ANSWERS = "Statement answers (CSV)"
ANALYSES = "Teams' analyses (CSV)"
MOMENTS = "Moments of truth (CSV)"


def _wording(name: str) -> tuple[str, str, str, str]:
    """A download's build button, download button, progress text and failure ({reason}), in the run's language."""
    return {
        WORKBOOK: (
            _("Build Excel workbook (every chart's table)"),
            _("Download Excel workbook (every chart's table)"),
            _("Building the excel workbook (every chart's table)…"),
            _("The excel workbook (every chart's table) could not be built: {reason}. Nothing was downloaded."),
        ),
        CARD_COUNTS: (
            _("Build Card counts (CSV)"),
            _("Download Card counts (CSV)"),
            _("Building the card counts (csv)…"),
            _("The card counts (csv) could not be built: {reason}. Nothing was downloaded."),
        ),
        ANSWERS: (
            _("Build Statement answers (CSV)"),
            _("Download Statement answers (CSV)"),
            _("Building the statement answers (csv)…"),
            _("The statement answers (csv) could not be built: {reason}. Nothing was downloaded."),
        ),
        ANALYSES: (
            _("Build Teams' analyses (CSV)"),
            _("Download Teams' analyses (CSV)"),
            _("Building the teams' analyses (csv)…"),
            _("The teams' analyses (csv) could not be built: {reason}. Nothing was downloaded."),
        ),
        MOMENTS: (
            _("Build Moments of truth (CSV)"),
            _("Download Moments of truth (CSV)"),
            _("Building the moments of truth (csv)…"),
            _("The moments of truth (csv) could not be built: {reason}. Nothing was downloaded."),
        ),
    }[name]


def export_view(store: Store, f: CompareFilter, scope: str, key: str = "") -> None:
    rows, analyses = store.export_size(f), store.analysis_export_size(f)
    moments, internal_left_out = store.moments_export_size(f.organisations, key)
    today = datetime.date.today().isoformat()
    counted = ngettext(
        "{n} row of card counts and published ranks (one per round, team and card)",
        "{n} rows of card counts and published ranks (one per round, team and card)",
        rows,
    ).format(n=i18n.number(rows))
    analysed = ngettext(
        "{n} row of teams' analyses (one per heading and severity scored, per risk decision and per action)",
        "{n} rows of teams' analyses (one per heading and severity scored, per risk decision and per action)",
        analyses,
    ).format(n=i18n.number(analyses))
    observed = (
        ngettext(
            "{n} moment of truth of {organisations} (only the organisation filter applies to them)",
            "{n} moments of truth of {organisations} (only the organisation filter applies to them)",
            moments,
        )
        if f.organisations
        else ngettext(
            "{n} moment of truth of every organisation (only the organisation filter applies to them)",
            "{n} moments of truth of every organisation (only the organisation filter applies to them)",
            moments,
        )
    ).format(n=i18n.number(moments), organisations=plain(", ".join(f.organisations)))
    st.markdown(
        # Translators: {counted}, {analysed} and {observed} are "12 rows of card counts …", "6 rows of teams' analyses …"
        # and "2 moments of truth of …"
        _("**The selection:** {scope} — {counted} and {analysed}; {observed}.").format(
            scope=plain(scope), counted=counted, analysed=analysed, observed=observed
        )
    )
    if internal_left_out:
        st.info(
            (
                ngettext(
                    "{n} internal moment of truth is left out of the exports: a scout's internal notes leave only with this "
                    "server's facilitator key (ABC_FACILITATOR_KEY), which opens every organisation's programme.",
                    "{n} internal moments of truth are left out of the exports: a scout's internal notes leave only with this "
                    "server's facilitator key (ABC_FACILITATOR_KEY), which opens every organisation's programme.",
                    internal_left_out,
                )
                if store.server_key
                else ngettext(
                    "{n} internal moment of truth is left out of the exports: a scout's internal notes leave only with this "
                    "server's facilitator key (ABC_FACILITATOR_KEY), which opens every organisation's programme; this server "
                    "has none.",
                    "{n} internal moments of truth are left out of the exports: a scout's internal notes leave only with this "
                    "server's facilitator key (ABC_FACILITATOR_KEY), which opens every organisation's programme; this server "
                    "has none.",
                    internal_left_out,
                )
            ).format(n=i18n.number(internal_left_out)),
            icon="🔒",
        )
    too_many, too_many_analyses = rows > CSV_ROWS, analyses > CSV_ROWS
    too_many_rows = _("More than {n} rows: narrow the filters (one organisation, a year) to download.")
    downloads = [  # name, builder given a progress callback, file name, type, icon, disabled, what it holds
        (
            WORKBOOK,
            lambda tell: workbook(store, f, scope, tell, key),
            f"abc-compare-{today}.xlsx",
            XLSX,
            "📊",
            False,
            _(
                "Sheets: about, top cards, by team, users vs IT, statements, impact; the card counts, statement answers, "
                "teams' analyses and moments of truth too (up to {n} rows each), which the Import tab takes back as they are."
            ).format(n=i18n.number(EXCEL_DETAIL_ROWS)),
        ),
        (
            CARD_COUNTS,
            lambda tell: csv_bytes(store.export_rows(f)),
            f"abc-card-counts-{today}.csv",
            "text/csv",
            "🗂️",
            too_many or not rows,
            too_many_rows.format(n=i18n.number(CSV_ROWS))
            if too_many
            else _(
                "In the import format (counts, Borda points, ranked ballots, published ranks): another server imports it "
                "as it is."
            ),
        ),
        (
            ANSWERS,
            lambda tell: csv_bytes(store.answer_rows(f)),
            f"abc-statement-answers-{today}.csv",
            "text/csv",
            "💬",
            False,
            _("Answers per statement, team and answer, in the import format for answers."),
        ),
        (
            ANALYSES,
            lambda tell: csv_bytes(store.analysis_rows(f)),
            f"abc-team-analyses-{today}.csv",
            "text/csv",
            "🧭",
            too_many_analyses or not analyses,
            _("More than {n} rows: narrow the filters to download.").format(n=i18n.number(CSV_ROWS))
            if too_many_analyses
            else _(
                "What the Impact view counts (severity scores, risk decisions, actions), in the import format for "
                "analyses; import it with the card counts, or after them."
            ),
        ),
        (
            MOMENTS,
            lambda tell: csv_bytes(store.moments_for_export(f.organisations, key)[0]),
            f"abc-moments-of-truth-{today}.csv",
            "text/csv",
            "🔭",
            not moments,
            _("No moment of truth of the selected organisations (only the organisation filter applies).")
            if not moments
            else _(
                "What scouts and the feedback channel recorded, one line per moment with its cards' ids, in the import "
                "format for moments of truth: another server's programme takes it as it is."
            ),
        ),
    ]
    built = st.session_state.setdefault(BUILT, {})
    for column, (name, build, file_name, mime, icon, disabled, holds) in zip(st.columns(len(downloads)), downloads):
        build_label, download_label, _building, _failed = _wording(name)
        with column:
            wanted = (name, f)
            if st.button(build_label, key=f"build-{name}", icon=icon, disabled=disabled, width="stretch"):
                data = _build(name, build)
                if data is not None:
                    built[wanted] = data
            if wanted in built:
                st.download_button(
                    download_label,
                    data=built[wanted],
                    file_name=file_name,
                    mime=mime,
                    icon="⬇️",
                    type="primary",
                    on_click="ignore",
                    key=f"download-{name}",
                    width="stretch",
                )
            st.caption(holds)


def _build(name: str, build) -> bytes | None:
    """Build a file with a progress bar; a failure is said on the page, with nothing downloaded."""
    _build_label, _download_label, building, failed = _wording(name)
    bar = st.progress(0.0, text=building)
    try:
        data = build(lambda fraction, text: bar.progress(min(1.0, fraction), text=text))
    except Exception as error:  # any failure must reach the lead as a sentence, never as a click that does nothing
        log.exception("building %s failed", name)  # not translated: a log line for the server
        bar.empty()
        st.error(failed.format(reason=plain(str(error) or type(error).__name__)))
        return None
    bar.empty()
    return data


def workbook(store: Store, f: CompareFilter, scope: str, progress=None, key: str | None = None) -> bytes:
    """Every view's table for the selection, one sheet each, with a sheet that says what was selected; the card counts,
    statement answers, teams' analyses and moments of truth in the import format, so the workbook (edited or not) can be
    imported again. Internal moments only with the server's key."""
    tell = progress or (lambda fraction, text: None)
    tell(0.0, _("Adding up the cards"))
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
    tell(0.3, _("Reading statements and team analyses"))
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
    headers = _headers()
    shown = {
        _sheet_name(name): frame if name in IMPORT_FORMAT else frame.rename(columns=lambda c: headers.get(c, c))
        for name, frame in sheets.items()
    }
    return excel_workbook(shown, lambda fraction, text: tell(0.5 + 0.5 * fraction, text))


# The sheets the Import tab takes back: their headers are the import format's, in English in every language.
IMPORT_FORMAT = {"Card counts", "Statement answers", "Team analyses", "Moments of truth"}  # not translated: import format


def _sheet_name(name: str) -> str:
    """A sheet's name in the run's language (the importer reads sheets by their headers, never by their names); a name
    the page also shows (a view, a template) is the same message as there."""
    return {
        # Translators: names of the compare workbook's sheets: at most 31 characters, none of [ ] : * ? / \
        "About": pgettext("workbook sheet", "About"),
        "Top cards": _("Top cards"),
        "By team": pgettext("workbook sheet", "By team"),
        "Users vs IT": _("Users vs IT"),
        "Statements": _("Statements"),
        "Severity": pgettext("workbook sheet", "Severity"),
        "Risk decisions": pgettext("workbook sheet", "Risk decisions"),
        "Actions": pgettext("workbook sheet", "Actions"),
        "Card counts": pgettext("workbook sheet", "Card counts"),
        "Statement answers": _("Statement answers"),
        "Team analyses": pgettext("workbook sheet", "Team analyses"),
        "Moments of truth": _("Moments of truth"),
    }[name]


def _headers() -> dict[str, str]:
    """The column headers of the sheets people read (not the import format's), in the run's language; a header the
    page's tables also show is the same message as there."""
    words = [
        # Translators: column headers of the compare workbook's sheets; snake_case ones name a number, e.g. it_rank is
        # the card's rank on IT's side, mean_score the mean severity score
        ("what", pgettext("workbook column", "what")),
        ("value", pgettext("workbook column", "value")),
        ("rank", _("rank")),
        ("key", pgettext("workbook column", "key")),
        ("title", _("title")),
        ("type", _("type")),
        ("picks", _("picks")),
        ("participants", pgettext("workbook column", "participants")),
        ("share of participants", pgettext("workbook column", "share of participants")),
        ("borda", pgettext("workbook column", "borda")),
        ("teams with it in top 3", _("teams with it in top 3")),
        ("team results", _("team results")),
        ("team", pgettext("workbook column", "team")),
        ("card", _("card")),
        ("share", _("share")),
        ("IT predicted (share)", pgettext("workbook column", "IT predicted (share)")),
        ("users picked (share)", pgettext("workbook column", "users picked (share)")),
        ("difference", pgettext("workbook column", "difference")),
        ("it_rank", pgettext("workbook column", "it_rank")),
        ("users_rank", pgettext("workbook column", "users_rank")),
        ("moments of truth", _("moments of truth")),
        ("we observed (share)", pgettext("workbook column", "we observed (share)")),
        ("statement", pgettext("workbook column", "statement")),
        ("country", pgettext("workbook column", "country")),
        ("answers", pgettext("workbook column", "answers")),
        ("Disagree", pgettext("answers grouped", "Disagree")),
        ("Partly", pgettext("answers grouped", "Partly")),
        ("Agree", pgettext("answers grouped", "Agree")),
        ("Disagree share", pgettext("workbook column", "Disagree share")),
        ("Partly share", pgettext("workbook column", "Partly share")),
        ("Agree share", pgettext("workbook column", "Agree share")),
        ("heading", pgettext("workbook column", "heading")),
        ("mean_score", pgettext("workbook column", "mean_score")),
        ("scores", pgettext("workbook column", "scores")),
        ("topics", pgettext("workbook column", "topics")),
        ("severe", pgettext("workbook column", "severe")),
        ("decision", pgettext("workbook column", "decision")),
        ("status", pgettext("workbook column", "status")),
        ("actions", pgettext("workbook column", "actions")),
        ("overdue", pgettext("workbook column", "overdue")),
    ]
    return dict(words)


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
    included = _("included, in the import format")
    facts = [
        # Translators: the About sheet of the compare workbook: what the selection holds and how it was counted
        (_("Generated"), datetime.datetime.now().strftime("%Y-%m-%d %H:%M")),
        (_("Selection"), scope),
        (_("Participants' ballots"), int(decks["ballots"].sum())),
        (_("Ranked ballots (Borda points)"), int(decks["ranked"].sum())),
        (_("Counted rounds"), _("finished rounds only (closed or revealed)")),
        (_("Share of participants"), _("picks / participants' ballots in rounds with the card's deck")),
        (
            _("Teams' top 3"),
            _("team results (a team in a round) with the card among their three most picked, ties included"),
        ),
        (_("Borda points"), _("ranked ballots only: a card ranked r in a round of n picks scores n + 1 - r")),
        (
            _("Users vs IT"),
            _("organisations with both an 'Our users would pick this' and an 'As users, we see this in IT' round"),
        ),
        (_("Rank agreement (Spearman)"), None if gap.spearman is None else round(gap.spearman, 3)),
        (_("Rank agreement (Kendall tau-b)"), None if gap.kendall is None else round(gap.kendall, 3)),
        (
            _("Card counts and Statement answers sheets"),
            included
            if detail_rows <= EXCEL_DETAIL_ROWS
            else _("left out: {n} rows; use the CSV downloads").format(n=i18n.number(detail_rows)),
        ),
        (
            _("Team analyses sheet"),
            included
            if analysis_rows <= EXCEL_DETAIL_ROWS
            else _("left out: {n} rows; use the CSV download").format(n=i18n.number(analysis_rows)),
        ),
        (
            _("What we observed (Users vs IT)"),
            _(
                "of the moments of truth of the selected organisations that point at a card, the share that points at "
                "each card (only the organisation filter applies)"
            ),
        ),
        (_("Moments of truth sheet"), _moments_fact(*moments)),
    ]
    return pd.DataFrame(facts, columns=["what", "value"])


def _moments_fact(moments: int, internal_left_out: int) -> str:
    """'12 moments, in the import format; 1 internal left out (they need the server's key)'."""
    fact = (
        ngettext("{n} moment, in the import format", "{n} moments, in the import format", moments)
        if moments <= EXCEL_DETAIL_ROWS
        else _("left out: {n} rows; use the CSV download")
    ).format(n=i18n.number(moments))
    if internal_left_out:
        fact += "; " + _("{n} internal left out (they need the server's key)").format(n=i18n.number(internal_left_out))
    return fact


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
