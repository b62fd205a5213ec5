"""Production launcher (PERFORMANCE.md §4): heavy imports, gc.freeze(), TCP_NODELAY on the listening socket, then
`streamlit run dashboard.py` with the given arguments, e.g. `python serve.py --server.port 8501`.

Patches the private `_bind_socket` of Streamlit 1.67's Starlette server; tests fail loudly if it is renamed.
"""

from __future__ import annotations

import gc
import socket
import sys
from pathlib import Path

import pandas  # noqa: F401  heavy imports first, so gc.freeze() moves them out of every collection
import plotly.graph_objects  # noqa: F401
import sqlalchemy  # noqa: F401
import streamlit.web.server.starlette.starlette_server as server
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main as streamlit_main

import ui  # noqa: F401  the app's own modules too: the first visitor does not import them, gc.freeze() covers them

APP = Path(__file__).resolve().parent / "dashboard.py"
_original_bind = server._bind_socket


def bind_nodelay(*args, **kwargs) -> socket.socket:
    """Return Streamlit's listening socket with TCP_NODELAY set (accepted sockets inherit it on Linux)."""
    sock = _original_bind(*args, **kwargs)
    # the socket is created with proto 0, so asyncio never sets TCP_NODELAY: Nagle adds ~40 ms per burst
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def main(argv: list[str]) -> None:
    server._bind_socket = bind_nodelay
    # With a pages/ folder beside the entry file, Streamlit 1.67 starts in the legacy multipage mode until some
    # session runs dashboard.py; a first request for a deep link (/funds) would then run pages/funds.py alone,
    # without the router, its wide layout or its navigation. The router always calls st.navigation, so start in v2.
    PagesManager.uses_pages_directory = False
    gc.freeze()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
