"""Decks page: each deck's cards with ids, types and themes, and how other decks' cards correspond to the default deck's."""

import streamlit as st

from ui.deck_page import deck_view
from ui.store import get_store

st.title("🃏 Decks")
st.caption(
    "Every card with the id an import file may use instead of its title. A deck's file can say which default-deck card "
    "each card counts as (a counts_as column, cards/README.md), or you set it below; comparisons then count them together."
)
st.page_link("../pages/compare.py", label="Back to Compare workshops", icon="📊")
deck_view(get_store())
