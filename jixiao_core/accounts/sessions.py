"""Sign-in sessions: a password (or a trusted proxy's header) opens one, the cookie token names it, idleness or
signing out ends it. Failed sign-ins lock the typed name, existing or not, so no answer tells which names exist.

The database keeps the SHA-256 of each token, never the token. Sign-in answers never raise for a wrong password:
the failure count and its log line must commit with the caller's transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jixiao_core import config
from jixiao_core import models as m
from jixiao_core.accounts import log, passwords

COOKIE = "jixiao_session"
TOUCH_EVERY = timedelta(
    seconds=60
)  # last_seen is written at most this often per session (writes are not free)
WRONG = "账号或密码不正确"
EMPTY = "请输入账号和密码"


@dataclass(frozen=True)
class SignedIn:
    """The account behind a live session; `units` is empty for every unit (always so for admins)."""

    account_id: int
    name: str
    role: str
    units: tuple[str, ...]
    source: str | None


class Outcome(NamedTuple):
    """What a sign-in attempt gives: a token for the cookie, or the message to show instead."""

    token: str | None
    message: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def locked_message(minutes: float) -> str:
    return f"登录失败次数过多，已暂时锁定，请 {minutes:g} 分钟后再试"


def sign_in(s: Session, name: str, password: str, source: str | None = None) -> Outcome:
    """Check a name and password; open a session (a token) or say why not, counting the failure."""
    name = name.strip()
    if not name or not password:
        return Outcome(None, EMPTY)
    settings, at = config.load(), log.now()
    key = name[:60]
    failure = s.get(m.SigninFailure, key)
    if failure is not None and failure.locked_until is not None and failure.locked_until > at:
        log.record(s, key, "signin_locked", detail="锁定期间尝试登录", source=source)
        return Outcome(None, locked_message(settings.signin_lockout_minutes))
    user = s.scalar(select(m.AppUser).where(m.AppUser.name == key))
    usable = user is not None and user.is_active and len(name) <= 60
    if not passwords.matches(user.password_hash if usable else None, password):
        return _failed(s, key, failure, at, source)
    if failure is not None:
        s.delete(failure)
    if passwords.stale(user.password_hash):
        user.password_hash = passwords.HASHER.hash(password)
    return Outcome(open_session(s, user, source, "密码"))


def _failed(s: Session, key: str, failure, at: datetime, source: str | None) -> Outcome:
    settings = config.load()
    if failure is None:
        failure = m.SigninFailure(name=key, failures=0, last_at=at)
        s.add(failure)
    elif failure.locked_until is not None:  # an expired lock: count afresh
        failure.failures, failure.locked_until = 0, None
    failure.failures += 1
    failure.last_at = at
    locked = failure.failures >= settings.signin_max_failures
    detail = f"连续第 {failure.failures} 次失败"
    if locked:
        failure.locked_until = at + timedelta(minutes=settings.signin_lockout_minutes)
        detail += f"，锁定 {settings.signin_lockout_minutes:g} 分钟"
    log.record(s, key, "signin_failed", detail=detail, source=source)
    return Outcome(None, locked_message(settings.signin_lockout_minutes) if locked else WRONG)


def sign_in_trusted(s: Session, name: str, source: str | None = None) -> Outcome:
    """Open a session for the account a trusted proxy named (single sign-on); refuse an unknown or disabled one."""
    user = s.scalar(select(m.AppUser).where(m.AppUser.name == name.strip()[:60]))
    if user is None or not user.is_active:
        log.record(s, name[:60], "signin_failed", detail="单点登录：账号未开通或已停用", source=source)
        return Outcome(None, f"单点登录账号“{name[:60]}”未在本系统开通或已停用，请联系管理员")
    return Outcome(open_session(s, user, source, "单点登录"))


def open_session(s: Session, user: m.AppUser, source: str | None, how: str) -> str:
    """Start a session for `user`; return its token (only its hash is stored)."""
    token, at = secrets.token_urlsafe(32), log.now()
    s.add(
        m.SigninSession(
            token_hash=token_hash(token), account_id=user.id, created_at=at, last_seen=at, source=source
        )
    )
    log.record(s, user.name, "signin", detail=how, source=source)
    return token


def resolve(s: Session, token: str | None, touch: bool = False) -> SignedIn | None:
    """Return the account of a live session (not ended, not idle too long, account enabled), else None; with
    `touch`, mark it seen now (at most once a minute)."""
    if not token:
        return None
    at = log.now()
    idle = timedelta(hours=config.load().session_idle_hours)
    ss, user = m.SigninSession, m.AppUser
    row = s.execute(
        select(ss.id, ss.last_seen, ss.source, user.id, user.name, user.role)
        .join(user, user.id == ss.account_id)
        .where(ss.token_hash == token_hash(token), ss.ended_at.is_(None), user.is_active.is_(True))
    ).first()
    if row is None or row.last_seen <= at - idle:
        return None
    if touch and row.last_seen <= at - TOUCH_EVERY:
        s.execute(update(ss).where(ss.id == row[0]).values(last_seen=at))
    units = () if row.role == "admin" else units_of(s, row[3])
    return SignedIn(row[3], row.name, row.role, units, row.source)


def units_of(s: Session, account_id: int) -> tuple[str, ...]:
    """Return the units an account is limited to, as given (empty: every unit)."""
    au = m.AccountUnit
    return tuple(s.scalars(select(au.unit).where(au.account_id == account_id).order_by(au.id)))


def sign_out(s: Session, token: str | None) -> bool:
    """End the session of `token` on the server; return whether one was open."""
    if not token:
        return False
    ss = m.SigninSession
    row = s.execute(
        select(ss.id, ss.source, m.AppUser.name)
        .join(m.AppUser, m.AppUser.id == ss.account_id)
        .where(ss.token_hash == token_hash(token), ss.ended_at.is_(None))
    ).first()
    if row is None:
        return False
    s.execute(update(ss).where(ss.id == row.id).values(ended_at=log.now()))
    log.record(s, row.name, "signout", source=row.source)
    return True


def end_all(s: Session, account_id: int) -> int:
    """End every open session of an account (disabled, or its password reset); return how many."""
    ss = m.SigninSession
    result = s.execute(
        update(ss).where(ss.account_id == account_id, ss.ended_at.is_(None)).values(ended_at=log.now())
    )
    return result.rowcount or 0
