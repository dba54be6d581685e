"""Files as people save them and titles as people copy them: every normalisation and file variant, the questions
an import asks (once per title, once for the date order), remembered decisions, ranks-only data through every view,
dates at their own precision, and one message per cause."""

from __future__ import annotations

import pytest

from abc_workshop import compare
from abc_workshop.dates import label_at_precision, middle, parse_date
from abc_workshop.domain import CompareFilter
from abc_workshop.import_batch import Decisions, ImportFileError
from abc_workshop.titles import title_key

HEADER = "organisation,workshop,date,perspective,rank,card\n"
# Published wordings of cards of the shipped deck, as copied from web pages and slides (public ABC card titles).
AUTOMATIC = [
    ("Everything has the highest priority….according to the users", "abc-01"),
    ("Everything has the highest priority according to the users", "abc-01"),
    ("Plan, Do, Stop….no real continual improvement culture", "abc-08"),
    ("The solution the customer sees isn’t the one that IT sees", "abc-10"),
    ("IT thinks it doesn’t need to understand the business to make a business case", "abc-11"),
    ("Throwing ITIL Solutions over the wall and HOPING people will follow them", "abc-13"),
    ("Throwing ITIL solutions (IT) over the wall and HOPING people will follow them", "abc-13"),
    ("Saying ‘Yes’ but meaning ‘No’", "abc-17"),
    ("ITIL is THE goal – not what you DO with it", "abc-19"),
    ("Too little business involvement in requirements specification and testing", "abc-07"),
    ("  blame   CULTURE ", "abc-02"),
    ("9-to-5 culture", "abc-04"),
    ("Neither partner makes an effort to understand the other (Business & IT)", "abc-09"),
    ("'I’ll get back to you shortly'… and nobody ever does", "abc-38"),
]
ASKED = [  # shortened or reworded: the nearest card is offered first
    ("Plan, Do, Stop… No continual improvement focus", "abc-08"),
    ("Lack of Management Commitment", "abc-16"),
    ("Unable to specify the VALUE for the business", "abc-20"),
    ("IT is unable to specify the Value required by the business", "abc-20"),
    ("No respect for or understanding of users", "abc-22"),
    ("ITIL is the goal, not what it should achieve", "abc-19"),
    ("superiority complex", "abc-25"),
]


def ranking(titles: list[str], *, organisation: str = "itSMF", date: str = "2012") -> str:
    return HEADER + "".join(f'{organisation},Top 10,{date},resistance,{n},"{t}"\n' for n, t in enumerate(titles, start=1))


def keys(store) -> dict[int, str]:
    return {c.id: c.key for c in store.cards(store.decks()[0].id)}


def asked(store, text: str, **options) -> ImportFileError:
    with pytest.raises(ImportFileError) as refusal:
        store.import_results("published.csv", text.encode("utf-8"), **options)
    return refusal.value


@pytest.mark.parametrize("title, key", AUTOMATIC)
def test_typography_does_not_make_another_card(store, title, key):
    store.import_results("published.csv", ranking([title]).encode("utf-8"))
    assert store.published_rankings(CompareFilter())["key"].tolist() == [key]


def test_titles_that_still_do_not_match_are_asked_once_each_with_the_nearest_card_first(store):
    text = ranking([title for title, _ in ASKED] + [ASKED[0][0].upper()], date="2013")
    refusal = asked(store, text)
    assert refusal.causes == [] and store.imports() == []
    questions = refusal.questions.unmatched
    assert [q.title for q in questions] == [title for title, _ in ASKED], "one question per distinct title"
    assert questions[0].lines == [2, 9], "a title repeated in another case is the same question"
    assert [keys(store)[q.suggestions[0]] for q in questions] == [key for _, key in ASKED]
    assert "needs your decision on 7 card title(s)" in str(refusal)


def test_a_confirmed_mapping_is_remembered_for_the_next_file_from_the_same_source(store):
    first = ranking(["No respect for or understanding of users", "Blame culture", "A card of another deck"], date="2011")
    questions = asked(store, first).questions.unmatched
    decisions = Decisions(
        cards={
            (questions[0].deck_id, questions[0].key): questions[0].suggestions[0],
            (questions[1].deck_id, questions[1].key): None,
        }
    )
    record = store.import_results("published.csv", first.encode("utf-8"), decisions=decisions)
    assert record.summary == "1 workshop, 1 round, 1 published ranking"
    assert store.published_rankings(CompareFilter())[["key", "rank"]].values.tolist() == [["abc-22", 1], ["abc-02", 2]], (
        "the line left out keeps the other ranks as published"
    )
    store.import_results("next.csv", ranking(["No respect for or understanding of users"], date="2012").encode("utf-8"))
    other_source = asked(store, ranking(["No respect for or understanding of users"], organisation="Other", date="2012"))
    assert len(other_source.questions.unmatched) == 1, "another source's file is asked again"


def test_ranks_only_data_is_shown_as_ranks_in_every_view_and_never_as_counts(store):
    store.import_results("2011.csv", ranking(["Blame culture", "Not my responsibility", "IT hero"], date="2011").encode("utf-8"))
    store.import_results("2012.csv", ranking(["IT hero", "Blame culture"], date="2012-09").encode("utf-8"))
    everything = CompareFilter(perspectives=("resistance",))
    cards, decks = store.card_totals(everything)
    assert cards.empty and decks.empty, "no counts were published, so none are invented"
    assert store.compare_overview(everything)["ballots"] == 0
    for by in ("team", "workshop", "organisation", "country"):
        assert store.group_sizes(everything, by).empty
    published = store.published_rankings(everything)
    assert published[["held_on", "precision", "key", "rank"]].values.tolist() == [
        ["2011-01-01", "year", "abc-02", 1],
        ["2011-01-01", "year", "abc-06", 2],
        ["2011-01-01", "year", "abc-26", 3],
        ["2012-09-01", "month", "abc-26", 1],
        ["2012-09-01", "month", "abc-02", 2],
    ]
    counted = store.card_trend(everything, "itSMF", list(published["card_id"].unique()))
    assert counted.empty
    hero = published[published["key"] == "abc-26"]
    points = compare.trend_points(counted, hero, "rank", "workshop")
    assert points[["x", "tick", "value"]].values.tolist() == [["2011-07-02", "2011", 3], ["2012-09-15", "Sep 2012", 1]], (
        "each point at its own precision: mid-2011 labelled 2011, mid-September labelled Sep 2012"
    )
    assert compare.trend_points(counted, hero, "share", "workshop").empty, "ranks never become shares"
    exported = store.export_rows(everything)
    assert exported["date"].tolist()[:1] == ["2011"] and exported["picks"].isna().all()


def test_dates_keep_their_precision_and_slash_dates_are_asked_about_when_they_read_both_ways():
    assert [parse_date(raw).precision for raw in ("2012", "2012-09", "09/2012", "30.09.2012", "30/09/2012")] == [
        "year",
        "month",
        "month",
        "day",
        "day",
    ]
    assert parse_date("30.09.2012") == parse_date("2012-09-30") == parse_date("30/09/2012")
    assert label_at_precision("2012-01-01", "year") == "2012" and middle("2011-01-01", "year") == "2011-07-02"
    with pytest.raises(ValueError, match="date is '31.02.2012', which is not a day of the calendar"):
        parse_date("31.02.2012")


def test_an_ambiguous_date_order_is_asked_and_a_contradictory_one_refused(store):
    text = ranking(["Blame culture"], date="03/04/2012")
    refusal = asked(store, text)
    assert refusal.questions.ambiguous_dates == ["03/04/2012"]
    store.import_results("us.csv", text.encode("utf-8"), decisions=Decisions(day_first=False))
    assert store._value("SELECT held_on FROM workshops") == "2012-03-04"
    both = ranking(["Blame culture"], date="13/04/2012") + "itSMF,Other,04/13/2012,resistance,1,IT hero\n"
    assert asked(store, both).problems[-1:] == [
        (
            "The dates disagree: '13/04/2012' reads day first, '04/13/2012' month first. "
            "Write every date the same way, best as YYYY-MM-DD."
        )
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.encode("cp1252"),
        lambda t: t.replace(",", ";").encode("cp1252"),
        lambda t: t.replace(",", "\t").encode("utf-16"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16be-bom", "utf16le-no-bom", "cp1252", "semicolon-cp1252", "tab-utf16", "crlf"],
)
def test_every_way_a_spreadsheet_saves_csv_reads_the_same(store, encode):
    text = ranking(["Everything has the highest priority…according to the users", "Café culture’s cost"], date="30.09.2012")
    with pytest.raises(ImportFileError) as waiting:
        store.import_results("saved.csv", encode(text))
    unmatched = waiting.value.questions.unmatched
    assert waiting.value.causes == [] and [u.title for u in unmatched] == ["Café culture’s cost"]
    decided = Decisions(cards={(unmatched[0].deck_id, unmatched[0].key): None})
    store.import_results("saved.csv", encode(text), decisions=decided)
    assert store.published_rankings(CompareFilter())[["held_on", "key"]].values.tolist() == [["2012-09-30", "abc-01"]]


def test_one_message_per_cause_with_every_line_it_affects(store):
    lines = "".join(f"Acme,W,2012-13-01,resistance,{n},abc-{n:02d}\n" for n in range(1, 61))
    refusal = asked(store, HEADER + lines + "Acme,W,2012-13-01,resistance,x,abc-02\n")
    assert refusal.problems == [
        (
            "Lines 2–62 (61 lines): date is '2012-13-01', which is not a day of the calendar; write it as 2012, 2012-09, "
            "2012-09-30, 30.09.2012 or 30/09/2012."
        )
    ]


def test_long_imports_report_progress(store):
    seen = []
    text = HEADER + "".join(f"Org {n},W,2012,resistance,1,abc-02\n" for n in range(12_000))
    store.import_results("big.csv", text.encode("utf-8"), progress=lambda fraction, what: seen.append((fraction, what)))
    assert len(seen) >= 4 and seen == sorted(seen, key=lambda s: s[0]) and seen[-1][0] < 1.01
    assert any("Checked 10,000 of 12,000 rows" == what for _, what in seen) and any("Storing" in what for _, what in seen)
    steps = []
    store.undo_import(store.imports()[0].id, progress=lambda fraction, what: steps.append(what))
    assert steps[0] == "Removing what the import brought: part 1 of 26" and len(steps) == 26


def test_title_keys_fold_typography_only():
    assert title_key("It’s a user error…") == title_key("its a user error") == "its a user error"
    assert title_key("Blame culture") != title_key("Blame cultures")


def test_another_decks_cards_count_with_the_default_cards_they_correspond_to(store):
    workshop, key = store.create_workshop("Deck loader", "Nobody")
    old = store.import_deck(
        workshop.id,
        key,
        "Old edition",
        "old.csv",
        b"id,type,theme,title,description,counts_as\n"
        b"o-1,C,Culture,Blaming,Old card,Blame culture\no-2,A,Attitude,Only here,Old card,\n",
    )
    store.import_results(
        "counts.csv",
        (
            b"organisation,workshop,date,deck,card,perspective,picks,participants\n"
            b"Acme,Old,2010,Old edition,o-1,recognise,3,4\nAcme,Old,2010,Old edition,o-2,recognise,1,4\n"
            b"Acme,New,2020,,abc-02,recognise,2,6\n"
        ),
    )
    top = compare.top_cards(*store.card_totals(CompareFilter()))
    rows = {row.key: (row.picks, row.ballots) for row in top.itertuples()}
    assert rows == {"abc-02": (5, 10), "o-2": (1, 4)}, "Blaming counts as Blame culture, over both decks' ballots"
    assert store.card_correspondences()[["key", "same_as_key"]].values.tolist() == [["o-1", "abc-02"]]
    store.set_correspondences(old.id, {store.cards(old.id)[0].id: None})
    rows = {row.key: (row.picks, row.ballots) for row in compare.top_cards(*store.card_totals(CompareFilter())).itertuples()}
    assert rows == {"o-1": (3, 4), "abc-02": (2, 6), "o-2": (1, 4)}, "undone in the page: counted apart again"
    with pytest.raises(Exception, match="default deck"):
        store.set_correspondences(store.default_deck_id(), {})
    bad = b"id,type,theme,title,description,counts_as\nx-1,A,T,Title,D,No such card\n"
    with pytest.raises(Exception, match="Line 2: field 'counts_as' is 'No such card'; no card of the default deck"):
        store.import_deck(workshop.id, key, "Bad", "bad.csv", bad)


def test_corresponding_cards_count_together_on_the_heatmap_and_the_trend_too(store):
    workshop, key = store.create_workshop("Deck loader", "Nobody")
    store.import_deck(
        workshop.id,
        key,
        "Old edition",
        "old.csv",
        b"id,type,theme,title,description,counts_as\no-1,C,Culture,Blaming,Old card,abc-02\n",
    )
    store.import_results(
        "counts.csv",
        (
            b"organisation,workshop,date,team,deck,card,perspective,picks,participants\n"
            b"Acme,Old,2010,Desk,Old edition,o-1,recognise,3,4\nAcme,New,2020,Desk,,abc-02,recognise,2,6\n"
        ),
    )
    f = CompareFilter()
    table = compare.top_cards(*store.card_totals(f))
    sizes = store.group_sizes(f, "team")
    shares = compare.heatmap_table(store.cards_by_group(f, "team", list(sizes["grp"])), sizes, table)
    assert shares.round(2).to_dict("list") == {"Desk": [0.5]}, "Desk: 5 of its 10 ballots, across both decks"
    blame = int(table["card_id"][0])
    trend = store.card_trend(f, "Acme", [blame], "year")
    assert trend[["label", "picks", "ballots", "rank"]].values.tolist() == [["2010", 3, 4, 1], ["2020", 2, 6, 1]]


def test_a_round_whose_every_line_was_left_out_is_not_stored_and_a_long_title_is_refused(store):
    text = (
        "organisation,workshop,date,perspective,participant,card\n"
        "Acme,Paper,2012,recognise,P1,A card of another deck\nAcme,Paper,2012,resistance,P1,Blame culture\n"
    )
    unmatched = asked(store, text).questions.unmatched
    record = store.import_results(
        "paper.csv", text.encode("utf-8"), decisions=Decisions(cards={(unmatched[0].deck_id, unmatched[0].key): None})
    )
    assert record.summary == "1 workshop, 1 round, 1 participant's ballot, 1 pick"
    assert store._value("SELECT count(*) FROM rounds") == 1
    assert asked(store, ranking(["x" * 121], date="2013")).problems == [
        "Line 2: card has 121 characters; a card's id or title has at most 120."
    ]
