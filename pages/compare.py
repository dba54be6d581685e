"""Compare page for leads: patterns across every finished round of every workshop, filtered and exported.

Only the open tab computes anything (tabs bound to the address, so a view can be bookmarked).
"""

import streamlit as st

from abc_workshop import i18n
from abc_workshop.i18n import _, ngettext
from ui import compare as cards
from ui import compare_impact as after
from ui.compare_export import export_view
from ui.compare_filters import describe, filter_bar
from ui.imports import import_view, lead_access
from ui.store import get_store

store = get_store()
st.title("📊 " + _("Compare workshops"))
st.caption(
    _(
        "Which worst practices teams recognise, what IT thinks its users would pick against what they pick, how a card "
        "moves over the years, what teams judged and did next, and how statements compare across countries."
    )
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
            _("Ballots"),
            overview["ballots"],
            _("Participants' ballots: one per participant and finished round, so a participant of two rounds counts twice."),
        ),
        (_("Workshops"), overview["workshops"], _("Workshops with at least one finished round in the selection.")),
        (_("Rounds"), overview["rounds"], _("Finished (closed or revealed) rounds; open rounds do not count yet.")),
        (_("Organisations"), overview["organisations"], None),
        (_("Countries"), overview["countries"], _("Workshops without a country are not counted here.")),
    ],
):
    column.metric(label, i18n.number(value), help=explained)

rankings = store.published_rankings(chosen)["round_id"].nunique()
if rankings:
    st.caption(
        ngettext(
            "Also in the selection: {n} published ranking (ranks only, no counts; shown as ranks on Top cards and Trend).",
            "Also in the selection: {n} published rankings (ranks only, no counts; shown as ranks on Top cards and Trend).",
            rankings,
        ).format(n=i18n.number(rankings))
    )
st.page_link(
    "../pages/decks.py",  # not translated: a page path
    label=_("Decks: every card with its id, type, theme and correspondences"),
    icon="🃏",
)

# The open tab is in the address (?view=…) by its label, so a bookmark opens the same view in the same language.
views = {
    _("Top cards"): lambda: cards.top_cards_view(store, chosen, scope),
    _("Heatmap"): lambda: cards.heatmap_and_profile_view(store, chosen, scope, profile=False),
    _("A/B/C profile"): lambda: cards.heatmap_and_profile_view(store, chosen, scope, profile=True),
    _("Users vs IT"): lambda: cards.gap_view(store, chosen),
    _("Trend"): lambda: cards.trend_view(store, chosen, scope),
    _("Impact"): lambda: after.impact_view(store, chosen, scope),
    _("Statements"): lambda: after.statements_view(store, chosen),
    _("Export"): lambda: export_view(store, chosen, scope, key),
    _("Import"): lambda: import_view(store, key),
}
for tab, view in zip(st.tabs(list(views), key="view", bind="query-params"), views.values()):
    if tab.open:
        with tab:
            view()
