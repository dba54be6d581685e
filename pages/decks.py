"""Decks page: each deck's cards with ids, types and themes, and how other decks' cards correspond to the default deck's."""

import streamlit as st

from abc_workshop.i18n import _
from ui.deck_page import deck_view
from ui.store import get_store

st.title("🃏 " + _("Decks"))
st.caption(
    _(
        "Every card with the id an import file may use instead of its title. A deck's file can say which default-deck "
        "card each card counts as (a counts_as column, cards/README.md), or you set it below; comparisons then count them "
        "together."
    )
)
st.page_link("../pages/compare.py", label=_("Back to Compare workshops"), icon="📊")  # not translated: a page path
deck_view(get_store())
