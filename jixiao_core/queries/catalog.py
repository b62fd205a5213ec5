"""Read side, the catalogue: which units, years and work areas hold data, the data version, the import history."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, select, true
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import (
    AREA_KEY,
    PY,
    WA,
    current_ids,
    read_frame,
)


def data_version(conn: Connection) -> int:
    """Return newest import-batch id + newest correction id (0 when empty): part of every cache key.

    Both ids only grow, so their sum changes whenever either does: an import or a clerk's correction.
    """
    batch = conn.scalar(select(func.coalesce(func.max(m.ImportBatch.id), 0)))
    fix = conn.scalar(select(func.coalesce(func.max(m.Correction.id), 0)))
    return int(batch) + int(fix)


def units(conn: Connection, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return every unit (of `units`, when given) that has a current project-year, real units first."""
    stmt = (
        select(
            m.Unit.name, m.Unit.kind, m.Unit.district, m.Unit.is_generated, func.count(PY.id).label("years")
        )
        .join(m.Project, m.Project.unit_id == m.Unit.id)
        .join(PY, and_(PY.project_id == m.Project.id, PY.is_current.is_(True)))
        .where(m.Unit.name.in_(units) if units else true())
        .group_by(m.Unit.id, m.Unit.name, m.Unit.kind, m.Unit.district, m.Unit.is_generated)
        .order_by(m.Unit.is_generated, m.Unit.name)
    )
    schema = {
        "name": "object",
        "kind": "object",
        "district": "object",
        "is_generated": "bool",
        "years": "int64",
    }
    return read_frame(conn, stmt, schema)


def years(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the years with a current report for `unit`, ascending."""
    stmt = (
        select(PY.year, func.max(case((PY.is_generated, 1), else_=0)).label("is_generated"))
        .where(PY.id.in_(current_ids(unit)))
        .group_by(PY.year)
        .order_by(PY.year)
    )
    return read_frame(conn, stmt, {"year": "int64", "is_generated": "bool"})


def areas_for(conn: Connection, unit: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Return the work areas of `unit` in the year range, one row per area key, in report order."""
    stmt = (
        select(
            AREA_KEY.label("area_key"),
            func.min(WA.seq).label("area_seq"),
            func.max(WA.title).label("area_title"),
        )
        .join(PY, PY.id == WA.project_year_id)
        .where(PY.id.in_(current_ids(unit)), PY.year.between(year_from, year_to))
        .group_by(AREA_KEY)
        .order_by(func.min(WA.seq))
    )
    return read_frame(conn, stmt, {"area_key": "object", "area_seq": "int64", "area_title": "object"})


def import_history(conn: Connection, units: tuple[str, ...] = (), limit: int | None = None) -> pd.DataFrame:
    """Return the import batches (that stored a report of one of `units`, when given), newest first (the newest
    `limit` of them)."""
    b = m.ImportBatch
    stmt = (
        select(b.id, b.kind, b.file_name, b.imported_at, b.imported_by, b.summary, b.is_generated)
        .order_by(b.id.desc())
        .limit(limit)
    )
    if units:
        of_units = (
            select(PY.batch_id)
            .join(m.Project, m.Project.id == PY.project_id)
            .join(m.Unit, m.Unit.id == m.Project.unit_id)
            .where(m.Unit.name.in_(units))
        )
        stmt = stmt.where(b.id.in_(of_units))
    schema = {"id": "int64", "kind": "object", "file_name": "object", "imported_at": "datetime64[ns]"}
    return read_frame(
        conn, stmt, {**schema, "imported_by": "object", "summary": "object", "is_generated": "bool"}
    )
