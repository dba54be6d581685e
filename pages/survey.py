"""A survey's own page (?s=CODE): anyone with the link answers a poll's statements, anonymously, for as long as
the facilitator leaves it open. The participant's token in ?p= keeps their answers changeable."""

from functools import partial

import streamlit as st

from abc_workshop.domain import NotFound
from abc_workshop.i18n import _
from ui.feedback import show_refusal
from ui.guard import guarded
from ui.polls import survey_page
from ui.store import get_store

store = get_store()
code = st.query_params.get("s")
if not code:
    st.title("💬 " + _("Survey"))
    st.info(_("Open the survey link you were given: it ends in ?s= and a code."), icon="🔗")
    st.stop()
try:
    poll = guarded("codes", partial(store.poll_by_code, code), failures=(NotFound,))
except NotFound as refusal:
    show_refusal(refusal)
    poll = None
if poll is None:
    st.title("💬 " + _("Survey"))
    st.stop()
survey_page(store, poll)
