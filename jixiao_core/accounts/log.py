"""The append-only log of who did what: imports, replacements, corrections, exports, sign-ins and account changes.

Only `record` writes it (an INSERT; the database's own triggers refuse UPDATE and DELETE on the table), inside the
caller's transaction, so an action and its line commit or roll back together.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

# pandas only where the log is read: every write path imports this module (0.3 s at start-up)
if TYPE_CHECKING:
    import pandas as pd

from jixiao_core import models as m

# the actions the log knows; labels.LOG_ACTION_LABELS names them in Chinese
ACTIONS = (
    "signin",
    "signin_failed",
    "signin_locked",
    "signout",
    "import",
    "replace",
    "correct",
    "export",
    "demo",
    "init",
    "account_add",
    "account_password",
    "account_disable",
    "account_enable",
    "account_units",
    "account_role",
)
CLI_SOURCE = "命令行"
SCHEMA = {
    "at": "datetime64[ns]",
    "person": "object",
    "action": "object",
    "unit": "object",
    "detail": "object",
    "source": "object",
}


def now() -> datetime:
    """Return the time now in UTC without a zone (how every time of the accounts tables is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def local(times: pd.Series) -> pd.Series:
    """Return UTC times (stored without a zone) as the server's local wall-clock time, without a zone."""
    import pandas as pd

    zone = datetime.now().astimezone().tzinfo
    return pd.to_datetime(times).dt.tz_localize("UTC").dt.tz_convert(zone).dt.tz_localize(None)


def record(
    s: Session,
    person: str,
    action: str,
    *,
    unit: str | None = None,
    detail: str = "",
    source: str | None = None,
) -> None:
    """Append one line to the log in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown log action {action!r}")
    s.add(
        m.AuditEntry(
            at=now(),
            person=person[:60],
            action=action,
            unit=unit,
            detail=detail,
            source=(source or "")[:80] or None,
        )
    )


def entries(
    conn: Connection,
    person: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 5000,
) -> pd.DataFrame:
    """Return log lines, newest first (local time), filtered by person, action and local days (both included)."""
    import pandas as pd

    e = m.AuditEntry
    stmt = select(e.at, e.person, e.action, e.unit, e.detail, e.source).order_by(e.id.desc()).limit(limit)
    if person:
        stmt = stmt.where(e.person == person)
    if action:
        stmt = stmt.where(e.action == action)
    if since:
        stmt = stmt.where(e.at >= _utc_midnight(since))
    if until:
        stmt = stmt.where(e.at < _utc_midnight(until + timedelta(days=1)))
    df = pd.read_sql(stmt, conn)
    if df.empty:
        return pd.DataFrame(columns=list(SCHEMA)).astype(SCHEMA)
    return df.astype(SCHEMA).assign(at=lambda d: local(d["at"]))


def _utc_midnight(day: date) -> datetime:
    # a naive datetime is local time to astimezone(); stored times are UTC
    return datetime.combine(day, datetime.min.time()).astimezone(UTC).replace(tzinfo=None)


def people(conn: Connection) -> tuple[str, ...]:
    """Return every person named in the log, in code-point order (the page's filter choices; the same on every
    database, whatever its collation)."""
    return tuple(sorted(conn.scalars(select(m.AuditEntry.person).distinct())))
