"""Which language a page run speaks (abc_workshop/i18n.py), and the one-tap switches that change it.

Who reads which language (README.md, "Languages"):
- the room (the facilitator's page, the projector, the reports) reads the workshop's language, which the facilitator
  sets;
- a phone reads its participant's own choice, stored with the participant so it survives a reload like their
  identity; before they choose, their browser's language when the app speaks it, else the room's;
- every other page (the start page, the leads' pages, scouts and business people) reads ?lang= in its address, else
  the browser's language, else English.
A `?lang=` in the address wins over the browser's language everywhere, so a link can be sent in a language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import Participant, Workshop
from abc_workshop.i18n import LANGUAGES, _
from abc_workshop.store import Store

QUERY = "lang"
P = ParamSpec("P")
R = TypeVar("R")
SPOKEN = "abc-language"  # the language this browser's last run spoke, for the callbacks that run before the page


def _speak(code: str | None) -> str:
    chosen = i18n.use(code)
    st.session_state[SPOKEN] = chosen
    return chosen


def restore() -> str:
    """For a widget's callback: Streamlit runs it before the page, so before the page has chosen a language; the
    browser's last run tells which one its person reads."""
    return i18n.use(st.session_state.get(SPOKEN))


def in_language(function: Callable[P, R]) -> Callable[P, R]:
    """For a fragment or a dialog (put it under @st.fragment): Streamlit reruns one alone, without the page that
    chose the language, so it speaks the language of the browser's last run. Without it a rerun would draw English,
    and a button whose label changed language would be a new button that was never clicked."""

    @functools.wraps(function)
    def speaking(*args: P.args, **kwargs: P.kwargs) -> R:
        restore()
        return function(*args, **kwargs)

    return speaking


def _asked() -> str | None:
    return i18n.supported(st.query_params.get(QUERY))


def browser_language() -> str | None:
    """The browser's language when the app speaks it (Streamlit reports navigator.language once connected)."""
    try:
        return i18n.supported(st.context.locale)
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return None


def first_guess() -> str:
    """Before a page knows its workshop: the address's ?lang=, else the browser's language, else English.

    A switch's link (st.page_link) hands ?lang= to the run it starts but leaves it out of the browser's address, so
    it is written back: the next run (a click, a reload) reads it too."""
    asked = _asked()
    if asked is not None:
        st.query_params[QUERY] = asked
    return _speak(asked or browser_language())


def for_room(workshop: Workshop) -> str:
    """The facilitator's page and the projector: the workshop's language, unless the address asks for another."""
    return _speak(_asked() or workshop.language)


def for_phone(store: Store, workshop: Workshop, participant: Participant | None) -> str:
    """A participant's page: their own choice, else the address's, the browser's, the room's. A ?lang= from the
    switch (phone_switch) becomes the participant's own choice, stored with them, and leaves the address."""
    asked = _asked()
    if participant is not None and asked is not None:
        if asked != participant.language:
            participant = store.set_participant_language(workshop.id, participant.token, asked)
        st.query_params.pop(QUERY, None)
    own = participant.language if participant else None
    return _speak(i18n.supported(own) or _asked() or browser_language() or workshop.language)


def _switch(page: str, key: str) -> None:
    """One link per language, each named in its own language, to this page with the same address and ?lang=; the
    language in use is shown ticked, as text. Links rather than buttons or a selector: following one is a plain
    navigation within the app, and a page drawn before a change cannot send an old choice back (bench/README.md,
    finding on replayed widget values)."""
    here = {name: value for name, value in st.query_params.to_dict().items() if name != QUERY}
    row = st.container(horizontal=True, gap="small", key=f"{key}-row")
    with row:
        for code, name in LANGUAGES.items():
            if code == i18n.current():  # the one in use is text, not a link (and not a faded one: it must be legible)
                st.markdown(f"**✓ {name}**", width="content")  # not translated: each language is named in its own words
            else:
                st.page_link(page, label=name, query_params={**here, QUERY: code})  # not translated: its own words


def phone_switch(page: str = "../pages/vote.py") -> None:
    """On the participant's pages: a tap opens the page again with ?lang=, which for_phone stores with the
    participant (or, before they join, keep_choice does once they have)."""
    _switch(page, "phone-language")


def keep_choice(store: Store, workshop: Workshop, joined: Participant) -> None:
    """A language chosen before joining (?lang=) becomes the new participant's own, so it outlives the address."""
    asked = _asked()
    if asked is not None:
        store.set_participant_language(workshop.id, joined.token, asked)
        st.query_params.pop(QUERY, None)


def address_switch(page: str) -> None:
    """On pages without a participant: the choice stays in the address, so a reload or a shared link keeps it."""
    _switch(page, "page-language")


def room_language_setting(store: Store, workshop: Workshop, key: str) -> None:
    """On the facilitator's page: the room's language; the projector and the phones that follow it change at once."""
    st.caption(_("Language of the room (projector, report, phones that have not chosen their own)"))
    current = workshop.language
    row = st.container(horizontal=True, gap="small", key="room-language-row")
    for code, name in LANGUAGES.items():
        label = ("✓ " if code == current else "") + name
        if row.button(label, key=f"room-language-{code}", disabled=code == current):  # not translated: a language's own name
            store.set_workshop_language(workshop.id, key, code)
            st.query_params.pop(QUERY, None)
            st.rerun()
