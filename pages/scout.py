"""A scout's personal page (?v=TOKEN), made for a phone: briefing, moments of truth, debrief. No account needed."""

import streamlit as st

from abc_workshop.outside_in import VisitStatus
from ui import outside_in_scout as scout
from ui.store import get_store
from ui.text import plain


store = get_store()
token = st.query_params.get("v") or st.session_state.get("scout_token")
visit = store.visit_by_token(token)
st.title("🔭 Immersion visit")
if visit is None:
    st.error("This scout link is not valid. Ask the programme's lead for your personal link.")
    st.stop()
st.session_state["scout_token"] = visit.token
st.query_params["v"] = visit.token
st.caption(plain(f"{visit.person} · {visit.team} · {visit.role}"))
scout.briefing(visit)
if visit.status is VisitStatus.CANCELLED:
    st.warning("This visit was cancelled; nothing more can be recorded for it.")
else:
    st.subheader("Record a moment of truth")
    scout.moment_form(store, visit)
scout.recorded(store, visit)
if visit.status is not VisitStatus.CANCELLED:
    st.subheader("Debrief")
    scout.debrief_form(store, visit)
