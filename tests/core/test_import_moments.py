"""Moments of truth move between servers: exported in the import shape from one SQLite file, imported into a fresh one,
the same moments (and the same observed counts per card) come out; internal notes leave only with the server's key;
a bad line is refused with its line and field and nothing is written; an import of moments is undone like any other."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from abc_workshop.config import CARDS_DIR
from abc_workshop.domain import AccessDenied, CompareFilter
from abc_workshop.export import csv_bytes
from abc_workshop.import_batch import ImportFileError
from abc_workshop.outside_in import Briefing
from abc_workshop.store import Store
from abc_workshop.store.schema import migrations
from ui.compare_export import workbook

SERVER_KEY = "a-long-server-key-2026"
HEADER = "organisation,date,source,stage,positive,what_happened,customer_words,effort,business_unit,internal,deck,cards\n"


def fresh(path, key: str | None = SERVER_KEY) -> Store:
    store = Store(path, server_key=key)
    store.load_shipped_decks(CARDS_DIR)
    return store


def programme(store: Store, organisation: str = "Acme IT") -> tuple[int, str]:
    workshop, key = store.create_workshop("Pilot", organisation, team_names=["Desk"], creator_key=store.server_key)
    return workshop.id, key


def scout(store: Store, workshop_id: int, key: str) -> str:
    visit = store.plan_visit(
        workshop_id,
        key,
        kind="store",
        person="Ana",
        team="Desk",
        role="Engineer",
        place="Store 1",
        activity="Buy a gift card",
        visit_on=datetime.date(2026, 3, 2),
        briefing=Briefing("", "", ""),
    )
    return visit.token


def cards(store: Store, n: int) -> list[int]:
    return [card.id for card in store.cards(store.decks()[0].id)[:n]]


def history(store: Store) -> None:
    """Two organisations' moments: a scout's (one internal, one with a formula-like text), the business's feedback, one
    linked afterwards, one with no card."""
    acme, acme_key = programme(store)
    token = scout(store, acme, acme_key)
    one, two, three = cards(store, 3)
    store.record_moment(
        token,
        stage="support",
        positive=False,
        what_happened="Waited an hour",
        customer_words="Never again",
        effort=5,
        card_ids=[one, two],
    )
    store.record_moment(token, stage="using", positive=True, what_happened='=HYPERLINK("x")', card_ids=[one])
    store.record_moment(
        token, stage="using", positive=False, what_happened="Customer Jane's address on screen", internal=True, card_ids=[three]
    )
    channel = store.programme(acme, acme_key).channel_token
    feedback = store.send_feedback(
        channel, stage="accessing", positive=False, what_happened="-5 minutes to log in", business_unit="Finance", effort=3
    )
    store.link_cards(acme, acme_key, store.feedback_by_token(feedback).moment.id, [two])
    store.send_feedback(channel, stage="finding", positive=True, what_happened="Found the form at once")
    globex, globex_key = programme(store, "Globex")
    store.record_moment(
        scout(store, globex, globex_key), stage="finding", positive=False, what_happened="No sign", card_ids=[three]
    )


def without_ids(frame):
    return frame.drop(columns=["card_id"]).reset_index(drop=True)


def test_exported_moments_import_into_a_fresh_database_as_they_were(tmp_path):
    source = fresh(tmp_path / "a.sqlite3")
    history(source)
    exported, left_out = source.moments_for_export((), SERVER_KEY)
    assert left_out == 0 and len(exported) == 6 and (exported["internal"] == "yes").sum() == 1
    waited = exported[exported["what_happened"] == "Waited an hour"].iloc[0]
    assert (waited["cards"], waited["deck"], waited["effort"], waited["positive"]) == (
        "abc-01; abc-02",
        "ABC worst practices",
        "5",
        "no",
    )
    data = csv_bytes(exported)
    assert b"\"'=HYPERLINK" in data and b"\"'-5 minutes" in data  # defused for spreadsheets

    target = fresh(tmp_path / "b.sqlite3")
    record = target.import_results("moments.csv", data, SERVER_KEY)
    assert record.summary == "6 moments of truth (1 internal)"
    again, _ = target.moments_for_export((), SERVER_KEY)
    assert again.equals(exported)
    for organisations in ((), ("Acme IT",), ("acme it ",), ("Globex",)):
        same = without_ids(source.observed_card_counts(organisations))
        assert without_ids(target.observed_card_counts(organisations)).equals(same)
    assert target.observed_card_counts(("Acme IT",))["moments"].tolist() == [2, 2, 1]

    nxt, _ = target.create_workshop("Next", "Acme IT", creator_key=SERVER_KEY)
    evidence = target.card_evidence(nxt.id)  # the next workshop of the organisation sees them, never the internal one
    assert sum(e.moments for e in evidence.values()) == 4
    assert all("Jane" not in quote for e in evidence.values() for quote in e.quotes)


def test_the_workbook_carries_the_moments_and_imports_them_back(tmp_path):
    source = fresh(tmp_path / "a.sqlite3")
    history(source)
    book = workbook(source, CompareFilter(organisations=("Acme IT",)), "Acme IT", key=SERVER_KEY)
    sheet = openpyxl.load_workbook(io.BytesIO(book))["Moments of truth"]
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == HEADER.strip().split(",")
    target = fresh(tmp_path / "b.sqlite3")
    target.import_results("compare.xlsx", book, SERVER_KEY)
    assert target.moments_for_export((), SERVER_KEY)[0].equals(source.moments_for_export(("Acme IT",), SERVER_KEY)[0])


def test_internal_notes_leave_only_with_the_servers_key(tmp_path):
    store = fresh(tmp_path / "a.sqlite3")
    history(store)
    shown, left_out = store.moments_for_export(("Acme IT",), None)
    assert left_out == 1 and len(shown) == 4 and "Jane" not in shown.to_csv()
    assert store.moments_for_export(("Acme IT",), "a guess")[1] == 1
    book = workbook(store, CompareFilter(), "All", key="")
    about = openpyxl.load_workbook(io.BytesIO(book))["About"]
    assert any("1 internal" in str(row[1]) for row in about.iter_rows(values_only=True))
    assert "Jane" not in str([row for row in openpyxl.load_workbook(io.BytesIO(book))["Moments of truth"].values])


def test_a_server_without_a_key_exports_no_internal_note(tmp_path):
    store = fresh(tmp_path / "a.sqlite3", key=None)
    workshop_id, key = programme(store)
    store.record_moment(scout(store, workshop_id, key), stage="using", positive=False, what_happened="Private", internal=True)
    for typed in ("", key):  # a workshop's key opens its programme, not the compare page's export
        shown, left_out = store.moments_for_export((), typed)
        assert shown.empty and left_out == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Acme IT,2026-03-02,scout,using,maybe,Waited,,,,,,", "Line 3: positive is 'maybe'; write yes or no."),
        ("Acme IT,2026-03,scout,using,no,Waited,,,,,,", "Line 3: date is '2026-03'; a moment of truth happened on a day"),
        ("Acme IT,2026-03-02,visitor,using,no,Waited,,,,,,", "Line 3: source is 'visitor'; use scout or feedback"),
        ("Acme IT,2026-03-02,scout,paying,no,Waited,,,,,,", "Line 3: stage is 'paying'"),
        ("Acme IT,2026-03-02,scout,using,no,Waited,,6,,,,", "Line 3: effort is 6; it must be between 1 and 5."),
        ("Acme IT,2026-03-02,scout,using,no,Waited,,,,,,abc-01; abc-99", "Line 3: cards names 'abc-99', which is no card"),
        ("Acme IT,2026-03-02,scout,using,no,,,,,,,", "Line 3: what_happened is empty"),
        ("Acme IT,2026-03-02,scout,using,no,Waited,,,,perhaps,,", "Line 3: internal is 'perhaps'; write yes or no."),
        ("Acme IT,2026-03-02,scout,using,no,Waited,,,,,Old deck,abc-01", "Line 3: deck 'Old deck' is not loaded"),
    ],
)
def test_a_bad_line_is_refused_with_its_line_and_field_and_nothing_is_written(tmp_path, line, problem):
    store = fresh(tmp_path / "a.sqlite3")
    good = "Acme IT,2026-03-01,feedback,finding,yes,Found it,,2,Finance,no,,abc-01\n"
    with pytest.raises(ImportFileError) as refused:
        store.import_results("moments.csv", (HEADER + good + line + "\n").encode(), SERVER_KEY)
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    assert store._value("SELECT count(*) FROM moments") == 0 and store.imports() == []


def test_a_header_that_mixes_moments_with_another_shape_is_refused(tmp_path):
    store = fresh(tmp_path / "a.sqlite3")
    with pytest.raises(ImportFileError, match="together with card, workshop"):
        store.import_results("x.csv", b"organisation,workshop,date,stage,positive,what_happened,card\n", SERVER_KEY)


def test_imports_of_moments_need_the_servers_key_refuse_a_moment_twice_and_are_undone(tmp_path):
    store = fresh(tmp_path / "a.sqlite3")
    data = (HEADER + "Acme IT,2026-03-01,feedback,Getting support,Yes,Found it,,2,Finance,no,,abc-01\n").encode()
    with pytest.raises(AccessDenied):
        store.import_results("moments.csv", data, "wrong")
    record = store.import_results("moments.csv", data, SERVER_KEY)
    assert store.observed_card_counts(("Acme IT",))["moments"].tolist() == [1]
    with pytest.raises(ImportFileError, match="Line 2: this moment of truth of 'Acme IT' on 2026-03-01 is stored here already"):
        store.import_results("copy.csv", data.replace(b"\n", b"\r\n"), SERVER_KEY)
    store.undo_import(record.id, SERVER_KEY)
    assert store._value("SELECT count(*) FROM moments") == 0 and store.observed_card_counts().empty
    assert store.import_results("moments.csv", data, SERVER_KEY).summary == "1 moment of truth"


def test_imported_moments_join_the_organisation_record_of_their_name(tmp_path):
    store = fresh(tmp_path / "a.sqlite3")
    workshop_id, key = programme(store, "Émile IT")
    line = " Émile it ,2026-03-01,scout,using,no,Slow,,,,no,,abc-02\n"
    store.import_results("moments.csv", (HEADER + line).encode(), SERVER_KEY)
    assert [m.what_happened for m in store.programme_moments(workshop_id, key)] == ["Slow"]
    assert store.observed_card_counts(("Émile IT",))["moments"].tolist() == [1]
    store.import_results("other.csv", (HEADER + "Initech,2026-03-01,scout,using,no,Slow,,,,no,,\n").encode(), SERVER_KEY)
    assert store._value("SELECT count(*) FROM organisations WHERE name = 'Initech'") == 1


@pytest.mark.sqlite_only  # an upgrade of a SQLite file made by an earlier version
def test_a_database_before_imported_moments_keeps_its_moments_feedback_and_cards(db_path):
    """Rebuilding the moments table (migration 0010) keeps every row and the links to it, and its rules for live moments."""
    import sqlite3

    import sqlite_utils

    old = sqlite_utils.Database(db_path)
    migrations.apply(old, stop_before="0010_imported_moments_of_truth")
    old.executescript(
        """
        INSERT INTO decks (id, name, source) VALUES (1, 'Old deck', 'cards/old.csv');
        INSERT INTO cards (id, deck_id, card_key, type, theme, title, description, position)
            VALUES (1, 1, 'o1', 'A', 'T', 'Old card', 'D', 0);
        INSERT INTO organisations (id, name, name_key, channel_token) VALUES (7, 'Acme IT', 'acme it', 'channel');
        INSERT INTO visits (id, organisation_id, kind, person, team, role, place, activity, visit_on, token)
            VALUES (1, 7, 'store', 'Ana', 'Desk', 'Engineer', 'Store 1', 'Buy a gift card', '2026-03-02', 'scout-token');
        INSERT INTO moments (id, organisation_id, visit_id, source, stage, positive, what_happened, internal, created_at)
            VALUES (1, 7, 1, 'scout', 'using', 0, 'Waited', 1, 1772452800),
                   (2, 7, NULL, 'feedback', 'finding', 1, 'Found it', 0, 1772452801);
        INSERT INTO moment_cards (moment_id, card_id) VALUES (1, 1), (2, 1);
        INSERT INTO feedback (moment_id, token) VALUES (2, 'writer');
        """
    )
    old.conn.close()
    store = Store(db_path, server_key=SERVER_KEY)
    applied = [m.name for m in migrations.applied(store.db)]
    assert "0010_imported_moments_of_truth" in applied and applied[-1] == migrations._migrations[-1].name
    assert store._value("PRAGMA foreign_keys") == 1 and store._value("SELECT count(*) FROM feedback") == 1
    exported = store.moments_for_export((), SERVER_KEY)[0]
    assert exported[["date", "source", "what_happened", "internal", "cards"]].values.tolist() == [
        ["2026-03-02", "scout", "Waited", "yes", "o1"],
        ["2026-03-02", "feedback", "Found it", "no", "o1"],
    ]
    assert [m.what_happened for m in store.scout_moments("scout-token")] == ["Waited"]
    assert store.feedback_by_token("writer").moment.what_happened == "Found it"
    with pytest.raises(sqlite3.IntegrityError):  # a live scout's moment still needs its visit
        store.db.execute(
            "INSERT INTO moments (organisation_id, source, stage, positive, what_happened) VALUES (7, 'scout', 'using', 0, 'x')"
        )


def test_without_the_servers_key_no_file_puts_moments_into_a_running_programme(tmp_path):
    store = fresh(tmp_path / "open.sqlite3", key=None)  # a server without a key: the compare page is open to all
    workshop_id, key = programme(store, "Acme IT")
    line = " acme it ,2026-03-01,feedback,using,no,Planted words,,,,no,,abc-02\n"
    with pytest.raises(AccessDenied, match="Moments of truth for 'Acme IT', whose workshops run on this server"):
        store.import_results("planted.csv", (HEADER + line).encode())
    assert store.programme_moments(workshop_id, key) == [] and store.imports() == []
    store.import_results("other.csv", (HEADER + "Initech,2026-03-01,scout,using,no,Slow,,,,no,,\n").encode())
    assert store.observed_card_counts(("Initech",)).empty, "no card named: counted nowhere, but stored"
    assert store._value("SELECT count(*) FROM moments") == 1
