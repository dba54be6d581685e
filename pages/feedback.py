"""The feedback channel (?c=CHANNEL): anyone in the business tells IT about a moment of truth, no account needed.
The writer's own link (?f=TOKEN) shows IT's answer."""

import streamlit as st

from abc_workshop.i18n import _
from ui import outside_in_channel as channel
from ui.guard import look_up
from ui.store import get_store
from ui.text import plain

store = get_store()
own = st.query_params.get("f")
if own:
    st.title("📬 " + _("Your feedback to IT"))
    missing = _("This link does not lead to any feedback. Check that it was copied whole.")
    item = look_up("codes", own, store.feedback_by_token, missing)
    if item is None:
        st.stop()
    channel.own_item(item)
    st.stop()

heading = st.empty()
not_valid = _("This feedback link is not valid. Ask IT for the channel's link or QR code.")
organisation = look_up("codes", st.query_params.get("c"), store.channel, not_valid)
if organisation is None:
    heading.title("📬 " + _("Tell IT"))
    if not st.query_params.get("c"):
        st.error(not_valid)
    st.stop()
heading.title("📬 " + _("Tell {organisation}'s IT about a moment of truth").format(organisation=plain(organisation.name)))
st.write(
    _("A moment when IT made your work easier or harder. IT acknowledges, answers and acts; you can follow it on your own link.")
)
token = channel.write_form(store, organisation)
if token:
    st.query_params.clear()
    st.query_params["f"] = token
    st.rerun()
