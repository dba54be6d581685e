"""Facilitator page: create or unlock a workshop, add teams, run rounds and see results before the room does."""

import streamlit as st

from abc_workshop import i18n
from abc_workshop.domain import RoundState
from abc_workshop.i18n import N_, _
from ui import facilitator as panels
from ui import facilitator_analysis as analysis
from ui import facilitator_rounds as rounds
from ui.downloads import report_downloads
from ui.forms import workshop_from_url
from ui.language import address_switch, for_room, room_language_setting
from ui.live import follow, live_progress
from ui.outside_in_facilitator import outside_in_panel
from ui.poll_admin import polls_panel
from ui.projector_status import projector_status
from ui.store import get_store, server_key
from ui.text import plain

SECTIONS = {
    "room": N_("Room"),
    "rounds": N_("Rounds"),
    "after": N_("After the vote"),
    "polls": N_("Polls"),
    "decks": N_("Decks"),
    "log": N_("Log"),
}


store = get_store()

if not st.query_params.get("w"):
    address_switch("../pages/facilitate.py")
    st.title(_("Facilitate a workshop"))
    create, existing = st.tabs([_("New workshop"), _("Open a workshop")])
    with create:
        created = panels.create_workshop_form(store, needs_server_key=bool(server_key()))
        if created:
            st.query_params["w"] = created.join_code
            st.rerun()
    with existing:
        workshop_from_url(store, "open-workshop")
    st.stop()

workshop = workshop_from_url(store, "open-workshop")
if workshop is None:
    st.stop()
for_room(workshop)
address_switch("../pages/facilitate.py")  # this page only; the room's language is set under Room
st.title(f"🎛️ {plain(workshop.title)}")
st.caption(plain(workshop.organisation) + (f" · {i18n.day(workshop.held_on)}" if workshop.held_on else ""))
key = panels.key_gate(store, workshop)
if key is None:
    st.stop()
panels.show_new_key(workshop)
status_line = st.container()  # what the projector shows, at the top; drawn once the page follows the room
# One section at a time, kept in the URL by its name (?section=Rounds): tabs would compute every section on every rerun.
section = st.segmented_control(
    _("Section"),
    list(SECTIONS),
    format_func=lambda section: _(SECTIONS[section]),
    default="room",
    required=True,
    key="section",
    bind="query-params",
    label_visibility="collapsed",
)
# What the facilitator does moves the workshop's version; of the teams' work, only the team on screen is
# followed, so 30 teams writing at once do not keep this page rerunning.
follow(store, workshop, ("version", *analysis.followed_team(store, workshop, section == "after")))
version = store.version(workshop.id)
with status_line:
    projector_status(store, workshop, key)
if section == "room":
    panels.links_panel(workshop)
    panels.joining_panel(store, workshop, key)
    room_language_setting(store, workshop, key)
    st.subheader(_("Teams"))
    panels.teams_panel(store, workshop, key)
elif section == "rounds":
    rnd = rounds.round_header(store, workshop, key)
    if rnd is not None and rnd.state is RoundState.OPEN:
        live_progress(store, rnd, version)
    rounds.round_body(store, workshop, rnd, version, key)
elif section == "after":
    st.subheader(_("Projector"))
    analysis.projector_controls(store, workshop, key)
    st.subheader(_("Reports"))
    report_downloads(store, workshop, key)
    st.subheader(_("Teams' analysis"))
    analysis.teams_analysis(store, workshop, key)
    st.subheader(_("Actions from earlier workshops of {organisation}").format(organisation=plain(workshop.organisation)))
    analysis.action_review(store, workshop, key)
    outside_in_panel(store, workshop, key)
elif section == "polls":
    polls_panel(store, workshop, key)
elif section == "decks":
    panels.deck_list(store)
    panels.deck_upload(store, workshop, key)
elif section == "log":
    panels.event_log(store, workshop, key)
