"""Account management, one function per action (add, password, disable/enable, units, role), each checked and logged.

Only an admin may manage accounts, with one exception that bootstraps a server: while no account exists, whoever
runs the command line (or the single-user dashboard on its own machine) may create the first one, an admin.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core import roles
from jixiao_core.accounts import actor, log, passwords, sessions
from jixiao_core.errors import InputError

ALL_UNITS = "全部单位"


class Added(NamedTuple):
    """A new account's name, and its random initial password when none was given (shown once, stored hashed)."""

    name: str
    password: str | None


def manager(s: Session) -> actor.Actor:
    """Return who is managing accounts: an admin, or anyone while no account exists; InputError otherwise."""
    if not actor.accounts_exist(s):
        return actor.current(s)
    return actor.require(s, "accounts")


def _name(raw: str) -> str:
    name = unicodedata.normalize("NFKC", raw).strip()
    if not name or len(name) > 60:
        raise InputError("账号", "名称应为 1–60 个字符")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise InputError("账号", "名称不能含有控制字符")
    return name


def _role(role: str) -> str:
    if role not in roles.ROLES:
        raise InputError("角色", f"应为 {'、'.join(roles.ROLES)} 之一，实为“{role}”")
    return role


def _units(raw) -> tuple[str, ...]:
    out: list[str] = []
    for u in raw or ():
        name = unicodedata.normalize("NFKC", u).strip()
        if not name or len(name) > 100:
            raise InputError("单位", f"单位名称应为 1–100 个字符：“{u}”")
        if name not in out:
            out.append(name)
    return tuple(out)


def units_text(units: tuple[str, ...], role: str) -> str:
    return ALL_UNITS if role == "admin" or not units else "、".join(units)


def add(s: Session, name: str, role: str, units: tuple[str, ...] = (), password: str | None = None) -> Added:
    """Create an account (a random password when none is given); the first account on a server must be an admin."""
    first = not actor.accounts_exist(s)
    who = manager(s)
    name, role, units = _name(name), _role(role), _units(units)
    if first and role != "admin":
        raise InputError(name, "第一个账号必须是管理员（--role admin），由它再添加其他账号")
    if s.scalar(select(m.AppUser.id).where(m.AppUser.name == name)) is not None:
        raise InputError(name, "账号已存在")
    chosen = password if password is not None else passwords.random_password()
    user = m.AppUser(name=name, role=role, password_hash=passwords.hashed(chosen), created_at=log.now())
    s.add(user)
    s.flush()
    s.add_all(m.AccountUnit(account_id=user.id, unit=u) for u in units)
    detail = f"角色：{roles.ROLE_LABELS[role]}；单位：{units_text(units, role)}"
    log.record(s, who.name, "account_add", detail=f"新建账号 {name}（{detail}）", source=who.source)
    return Added(name, None if password is not None else chosen)


def account(s: Session, name: str) -> m.AppUser:
    """Return the account named `name`; InputError when there is none."""
    user = s.scalar(select(m.AppUser).where(m.AppUser.name == name.strip()))
    if user is None:
        raise InputError(name, "账号不存在")
    return user


def set_password(s: Session, name: str, password: str | None = None) -> str | None:
    """Set (or, with none given, randomise) an account's password and end its sessions; return a random one."""
    who = manager(s)
    user = account(s, name)
    chosen = password if password is not None else passwords.random_password()
    user.password_hash = passwords.hashed(chosen)
    ended = sessions.end_all(s, user.id)
    log.record(
        s,
        who.name,
        "account_password",
        detail=f"重设 {user.name} 的密码，结束其会话 {ended} 个",
        source=who.source,
    )
    return None if password is not None else chosen


def set_active(s: Session, name: str, active: bool) -> None:
    """Enable or disable an account; disabling ends its open sessions at their next request."""
    who = manager(s)
    user = account(s, name)
    if not active and user.role == "admin":
        _keep_an_admin(s, user)
    user.is_active = active
    if active:
        log.record(s, who.name, "account_enable", detail=f"启用账号 {user.name}", source=who.source)
        return
    ended = sessions.end_all(s, user.id)
    log.record(
        s,
        who.name,
        "account_disable",
        detail=f"停用账号 {user.name}，结束其会话 {ended} 个",
        source=who.source,
    )


def set_units(s: Session, name: str, units: tuple[str, ...]) -> None:
    """Limit an account to `units` (none: every unit)."""
    who = manager(s)
    user, units = account(s, name), _units(units)
    s.execute(m.AccountUnit.__table__.delete().where(m.AccountUnit.account_id == user.id))
    s.add_all(m.AccountUnit(account_id=user.id, unit=u) for u in units)
    log.record(
        s,
        who.name,
        "account_units",
        detail=f"{user.name} 的单位：{units_text(units, user.role)}",
        source=who.source,
    )


def set_role(s: Session, name: str, role: str) -> None:
    """Change an account's role (the last enabled admin keeps theirs)."""
    who = manager(s)
    user, role = account(s, name), _role(role)
    if user.role == "admin" and role != "admin" and user.is_active:
        _keep_an_admin(s, user)
    before, user.role = user.role, role
    labels = roles.ROLE_LABELS
    log.record(
        s,
        who.name,
        "account_role",
        detail=f"{user.name}：{labels[before]} → {labels[role]}",
        source=who.source,
    )


def _keep_an_admin(s: Session, user: m.AppUser) -> None:
    others = s.scalar(
        select(func.count(m.AppUser.id)).where(
            m.AppUser.role == "admin", m.AppUser.is_active.is_(True), m.AppUser.id != user.id
        )
    )
    if not others:
        raise InputError(user.name, "这是唯一启用的管理员账号，不能停用或降级；请先添加另一个管理员")


SCHEMA = {
    "name": "object",
    "role": "object",
    "units": "object",
    "is_active": "bool",
    "created_at": "datetime64[ns]",
    "last_signin": "datetime64[ns]",
    "locked_until": "datetime64[ns]",
}


def listing(conn: Connection) -> pd.DataFrame:
    """Return every account: name, role, units (text), enabled, created, last sign-in, any lock now (local time)."""
    u, ss, f = m.AppUser, m.SigninSession, m.SigninFailure
    last = (
        select(ss.account_id, func.max(ss.created_at).label("last_signin")).group_by(ss.account_id).subquery()
    )
    stmt = (
        select(u.id, u.name, u.role, u.is_active, u.created_at, last.c.last_signin, f.locked_until)
        .outerjoin(last, last.c.account_id == u.id)
        .outerjoin(f, (f.name == u.name) & (f.locked_until > log.now()))
    )
    # sorted here, in code-point order: a database's collation would order Chinese names its own way
    df = pd.read_sql(stmt, conn).sort_values("name", ignore_index=True)
    if df.empty:
        return pd.DataFrame(columns=list(SCHEMA)).astype(SCHEMA)
    rows = conn.execute(select(m.AccountUnit.account_id, m.AccountUnit.unit).order_by(m.AccountUnit.id)).all()
    by_account: dict[int, list[str]] = {}
    for account_id, unit in rows:
        by_account.setdefault(account_id, []).append(unit)
    df["units"] = [
        units_text(tuple(by_account.get(i, ())), r) for i, r in zip(df["id"], df["role"], strict=True)
    ]
    out = df[list(SCHEMA)].astype(SCHEMA)
    for column in ("created_at", "last_signin", "locked_until"):
        out[column] = log.local(out[column])
    return out


def unit_list(conn: Connection, name: str) -> tuple[str, ...]:
    """Return the units one account is limited to (empty: every unit)."""
    stmt = (
        select(m.AccountUnit.unit)
        .join(m.AppUser, m.AppUser.id == m.AccountUnit.account_id)
        .where(m.AppUser.name == name)
        .order_by(m.AccountUnit.id)
    )
    return tuple(conn.scalars(stmt))
