"""The projector's "evidence" view: what our scouts and customers saw that points at one card.

pages/projector.py shows it when the facilitator picks a card's evidence; people's words are escaped
before they go into the page's HTML (html_text: Streamlit's markdown reads it first). Sized for a 1920x1080
screen: at most three quotes, type >= 28 px. The rules name their class twice to outweigh ui/projector.css's
30 px for every paragraph of the projector.
"""

from __future__ import annotations

import streamlit as st

from abc_workshop.domain import CARD_COLOURS, CARD_TYPES, Workshop
from abc_workshop.i18n import _, ngettext
from abc_workshop.shown_text import html_text
from abc_workshop.store import Store

STYLE = """<style>
header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1.5rem; max-width: 100%;}
.stMarkdown .evidence-kicker.evidence-kicker {font-size: 30px; color: #555; margin: 0;}
.stMarkdown .evidence-card.evidence-card {font-size: 56px; font-weight: 800; line-height: 1.15; margin: .2rem 0 .8rem;}
.stMarkdown .evidence-counts.evidence-counts {font-size: 36px; font-weight: 700; margin-bottom: 1.2rem;}
.stMarkdown .evidence-quote.evidence-quote {font-size: 34px; line-height: 1.3; border-left: 10px solid #ccc; padding: .3rem 0 .3rem 1.2rem; margin: 0 0 1rem;
  overflow: hidden; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical;}
.stMarkdown .evidence-none.evidence-none {font-size: 34px; color: #555;}
</style>"""


def evidence_view(store: Store, workshop: Workshop, card_id: int | None) -> None:
    """One card, how many moments of truth point at it (negative and positive) and up to three quotes."""
    st.markdown(STYLE, unsafe_allow_html=True)
    card = store.card(card_id) if card_id is not None else None
    if card is None:
        none = html_text(_("The facilitator has not picked a card yet."))
        st.markdown(f"<p class='evidence-none'>{none}</p>", unsafe_allow_html=True)  # not translated: HTML around a message
        return
    evidence = store.evidence_for_card(workshop.id, card.id)
    colour = CARD_COLOURS[card.type]
    parts = [
        "<p class='evidence-kicker'>" + html_text(_("What our scouts and customers saw")) + "</p>",
        (
            f"<p class='evidence-card' style='color:{colour}'>{html_text(card.title)} <span style='font-size:30px;color:#555'>"
            f"({html_text(_(CARD_TYPES[card.type]))})</span></p>"
        ),
    ]
    if not evidence.moments:
        parts.append("<p class='evidence-none'>" + html_text(_("No moment of truth points at this card yet.")) + "</p>")
    else:
        counts = ngettext(
            "{n} moment of truth · 👎 {negative} negative · 👍 {positive} positive",
            "{n} moments of truth · 👎 {negative} negative · 👍 {positive} positive",
            evidence.moments,
        ).format(n=evidence.moments, negative=evidence.negative, positive=evidence.positive)
        parts.append(f"<p class='evidence-counts'>{html_text(counts)}</p>")
        parts.extend(f"<p class='evidence-quote'>“{html_text(quote)}”</p>" for quote in evidence.quotes)
    st.markdown("".join(parts), unsafe_allow_html=True)
