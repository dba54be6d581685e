"""Small forms more than one page needs."""

from __future__ import annotations

import streamlit as st

from abc_workshop.dates import iso_now
from abc_workshop.domain import NotFound, Participant, RoundState, Workshop, WorkshopError
from abc_workshop.i18n import N_, _
from abc_workshop.keys import JOIN_CODE_ALPHABET
from abc_workshop.store import Store
from ui.feedback import show_refusal
from ui.guard import count, guarded, refuse_while_waiting
from ui.text import plain_label


def _alphabet() -> dict[str, str]:
    """The letters and digits of join codes and keys (abc_workshop/keys.py), spaced for reading."""
    return {
        "letters": " ".join(c for c in JOIN_CODE_ALPHABET if c.isalpha()),
        "digits": " ".join(c for c in JOIN_CODE_ALPHABET if c.isdigit()),
    }


def code_characters() -> str:
    """Said next to every box where a join code is typed."""
    return _("Join codes use only the letters {letters} and the digits {digits}; small or capital letters both work.").format(
        **_alphabet()
    )


def key_characters() -> str:
    """Said next to every box where a facilitator key is typed."""
    return _(
        "Facilitator keys use only the letters {letters} and the digits {digits}; small or capital letters, spaces "
        "and dashes all work."
    ).format(**_alphabet())


def join_code_form(store: Store, form_key: str, button: str | None = None) -> Workshop | None:
    """A form for the join code; returns the workshop once a right code is submitted. `button`: its label, already
    translated (default: Continue)."""
    with st.form(form_key):
        typed = st.text_input(
            _("Join code"),
            max_chars=12,
            placeholder=_("e.g. {code}").format(code="K7PM4X"),
            help=_("It is shown on the projector.") + " " + code_characters(),
        )
        st.caption(code_characters())
        if st.form_submit_button(button or _("Continue"), type="primary"):
            return _by_code(store, typed)
    return None


def _by_code(store: Store, typed: str) -> Workshop | None:
    """The workshop of a typed code; wrong codes count against this browser (ui/guard.py), which then waits."""
    try:
        return guarded("codes", lambda: store.workshop_by_code(typed), failures=(NotFound,))
    except NotFound as refusal:
        show_refusal(refusal)
        return None


def workshop_from_url(store: Store, form_key: str) -> Workshop | None:
    """The workshop named by ?w=CODE; otherwise (or for a wrong code) the join-code form."""
    code = st.query_params.get("w")
    if code:
        found = _by_code(store, code)
        if found is not None:
            return found
    workshop = join_code_form(store, form_key)
    if workshop:
        st.query_params["w"] = workshop.join_code
        st.rerun()
    return None


NAMES_SHOWN = N_("In this workshop the facilitator sees who picked which cards in a round that says so on its ballot.")


def join_form(store: Store, workshop: Workshop) -> Participant | None:
    """Join with a name (or none) and a team; returns the new participant. Says so before anyone joins when a coming
    round shows names to the facilitator, and says when the workshop no longer takes new participants."""
    if not workshop.takes_new_participants(iso_now()):
        st.info(
            _(
                "This workshop has ended, so its join code no longer lets anyone join. If you took part, open the link "
                "your phone was given; otherwise ask the facilitator."
            ),
            icon="🔒",
        )
        return None
    teams = store.teams(workshop.id)
    named = any(r.show_names and r.state in (RoundState.DRAFT, RoundState.OPEN) for r in store.rounds(workshop.id))
    with st.form("join-workshop"):
        st.subheader(_("Join the workshop"))
        if named:
            st.caption(_(NAMES_SHOWN))
        name = st.text_input(_("Your name (leave empty to stay anonymous)"), max_chars=40)
        team = st.radio(_("Your team"), teams, format_func=lambda t: plain_label(t.name), index=None) if teams else None
        if st.form_submit_button(_("Join"), type="primary") and not refuse_while_waiting("joins"):
            try:
                joined = store.join(workshop.id, name, team.id if team else None)
            except WorkshopError as refusal:
                show_refusal(refusal)
            else:
                count("joins")
                return joined
    return None
