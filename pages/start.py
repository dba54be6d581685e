"""Start page: participants type the join code; facilitators go on to run a workshop."""

import streamlit as st

from ui.forms import join_code_form
from ui.store import get_store

store = get_store()

st.title("🧊 ABC Workshop")
st.write(
    "Surface the hidden iceberg of attitude, behaviour and culture in IT: pick the worst-practice cards "
    "you recognise, compare them with what your users pick, and agree what to change."
)

join, run = st.columns(2, gap="large")
with join:
    st.subheader("Join a workshop")
    workshop = join_code_form(store, "join", button="Join")
    if workshop:
        st.switch_page("../pages/vote.py", query_params={"w": workshop.join_code})
with run:
    st.subheader("Run a workshop")
    st.write("Create a workshop, add teams and run card-voting rounds that the room joins from their phones.")
    st.page_link("../pages/facilitate.py", label="Facilitate a workshop", icon="🎛️")
    st.page_link("../pages/projector.py", label="Open a projector screen", icon="📽️")
    st.page_link("../pages/compare.py", label="Compare workshops (for leads)", icon="📊")
    st.page_link("../pages/programme.py", label="Between workshops: the outside-in programme", icon="🔭")
