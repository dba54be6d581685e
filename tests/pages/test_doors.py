"""Doors on the real pages: guesses slow down with a message to wait, joining shows what it must, an unexpected
error is one sentence, and the upload limits are the app's own."""

from __future__ import annotations

import ast
import importlib
import logging
import tomllib
from pathlib import Path

import pytest

from abc_workshop import deck, importer, outside_in
from abc_workshop.store import Store, base
from tests.pages.conftest import open_page, texts
from ui.page_errors import SORRY

ROOT = Path(__file__).resolve().parents[2]


def type_code(at, code: str):
    at.text_input[0].input(code)
    at.button[0].click().run()
    return at


def test_wrong_join_codes_slow_down_and_then_even_a_right_code_is_not_checked(page_room):
    at = open_page()
    for n in range(5):
        assert "No workshop has the join code" in texts(type_code(at, f"ZZZZ9{n}"))
    assert "Too many wrong codes or links from here in a short time: please wait 2 seconds" in texts(type_code(at, "ZZZZ95"))
    at = type_code(at, page_room.workshop.join_code)
    assert "please wait" in texts(at) and "Join the workshop" not in texts(at), "nothing is checked while it waits"


def test_a_wrong_code_in_the_address_counts_as_a_guess_too(page_room):
    at = open_page("pages/vote.py", w="NOPE42")
    for _ in range(5):
        at.run()
    assert "please wait" in texts(at) and "No workshop has the join code" not in texts(at)


def test_wrong_survey_links_slow_down(page_room):
    at = open_page("pages/survey.py", s="not-a-survey")
    assert "This survey link is not right" in texts(at)
    for _ in range(5):
        at.run()
    assert "Too many wrong codes or links" in texts(at)


def test_after_three_wrong_keys_a_guess_costs_no_key_check(page_room, monkeypatch):
    checks = []
    real = base.key_matches
    monkeypatch.setattr(base, "key_matches", lambda key, stored: checks.append(key) or real(key, stored))
    at = open_page("pages/facilitate.py", w=page_room.workshop.join_code)
    for n in range(3):
        [t for t in at.text_input if t.label == "Facilitator key"][0].input(f"ACEF-GHKM-NPRT-WXY{n}")
        at.button[0].click().run()
        assert "That facilitator key is not right" in texts(at)
    assert len(checks) == 3
    [t for t in at.text_input if t.label == "Facilitator key"][0].input(page_room.key)
    at.button[0].click().run()
    assert "Too many wrong keys from here in a short time: please wait 5 seconds" in texts(at)
    assert len(checks) == 3, "no scrypt while it waits, not even for the right key"


def test_one_browser_joining_over_and_over_is_told_to_wait(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    for n in range(3):
        at.query_params.pop("p", None)
        at.run()
        at.text_input[0].input(f"Person {n}")
        at.radio[0].set_value(page_room.teams[0])
        at.button[0].click().run()
    at.query_params.pop("p", None)
    at.run()
    at.radio[0].set_value(page_room.teams[0])
    at.button[0].click().run()
    assert "Too many joins from here in a short time" in texts(at)
    assert page_room.store._value("SELECT count(*) FROM participants") == 3


def test_the_join_form_says_before_joining_when_a_round_shows_names(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    assert "sees who picked which cards" not in texts(at)
    page_room.new_round(show_names=True)
    assert "sees who picked which cards" in texts(open_page("pages/vote.py", w=page_room.workshop.join_code))


def test_a_reserved_name_is_refused_in_the_join_form(page_room):
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    at.text_input[0].input("Facilitator")
    at.radio[0].set_value(page_room.teams[0])
    at.button[0].click().run()
    assert "could be taken for the app's own label or the facilitator's name" in texts(at)
    assert page_room.store._value("SELECT count(*) FROM participants") == 0


def test_an_ended_workshop_shows_no_join_form_but_its_people_keep_their_page(page_room):
    ann = page_room.join("Ann")
    page_room.store.end_workshop(page_room.workshop.id, page_room.key)
    at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    assert "This workshop has ended" in texts(at) and not at.text_input
    at = open_page("pages/vote.py", w=page_room.workshop.join_code, p=ann.token)
    assert "You: Ann" in texts(at)


def test_the_facilitator_ends_the_workshop_from_the_room_section(page_room):
    at = open_page("pages/facilitate.py", w=page_room.workshop.join_code)
    at.text_input[0].input(page_room.key)
    at.button[0].click().run()
    assert "New people can join until" in texts(at)
    at.button(key="end-workshop").click().run()
    assert "The workshop has ended" in texts(at)
    assert page_room.store.workshop(page_room.workshop.id).ended_by_facilitator


def test_creating_a_second_workshop_asks_for_a_key_of_one_here(page_room):
    at = open_page("pages/facilitate.py")
    fields = {t.label: t for t in at.text_input}
    assert "Your facilitator key" in fields
    fields["Workshop title"].input("Second")
    fields["Organisation"].input("Globex")
    at.button[0].click().run()
    assert "Creating a workshop needs a key" in texts(at)
    {t.label: t for t in at.text_input}["Your facilitator key"].input(page_room.key)
    at.button[0].click().run()
    assert [w["title"] for w in page_room.store._rows("SELECT title FROM workshops ORDER BY id")] == ["Pilot", "Second"]


def test_an_unexpected_error_is_one_sentence_on_the_page_and_a_line_in_the_log(page_room, monkeypatch, caplog):
    def broken(self, workshop_id):
        raise RuntimeError("/srv/abc/secret_path.py exploded")

    monkeypatch.setattr(Store, "teams", broken)
    with caplog.at_level(logging.ERROR, logger="abc_workshop.pages"):
        at = open_page("pages/vote.py", w=page_room.workshop.join_code)
    assert not at.exception
    assert [e.value for e in at.error] == [SORRY]
    assert "secret_path" not in texts(at)
    assert any("secret_path.py exploded" in record.exc_text for record in caplog.records if record.exc_text)


def test_no_error_details_reach_a_browser_and_uploads_stop_at_the_apps_largest_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    largest = max(importer.MAX_FILE_BYTES, deck.MAX_FILE_BYTES, outside_in.MAX_PHOTO_BYTES)
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == largest


def uploaders() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted((ROOT / "ui").glob("*.py")) + sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "file_uploader":
                found.append((path.name, node))
    return found


def test_every_uploader_states_and_sets_its_own_limit():
    calls = uploaders()
    assert {name for name, _ in calls} >= {"facilitator.py", "imports.py", "outside_in_scout.py"}
    for name, call in calls:
        keywords = {k.arg for k in call.keywords}
        assert "max_upload_size" in keywords, f"{name}: an uploader without its own limit takes the server's"
        label = ast.unparse(call.args[0])
        if isinstance(call.args[0], ast.Name):  # a label kept in a constant of its module
            label = getattr(importlib.import_module(f"ui.{name.removesuffix('.py')}"), label)
        assert "MB" in label or "KB" in label or name == "imports.py", f"{name}: the label states the limit"


@pytest.mark.parametrize("page", ["pages/scout.py", "pages/feedback.py"])
def test_wrong_personal_links_slow_down(page_room, page):
    at = open_page(page, **({"v": "forged"} if "scout" in page else {"c": "forged"}))
    assert "is not valid" in texts(at)
    for _ in range(5):
        at.run()
    assert "Too many wrong codes or links" in texts(at)


def test_wrong_server_keys_on_the_compare_page_slow_down(monkeypatch):
    monkeypatch.setenv("ABC_FACILITATOR_KEY", "a-long-server-key-2026")
    at = open_page("pages/compare.py")
    for _ in range(3):
        at.text_input[0].input("a-long-server-key-2025")
        at.button[0].click().run()
        assert "That is not this server's facilitator key" in texts(at)
    at.text_input[0].input("a-long-server-key-2026")
    at.button[0].click().run()
    assert "Too many wrong keys from here" in texts(at) and "Compare workshops" in texts(at) and not at.tabs
