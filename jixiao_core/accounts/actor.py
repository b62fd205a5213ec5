"""Who is acting, asked in one place by every function that writes (and by the reads that must refuse a unit).

The caller never passes a role. The command line runs as its operator (the configured JIXIAO_ROLE and JIXIAO_USER);
the dashboard runs each page request under the credential of the person signed in (their session token), which
`sessions` resolves. With no credential at all, the single-user install (no account in the database) acts as the
configured operator; once an account exists, nobody may read or write without signing in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from jixiao_core import config, roles
from jixiao_core import models as m
from jixiao_core.accounts import log, sessions
from jixiao_core.errors import InputError

NOT_YOURS = "无权查看该单位"
SINGLE_USER_WEB = "网页（单用户模式）"
SIGN_IN_FIRST = "请先登录"


@dataclass(frozen=True)
class Actor:
    """A person acting: name, role, and the units they may see and change (empty: every unit)."""

    name: str
    role: str | None  # None: nobody signed in; sees and changes nothing
    units: tuple[str, ...] = ()
    account_id: int | None = None
    source: str | None = log.CLI_SOURCE

    def may(self, action: str, unit: str | None = None) -> bool:
        """Return whether this actor may take `action` (on `unit`, when the action concerns one)."""
        return roles.may(self.role, action) and (unit is None or self.sees(unit))

    def sees(self, unit: str) -> bool:
        """Return whether this actor may see `unit`."""
        return self.role is not None and (not self.units or unit in self.units)

    @property
    def limited(self) -> bool:
        """Return whether this actor sees only some units."""
        return bool(self.units)


NOBODY = Actor("未登录", None, source=None)


@dataclass(frozen=True)
class Credential:
    """What the entry point knows about the person: `operator` (the command line) or a signed-in `session`."""

    kind: str  # operator / session
    token: str | None = None
    role: str | None = None  # operator only: overrides the configured role (tests, scripts)
    name: str | None = None


_credential: ContextVar[Credential | None] = ContextVar("jixiao_credential", default=None)


@contextmanager
def operating(role: str | None = None, name: str | None = None) -> Iterator[None]:
    """Act, inside the block, as the command line's operator (configured role and name unless given)."""
    token = _credential.set(Credential("operator", role=role, name=name))
    try:
        yield
    finally:
        _credential.reset(token)


@contextmanager
def signed_in(session_token: str | None) -> Iterator[None]:
    """Act, inside the block, as the account whose sign-in session `session_token` names."""
    token = _credential.set(Credential("session", token=session_token))
    try:
        yield
    finally:
        _credential.reset(token)


def _operator(cred: Credential | None) -> Actor:
    settings = config.load()
    role = (cred.role if cred else None) or settings.role
    # an unknown configured role reads like a viewer and writes nothing, rather than seeing nothing at all
    return Actor((cred.name if cred else None) or settings.user, role if role in roles.ROLES else "viewer")


def accounts_exist(s: Session) -> bool:
    """Return whether any account exists: from then on everyone signs in."""
    return bool(s.scalar(select(exists().where(m.AppUser.id.is_not(None)))))


def current(s: Session, touch: bool = False) -> Actor:
    """Return who is acting now: the operator, the signed-in account, or nobody (`touch`: mark the session seen)."""
    cred = _credential.get()
    if cred is not None and cred.kind == "operator":
        return _operator(cred)
    if cred is not None and cred.kind == "session" and cred.token:
        who = sessions.resolve(s, cred.token, touch=touch)  # a live session: accounts exist, no need to ask
        if who is not None:
            return Actor(who.name, who.role, who.units, who.account_id, who.source)
    if not accounts_exist(s):  # single-user mode: the person at their own machine
        operator = _operator(None)
        return replace(operator, source=SINGLE_USER_WEB) if cred is not None else operator
    return NOBODY


def require(s: Session, action: str, unit: str | None = None) -> Actor:
    """Return the actor when they may take `action` (on `unit`); raise InputError naming what is refused."""
    actor = current(s)
    permission = roles.PERMISSIONS[action]
    if not roles.may(actor.role, action):
        allowed = "、".join(roles.ROLE_LABELS[r] for r in roles.ROLES if r in permission.roles)
        raise InputError(actor.name, f"权限不足：{permission.label}需要{allowed}权限")
    if unit is not None and not actor.sees(unit):
        raise InputError(actor.name, f"权限不足：无权{permission.label}（{unit}不在本账号的单位范围内）")
    return actor


def reading(s: Session, unit: str) -> Actor:
    """Return the actor when they may see `unit`; raise InputError ("无权查看该单位") otherwise."""
    actor = current(s)
    if actor.role is None:
        raise InputError(None, SIGN_IN_FIRST)
    if not actor.sees(unit):
        raise InputError(None, NOT_YOURS)
    return actor
