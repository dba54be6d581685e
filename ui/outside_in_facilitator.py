"""On the facilitator's page: the way to the organisation's outside-in programme, and the evidence per card
("what our scouts and customers saw") that the facilitator can put on the projector during the discussion."""

from __future__ import annotations

from functools import partial

import streamlit as st

from abc_workshop.domain import Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.store import Store
from ui import facilitator_analysis
from ui.feedback import attempt
from ui.text import plain


def projector_offers_evidence() -> bool:
    """True once the facilitator's projector control lists the "evidence" view: before that, a projected card
    would leave that control without a choice for what the projector shows, so no card is offered."""
    return "evidence" in getattr(facilitator_analysis, "VIEWS", {})


def outside_in_panel(store: Store, workshop: Workshop, key: str) -> None:
    st.subheader(_("What our scouts and customers saw"))
    st.page_link(
        "../pages/programme.py",  # not translated: a page's path
        label=_("Outside-in programme: visits, scouts, feedback channel"),
        icon="🔭",
        query_params={"w": workshop.join_code},
    )
    evidence_list(store, workshop, key)


def evidence_list(store: Store, workshop: Workshop, key: str) -> None:
    """Each card with moments of truth pointing at it: the count, the first quote and a projector button."""
    evidence = store.card_evidence(workshop.id)
    if not evidence:
        st.caption(_("No moment of truth from this organisation's scouts or feedback channel points at a card yet."))
        return
    projected = store.projector_view(workshop.id)
    can_project = projector_offers_evidence()
    for card_id, found in sorted(evidence.items(), key=lambda item: (-item[1].moments, item[0])):
        card = store.card(card_id)
        if card is None:  # evidence points at cards through their ids, so every one is there
            continue
        text, button = st.columns([5, 1], vertical_alignment="center")
        counted = ngettext(
            "**{title}** · 📣 {n} moment of truth (👎 {negative} · 👍 {positive})",
            "**{title}** · 📣 {n} moments of truth (👎 {negative} · 👍 {positive})",
            found.moments,
        )
        text.markdown(counted.format(title=plain(card.title), n=found.moments, negative=found.negative, positive=found.positive))
        if found.quotes:
            text.caption(f"“{plain(found.quotes[0])}”")
        showing = projected.get("mode") == "evidence" and projected.get("card_id") == card_id
        if can_project and button.button(
            _("On the projector") if showing else _("Project"),
            key=f"project-evidence-{card_id}",
            disabled=showing,
            help=_("Show this card's evidence on the projector"),
        ):
            attempt(
                partial(store.set_projector_view, workshop.id, key, "evidence", card_id=card_id),
                success=_("On the projector"),
                rerun=True,
            )
