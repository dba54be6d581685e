"""A team's workspace after the vote: shortlist, impact notes and severity, the risk decision,
desirable behaviours and actions. Participants edit their own team's; the facilitator sees all.

Every panel takes `token` (a participant) or `key` (the facilitator); the store decides what each may do.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from functools import partial

import streamlit as st

from abc_workshop import i18n
from abc_workshop.analysis import HEADING_PROMPTS, HEADINGS, NOTE_LIMIT, STATEMENT_LIMIT, ActionStatus, RiskDecision, Topic
from abc_workshop.domain import Card
from abc_workshop.i18n import N_, _, pgettext
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.text import plain

TYPE_BADGES = {"A": ":orange-badge[A]", "B": ":blue-badge[B]", "C": ":green-badge[C]"}
PAGE = {"note": 8, "behaviour": 5, "action": 5, "poll": 10}  # shown at first per heading or list; a button adds as many again
# The button that shows more of a list: (kind, the first ones shown) -> its label, {n} the number not shown.
MORE = {
    ("note", True): N_("Show more notes ({n} not shown)"),
    ("note", False): N_("Show earlier notes ({n} not shown)"),
    ("behaviour", True): N_("Show more behaviours ({n} not shown)"),
    ("behaviour", False): N_("Show earlier behaviours ({n} not shown)"),
    ("action", True): N_("Show more actions ({n} not shown)"),
    ("action", False): N_("Show earlier actions ({n} not shown)"),
    ("poll", True): N_("Show more polls ({n} not shown)"),
    ("poll", False): N_("Show earlier polls ({n} not shown)"),
}
# The box for a new note under each heading (abc_workshop/analysis.py HEADINGS).
ADD_NOTE = {
    "value": N_("Add a note on value"),
    "outcomes": N_("Add a note on outcomes"),
    "costs": N_("Add a note on costs"),
    "risks": N_("Add a note on risks"),
}
# Who wrote something, when it is not a person's own name: the store's words for them (names.py keeps people from
# taking these names).
AUTHORS = {"Facilitator": N_("Facilitator"), "Anonymous": N_("Anonymous"), "Votes": N_("Votes")}
_NUMBERED_ANONYMOUS = re.compile(r"Anonymous #(\d+)")


def shown_author(name: str) -> str:
    """A note's, behaviour's or change's author as the page shows it: the app's own words translated, names as typed."""
    if name in AUTHORS:
        return _(AUTHORS[name])
    numbered = _NUMBERED_ANONYMOUS.fullmatch(name)
    if numbered:
        return _("Anonymous #{n}").format(n=numbered.group(1))
    return name


def status_name(status: ActionStatus) -> str:
    """An action's status as people read it (context "status": a state, as a round's is)."""
    names = {
        ActionStatus.OPEN: pgettext("status", "open"),
        ActionStatus.DONE: pgettext("status", "done"),
        ActionStatus.DROPPED: pgettext("status", "dropped"),
    }
    return names[status]


def due_text(due_on: str | None) -> str:
    """' · due 7 Dec 2026' after an action, or nothing when it has no date."""
    return " · " + _("due {date}").format(date=i18n.day(due_on)) if due_on else ""


def newest(items: list, kind: str, list_key: str, *, first: bool = False) -> list:
    """The newest of `items` (oldest first), or with `first` the first ones, a page at a time: however much a team
    writes, a run draws a bounded number of them, and a button shows more on request."""
    shown = st.session_state.get(f"shown-{list_key}", PAGE[kind])
    if len(items) > shown:
        label = _(MORE[(kind, first)]).format(n=len(items) - shown)
        if st.button(label, key=f"more-{list_key}", type="tertiary"):
            st.session_state[f"shown-{list_key}"] = shown + PAGE[kind]
            st.rerun()
    return items[:shown] if first else items[-shown:]


def shortlist_editor(
    store: Store,
    workshop_id: int,
    round_id: int,
    team_id: int,
    topics: list[Topic],
    cards: Sequence[Card],
    *,
    token=None,
    key=None,
) -> None:
    """Change the shortlist by agreement: the paper method chooses by value, outcomes, cost and risk, not only votes."""
    on_list = {t.card_id for t in topics}
    remove, add = st.columns(2)
    with remove.popover(_("Take a card off"), disabled=not topics, width="stretch"):
        for topic in topics:
            if st.button(plain(topic.card_title), key=f"off-{topic.id}"):
                attempt(partial(store.remove_from_shortlist, workshop_id, topic.id, token=token, key=key), rerun=True)
    with add.popover(_("Add a card"), width="stretch"):
        choices = [c for c in cards if c.id not in on_list]
        card = st.selectbox(
            _("Card"),
            choices,
            format_func=lambda c: c.title,
            index=None,
            key=f"add-card-{team_id}",
            placeholder=_("Search the deck"),
        )
        if st.button(_("Add to the shortlist"), key=f"add-{team_id}", disabled=card is None) and card is not None:
            attempt(lambda: store.add_to_shortlist(workshop_id, round_id, team_id, card.id, token=token, key=key), rerun=True)


def topic_panel(store: Store, workshop_id: int, topic: Topic, *, viewer_id: int | None = None, token=None, key=None) -> None:
    """Everything about one shortlisted card, editable by its team (and the facilitator)."""
    st.markdown(
        TYPE_BADGES[topic.card_type]
        + " "
        + _("**{title}** · picked by {n} in the team").format(title=plain(topic.card_title), n=topic.picks)
    )
    st.caption(_("What is the negative impact of this on the business?"))
    rows = [st.columns(2), st.columns(2)]
    for index, (heading, label) in enumerate(HEADINGS.items()):
        with rows[index // 2][index % 2].container(border=True):
            _heading_panel(store, workshop_id, topic, heading, label, viewer_id=viewer_id, token=token, key=key)
    with st.container(border=True):
        _decision_panel(store, workshop_id, topic, token=token, key=key)
    left, right = st.columns(2)
    with left.container(border=True):
        _behaviours_panel(store, workshop_id, topic, token=token, key=key)
    with right.container(border=True):
        _actions_panel(store, workshop_id, topic, token=token, key=key)


def _heading_panel(store, workshop_id, topic: Topic, heading: str, label: str, *, viewer_id, token, key) -> None:
    severity = topic.severities[heading]
    st.markdown(_("**{heading}** · severity {severity}").format(heading=_(label), severity=severity.describe()))
    for note in newest(topic.notes_under(heading, include_hidden=key is not None), "note", f"{topic.id}-{heading}"):
        marks = (" (" + _("edited") + ")" if note.edited else "") + (" · " + _("hidden") if note.hidden else "")
        line = f"{plain(note.text)}  \n:gray[— {plain(shown_author(note.author))}{marks}]"
        text, tools = st.columns([6, 1])
        text.markdown(line)
        if key is not None or (viewer_id is not None and note.author_id == viewer_id and not note.moderated):
            with tools.popover("✏️", help=_("Edit")):
                changed = st.text_area(_("Note"), note.text, max_chars=NOTE_LIMIT, key=f"edit-{note.id}")
                if st.button(_("Save"), key=f"save-{note.id}"):
                    attempt(partial(store.edit_note, workshop_id, note.id, changed, token=token, key=key), rerun=True)
                if key is not None and st.button(_("Show again") if note.hidden else _("Hide"), key=f"hide-{note.id}"):
                    attempt(partial(store.set_hidden, workshop_id, "note", note.id, not note.hidden, key=key), rerun=True)
    with st.form(f"note-{topic.id}-{heading}", clear_on_submit=True, border=False):
        new_text = st.text_input(_(ADD_NOTE[heading]), max_chars=NOTE_LIMIT, placeholder=_(HEADING_PROMPTS[heading]))
        if st.form_submit_button(_("Add note")):
            attempt(lambda: store.add_note(workshop_id, topic.id, heading, new_text, token=token, key=key), rerun=True)
    if token is not None:
        mine = topic.my_scores.get(heading)
        score = st.segmented_control(
            _("My severity score (1 minor – 5 severe)"), [1, 2, 3, 4, 5], default=mine, key=f"score-{topic.id}-{heading}-{mine}"
        )
        if score is not None and score != mine:
            attempt(lambda: store.set_score(workshop_id, topic.id, heading, score, token=token), rerun=True)


def _decision_panel(store, workshop_id, topic: Topic, *, token, key) -> None:
    current = _(topic.decision.label) if topic.decision else _("not recorded yet")
    reason = f" — {plain(topic.decision_reason)}" if topic.decision_reason else ""
    st.markdown(
        "**"
        + _("Is this an acceptable business risk?")
        + "** · "
        + _("now: {decision}").format(decision=current)
        + reason
        + (" :gray[· " + _("reason hidden by the facilitator") + "]" if topic.reason_hidden else "")
    )
    if (
        key is not None
        and topic.decision_reason
        and st.button(_("Show the reason again") if topic.reason_hidden else _("Hide the reason"), key=f"hide-r-{topic.id}")
    ):
        attempt(lambda: store.set_hidden(workshop_id, "reason", topic.id, not topic.reason_hidden, key=key), rerun=True)
    with st.form(f"decision-{topic.id}", border=False):
        options = list(RiskDecision)
        decision = st.radio(
            _("Decision"),
            options,
            format_func=lambda d: _(d.label),
            horizontal=True,
            index=options.index(topic.decision) if topic.decision else 2,
        )
        reason = st.text_input(
            _("Why (short)"), value="" if topic.reason_hidden and key is None else topic.decision_reason or "", max_chars=300
        )
        if st.form_submit_button(_("Record decision")):
            attempt(lambda: store.decide_risk(workshop_id, topic.id, decision, reason, token=token, key=key), rerun=True)


def _behaviours_panel(store, workshop_id, topic: Topic, *, token, key) -> None:
    st.markdown(_("**Desirable behaviour** — what will the business see when they walk around IT?"))
    for behaviour in newest([b for b in topic.behaviours if key is not None or not b.hidden], "behaviour", f"b-{topic.id}"):
        text, tools = st.columns([6, 1])
        hidden = " · " + _("hidden") if behaviour.hidden else ""
        text.markdown(f"“{plain(behaviour.statement)}”  \n:gray[— {plain(shown_author(behaviour.author))}{hidden}]")
        if key is not None and tools.button(
            "👁", key=f"hide-b-{behaviour.id}", help=_("Show again") if behaviour.hidden else _("Hide")
        ):
            attempt(partial(store.set_hidden, workshop_id, "behaviour", behaviour.id, not behaviour.hidden, key=key), rerun=True)
    with st.form(f"behaviour-{topic.id}", clear_on_submit=True, border=False):
        statement = st.text_input(
            _("In the business's words"), max_chars=STATEMENT_LIMIT, placeholder=_("We will tell you if we can't do it")
        )
        if st.form_submit_button(_("Add behaviour")):
            attempt(lambda: store.add_behaviour(workshop_id, topic.id, statement, token=token, key=key), rerun=True)


def _actions_panel(store, workshop_id, topic: Topic, *, token, key) -> None:
    st.markdown(_("**Actions** — who does what, by when"))
    for action in newest([a for a in topic.actions if key is not None or not a.hidden], "action", f"a-{topic.id}"):
        text, status = st.columns([3, 2])
        hidden = " · " + _("hidden") if action.hidden else ""
        text.markdown(f"{plain(action.what)}  \n:gray[{plain(action.owner)}{due_text(action.due_on)}{hidden}]")
        if key is not None and text.button(
            _("Show again") if action.hidden else _("Hide"), key=f"hide-a-{action.id}", type="tertiary"
        ):
            attempt(partial(store.set_hidden, workshop_id, "action", action.id, not action.hidden, key=key), rerun=True)
        options = list(ActionStatus)
        chosen = status.selectbox(
            _("Status"),
            options,
            index=options.index(action.status),
            format_func=status_name,
            key=f"status-{action.id}-{action.status.value}",
            label_visibility="collapsed",
        )
        if chosen is not action.status:
            attempt(partial(store.set_action_status, workshop_id, action.id, chosen, token=token, key=key), rerun=True)
    with st.form(f"action-{topic.id}", clear_on_submit=True, border=False):
        what = st.text_input(_("What"), max_chars=300, placeholder=_("Spend a day with the users of the billing system"))
        owner_column, due_column = st.columns(2)
        owner = owner_column.text_input(_("Owner"), max_chars=80)
        due_on = due_column.date_input(_("Due"), value=None, min_value=datetime.date.today() - datetime.timedelta(days=365))
        if st.form_submit_button(_("Add action")):
            attempt(lambda: store.add_action(workshop_id, topic.id, what, owner, due_on, token=token, key=key), rerun=True)
