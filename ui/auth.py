"""Who the page run acts as: the account of the browser's session cookie (checked on every run, so a sign-out, an
idle session or a disabled account ends at the next request), or the operator while no account exists.

The gate in front of the server (`ui.gate`) already refused pages and the websocket to browsers without a live
session; this is the second check, made by the script itself, and the place the signed-in person is kept for the
run: `acting()` makes every read (through `ui.data`'s scope) and every write (through the core's actor) theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import config, roles
from jixiao_core.accounts import actor, sessions
from jixiao_core.accounts.actor import Actor
from ui.cache import engine

NOTICE_STATE = "_jx_auth_notice"  # a message for the sign-in prompt of the next run (signed out, ...)
_who: ContextVar[Actor | None] = ContextVar("jixiao_ui_who", default=None)
_accounts_seen: set[str] = set()  # database URLs known to hold accounts (they never stop existing: no delete)


def browser_token() -> str | None:
    """Return the session token the browser sent when it connected (tests replace this function)."""
    token = st.context.cookies.get(sessions.COOKIE)
    return token if isinstance(token, str) and token else None  # AppTest's client hands back a mock


def accounts_exist() -> bool:
    """Return whether the database holds accounts (so everyone signs in); remembered once true."""
    url = config.load().database_url
    if url in _accounts_seen:
        return True
    with Session(engine()) as s:
        found = actor.accounts_exist(s)
    if found:
        _accounts_seen.add(url)
    return found


def signed_in() -> Actor:
    """Return who this run acts as; when nobody is signed in (once accounts exist), show the way to the sign-in
    form and stop the run before anything else is drawn."""
    token = browser_token()
    with actor.signed_in(token), Session(engine()) as s, s.begin():
        person = actor.current(s, touch=True)
    if person.role is None:
        _sign_in_prompt()
    _who_box(person)
    return person


def _sign_in_prompt() -> None:
    st.title("绩效看板")
    notice = st.session_state.pop(NOTICE_STATE, None)
    if notice:
        st.success(notice)
    else:
        st.info("请先登录。会话已结束（已退出、超过空闲时限或账号已停用）时，也需要重新登录。")
    st.html('<a href="signin" target="_self">前往登录</a>')  # same tab: a markdown link opens a new one
    st.stop()


def _who_box(person: Actor) -> None:
    if person.account_id is None:
        return  # single-user mode: nobody signs in or out
    with st.sidebar:
        units = "、".join(person.units) if person.limited else "全部单位"
        st.caption(f"当前账号：{person.name}（{roles.ROLE_LABELS[person.role]}；{units}）")
        st.button("退出登录", key="signout", on_click=sign_out, icon=":material/logout:")


def sign_out() -> None:
    """End this browser's session on the server (the button's callback); the next run shows the sign-in link."""
    with Session(engine()) as s, s.begin():
        sessions.sign_out(s, browser_token())
    st.session_state[NOTICE_STATE] = "已退出登录。"


def manages(person: Actor) -> bool:
    """Return whether `person` sees the account pages: an admin, or anyone while no account exists (to create the
    first admin on their own machine)."""
    return person.may("accounts") or not accounts_exist()


@contextmanager
def acting(person: Actor) -> Iterator[None]:
    """Run the block as `person`: reads are scoped to their units, writes are checked against their session."""
    token = _who.set(person)
    try:
        with credential():
            yield
    finally:
        _who.reset(token)


def credential():
    """Return a context in which the core's writes act as this browser's session (also in a callback or a fragment
    rerun, which run outside the router's `acting` block)."""
    return actor.signed_in(browser_token())


def who() -> Actor:
    """Return who the current run acts as; outside the router's block (a fragment rerun, a callback, a test), the
    session of the browser's cookie, checked now, or with no cookie whoever the core says acts."""
    person = _who.get()
    if person is not None:
        return person
    with credential(), Session(engine()) as s:
        return actor.current(s)
