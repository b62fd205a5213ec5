"""Production launcher (PERFORMANCE.md §4): heavy imports, gc.freeze(), TCP_NODELAY on the listening socket, then
`streamlit run app.py` (dashboard.py behind the sign-in gate) with the given arguments, e.g.
`python serve.py --server.port 8501`.

Patches the private `_bind_socket` of Streamlit 1.67's Starlette server; tests fail loudly if it is renamed.
While no account exists (single-user mode) it listens on 127.0.0.1 only, whatever address was asked for.
"""

from __future__ import annotations

import gc
import os
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

APP = Path(__file__).resolve().parent / "app.py"
LOOPBACK = "127.0.0.1"
_original_bind = server._bind_socket


def bind_nodelay(*args, **kwargs) -> socket.socket:
    """Return Streamlit's listening socket with TCP_NODELAY set (accepted sockets inherit it on Linux)."""
    sock = _original_bind(*args, **kwargs)
    # the socket is created with proto 0, so asyncio never sets TCP_NODELAY: Nagle adds ~40 ms per burst
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def accounts_exist() -> bool:
    """Return whether the configured database holds an account; False when it cannot tell (fail safe)."""
    from sqlalchemy.orm import Session

    from jixiao_core import config, db
    from jixiao_core.accounts import actor

    try:
        engine = db.make_engine(config.database_url())
        with Session(engine) as s:
            return actor.accounts_exist(s)
    except Exception:  # noqa: BLE001 - no schema yet, or the database is away: treat as single-user
        return False


def single_user_address(argv: list[str], has_accounts: bool) -> list[str]:
    """Return the arguments, bound to the loopback address unless an account exists (everyone then signs in)."""
    if has_accounts:
        return argv
    out, skip = [], False
    for arg in argv:
        if skip or arg.startswith("--server.address="):
            skip = False
            continue
        if arg == "--server.address":
            skip = True
            continue
        out.append(arg)
    print(
        f"尚无账号：单用户模式，仅在本机 {LOOPBACK} 提供服务；创建管理员账号后重新启动，即可供他人登录使用。"
    )
    return [*out, "--server.address", LOOPBACK]


def main(argv: list[str]) -> None:
    server._bind_socket = bind_nodelay
    # With a pages/ folder beside the entry file, Streamlit 1.67 starts in the legacy multipage mode until some
    # session runs dashboard.py; a first request for a deep link (/funds) would then run pages/funds.py alone,
    # without the router, its wide layout or its navigation. The router always calls st.navigation, so start in v2.
    PagesManager.uses_pages_directory = False
    # uvicorn would otherwise replace the peer address with X-Forwarded-For from 127.0.0.1; the gate does that
    # itself for JIXIAO_TRUSTED_PROXIES only, and must see the real peer to trust a single-sign-on header
    os.environ["FORWARDED_ALLOW_IPS"] = ""
    argv = single_user_address(argv, accounts_exist())
    gc.freeze()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
