"""The read side of 整改: items of a unit's years with the status they show on a given day, counts by 责任科室 and by
source, each item's history and evidence, and the follow-ups awaiting a clerk. `fn(conn, ...) -> DataFrame`,
aggregated in SQL; the day is an argument, never the clock, so 逾期 is the same for every reader of that day."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.rectify import rules

IT, B = m.RectifyItem, m.InternalBody
CLOSED = tuple(k for k, s in rules.STATES.items() if s.closed)
ITEM_SCHEMA = {
    "id": "int64",
    "year": "int64",
    "project": "object",
    "source": "object",
    "problem": "object",
    "source_text": "object",
    "requirement": "object",
    "body": "object",
    "deadline": "object",
    "state": "object",
    "status": "object",
    "result": "object",
    "confirmed_by": "object",
    "confirmed_at": "object",
    "created_by": "object",
    "finding_kind": "object",
    "indicator_name": "object",
    "version": "int64",
    "proposals": "int64",
}
COUNT_SCHEMA = {"key": "object", "open": "int64", "overdue": "int64", "closed": "int64", "total": "int64"}


TIMES = ("deadline", "confirmed_at", "at", "added_at")  # SQLite hands back text, PostgreSQL date objects


def _iso(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ", timespec="seconds") if isinstance(v, datetime) else v.isoformat()
    return str(v)[:19]


def _frame(conn: Connection, stmt, schema: dict[str, str]) -> pd.DataFrame:
    df = pd.read_sql(stmt, conn)
    if not len(df):
        return pd.DataFrame(columns=list(schema)).astype(schema)
    for col in TIMES:
        if col in df:
            df[col] = [_iso(v) for v in df[col]]
    if "size" in df:  # a count that may be missing: int or None, never 13.0 / NaN
        df["size"] = pd.Series(
            [None if pd.isna(v) else int(v) for v in df["size"]], index=df.index, dtype=object
        )
    return df[list(schema)].astype(schema)


def status_of(today: date):
    """Return the SQL of the status an item shows on `today`: overdue when unclosed past its deadline."""
    late = and_(IT.state.not_in(CLOSED), IT.deadline.is_not(None), IT.deadline < today)
    return case((late, literal(rules.OVERDUE)), else_=IT.state)


def _of_unit(unit: str, years: tuple[int, ...]):
    ids = select(m.Unit.id).where(m.Unit.name == unit).scalar_subquery()
    where = [IT.unit_id == ids]
    return where + ([IT.year.in_(years)] if years else [])


def _status_filter(key: str, today: date) -> list:
    """Return the where-clauses of a `--status` filter (open, overdue, closed)."""
    f = rules.STATUS_FILTERS[key]
    where = [IT.state.in_(CLOSED) if f.closed else IT.state.not_in(CLOSED)]
    return where + ([IT.deadline.is_not(None), IT.deadline < today] if f.overdue_only else [])


def items_for(
    conn: Connection,
    unit: str,
    years: tuple[int, ...],
    today: date,
    status: str | None = None,
    project: str | None = None,
) -> pd.DataFrame:
    """Return the items of a unit's years (every year when none is given), with the status each shows on `today`;
    narrowed to a status filter (open, overdue, closed) and a project."""
    waiting = (
        select(func.count(m.RectifyProposal.id))
        .where(m.RectifyProposal.item_id == IT.id, m.RectifyProposal.state == "proposed")
        .scalar_subquery()
    )
    stmt = (
        select(
            IT.id,
            IT.year,
            m.Project.name.label("project"),
            IT.source,
            IT.problem,
            IT.source_text,
            IT.requirement,
            B.name.label("body"),
            IT.deadline,
            IT.state,
            status_of(today).label("status"),
            IT.result,
            IT.confirmed_by,
            IT.confirmed_at,
            IT.created_by,
            IT.finding_kind,
            IT.indicator_name,
            IT.version,
            waiting.label("proposals"),
        )
        .select_from(IT)
        .join(m.Project, m.Project.id == IT.project_id)
        .outerjoin(B, B.id == IT.body_id)
        .where(*_of_unit(unit, years))
        .order_by(IT.year, IT.id)
    )
    if status is not None:
        stmt = stmt.where(*_status_filter(status, today))
    if project is not None:
        stmt = stmt.where(m.Project.name == project)
    return _frame(conn, stmt, ITEM_SCHEMA)


JSON_FIELDS = ("id", "year", "project", "problem", "source", "source_text", "requirement", "body", "deadline")
JSON_FIELDS += ("status", "state", "result", "confirmed_by", "confirmed_at", "created_by")


def items_json(df: pd.DataFrame) -> dict:
    """Return the `items --json` object (CONTRACT.md): {"items": [{"id", "problem", "source", "body", ...}]}."""
    rows = df[list(JSON_FIELDS)].astype(object).where(df[list(JSON_FIELDS)].notna(), None)
    return {"items": [{k: _plain(v) for k, v in r.items()} for r in rows.to_dict("records")]}


def _plain(v):
    return v.item() if hasattr(v, "item") else v  # numpy scalars → int / float


def _counts(conn: Connection, unit: str, years: tuple[int, ...], today: date, key) -> pd.DataFrame:
    status = status_of(today)
    stmt = (
        select(
            key.label("key"),
            func.sum(case((status.in_(("pending", "in_progress")), 1), else_=0)).label("open"),
            func.sum(case((status == rules.OVERDUE, 1), else_=0)).label("overdue"),
            func.sum(case((IT.state.in_(CLOSED), 1), else_=0)).label("closed"),
            func.count(IT.id).label("total"),
        )
        .select_from(IT)
        .outerjoin(B, B.id == IT.body_id)
        .where(*_of_unit(unit, years))
        .group_by(key)
        .order_by(func.count(IT.id).desc(), key.is_(None), key)  # unassigned last on every database
    )
    return _frame(conn, stmt, COUNT_SCHEMA)


def counts_by_body(conn: Connection, unit: str, years: tuple[int, ...], today: date) -> pd.DataFrame:
    """Return open (not overdue), overdue, closed and all items per 责任科室 (None: not yet assigned)."""
    return _counts(conn, unit, years, today, B.name)


def counts_by_source(conn: Connection, unit: str, years: tuple[int, ...], today: date) -> pd.DataFrame:
    """Return open (not overdue), overdue, closed and all items per source (report, finding, manual …)."""
    return _counts(conn, unit, years, today, IT.source)


def _item_of(unit: str, item_id: int):
    """Return the where-clause naming one item, and only when it belongs to `unit` (the reader's scope)."""
    return select(IT.id).where(IT.id == item_id, *_of_unit(unit, ())).scalar_subquery()


def history(conn: Connection, unit: str, item_id: int) -> pd.DataFrame:
    """Return the timeline of one of the unit's items, oldest first: at, actor, action, field, old_value, new_value."""
    e = m.RectifyEvent
    stmt = (
        select(e.at, e.actor, e.action, e.field, e.old_value, e.new_value)
        .where(e.item_id == _item_of(unit, item_id))
        .order_by(e.id)
    )
    schema = {k: "object" for k in ("at", "actor", "action", "field", "old_value", "new_value")}
    return _frame(conn, stmt, schema)


def evidence(conn: Connection, unit: str, item_id: int) -> pd.DataFrame:
    """Return the evidence of one of the unit's items, oldest first (file bytes left out: `evidence_file` reads one)."""
    v = m.RectifyEvidence
    stmt = (
        select(v.id, v.kind, v.note, v.file_name, v.size, v.indicator_label, v.added_by, v.added_at)
        .where(v.item_id == _item_of(unit, item_id))
        .order_by(v.id)
    )
    schema = {"id": "int64", "kind": "object", "note": "object", "file_name": "object", "size": "object"}
    schema |= {"indicator_label": "object", "added_by": "object", "added_at": "object"}
    return _frame(conn, stmt, schema)


def evidence_file(conn: Connection, evidence_id: int) -> tuple[str, bytes] | None:
    """Return (file name, bytes) of one uploaded piece of evidence, or None."""
    v = m.RectifyEvidence
    row = conn.execute(select(v.file_name, v.content).where(v.id == evidence_id, v.kind == "file")).first()
    return (row[0], bytes(row[1])) if row else None


def proposals_for(conn: Connection, unit: str, years: tuple[int, ...] = ()) -> pd.DataFrame:
    """Return the follow-ups awaiting a clerk for the items of a unit's years: what the later report says."""
    p, py = m.RectifyProposal, m.ProjectYear
    stmt = (
        select(
            p.id,
            p.item_id,
            IT.year.label("item_year"),
            IT.problem,
            py.year.label("later_year"),
            p.kind,
            p.rule,
            p.score,
            p.message,
            p.evidence,
            p.version,
        )
        .join(IT, IT.id == p.item_id)
        .join(py, py.id == p.project_year_id)
        .where(*_of_unit(unit, years), p.state == "proposed", py.is_current.is_(True))
        .order_by(p.item_id, p.id)
    )
    schema = {"id": "int64", "item_id": "int64", "item_year": "int64", "problem": "object"}
    schema |= {"later_year": "int64", "kind": "object", "rule": "object", "score": "float64"}
    schema |= {"message": "object", "evidence": "object", "version": "int64"}
    return _frame(conn, stmt, schema)


def bodies_for(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the unit's 内设机构 in the order the report lists them (the 责任科室 to choose from)."""
    stmt = (
        select(B.name).join(m.Unit, m.Unit.id == B.unit_id).where(m.Unit.name == unit).order_by(B.seq, B.id)
    )
    return _frame(conn, stmt, {"name": "object"})


def unit_indicators(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the indicators of a unit's current reports (the ones evidence may point to): id, year, name, value."""
    ind, py = m.Indicator, m.ProjectYear
    stmt = (
        select(ind.id, py.year, ind.name, ind.actual_printed, ind.unit)
        .join(py, py.id == ind.project_year_id)
        .join(m.Project, m.Project.id == py.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(m.Unit.name == unit, py.is_current.is_(True))
        .order_by(py.year.desc(), ind.seq)
    )
    schema = {"id": "int64", "year": "int64", "name": "object", "actual_printed": "object", "unit": "object"}
    return _frame(conn, stmt, schema)


def newest_event(conn: Connection) -> int:
    """Return the newest item-history id (0 when none): every change to an item writes one, so it versions them."""
    return int(conn.scalar(select(func.coalesce(func.max(m.RectifyEvent.id), 0))))
