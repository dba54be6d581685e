"""The outside-in programme of a workshop's organisation: immersion visits and briefings, coverage, the
feedback inbox and the evidence per card. Needs the workshop's facilitator key (or the server's)."""

import streamlit as st

from ui import outside_in_inbox as inbox
from ui import outside_in_programme as programme
from ui.facilitator import key_gate
from ui.forms import workshop_from_url
from ui.outside_in_facilitator import evidence_list
from ui.store import get_store
from ui.text import plain

store = get_store()
st.title("🔭 Outside-in programme")
workshop = workshop_from_url(store, "programme-workshop")
if workshop is None:
    st.caption("Open it with the join code of one of the organisation's workshops.")
    st.stop()
key = key_gate(store, workshop)
if key is None:
    st.stop()
organisation = store.programme(workshop.id, key)
st.caption(
    f"{plain(organisation.name)} · scouts, customer immersion for everyone, and a feedback channel that is answered · "
    f"opened from {plain(workshop.title)}"
)
st.page_link("../pages/facilitate.py", label="Back to the workshop", icon="🎛️", query_params={"w": workshop.join_code})

visits_tab, coverage_tab, inbox_tab, evidence_tab, leads_tab = st.tabs(
    ["Visits", "Coverage", "Feedback channel", "Evidence", "For leads"], key="programme-tabs"
)
with visits_tab:
    with st.expander("➕ Plan an immersion visit"):
        programme.plan_visit_form(store, workshop, key)
    programme.visits_list(store, workshop, key)
with coverage_tab:
    programme.coverage_panel(store, workshop, key)
    with st.expander("Everyone in IT"):
        programme.people_panel(store, workshop, key)
with inbox_tab:
    inbox.channel_panel(store, workshop, key)
    inbox.inbox(store, workshop, key)
with evidence_tab:
    st.subheader("Evidence per card")
    evidence_list(store, workshop, key)
    st.subheader("Scouts' moments of truth")
    inbox.moments_panel(store, workshop, key)
with leads_tab:
    inbox.leads_panel(store, workshop, key)
