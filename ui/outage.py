"""When the database is away: one Chinese notice instead of Streamlit's error page, and a look every few seconds
that brings the page back by itself once the database answers (nothing broken is kept: neither an engine nor an
error is cached, so the next run simply tries again)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import text

from jixiao_core.errors import DatabaseUnavailable
from ui.cache import engine

AWAY = "数据库暂时无法连接"
RETRY_SECONDS = 5


def database_away(e: DatabaseUnavailable) -> None:
    """Show that the database cannot be reached (why, without the password) and keep looking for it."""
    st.error(f"{AWAY}：{e.message}。恢复后本页会自动重新载入，无需重启。", icon=":material/cloud_off:")
    _look_again()


@st.fragment(run_every=RETRY_SECONDS)
def _look_again() -> None:
    if reachable():
        st.rerun(scope="app")


def reachable() -> bool:
    """Return whether the configured database answers now."""
    try:
        with engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except DatabaseUnavailable:
        return False
    return True
