"""The compare page in AppTest: the numbers behind it, its filters, every view, access, import and export."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from abc_workshop.domain import CompareFilter
from tests.core.lead_history import lead_history
from tests.pages.conftest import COMPARE_VIEWS, open_page, texts
from ui.compare_export import workbook

VIEWS = COMPARE_VIEWS
PICKS = (
    b"organisation,workshop,date,country,team,perspective,participant,card\n"
    b"Delta Air,Paper,2021-04-04,Denmark,Crew,recognise,P1,abc-09\nDelta Air,Paper,2021-04-04,Denmark,Crew,recognise,P2,abc-09\n"
)


@pytest.fixture
def history(app_store):
    return lead_history(app_store)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def view(at, name: str):
    at.session_state["view"] = name
    return at.run()


def chart_text(at) -> str:
    return "\n".join(chart.proto.spec for chart in at.get("plotly_chart"))


def test_the_page_opens_on_recognised_cards_with_what_lies_behind_them(history):
    at = open_page("pages/compare.py")
    assert not at.exception
    assert metrics(at) == {"Ballots": "10", "Workshops": "2", "Rounds": "2", "Organisations": "2", "Countries": "2"}
    spec = chart_text(at)
    assert "Blame culture" in spec and "60%" in spec and "10 participants" in spec
    assert "are not shown: live rounds record picks without an order" in texts(at), (
        "no ranked ballots: the UI says so instead of inventing points"
    )


def test_filters_narrow_every_number(history):
    at = open_page("pages/compare.py")
    at.multiselect(key="org").set_value(["Acme IT"]).run()
    assert metrics(at)["Ballots"] == "7" and metrics(at)["Organisations"] == "1"
    assert at.multiselect(key="workshop").options == ["2023-03-01 · Acme IT · W1"], "few workshops: they can be picked"
    at.multiselect(key="team").set_value(["Ops"]).run()
    assert metrics(at)["Ballots"] == "2"
    assert "Only 2 participants' ballots" in texts(at), "a small group is flagged, not shown as confident percentages"
    at.multiselect(key="org").set_value([]).run()
    at.multiselect(key="team").set_value([]).run()
    at.multiselect(key="perspective").set_value([]).run()
    assert metrics(at)["Ballots"] == "20" and metrics(at)["Workshops"] == "3"
    assert "Several perspectives are counted together" in texts(at)
    at.date_input(key="dates").set_value((datetime.date(2024, 1, 1), datetime.date(2024, 6, 1))).run()
    assert metrics(at)["Workshops"] == "1"
    at.pills(key="type").set_value(["A"]).run()
    assert "Not my responsibility" in chart_text(at) and "Blame culture" not in chart_text(at)


def test_a_selection_without_data_says_so(history):
    at = open_page("pages/compare.py")
    at.multiselect(key="country").set_value(["Belgium"]).run()
    at.multiselect(key="perspective").set_value(["resistance"]).run()
    assert metrics(at)["Ballots"] == "0"
    assert "No finished round matches these filters" in texts(at)
    for name in ("Users vs IT", "Impact", "Statements"):
        assert not view(at, name).exception and at.info, name


def test_every_view_draws_without_errors(history):
    at = open_page("pages/compare.py")
    expected_charts = {
        "Top cards": 1,
        "Heatmap": 1,
        "A/B/C profile": 1,
        "Users vs IT": 1,
        "Trend": 1,
        "Impact": 0,
        "Statements": 0,
    }
    for name in VIEWS:
        view(at, name)
        assert not at.exception, name
        if name in expected_charts:
            assert len(at.get("plotly_chart")) == expected_charts[name], name
    view(at, "Users vs IT")
    assert "Spearman ρ = 0.10" in chart_text(at) and "IT over-estimated" in texts(at)
    view(at, "Heatmap")
    at.segmented_control(key="heat-by").set_value("country").run()
    assert "Netherlands" in chart_text(at) and "Belgium" in chart_text(at)
    view(at, "Export")
    assert [b.label for b in at.button][-5:] == [
        "Build Excel workbook (every chart's table)",
        "Build Card counts (CSV)",
        "Build Statement answers (CSV)",
        "Build Teams' analyses (CSV)",
        "Build Moments of truth (CSV)",
    ]
    assert at.button(key="build-Teams' analyses (CSV)").disabled, "no team has analysed a card here: nothing to build"
    assert at.button(key="build-Moments of truth (CSV)").disabled, "no scout has recorded a moment here: nothing to build"
    at.button(key="build-Excel workbook (every chart's table)").click().run()
    assert not at.exception and [b.proto.label for b in at.get("download_button")] == [
        "Download Excel workbook (every chart's table)"
    ], "a file is built on request and then offered"


def test_the_workbook_holds_every_views_table_for_the_selection(history):
    data = workbook(history.store, CompareFilter(perspectives=("recognise",), organisations=("Acme IT",)), "Acme IT")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "About",
        "Top cards",
        "By team",
        "Users vs IT",
        "Statements",
        "Severity",
        "Risk decisions",
        "Actions",
        "Card counts",
        "Statement answers",
        "Team analyses",
        "Moments of truth",
    ]
    top = list(book["Top cards"].iter_rows(values_only=True))
    assert top[0][:5] == ("rank", "key", "title", "type", "picks")
    assert [(row[0], row[1], row[4]) for row in top[1:3]] == [(1, "abc-02", 4), (1, "abc-01", 4)], "a tie shares the rank"
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Selection"] == "Acme IT" and about["Participants' ballots"] == 7
    assert book["Card counts"].max_row == 1 + 5 + 3, "a row per team and card picked: Desk 5, Ops 3"


def test_with_a_server_key_the_page_asks_for_it(history, monkeypatch):
    monkeypatch.setenv("ABC_FACILITATOR_KEY", "LEAD-KEY")
    at = open_page("pages/compare.py")
    assert not at.metric and "needs this server's facilitator key" in texts(at)
    at.text_input[0].input("nope")
    at.button[0].click().run()
    assert "not this server's facilitator key" in texts(at) and not at.metric
    at.text_input[0].input("LEAD-KEY")
    at.button[0].click().run()
    assert metrics(at)["Ballots"] == "10"


def test_importing_a_file_reports_bad_lines_then_imports_and_undoes(app_store):
    at = view(open_page("pages/compare.py"), "Import")
    assert at.file_uploader[0].proto.max_upload_size_mb == 20, "the uploader says the import's own limit, not 200MB"
    assert [b.proto.label for b in at.get("download_button")] == [
        "Template: Card picks per participant",
        "Template: Card counts per team",
        "Template: Published ranking",
        "Template: Statement answers",
        "Template: Teams' analyses",
        "Template: Moments of truth",
    ]
    bad = PICKS.replace(b"2021-04-04,Denmark,Crew,recognise,P2", b"2021-13-04,Denmark,Crew,recognise,P2")
    at.file_uploader[0].upload("bad.csv", bad, "text/csv")
    at.button(key="FormSubmitter:import-results-Check and import").click().run()
    assert "the file has 1 problem" in texts(at)
    assert at.dataframe[0].value.values.tolist() == [
        [
            "3",
            (
                "date is '2021-13-04', which is not a day of the calendar; write it as 2012, 2012-09, 2012-09-30, 30.09.2012 "
                "or 30/09/2012."
            ),
        ]
    ]
    assert app_store.imports() == []
    at.file_uploader[0].upload("good.csv", PICKS, "text/csv")
    at.button(key="FormSubmitter:import-results-Check and import").click().run()
    assert "Import #1 from good.csv: 1 workshop, 1 round, 2 participants' ballots, 2 picks." in texts(at)
    assert metrics(at)["Countries"] == "0", "the metrics above were drawn before the import"
    at.run()
    assert metrics(at)["Countries"] == "1"
    at.button(key="undo-1").click().run()
    assert app_store.imports()[0].undone_at and metrics(at)["Ballots"] == "0"


def test_an_import_being_undone_says_so_and_offers_no_second_undo(app_store):
    record = app_store.import_results("good.csv", PICKS)
    with app_store._write() as db:  # as another process's undo leaves it between two of its slices
        db.execute("UPDATE imports SET undoing = 1 WHERE id = ?", (record.id,))
    at = view(open_page("pages/compare.py"), "Import")
    assert "being undone now: its results no longer count" in texts(at)
    assert not [b for b in at.button if b.key == f"undo-{record.id}"]
    assert metrics(at)["Ballots"] == "0", "its results are gone from the page already"


COUNTS = (
    b"organisation,workshop,date,team,perspective,card,picks,participants,pick_limit\n"
    b"Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,3,4,3\n"
    b"Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-03,4,4,3\n"
)
ANALYSES = (
    b"organisation,workshop,date,team,perspective,card,heading,severity,scores,decision,action,owner,due,status\n"
    b"Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-02,value,5,2,no,Blameless reviews,Ann,2020-03-01,open\n"
    b"Beta Bank,Old session,2020-02-02,Desk,users_pick,abc-03,risks,3,4,yes,Name an owner,Bob,,done\n"
)


def test_analyses_from_a_second_file_show_on_impact_export_and_leave_before_the_counts(app_store):
    at = view(open_page("pages/compare.py"), "Import")
    for name, data in (("counts.csv", COUNTS), ("analyses.csv", ANALYSES)):
        at.file_uploader[0].upload(name, data, "text/csv")
        at.button(key="FormSubmitter:import-results-Check and import").click().run()
    assert (
        "Import #2 from analyses.csv: added to 1 workshop of an earlier import: analyses of 2 cards (6 severity scores, "
        "2 risk decisions, 2 actions)." in texts(at)
    )
    at.multiselect(key="perspective").set_value(["users_pick"]).run()
    at = view(at, "Impact")
    assert not at.exception and len(at.get("plotly_chart")) == 3, "severity, risk decisions and actions"
    spec = chart_text(at)
    assert "2 top cards judged" in spec and "2 actions · 1 open past their due date" in spec
    at = view(at, "Export")
    assert "and 6 rows of teams' analyses" in texts(at)
    at.button(key="build-Teams' analyses (CSV)").click().run()
    assert [b.proto.label for b in at.get("download_button")] == ["Download Teams' analyses (CSV)"]
    at = view(at, "Import")
    at.button(key="undo-1").click().run()
    assert "Import #2 added to the workshops of import #1; undo it first, then this one." in texts(at)
    assert not any(record.undone_at for record in app_store.imports())
    at.button(key="undo-2").click().run()
    at.button(key="undo-1").click().run()
    assert all(record.undone_at for record in app_store.imports())


RANKS = (
    "organisation,workshop,date,perspective,rank,card\n"
    "itSMF,Survey 2011,2011,resistance,1,Not my responsibility\n"
    "itSMF,Survey 2011,2011,resistance,2,Everything has the highest priority….according to the users\n"
    "itSMF,Survey 2011,2011,resistance,3,No respect for or understanding of users\n"
    "itSMF,Survey 2012,2012,resistance,1,No respect for or understanding of users\n"
    "itSMF,Survey 2012,2012,resistance,2,Not my responsibility\n"
    "itSMF,Survey 2012,2012,resistance,3,Throwing ITIL solutions over the wall\n"
).encode()


def test_a_ranks_only_file_asks_once_per_title_then_shows_ranks_never_percentages(app_store):
    at = view(open_page("pages/compare.py"), "Import")
    at.file_uploader[0].upload("published.csv", RANKS, "text/csv")
    at.button(key="FormSubmitter:import-results-Check and import").click().run()
    assert not at.exception and app_store.imports() == []
    questions = [box for box in at.selectbox if box.key.startswith("decide-")]
    assert [box.label for box in questions] == [
        "“No respect for or understanding of users” (lines 4–5) means",
        "“Throwing ITIL solutions over the wall” (line 7) means",
    ], "one decision per distinct title, with the lines it covers"
    assert [box.value for box in questions] == [22, 13], "the nearest card is offered first"
    at.button(key="FormSubmitter:import-decisions-Confirm 2 mappings and import").click().run()
    assert "Import #1 from published.csv: 2 workshops, 2 rounds, 2 published rankings." in texts(at)
    at.multiselect(key="perspective").set_value(["resistance"]).run()
    at = view(at, "Top cards")
    spec = chart_text(at)
    assert "Published rankings" in spec and "%" not in spec.split("Published rankings", 1)[1].split("ticksuffix")[0]
    assert "Not my responsibility" in spec and "IT has no respect for or" in spec, "titles of the deck, matched"
    for name in ("Heatmap", "A/B/C profile"):
        at = view(at, name)
        assert not at.get("plotly_chart") and "Only published rankings match these filters" in texts(at), name
    at = view(at, "Trend")
    assert at.radio(key="trend-measure-1").options == ["rank"], "ranks only: no share to show"
    caption = texts(at)
    assert "IT has no respect for or understanding of customers and users: #3 published (2011) → #1 published (2012)" in caption
    assert "2011" in chart_text(at) and "2011-12-31" not in chart_text(at)


def test_the_decks_page_lists_ids_and_saves_a_correspondence(app_store):
    workshop, key = app_store.create_workshop("Pilot", "Acme IT")
    old = app_store.import_deck(
        workshop.id,
        key,
        "Old edition",
        "old.csv",
        b"id,type,theme,title,description,counts_as\nold-1,C,Culture,Blaming,Old card,abc-02\nold-2,A,Self,Mine,Old card,\n",
    )
    at = open_page("pages/decks.py")
    assert not at.exception
    assert at.dataframe[0].value["id"].tolist()[:2] == ["abc-01", "abc-02"], "the default deck's ids"
    at.selectbox(key="deck-shown").set_value(old.id).run()
    table = at.dataframe[0].value
    assert table["counts as"].tolist() == ["abc-02 · Blame culture", ""], "the deck file's counts_as column, shown"
    second = app_store.cards(old.id)[1].id
    at.selectbox(key=f"same-as-{old.id}-{second}").set_value(app_store.cards(1)[5].id)
    at.button(key=f"FormSubmitter:correspondences-{old.id}-Save correspondences").click().run()
    assert not at.exception
    assert app_store.card_correspondences()["same_as_key"].tolist() == ["abc-02", "abc-06"]


def test_a_workbook_that_cannot_be_built_is_said_on_the_page(history, monkeypatch):
    import ui.compare_export

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ui.compare_export, "excel_workbook", broken)
    at = view(open_page("pages/compare.py"), "Export")
    at.button(key="build-Excel workbook (every chart's table)").click().run()
    assert not at.exception
    assert "The excel workbook (every chart's table) could not be built: disk full. Nothing was downloaded." in texts(at)
    assert not at.get("download_button")


def test_charts_draw_nothing_without_data_behind_it(app_store):
    app_store.import_results(
        "no-teams.csv",
        b"organisation,workshop,date,perspective,card,picks,participants\n"
        b"Solo,Paper,2012,recognise,abc-02,3,12\nSolo,Paper,2012,recognise,abc-06,2,12\n",
    )
    at = open_page("pages/compare.py")
    spec = chart_text(at)
    assert "Teams with it in their top 3" not in spec and "Borda points" not in spec, "no teams, no ranks: no empty panels"
    assert "Top cards, by 2 scoring rules" in spec
    assert "no result here comes from a team" in texts(at)
    at = view(at, "Trend")
    assert "hollow" not in chart_text(at), "no point is hollow, so no note about hollow points"
    assert "Solo over time: the share of participants who picked Blame culture, Not my responsibility" in chart_text(at)
    assert "Blame culture: 25% (2012) only" in texts(at), "one point: said once, not as a change"
