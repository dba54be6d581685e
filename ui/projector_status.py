"""The facilitator's one line about the projector: what the room sees now, one click back to the live round,
and, on a revealed result, one click on to the next page of teams' results."""

from __future__ import annotations

import streamlit as st

from abc_workshop.domain import Workshop
from abc_workshop.i18n import _
from abc_workshop.projector import LIVE
from abc_workshop.store import Store
from ui.feedback import attempt
from ui.text import plain


def projector_status(store: Store, workshop: Workshop, key: str) -> None:
    now = store.projector_now(workshop.id)
    line, button = st.columns([4, 1], vertical_alignment="center")
    line.markdown("📽️ " + _("Projector shows: **{view}**").format(view=plain(now.sentence)))
    if not now.live and button.button(_("Show the live round"), key="projector-live", icon="↩️"):
        attempt(lambda: store.set_projector_view(workshop.id, key, LIVE), rerun=True)
    elif now.kind == "result" and now.pages and button.button(now.next_page_label, key="projector-next-page", icon="▶️"):
        attempt(lambda: store.show_next_result_page(workshop.id, key), rerun=True)
