"""An unexpected error on a page: one sentence for the person, and the details in the server's log.

.streamlit/config.toml sets client.showErrorDetails to "none", so Streamlit itself never sends a traceback or a
server path to a browser; this wrapper, around every page (ui/navigation.py), says what to do instead of
Streamlit's generic line, and logs what happened for whoever runs the server.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.errors import FragmentHandledException

from abc_workshop.domain import Busy
from abc_workshop.i18n import N_, _

LOG = logging.getLogger("abc_workshop.pages")
SORRY = N_("Something went wrong on our side: please reload the page, and if it happens again, tell the facilitator.")


def run_page(page) -> None:
    """Run the page chosen by st.navigation; an error that escapes it becomes SORRY on the page and a log line.

    A write the database refused as busy is its own sentence (try again in a moment). Streamlit's own control flow (st.rerun, st.stop, st.switch_page) is not an Exception and passes through, and so
    does an error a fragment already reported."""
    try:
        page.run()
    except FragmentHandledException:
        raise
    except Busy as busy:  # another program held the write lock past the busy timeout: nothing was written
        st.error(str(busy), icon="⏳")
    except Exception:
        LOG.exception(
            "Unexpected error on the page %s",  # not translated: a log line for whoever runs the server
            getattr(page, "url_path", None) or "start",
        )
        st.error(_(SORRY), icon="⚠️")
