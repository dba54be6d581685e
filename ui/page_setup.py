"""What every page run needs first: the page's settings and the server's socket tuning.

Called from app.py and again at the top of each page, because Streamlit runs a file in pages/
directly (without app.py) when the first visitor after a start opens its address, e.g. a phone
scanning the join QR code (seen in bench/README.md: TCP_NODELAY was then never set).
"""

from __future__ import annotations

import streamlit as st

from ui.server_tuning import enable_tcp_nodelay


def configure_page() -> None:
    st.set_page_config(page_title="ABC Workshop", page_icon="🧊", layout="wide", initial_sidebar_state="collapsed")
    enable_tcp_nodelay()
