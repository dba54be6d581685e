"""The outside-in programme of a workshop's organisation: immersion visits and briefings, coverage, the
feedback inbox and the evidence per card. Needs the workshop's facilitator key (or the server's)."""

import streamlit as st

from abc_workshop.i18n import _
from ui import outside_in_inbox as inbox
from ui import outside_in_programme as programme
from ui.facilitator import key_gate
from ui.forms import workshop_from_url
from ui.language import address_switch, for_room
from ui.outside_in_facilitator import evidence_list
from ui.store import get_store
from ui.text import plain

store = get_store()
title = st.empty()  # drawn once the page knows whose language it speaks
workshop = workshop_from_url(store, "programme-workshop")
if workshop is None:
    title.title("🔭 " + _("Outside-in programme"))
    st.caption(_("Open it with the join code of one of the organisation's workshops."))
    st.stop()
for_room(workshop)
address_switch("../pages/programme.py")
title.title("🔭 " + _("Outside-in programme"))
key = key_gate(store, workshop)
if key is None:
    st.stop()
organisation = store.programme(workshop.id, key)
st.caption(
    _(
        "{organisation} · scouts, customer immersion for everyone, and a feedback channel that is answered · "
        "opened from {workshop}"
    ).format(organisation=plain(organisation.name), workshop=plain(workshop.title))
)
st.page_link(
    "../pages/facilitate.py",  # not translated: a page's path
    label=_("Back to the workshop"),
    icon="🎛️",
    query_params={"w": workshop.join_code},
)

visits_tab, coverage_tab, inbox_tab, evidence_tab, leads_tab = st.tabs(
    [_("Visits"), _("Coverage"), _("Feedback channel"), _("Evidence"), _("For leads")], key="programme-tabs"
)
with visits_tab:
    with st.expander("➕ " + _("Plan an immersion visit")):
        programme.plan_visit_form(store, workshop, key)
    programme.visits_list(store, workshop, key)
with coverage_tab:
    programme.coverage_panel(store, workshop, key)
    with st.expander(_("Everyone in IT")):
        programme.people_panel(store, workshop, key)
with inbox_tab:
    inbox.channel_panel(store, workshop, key)
    inbox.inbox(store, workshop, key)
with evidence_tab:
    st.subheader(_("Evidence per card"))
    evidence_list(store, workshop, key)
    st.subheader(_("Scouts' moments of truth"))
    inbox.moments_panel(store, workshop, key)
with leads_tab:
    inbox.leads_panel(store, workshop, key)
