"""Start page: participants type the join code; facilitators go on to run a workshop."""

import streamlit as st

from abc_workshop.i18n import _
from ui.forms import join_code_form
from ui.store import get_store

store = get_store()

st.title("🧊 ABC Workshop")  # not translated: the app's name
st.write(
    _(
        "Surface the hidden iceberg of attitude, behaviour and culture in IT: pick the worst-practice cards "
        "you recognise, compare them with what your users pick, and agree what to change."
    )
)

join, run = st.columns(2, gap="large")
with join:
    st.subheader(_("Join a workshop"))
    workshop = join_code_form(store, "join", button=_("Join"))
    if workshop:
        st.switch_page("../pages/vote.py", query_params={"w": workshop.join_code})
with run:
    st.subheader(_("Run a workshop"))
    st.write(_("Create a workshop, add teams and run card-voting rounds that the room joins from their phones."))
    st.page_link("../pages/facilitate.py", label=_("Facilitate a workshop"), icon="🎛️")  # not translated: a page's path
    st.page_link("../pages/projector.py", label=_("Open a projector screen"), icon="📽️")  # not translated: a page's path
    st.page_link("../pages/compare.py", label=_("Compare workshops (for leads)"), icon="📊")  # not translated: a page's path
    st.page_link(
        "../pages/programme.py",  # not translated: a page's path
        label=_("Between workshops: the outside-in programme"),
        icon="🔭",
    )
