"""Facilitator page: create or unlock a workshop, add teams, run rounds and see results before the room does."""

import streamlit as st

from abc_workshop.domain import RoundState
from ui import facilitator as panels
from ui import facilitator_analysis as analysis
from ui.forms import workshop_from_url
from ui.live import follow, live_progress
from ui.page_setup import configure_page
from ui.poll_admin import polls_panel
from ui.projector_status import projector_status
from ui.store import get_store, server_key
from ui.text import plain

configure_page()

store = get_store()

if not st.query_params.get("w"):
    st.title("Facilitate a workshop")
    create, existing = st.tabs(["New workshop", "Open a workshop"])
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
version = store.version(workshop.id)
st.title(f"🎛️ {plain(workshop.title)}")
st.caption(f"{plain(workshop.organisation)}" + (f" · {workshop.held_on}" if workshop.held_on else ""))
key = panels.key_gate(store, workshop)
if key is None:
    st.stop()
panels.show_new_key(workshop)
projector_status(store, workshop, key)
follow(lambda: store.version(workshop.id), version)  # teams' notes, decisions and actions appear as they are written

setup, rounds_tab, analysis_tab, polls_tab, decks_tab, log_tab = st.tabs(
    ["Room", "Rounds", "After the vote", "Polls", "Decks", "Log"], key="facilitator-tabs"
)
with setup:
    panels.links_panel(workshop)
    st.subheader("Teams")
    panels.teams_panel(store, workshop, key)
with rounds_tab:
    rounds = store.rounds(workshop.id)
    for rnd in reversed(rounds):
        live = rnd.id == workshop.current_round_id
        label = f"{panels.STATE_ICONS[rnd.state]} Round {rnd.position} · {rnd.state.value} · {plain(rnd.question)}"
        with st.expander(label, expanded=live or rnd.state is RoundState.DRAFT):
            st.caption(f"{plain(rnd.perspective_text)} · {rnd.pick_limit} picks" + (f" · timer {rnd.timer_seconds // 60}:{rnd.timer_seconds % 60:02d}" if rnd.timer_seconds else "") + (f" · attempt {rnd.attempt}" if rnd.attempt > 1 else ""))
            panels.round_controls(store, rnd, key)
            if rnd.state is RoundState.OPEN:
                live_progress(store, rnd, version)
            elif rnd.state is not RoundState.DRAFT:
                panels.round_results(store, rnd, version, key)
    with st.expander("➕ New round", expanded=not rounds):
        panels.new_round_form(store, workshop, key)
with analysis_tab:
    st.subheader("Projector")
    analysis.projector_controls(store, workshop, key)
    analysis.report_downloads(store, workshop, key)
    st.subheader("Teams' analysis")
    analysis.teams_analysis(store, workshop, key)
    st.subheader(f"Actions from earlier workshops of {plain(workshop.organisation)}")
    analysis.action_review(store, workshop, key)
with polls_tab:
    polls_panel(store, workshop, key)
with decks_tab:
    for deck in store.decks():
        st.write(f"**{plain(deck.name)}** · {deck.card_count} cards · {plain(deck.source)}")
    panels.deck_upload(store, workshop, key)
with log_tab:
    panels.event_log(store, workshop, key)
