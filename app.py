"""ABC Workshop: `streamlit run app.py`.

Serves ui/navigation.py (the pages) and, beside Streamlit's own routes, the live event stream that tells
open pages when what they show has changed (ui/live_routes.py, explained in the README).
"""

import streamlit as st

from ui.live_routes import lifespan, routes
from ui.store import refuse_weak_server_key

refuse_weak_server_key()  # a guessable server key opens every workshop: the server does not start with one
app = st.App("ui/navigation.py", routes=routes(), lifespan=lifespan)
