"""Which page each address opens: the Streamlit script that app.py serves. Each page lives in pages/.

This file is in ui/, not beside pages/, so that Streamlit always runs it before a page (ui/page_setup.py
says why); page paths are therefore written from here ("../pages/vote.py").
"""

import streamlit as st

from abc_workshop.i18n import _
from ui.language import address_switch, first_guess
from ui.live import mount_listeners
from ui.page_errors import run_page
from ui.page_setup import configure_page

configure_page()
first_guess()  # the page then follows its workshop or participant, when it has one (ui/language.py)

pages = [
    st.Page("../pages/start.py", title="ABC Workshop", icon="🧊", default=True),
    st.Page("../pages/vote.py", title=_("Vote"), icon="🗳️", url_path="vote"),
    st.Page("../pages/team.py", title=_("Team"), icon="🧭", url_path="team"),
    st.Page("../pages/facilitate.py", title=_("Facilitate"), icon="🎛️", url_path="facilitate"),
    st.Page("../pages/projector.py", title=_("Projector"), icon="📽️", url_path="projector"),
    st.Page("../pages/compare.py", title=_("Compare workshops"), icon="📊", url_path="compare"),
    st.Page("../pages/decks.py", title=_("Decks"), icon="🃏", url_path="decks"),
    st.Page("../pages/survey.py", title=_("Survey"), icon="💬", url_path="survey"),
    st.Page("../pages/programme.py", title=_("Outside-in programme"), icon="🔭", url_path="programme"),
    st.Page("../pages/scout.py", title=_("Immersion visit"), icon="🔭", url_path="scout"),
    st.Page("../pages/feedback.py", title=_("Tell IT"), icon="📬", url_path="feedback"),
]
# Navigation is hidden: participants should land on their page and stay there; the start page
# and the facilitator's page link to everything else. The live listeners come last, also after a page
# that stopped early (ui/live.py, mount_listeners). A write the database refused as busy, or an unexpected error,
# is a sentence on the page (ui/page_errors.py). Pages read by one person at a time get a language switch on top;
# phones have their own (ui/language.py), and the projector speaks the room's language.
# The facilitator's and the programme's pages draw theirs once they know the room's language.
# The switch links by path: a link to the page object would carry the page's icon.
SWITCHED = {
    "": "../pages/start.py",
    "compare": "../pages/compare.py",
    "decks": "../pages/decks.py",
    "scout": "../pages/scout.py",
    "feedback": "../pages/feedback.py",
}
try:
    page = st.navigation(pages, position="hidden")
    if page.url_path in SWITCHED:
        address_switch(SWITCHED[page.url_path])
    run_page(page)
finally:
    mount_listeners()
