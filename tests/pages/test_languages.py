"""Every page in Dutch and in German: no English sentence of the app is left on it, and people's text stays theirs.

The database is the one tests/people_world.py builds (every state the pages show, people's text everywhere); each
test opens a page in the states the people-text tests open, with the room's language set, or ?lang= for the pages
that have no room. Everything the page sent the browser is read (tests/pages/shown_as_typed.py: labels, options,
help, tables, figures, the phone's data), and no sentence of the English catalogue may be in it.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from abc_workshop import i18n
from abc_workshop.config import CARDS_DIR
from abc_workshop.store import Store
from tests.pages.conftest import APP, COMPARE_VIEWS
from tests.pages.shown_as_typed import FIELDS, elements, json_strings, strings, table_strings
from tests.people_world import World, build
from ui.store import get_store

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import catalogues

LANGUAGES = ["de", "nl"]
_SPLIT = re.compile(r"\{[^{}]*\}|\*\*|[`_\[\]()]|\n")


def _sentences(text: str) -> list[str]:
    """The literal stretches of a message long enough that only the app would write them (three words or more)."""
    return [part.strip() for part in _SPLIT.split(text) if len(part.strip()) >= 18 and len(part.split()) >= 3]


def _english_by_language() -> dict[str, list[str]]:
    """Per language, the English stretches whose translation differs (a stretch the same in both says nothing)."""
    found: dict[str, list[str]] = {}
    template = catalogues.template()  # Babel reads the whole code once, for both languages
    for code in LANGUAGES:
        catalog = catalogues.read(code)
        stretches = set()
        for message in template:
            english = message.id if isinstance(message.id, str) else message.id[0]
            have = catalog.get(message.id, context=message.context)
            translated = (have.string if isinstance(have.string, str) else have.string[0]) if have else ""
            stretches |= {part for part in _sentences(english) if part not in translated}
        found[code] = sorted(stretches)
    return found


ENGLISH = _english_by_language()


def shown_strings(at: AppTest) -> list[str]:
    """Every string the page sent that a browser shows (ids, URLs and the like left out)."""
    shown = []
    for kind, proto in elements(at._tree):
        for field, value in strings(proto):
            how = FIELDS.get((kind, field))
            if how in (None, "ignore") or field == "id" or field.endswith(".id"):
                continue
            if how.endswith("table"):
                shown += table_strings(value)
            elif how in ("chart", "json"):
                shown += [text for _path, text in json_strings(json.loads(value))]
            elif isinstance(value, str):
                shown.append(value)
    return shown


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[object, World]:
    path = tmp_path_factory.mktemp("languages") / "languages.sqlite3"
    store = Store(path)
    store.load_shipped_decks(CARDS_DIR)
    world = build(store)
    store.close()
    return path, world


@pytest.fixture(params=LANGUAGES)
def world(request, built, db_path) -> Iterator[World]:
    """This test's own copy of the built database, its room speaking the language of the test."""
    path, world = built
    shutil.copyfile(path, db_path)
    get_store().set_workshop_language(world.workshop.id, world.key, request.param)
    world.language = request.param  # type: ignore[attr-defined]
    # AppTest formats a widget's options in the test's own thread when a test sets a value: it speaks the same.
    with i18n.speaking(request.param):
        yield world


class Pages:
    def __init__(self, world: World):
        self.world, self.code, self.left, self.spoken = world, world.language, [], 0  # type: ignore[attr-defined]

    def open(self, page: str, keys: dict | None = None, **query) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        if keys:
            at.session_state["facilitator_keys"] = keys
        at.run()
        at.switch_page(f"../{page}")
        at.query_params.update({"lang": self.code, **query} if page in _ROOMLESS else query)
        return self.check(at.run(), page)

    def check(self, at: AppTest, where: str) -> AppTest:
        assert not at.exception, at.exception[0].message if at.exception else ""
        shown = shown_strings(at)
        everything = "\n".join(shown)
        self.left += [f"{where}: {stretch!r}" for stretch in ENGLISH[self.code] if stretch in everything]
        with i18n.speaking(self.code):
            self.spoken += sum(1 for text in _SPOKEN[self.code] if text in everything)
        return at

    def assert_all_translated(self) -> None:
        left = sorted(set(self.left))
        assert not left, f"{len(left)} English sentences left in {self.code}:\n" + "\n".join(left)
        assert self.spoken > 0, f"nothing on these pages reads in {self.code}"


_ROOMLESS = {"pages/compare.py", "pages/decks.py", "pages/scout.py", "pages/feedback.py", "pages/start.py"}


def _translated_stretches(code: str) -> list[str]:
    """What only the language would write: translations of two words or more that differ from their English."""
    catalog = catalogues.read(code)
    return sorted(
        {
            part.strip()
            for m in catalog
            if m.id and isinstance(m.string, str) and m.string != m.id
            for part in _SPLIT.split(m.string)
            if len(part.split()) >= 2 and len(part.strip()) >= 8 and part.strip() not in m.id
        }
    )


_SPOKEN = {code: _translated_stretches(code) for code in LANGUAGES}


def test_the_start_page(world):
    pages = Pages(world)
    pages.open("pages/start.py")
    pages.assert_all_translated()


def test_the_phone_joining_voting_and_the_team_page(world):
    pages = Pages(world)
    w = world.workshop
    pages.open("pages/vote.py", w=w.join_code)
    for person in world.people[:3]:
        pages.open("pages/vote.py", w=w.join_code, p=person.token)
    member = next(p for p in world.people if p.team_id == world.teams[0].id)
    pages.open("pages/team.py", w=w.join_code, p=member.token)
    pages.open("pages/survey.py", s=world.polls[1].survey_code)
    pages.assert_all_translated()


@pytest.mark.parametrize("section", ["room", "rounds", "after", "polls", "decks", "log"])
def test_each_section_of_the_facilitator_page(world, section):
    pages = Pages(world)
    w = world.workshop
    at = pages.open("pages/facilitate.py", {w.id: world.key}, w=w.join_code)
    at = pages.check(at.segmented_control(key="section").set_value(section).run(), section)
    if section == "after":
        for team in world.teams[:2]:
            pages.check(at.selectbox(key="analysis-team").set_value(team.id).run(), f"after/{team.name}")
    pages.assert_all_translated()


@pytest.mark.parametrize("view", ["round", "iceberg", "summary", "review", "poll", "evidence", "voting"])
def test_each_view_of_the_projector(world, view):
    store, w, key = get_store(), world.workshop, world.key
    if view == "poll":
        store.show_poll_on_projector(world.polls[0].id, key, True)
    elif view == "voting":
        store.reopen_round(world.rounds[-1].id, key)
    elif view != "evidence":
        store.set_projector_view(w.id, key, view, team_id=world.teams[0].id if view == "summary" else None)
    pages = Pages(world)
    pages.open("pages/projector.py", w=w.join_code)
    pages.assert_all_translated()


@pytest.mark.parametrize("view", COMPARE_VIEWS)
def test_each_view_of_the_compare_page(world, view):
    pages = Pages(world)
    pages.open("pages/compare.py", view=view)
    pages.assert_all_translated()


def test_the_decks_programme_scout_and_feedback_pages(world):
    pages = Pages(world)
    w = world.workshop
    pages.open("pages/decks.py")
    pages.open("pages/programme.py", {w.id: world.key}, w=w.join_code)
    pages.open("pages/scout.py", v=world.visit_token)
    pages.open("pages/feedback.py", c=world.channel)
    pages.open("pages/feedback.py", f=world.feedback_token)
    pages.assert_all_translated()
