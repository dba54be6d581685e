"""Compare page for leads: patterns across every finished round of every workshop, filtered and exported.

Only the open tab computes anything (tabs bound to the address, so a view can be bookmarked).
"""

import streamlit as st

from ui import compare as cards
from ui import compare_impact as after
from ui.compare_export import export_view
from ui.compare_filters import describe, filter_bar
from ui.imports import import_view, lead_access
from ui.store import get_store

store = get_store()
st.title("📊 Compare workshops")
st.caption(
    "Which worst practices teams recognise, what IT thinks its users would pick against what they pick, how a card "
    "moves over the years, what teams judged and did next, and how statements compare across countries."
)
key = lead_access(store)
if key is None:
    st.stop()

chosen = filter_bar(store)
overview = store.compare_overview(chosen)
scope = describe(
    chosen, {deck["id"]: deck["name"] for deck in store.filter_choices()["decks"]}, store.workshop_names(chosen.workshop_ids)
)
for column, (label, value, explained) in zip(
    st.columns(5),
    [
        (
            "Ballots",
            overview["ballots"],
            "Participants' ballots: one per participant and finished round, so a participant of two rounds counts twice.",
        ),
        ("Workshops", overview["workshops"], "Workshops with at least one finished round in the selection."),
        ("Rounds", overview["rounds"], "Finished (closed or revealed) rounds; open rounds do not count yet."),
        ("Organisations", overview["organisations"], None),
        ("Countries", overview["countries"], "Workshops without a country are not counted here."),
    ],
):
    column.metric(label, f"{value:,}", help=explained)

rankings = store.published_rankings(chosen)["round_id"].nunique()
if rankings:
    st.caption(
        f"Also in the selection: {rankings:,} published ranking{'s' if rankings != 1 else ''} (ranks only, no counts; "
        "shown as ranks on Top cards and Trend)."
    )
st.page_link("../pages/decks.py", label="Decks: every card with its id, type, theme and correspondences", icon="🃏")

views = {
    "Top cards": lambda: cards.top_cards_view(store, chosen, scope),
    "Heatmap": lambda: cards.heatmap_and_profile_view(store, chosen, scope, profile=False),
    "A/B/C profile": lambda: cards.heatmap_and_profile_view(store, chosen, scope, profile=True),
    "Users vs IT": lambda: cards.gap_view(store, chosen),
    "Trend": lambda: cards.trend_view(store, chosen, scope),
    "Impact": lambda: after.impact_view(store, chosen, scope),
    "Statements": lambda: after.statements_view(store, chosen),
    "Export": lambda: export_view(store, chosen, scope, key),
    "Import": lambda: import_view(store, key),
}
for tab, view in zip(st.tabs(list(views), key="view", bind="query-params"), views.values()):
    if tab.open:
        with tab:
            view()
