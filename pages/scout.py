"""A scout's personal page (?v=TOKEN), made for a phone: briefing, moments of truth, debrief. No account needed."""

import streamlit as st

from abc_workshop.i18n import _
from abc_workshop.outside_in import VisitStatus
from ui import outside_in_scout as scout
from ui.guard import look_up
from ui.store import get_store
from ui.text import plain

store = get_store()
token = st.query_params.get("v") or st.session_state.get("scout_token")
st.title("🔭 " + _("Immersion visit"))
not_valid = _("This scout link is not valid. Ask the programme's lead for your personal link.")
visit = look_up("codes", token, store.visit_by_token, not_valid)
if visit is None:
    if not token:
        st.error(not_valid)
    st.stop()
st.session_state["scout_token"] = visit.token
st.query_params["v"] = visit.token
st.caption(plain(f"{visit.person} · {visit.team} · {visit.role}"))
scout.briefing(visit)
if visit.status is VisitStatus.CANCELLED:
    st.warning(_("This visit was cancelled; nothing more can be recorded for it."))
else:
    st.subheader(_("Record a moment of truth"))
    scout.moment_form(store, visit)
scout.recorded(store, visit)
if visit.status is not VisitStatus.CANCELLED:
    st.subheader(_("Debrief"))
    scout.debrief_form(store, visit)
