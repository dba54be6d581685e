"""Every page, fed the same payloads in every field people type, shows them exactly as typed.

The database (tests/people_world.py) is built once and copied for each test; each test opens a page in
the states that show people's text and checks every field of every element it sent (tests/pages/shown_as_typed.py).
"""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from abc_workshop.config import CARDS_DIR
from abc_workshop.shown_text import markdown
from abc_workshop.store import Store
from tests.pages.conftest import APP, COMPARE_VIEWS
from tests.pages.shown_as_typed import problems
from tests.payloads import PAYLOADS
from tests.people_world import World, build
from ui.downloads import file_stem
from ui.store import get_store


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[object, World]:
    path = tmp_path_factory.mktemp("people") / "people.sqlite3"
    store = Store(path)
    store.load_shipped_decks(CARDS_DIR)
    world = build(store)
    store.close()
    return path, world


@pytest.fixture
def world(built, db_path) -> World:
    """This test's own copy of the built database (the app opens db_path)."""
    path, world = built
    shutil.copyfile(path, db_path)
    return world


class Pages:
    """Opens pages as the app's browsers would and collects what is wrong with the people's text on them."""

    def __init__(self, world: World):
        self.world, self.wrong, self.seen = world, [], set()

    def open(self, page: str, keys: dict | None = None, **query) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        if keys:
            at.session_state["facilitator_keys"] = keys
        at.run()
        at.switch_page(f"../{page}")
        at.query_params.update(query)
        return self.check(at.run())

    def check(self, at: AppTest) -> AppTest:
        assert not at.exception, at.exception[0].message if at.exception else ""
        self.wrong += problems(at, self.world.values, self.seen)
        return at

    def facilitator(self, section: str, **query) -> AppTest:
        w = self.world.workshop
        at = self.open("pages/facilitate.py", {w.id: self.world.key}, w=w.join_code, **query)
        return self.check(at.segmented_control(key="section").set_value(section).run())

    def assert_shown_as_typed(self) -> None:
        wrong = sorted(set(self.wrong))
        assert not wrong, f"{len(wrong)} fields show people's text as more than text:\n" + "\n".join(wrong)


def test_a_join_code_with_markdown_is_echoed_as_typed(world):
    pages = Pages(world)
    for payload in PAYLOADS:
        st.cache_resource.clear()  # a new server's guards: the doors would soon make this browser wait (test_doors.py)
        at = pages.open("pages/vote.py", w=payload)
        shown = " ".join(e.value for e in at.error)
        assert "No workshop has the join code" in shown and markdown(payload) in shown, shown
    pages.assert_shown_as_typed()


def test_the_voting_page_joining_voting_and_answering_polls(world):
    pages = Pages(world)
    w = world.workshop
    pages.open("pages/vote.py", w=w.join_code)  # the join form: title and teams
    for person in world.people[:4]:  # names and teams; every name is also in the facilitator's named ballots
        pages.open("pages/vote.py", w=w.join_code, p=person.token)
    pages.assert_shown_as_typed()


def test_the_team_page(world):
    pages = Pages(world)
    member = next(p for p in world.people if p.team_id == world.teams[0].id)
    at = pages.open("pages/team.py", w=world.workshop.join_code, p=member.token)
    for tab in range(len(at.tabs)):
        pages.check(at)
    pages.assert_shown_as_typed()


@pytest.mark.parametrize("section", ["room", "rounds", "after", "polls", "decks", "log"])
def test_each_section_of_the_facilitator_page(world, section):
    pages = Pages(world)
    at = pages.facilitator(section)
    if section == "rounds":
        for rnd in world.rounds:
            pages.check(at.selectbox(key="facilitator-round").set_value(rnd.id).run())
        for team in [t.name for t in world.teams]:
            pages.check(at.selectbox(key=f"team-chart-{rnd.id}").set_value(team).run())
        pages.check(at.toggle(key=f"names-{rnd.id}").set_value(True).run())
    if section == "after":
        for team in world.teams:
            pages.check(at.selectbox(key="analysis-team").set_value(team.id).run())
    if section == "room":
        for other, key in world.others:
            pages.check(Pages(world).open("pages/facilitate.py", {other.id: key}, w=other.join_code))
    pages.assert_shown_as_typed()


@pytest.mark.parametrize("view", ["round", "result-teams", "iceberg", "summary", "review", "poll", "evidence", "voting"])
def test_each_view_of_the_projector(world, view):
    store, w, key = get_store(), world.workshop, world.key
    if view == "result-teams":
        store.set_projector_view(w.id, key, "round", page=1)
    elif view == "poll":
        store.show_poll_on_projector(world.polls[0].id, key, True)
    elif view == "voting":
        store.reopen_round(world.rounds[-1].id, key)
    elif view == "evidence":
        pass  # the database was built with the evidence of the first card up
    else:
        store.set_projector_view(w.id, key, view, team_id=world.teams[0].id if view == "summary" else None)
    pages = Pages(world)
    pages.open("pages/projector.py", w=w.join_code)
    pages.assert_shown_as_typed()


@pytest.mark.parametrize("view", COMPARE_VIEWS)
def test_each_view_of_the_compare_page(world, view):
    pages = Pages(world)
    at = pages.open("pages/compare.py", view=view)
    pages.check(at)
    pages.assert_shown_as_typed()


def test_the_decks_survey_programme_scout_and_feedback_pages(world):
    pages = Pages(world)
    w = world.workshop
    pages.open("pages/decks.py")
    pages.open("pages/survey.py", s=world.polls[1].survey_code)
    pages.open("pages/programme.py", {w.id: world.key}, w=w.join_code)
    pages.open("pages/scout.py", v=world.visit_token)
    pages.open("pages/feedback.py", c=world.channel)
    pages.open("pages/feedback.py", f=world.feedback_token)
    pages.assert_shown_as_typed()


def test_a_download_is_named_by_the_title_s_letters_and_digits(world):
    for payload in [*PAYLOADS, "Café Ärger 2026", "../../etc/passwd", "\u202eexe.pdf"]:
        stem = file_stem(dataclasses.replace(world.workshop, title=payload))
        assert re.fullmatch(r"[^\W_]+(-[^\W_]+)*|workshop", stem), stem
        assert stem == "workshop" or stem.replace("-", "") == re.sub(r"[\W_]", "", payload).lower()
    assert file_stem(dataclasses.replace(world.workshop, title="Café Ärger 2026")) == "café-ärger-2026"
