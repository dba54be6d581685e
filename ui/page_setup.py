"""What every page run needs first: the page's settings and the server's socket tuning.

Called by ui/navigation.py before every page. (navigation.py lives in ui/ so that its folder holds no
pages/ directory: Streamlit 1.67 runs a file of a pages/ folder beside the main script directly, without
the main script, when that address is the first opened after a start; bench/README.md, finding 4.)
"""

from __future__ import annotations

import streamlit as st

from ui.server_tuning import enable_tcp_nodelay


def configure_page() -> None:
    st.set_page_config(page_title="ABC Workshop", page_icon="🧊", layout="wide", initial_sidebar_state="collapsed")
    enable_tcp_nodelay()
