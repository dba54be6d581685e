"""A participant's phone once joined: the polls, and the current round drawn in the browser (ui/phone.js).

The round (waiting, the ballot, closed, the result) is drawn by the browser from the event stream,
which carries everything it shows: when the facilitator opens, closes or reveals a round, a thousand
phones redraw without a single rerun on the server (bench/README.md). The page runs for what only it
can do: the polls (Streamlit forms), and a submit, which reruns this small fragment alone; the answer
carries the submit's nonce, and the browser sends the same submit again if no answer came.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import CARD_TYPES, PERSPECTIVE_LABELS, Card, Participant, Workshop, WorkshopError
from abc_workshop.i18n import _, ngettext
from abc_workshop.live import digest, project
from abc_workshop.store import Store
from ui.language import in_language, restore
from ui.links import page_url
from ui.live import browser_code, fall_back, read_pulse, watch
from ui.polls import participant_polls
from ui.store import deck_cards

TOPICS = ("polls", "result", "round")  # what a phone shows (abc_workshop/live.py)
MAX_NONCE = 64
INLINE_DECK = "phone-inline-deck"  # set once the browser could not fetch a deck from /live/deck/<id>

_phone = st.components.v2.component(
    "abc_phone", js=browser_code("stream.js", "phone.js"), css=browser_code("ballot.css", "phone.css")
)

# A counting text goes to the phone as two forms, [for 1, for any other number], and plural() in ui/stream.js
# chooses: English, Dutch and German all count so.
FORMS = (1, 2)


def texts() -> dict:
    """Every word the phone shows (ui/phone.js fills the {places}), in the run's language: called when the phone
    is drawn, never at import."""
    return {
        "waiting": _("Waiting for the facilitator to open a round. This page follows along by itself."),
        "gone": _("This workshop is no longer here."),
        "loading": _("Loading the cards…"),
        "deckFailed": _("The cards could not be loaded. Check your connection and reload the page."),
        "perspective": [
            ngettext(
                "{perspective} · tap up to {n} card · “About” tells what a card means",
                "{perspective} · tap up to {n} cards · “About” tells what a card means",
                n,
            )
            for n in FORMS
        ],
        "named": _("The facilitator sees who picked which cards in this round."),
        "search": _("Search the cards"),
        # Translators: the button beside each card on the phone's ballot that shows what the card means.
        "about": _("About"),
        "picked": _("{n} of {limit} picked"),
        "submit": [ngettext("Submit my {n} card", "Submit my {n} cards", n) for n in FORMS],
        "saving": _("Saving…"),
        "saved": [
            ngettext(
                "✓ Your ballot is saved ({n} card). You can change it until the round closes.",
                "✓ Your ballot is saved ({n} cards). You can change it until the round closes.",
                n,
            )
            for n in FORMS
        ],
        "changed": _("You changed your picks: submit again to save the change."),
        "unsaved": _("Nothing is saved until you submit."),
        "full": _("You have picked {limit}: untick one before you pick another."),
        "timeUp": _("time is up"),
        "left": _("{clock} left"),
        "closed": _("Voting has closed. Watch the screen for the result."),
        "yourPicks": _("Your picks"),
        "noVote": _("You did not vote in this round."),
        "resultOf": _("Result: {question}"),
        "voted": [ngettext("{n} participant voted", "{n} participants voted", n) for n in FORMS],
        # Translators: one line of a round's result on the phone: a card's title, how many picked it, and their share.
        "resultLine": _("{title}: {picks} ({share}%)"),
        "yourTeam": _("Your team ({team}, {n} voted)"),
        "teamLink": _("Work on {team}'s top cards →"),
    }


def card_type_names() -> dict[str, str]:
    """A: Attitude, B: Behaviour, C: Culture, in the run's language."""
    return {letter: _(name) for letter, name in CARD_TYPES.items()}


def perspective_names() -> dict[str, str]:
    """The perspectives as the event stream carries them (in English) -> as the phone shows them."""
    return {label: _(label) for label in PERSPECTIVE_LABELS.values()}


def cards_for_browser(cards: Sequence[Card]) -> list[dict]:
    """A deck as the phone draws it (also what the server's /live/deck/<id> route sends)."""
    return [{"id": c.id, "title": c.title, "type": c.type, "theme": c.theme, "description": c.description} for c in cards]


def phone(store: Store, workshop: Workshop, participant: Participant, team_name: str | None) -> None:
    """Everything below the participant's name: the polls and the round, following the room by themselves."""
    _, url = watch(store, workshop, TOPICS)
    _phone_fragment(store, workshop, participant, team_name, url)


@st.fragment
@in_language
def _phone_fragment(store: Store, workshop: Workshop, participant: Participant, team_name: str | None, url: str | None) -> None:
    view = project(read_pulse(store, workshop.id, TOPICS), TOPICS)
    participant_polls(store, participant)
    stage = view.get("round", {}).get("stage") or [None, None, None, None]
    spec = view.get("round", {}).get("spec")
    round_id, _, attempt, _ = stage
    saved = {"key": f"{round_id}-{attempt}", "cards": store.ballot_cards(participant.id, round_id, attempt)} if round_id else None
    inline = url is None or st.session_state.get(INLINE_DECK)
    me = {"team": participant.team_id, "teamName": team_name, "teamLink": None}
    if team_name:
        me["teamLink"] = page_url("team", w=workshop.join_code, p=participant.token)
    _phone(
        key="phone",
        data={
            "url": url,
            "view": view,
            "pollsDrawn": digest({"polls": view.get("polls")}),
            "deckUrl": None if inline else "/live/deck/",
            "language": i18n.current(),
            "cards": {str(spec["deck"]): cards_for_browser(deck_cards(store, spec["deck"]))} if inline and spec else None,
            "saved": saved,
            "outcome": st.session_state.pop("phone-outcome", None),
            "storagePrefix": f"abc-ballot-{participant.token}",
            "me": me,
            "names": card_type_names(),
            "perspectives": perspective_names(),
            "texts": texts(),
        },
        on_submit_change=lambda: _submit(store, participant),
        on_changed_change=_noop,
        on_fallback_change=fall_back,
        on_inline_change=_inline,
        height="content",
    )


def _noop() -> None:
    """The fragment's rerun is what a change of the polls asks for."""


def _inline() -> None:
    st.session_state[INLINE_DECK] = True


def _submit(store: Store, participant: Participant) -> None:
    restore()  # the callback runs before the page chose the language; a refusal reads in the participant's
    answer = answer_submit(store, participant, (st.session_state.get("phone") or {}).get("submit"))
    if answer is not None:
        st.session_state["phone-outcome"] = answer


def answer_submit(store: Store, participant: Participant, sent: object) -> dict | None:
    """Save what the browser sent and say how it went, under the submit's nonce; None for what no page sends.

    The answer carries the cards now saved, which the browser takes as its picks from then on.
    """
    nonce, round_id, attempt, card_ids = _read(sent)
    if nonce is None:
        return None
    if card_ids is None:
        return {"nonce": nonce, "ok": False, "message": _("That ballot could not be read; please pick again."), "cards": None}
    try:
        store.submit_ballot(participant.workshop_id, participant.token, round_id, attempt, card_ids)
    except WorkshopError as refusal:
        return {"nonce": nonce, "ok": False, "message": str(refusal), "cards": None}
    return {"nonce": nonce, "ok": True, "message": None, "cards": store.ballot_cards(participant.id, round_id, attempt)}


def _whole(value: object) -> TypeGuard[int]:
    """An id as a browser can send one: a whole number from 1 up to JavaScript's largest exact integer."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 2**53


def _read(sent: object) -> tuple[str | None, int, int, list[int] | None]:
    """(nonce, round, attempt, card ids) from the browser's submit; card ids None when anything is malformed."""
    if not isinstance(sent, dict) or not isinstance(sent.get("nonce"), str) or not 0 < len(sent["nonce"]) <= MAX_NONCE:
        return None, 0, 0, None
    round_id, attempt, cards = sent.get("round"), sent.get("attempt"), sent.get("cards")
    if not (_whole(round_id) and _whole(attempt) and isinstance(cards, list) and len(cards) <= 1000 and all(map(_whole, cards))):
        return sent["nonce"], 0, 0, None
    return sent["nonce"], round_id, attempt, cards
