"""The feedback channel (?c=CHANNEL): anyone in the business tells IT about a moment of truth, no account needed.
The writer's own link (?f=TOKEN) shows IT's answer."""

import streamlit as st

from ui import outside_in_channel as channel
from ui.store import get_store
from ui.text import plain


store = get_store()
own = st.query_params.get("f")
if own:
    item = store.feedback_by_token(own)
    st.title("📬 Your feedback to IT")
    if item is None:
        st.error("This link does not lead to any feedback. Check that it was copied whole.")
        st.stop()
    channel.own_item(item)
    st.stop()

organisation = store.channel(st.query_params.get("c"))
if organisation is None:
    st.title("📬 Tell IT")
    st.error("This feedback link is not valid. Ask IT for the channel's link or QR code.")
    st.stop()
st.title(f"📬 Tell {plain(organisation.name)}'s IT about a moment of truth")
st.write("A moment when IT made your work easier or harder. IT acknowledges, answers and acts; you can follow it on your own link.")
token = channel.write_form(store, organisation)
if token:
    st.query_params.clear()
    st.query_params["f"] = token
    st.rerun()
