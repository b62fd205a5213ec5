"""The administrator's pieces: the account table and forms (add, reset a password, disable or enable, units, role)
and the log of who did what with its filters. Every change goes through `accounts.users`, which checks and logs it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import db, labels, roles
from jixiao_core.accounts import log, users
from jixiao_core.errors import InputError
from ui.auth import NOTICE_STATE, credential, manages, who
from ui.cache import ask, clear_caches, engine, version
from ui.data import unit_choices
from ui.forms import flash

PASSWORD_STATE = "_jx_new_password"  # (account, password) shown once after the rerun, then dropped


def require_manager() -> None:
    """Stop the page unless the person may manage accounts (the core checks again on every change)."""
    if not manages(who()):
        st.error("权限不足：管理账号需要管理员权限")
        st.stop()


def _known_units() -> list[str]:
    return [name for name, _ in unit_choices((), version())]


def accounts_table(key: str) -> pd.DataFrame:
    """Render every account (name, role, units, state, times); return the frame."""
    df = ask(users.listing)
    if df.empty:
        st.info(
            "尚无账号：此时为单用户模式，本机打开看板无需登录。新建第一个账号（须为管理员）后，所有人都需要登录。"
        )
        return df
    shown = df.assign(role=df["role"].map(roles.ROLE_LABELS))
    with st.container(key=key):
        st.dataframe(shown.rename(columns=labels.ACCOUNT_HEADERS), hide_index=True)
    return df


def show_new_password() -> None:
    """Show a password made on the previous run, once."""
    made = st.session_state.pop(PASSWORD_STATE, None)
    if made:
        st.warning(f"{made[0]} 的初始密码（只显示这一次，请转交本人）：`{made[1]}`", icon=":material/key:")


def _done(message: str, password: str | None = None, name: str = "") -> None:
    clear_caches()
    if password:
        st.session_state[PASSWORD_STATE] = (name, password)
    flash("success", message)


def _attempt(change) -> bool:
    try:
        with credential(), Session(db.writer(engine())) as s, s.begin():
            change(s)
    except InputError as e:
        st.error(str(e))
        return False
    return True


def add_account_form(key: str) -> None:
    """Render the form that creates an account; an empty password field makes a random one, shown once. The first
    account (an admin) needs a password typed here: from the next run on, this browser too must sign in."""
    first = ask(users.listing).empty
    with st.form(key, clear_on_submit=True):
        name = st.text_input("账号名称")
        role = st.selectbox(
            "角色", roles.ROLES, format_func=roles.ROLE_LABELS.get, index=2 if first else 0, disabled=first
        )
        units = st.multiselect(
            "可查看的单位（不选则为全部单位；管理员总是全部）", _known_units(), accept_new_options=True
        )
        hint = "管理员密码（至少 10 个字符）" if first else "初始密码（至少 10 个字符；留空则随机生成）"
        password = st.text_input(hint, type="password")
        submitted = st.form_submit_button("新建账号", type="primary")
    if not submitted:
        return
    if first and not password:
        st.error("请为第一个管理员账号设置密码：创建后所有人（包括本机）都需要登录")
        return
    made = {}
    role = "admin" if first else role
    if _attempt(lambda s: made.update(a=users.add(s, name, role, tuple(units), password or None))):
        added = made["a"]
        if first:
            st.session_state[NOTICE_STATE] = f"已创建管理员账号 {added.name}：从现在起所有人都需要登录。"
        _done(f"已创建账号 {added.name}", added.password, added.name)


def account_editor(accounts: pd.DataFrame, key: str) -> None:
    """Render the changes to one chosen account: reset its password, disable or enable it, its units and role."""
    if accounts.empty:
        return
    name = st.selectbox("选择账号", list(accounts["name"]), key=f"{key}_name")
    row = accounts.set_index("name").loc[name]
    reset, toggle = st.columns(2)
    if reset.button("重设密码（随机生成）", key=f"{key}_reset"):
        made = {}
        if _attempt(lambda s: made.update(p=users.set_password(s, name))):
            _done(f"已重设 {name} 的密码，其已登录的会话均已结束", made["p"], name)
    verb = "停用" if row["is_active"] else "启用"
    if toggle.button(f"{verb}账号", key=f"{key}_toggle"):
        if _attempt(lambda s: users.set_active(s, name, not row["is_active"])):
            _done(f"已{verb}账号 {name}")
    with st.form(f"{key}_form"):
        current = ask(users.unit_list, name)
        units = st.multiselect(
            "可查看的单位（不选则为全部单位）",
            sorted(set(_known_units()) | set(current)),
            default=list(current),
            accept_new_options=True,
        )
        role = st.selectbox(
            "角色", roles.ROLES, index=roles.ROLES.index(row["role"]), format_func=roles.ROLE_LABELS.get
        )
        if st.form_submit_button("保存单位和角色"):

            def change(s):
                users.set_units(s, name, tuple(units))
                if role != row["role"]:
                    users.set_role(s, name, role)

            if _attempt(change):
                _done(f"已保存 {name} 的单位和角色")


def log_filters(key: str) -> tuple[str | None, str | None, date | None, date | None]:
    """Render the log's filters (person, action, day range; bound to the URL); return them."""
    people = ask(log.people)
    person_col, action_col, days_col = st.columns(3)
    person = person_col.selectbox(
        "账号", people, index=None, placeholder="全部账号", key=f"{key}_person", bind="query-params"
    )
    action = action_col.selectbox(
        "操作",
        log.ACTIONS,
        index=None,
        placeholder="全部操作",
        format_func=labels.LOG_ACTION_LABELS.get,
        key=f"{key}_action",
        bind="query-params",
    )
    days = days_col.date_input("日期范围", value=(), key=f"{key}_days")
    since, until = (tuple(days) + (None, None))[:2] if days else (None, None)
    return person, action, since, until or since


def log_table(person, action, since, until, key: str) -> None:
    """Render the log lines the filters select, newest first."""
    df = ask(log.entries, person, action, since, until)
    if df.empty:
        st.info("没有符合条件的日志。")
        return
    st.caption(f"共 {len(df)} 条（最多显示 5000 条）。")
    shown = df.assign(action=df["action"].map(lambda a: labels.LOG_ACTION_LABELS.get(a, a)))
    with st.container(key=key):
        st.dataframe(shown.rename(columns=labels.LOG_HEADERS), hide_index=True)
