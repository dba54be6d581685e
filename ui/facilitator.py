"""The facilitator's panels. Every action passes the key to the store, which refuses it without one."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Literal

import pandas as pd
import streamlit as st

from abc_workshop import i18n
from abc_workshop.dates import iso_now
from abc_workshop.deck import MAX_FILE_BYTES as MAX_DECK_BYTES
from abc_workshop.domain import (
    MAX_PICK_LIMIT,
    PERSPECTIVE_LABELS,
    AccessDenied,
    Perspective,
    Round,
    RoundSpec,
    RoundState,
    Workshop,
    WorkshopError,
)
from abc_workshop.i18n import LANGUAGES, N_, _, ngettext, pgettext
from abc_workshop.keys import normalise_key
from abc_workshop.store import Store
from ui.feedback import attempt, show_refusal
from ui.forms import key_characters
from ui.guard import count, refuse_while_waiting
from ui.language import in_language
from ui.links import is_local_only, join_url, projector_url
from ui.text import plain

# Streamlit states an uploader's limit in whole megabytes, and a deck file may have 512 KB: the uploader's own line
# ("1MB per file") is hidden and its label states the limit; the browser refuses a file over 1 MB
# before sending it, the deck reader one over the limit with its size.
DECK_UPLOAD_STYLE = "<style>.st-key-deck-file [data-testid='stFileUploaderDropzoneInstructions'] { display: none; }</style>"
STATE_ICONS = {RoundState.DRAFT: "📝", RoundState.OPEN: "🟢", RoundState.CLOSED: "🔒", RoundState.REVEALED: "📊"}


def state_name(state: RoundState) -> str:
    """A round's or poll's state as the facilitator reads it (context "status": a state, as an action's is)."""
    names = {
        RoundState.DRAFT: pgettext("status", "draft"),
        RoundState.OPEN: pgettext("status", "open"),
        RoundState.CLOSED: pgettext("status", "closed"),
        RoundState.REVEALED: pgettext("status", "revealed"),
    }
    return names[state]


def perspective_name(perspective: Perspective) -> str:
    return _(PERSPECTIVE_LABELS[perspective])


def shown_perspective(rnd: Round) -> str:
    """The round's perspective: the facilitator's own wording as typed, or the app's label in the page's language."""
    if rnd.perspective is Perspective.CUSTOM and rnd.perspective_label:
        return rnd.perspective_label
    return perspective_name(rnd.perspective)


def remembered_key(workshop_id: int) -> str | None:
    return st.session_state.setdefault("facilitator_keys", {}).get(workshop_id)


def remember_key(workshop_id: int, key: str) -> None:
    st.session_state.setdefault("facilitator_keys", {})[workshop_id] = key


def create_workshop_form(store: Store, needs_server_key: bool) -> Workshop | None:
    """A new workshop. Once any key exists here it needs one (README.md, "Doors"): the server's, or on a server
    without one the key of any workshop the creator runs here (one this browser opened is used by itself)."""
    mine = next(iter(st.session_state.get("facilitator_keys", {}).values()), None)
    with st.form("create-workshop"):
        title = st.text_input(_("Workshop title"), max_chars=120, placeholder=_("ABC workshop: service desk and operations"))
        organisation = st.text_input(_("Organisation"), max_chars=120)
        st.caption(
            _(
                "A new name starts a new organisation. An organisation with workshops here already is joined only with "
                "the key of one of its workshops (or the server's key), so that its earlier actions and outside-in "
                "programme stay its own."
            )
        )
        country = st.text_input(_("Country (optional: lets leads compare countries)"), max_chars=60)
        held_on = st.date_input(_("Date"), value=datetime.date.today())
        codes = list(LANGUAGES)
        language = st.selectbox(
            _("Language of the room"),
            codes,
            index=codes.index(i18n.current()),
            format_func=LANGUAGES.__getitem__,
            help=_("The projector, the report and the phones follow it; each participant can still choose their own."),
        )
        notes = st.text_area(_("Notes (optional)"), max_chars=2000)
        # The teams most workshops start with, as a suggestion in the page's language.
        suggested = "\n".join([_("Service Desk"), _("Operations"), _("Business users")])
        teams = st.text_area(_("Teams, one per line"), value=suggested, height=110)
        typed = None
        if needs_server_key:
            typed = st.text_input(_("Server facilitator key"), type="password")
        elif store.doors_need_key() and not mine:
            typed = st.text_input(_("Your facilitator key"), type="password")
            st.caption(
                _("This server has workshops already, so a new one needs the facilitator key of a workshop you run here.")
                + " "
                + key_characters()
            )
        if st.form_submit_button(_("Create workshop"), type="primary"):
            return _create(store, title, organisation, held_on, notes, teams, country, typed or mine, language)
    return None


def _create(
    store: Store, title, organisation, held_on, notes, teams: str, country, creator_key: str | None, language: str
) -> Workshop | None:
    if refuse_while_waiting("keys"):
        return None
    try:
        workshop, key = store.create_workshop(
            title, organisation, held_on, notes, teams.splitlines(), creator_key=creator_key, country=country, language=language
        )
    except AccessDenied as refusal:
        count("keys")
        show_refusal(refusal)
        return None
    except WorkshopError as refusal:
        show_refusal(refusal)
        return None
    remember_key(workshop.id, key)
    st.session_state["new_key"] = (workshop.id, key)
    return workshop


def key_gate(store: Store, workshop: Workshop) -> str | None:
    """The key this browser has proved for the workshop, or a form asking for it."""
    key = remembered_key(workshop.id)
    if key:  # remembered only after the store accepted it; keys never change, so no scrypt on every rerun
        return key
    with st.form("facilitator-key"):
        st.write(
            _("Facilitating **{title}** needs its facilitator key (shown once when it was created).").format(
                title=plain(workshop.title)
            )
        )
        typed = st.text_input(_("Facilitator key"), type="password", help=key_characters())
        if st.form_submit_button(_("Unlock"), type="primary") and not refuse_while_waiting("keys"):
            if store.key_is_valid(workshop.id, typed):  # a scrypt check: after a few wrong keys, not even that
                remember_key(workshop.id, normalise_key(typed))
                st.rerun()
            count("keys")
            st.error(_("That facilitator key is not right for this workshop."))
    return None


def show_new_key(workshop: Workshop) -> None:
    """Right after Create workshop: the key in a dialog that only its button closes, never on the page behind it
    (the laptop is often mirrored to the room)."""
    shown = st.session_state.get("new_key")
    if shown and shown[0] == workshop.id:
        # The dialog is made here, not at import, so its title is in the page's language.
        st.dialog(_("Your facilitator key"), width="medium", dismissible=False)(in_language(_key_dialog))(workshop, shown[1])


def _key_dialog(workshop: Workshop, key: str) -> None:
    st.markdown(
        _(
            "Save this key now: it is shown **only once**, here. It is needed to run this workshop from another "
            "browser or after this tab is closed."
        )
    )
    st.code(key, language=None)
    st.caption(_("Use the copy button at the right of the key, or download it.") + " " + key_characters())
    st.download_button(
        _("Download the key (text file)"),
        key_file_text(workshop, key),
        file_name=f"facilitator-key-{workshop.join_code}.txt",
        mime="text/plain",
        icon="⬇️",
        on_click="ignore",
    )
    if st.button(_("I have saved the key"), type="primary"):
        del st.session_state["new_key"]
        st.rerun()


def key_file_text(workshop: Workshop, key: str) -> str:
    lines = [
        _("ABC workshop: {title}").format(title=workshop.title),
        _("Organisation: {organisation}").format(organisation=workshop.organisation),
        _("Join code: {code}").format(code=workshop.join_code),
        _("Facilitator key: {key}").format(key=key),
        "",
        _("Keep this key private: whoever has it can run the workshop. It is not stored anywhere in readable form."),
    ]
    return "\n".join(lines) + "\n"


def links_panel(workshop: Workshop) -> None:
    link = join_url(workshop.join_code)
    st.markdown(_("Join code **{code}** · participants open").format(code=workshop.join_code))
    st.code(link, language=None)
    if is_local_only(link):
        st.warning(
            _(
                "Phones cannot open a localhost address. Open this page through the machine's network address, "
                "or start the app with ABC_PUBLIC_URL set to the address the room can reach."
            ),
            icon="📵",
        )
    st.link_button(_("Open the projector screen"), projector_url(workshop.join_code), icon="📽️")


def joining_panel(store: Store, workshop: Workshop, key: str) -> None:
    """Until when the join code lets people join, and the button that ends the workshop now (README.md, "Doors")."""
    if workshop.takes_new_participants(iso_now()):
        st.caption(
            _(
                "New people can join until {time} UTC (the end of the second day after the workshop's date), "
                "or until you end the workshop."
            ).format(time=(workshop.joining_ends or "")[:16].replace("T", " "))
        )
        if st.button(_("End the workshop: no more joining"), key="end-workshop"):
            attempt(lambda: store.end_workshop(workshop.id, key), rerun=True)
        return
    st.caption(_("The workshop has ended: nobody new can join. Everyone who joined keeps their pages."))
    if workshop.ended_by_facilitator and st.button(_("Let people join again"), key="reopen-joining"):
        attempt(lambda: store.end_workshop(workshop.id, key, ended=False), rerun=True)


def teams_panel(store: Store, workshop: Workshop, key: str) -> None:
    teams = store.teams(workshop.id)
    st.write(", ".join(plain(t.name) for t in teams) if teams else _("No teams yet: participants join without one."))
    with st.form("add-team", clear_on_submit=True):
        name = st.text_input(_("New team"), max_chars=60)
        if st.form_submit_button(_("Add team")):
            attempt(lambda: store.add_team(workshop.id, key, name), rerun=True)


def new_round_form(store: Store, workshop: Workshop, key: str) -> Round | None:
    """The round just created, or None; a refusal is shown in the form."""
    decks = store.decks()
    with st.form("new-round", clear_on_submit=False):
        question = st.text_input(
            _("Question"), value=_("Which worst practices do you recognise in our organisation?"), max_chars=300
        )
        deck = st.selectbox(
            _("Deck"),
            decks,
            format_func=lambda d: ngettext("{name} ({n} card)", "{name} ({n} cards)", d.card_count).format(
                name=d.name, n=d.card_count
            ),
        )
        perspectives = list(Perspective)  # passed as list(Perspective), mypy matches it to selectbox's no-options overload
        perspective = st.selectbox(_("Perspective"), perspectives, format_func=perspective_name)
        own_words = st.text_input(_("Own wording of the perspective (only for 'Own wording')"), max_chars=120)
        left, middle = st.columns(2)
        pick_limit = left.number_input(
            _("Cards each participant picks"),
            1,
            MAX_PICK_LIMIT,
            10,
            help=_("10 like the paper method; 3 for a final round"),
        )
        timer_minutes = middle.number_input(_("Timer in minutes (0 = none)"), 0.0, 180.0, 0.0, step=0.5)
        show_names = st.checkbox(_("Show participants' names to the facilitator"))
        if st.form_submit_button(_("Create round"), type="primary"):
            spec = RoundSpec(
                question=question,
                deck_id=deck.id if deck else 0,
                perspective=perspective,
                perspective_label=own_words,
                pick_limit=int(pick_limit),
                timer_seconds=round(timer_minutes * 60) or None,
                show_names=show_names,
            )
            try:
                return store.create_round(workshop.id, key, spec)
            except WorkshopError as refusal:
                show_refusal(refusal)
    return None


def round_controls(store: Store, rnd: Round, key: str) -> None:
    """The buttons that move a round along; only those valid in its state are shown."""
    # The English label is also the button's key, which never changes with the language.
    by_state: dict[RoundState, list[tuple[str, Callable[[int, str], Round], Literal["primary", "secondary"]]]] = {
        RoundState.DRAFT: [(N_("Open voting"), store.open_round, "primary")],
        RoundState.OPEN: [
            (N_("Close voting"), store.close_round, "secondary"),
            (N_("Close and reveal"), store.reveal_round, "primary"),
        ],
        RoundState.CLOSED: [(N_("Reveal"), store.reveal_round, "primary"), (N_("Reopen"), store.reopen_round, "secondary")],
        RoundState.REVEALED: [(N_("Reopen"), store.reopen_round, "secondary")],
    }
    actions = by_state[rnd.state]
    columns = st.columns(len(actions) + 1)
    for column, (label, action, kind) in zip(columns, actions):
        if column.button(_(label), key=f"{label}-{rnd.id}", type=kind):
            attempt(partial(action, rnd.id, key), rerun=True)
    if rnd.state is not RoundState.DRAFT:
        with columns[-1].popover(_("Reset…")):
            reason = st.text_input(_("Why reset? (logged)"), key=f"reset-reason-{rnd.id}", max_chars=300)
            if st.button(_("Reset this round"), key=f"reset-{rnd.id}"):
                attempt(lambda: store.reset_round(rnd.id, key, reason), rerun=True)


DECKS_LISTED = 20


def deck_list(store: Store) -> None:
    """The decks, newest last; beyond DECKS_LISTED, the Decks page lists them all."""
    decks = store.decks()
    for deck in decks[:DECKS_LISTED]:
        st.write(
            ngettext("**{name}** · {n} card · {source}", "**{name}** · {n} cards · {source}", deck.card_count).format(
                name=plain(deck.name), n=deck.card_count, source=plain(deck.source)
            )
        )
    if len(decks) > DECKS_LISTED:
        more = len(decks) - DECKS_LISTED
        st.caption(
            ngettext(
                "And {n} more deck: the Decks page lists every one.",
                "And {n} more decks: the Decks page lists every one.",
                more,
            ).format(n=more)
        )


def deck_upload(store: Store, workshop: Workshop, key: str) -> None:
    st.caption(
        # Translators: id, type, theme, title and description are the file's column names: keep them in English.
        _("A CSV file with the columns id, type (A, B or C), theme, title, description — see cards/README.md.")
    )
    with st.form("deck-upload", clear_on_submit=True):
        st.html(DECK_UPLOAD_STYLE)
        upload = st.file_uploader(
            _("Deck file (CSV, at most {kb} KB)").format(kb=MAX_DECK_BYTES // 1024),
            type=["csv"],
            max_upload_size=1,
            key="deck-file",
        )
        name = st.text_input(_("Deck name"), max_chars=80)
        if st.form_submit_button(_("Load deck")):
            if upload is None:
                st.error(_("Choose a deck file first."))
            else:
                attempt(
                    lambda: store.import_deck(workshop.id, key, name, upload.name, upload.getvalue()),
                    success=_("Deck loaded"),
                )


def event_log(store: Store, workshop: Workshop, key: str) -> None:
    """The workshop's log, its lines and column names in the page's language (lines logged before the log kept its
    messages, in English as written: store/schema_events.py)."""
    events = store.events(workshop.id, key)
    table = pd.DataFrame([e.__dict__ for e in events], columns=["at", "kind", "detail", "round_id"])
    headers = {"at": _("When"), "kind": _("Event"), "detail": _("Detail"), "round_id": _("Round")}
    st.dataframe(table.rename(columns=headers), hide_index=True, width="stretch")
