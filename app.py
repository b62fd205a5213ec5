"""The ASGI app serve.py runs (`streamlit run app.py`): Streamlit's st.App over dashboard.py, behind the sign-in
gate (ui.gate), a pure-ASGI middleware that checks page requests and the websocket alike."""

import streamlit as st
from starlette.middleware import Middleware

from ui.gate import Gate

app = st.App("dashboard.py", middleware=[Middleware(Gate)])
