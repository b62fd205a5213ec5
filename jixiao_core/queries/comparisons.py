"""Read side, the comparison questions: one unit across years (year over year) and several units in one year
(funds, 执行率 and counts side by side; indicators two or more units report).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import (
    AREA_KEY,
    COUNT_SCHEMA,
    COUNTS,
    IND,
    PY,
    WA,
    as_float,
    pct_of,
    read_frame,
)


def _unit_indicators(unit_clause, year_clause):
    return (
        select(
            m.Unit.name.label("unit_name"),
            PY.year,
            WA.seq.label("area_seq"),
            AREA_KEY.label("area_key"),
            WA.title.label("area_title"),
            IND.seq,
            IND.name,
            IND.unit,
            as_float(IND.actual).label("actual"),
            IND.is_generated,
        )
        .join(PY, PY.id == IND.project_year_id)
        .join(m.Project, m.Project.id == PY.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .outerjoin(WA, WA.id == IND.area_id)
        .where(PY.is_current.is_(True), unit_clause, year_clause)
        .subquery()
    )


def _same_indicator(a, b):
    # matched by name and area key; an indicator outside the numbered areas matches only another such one
    same_area = or_(a.c.area_key == b.c.area_key, and_(a.c.area_key.is_(None), b.c.area_key.is_(None)))
    return and_(a.c.name == b.c.name, same_area, func.coalesce(a.c.unit, "") == func.coalesce(b.c.unit, ""))


def year_over_year(conn: Connection, unit: str) -> pd.DataFrame:
    """Return indicators found in a year and the year before (same name and area key), with the change."""
    s = _unit_indicators(m.Unit.name == unit, true())
    cur, prev = s.alias("cur"), s.alias("prev")
    stmt = (
        select(
            cur.c.area_key,
            cur.c.area_title,
            cur.c.name,
            cur.c.unit,
            cur.c.year,
            cur.c.actual,
            prev.c.year.label("previous_year"),
            prev.c.actual.label("previous_actual"),
            (cur.c.actual - prev.c.actual).label("change"),
            pct_of(cur.c.actual - prev.c.actual, prev.c.actual).label("change_pct"),
        )
        .join(prev, and_(_same_indicator(cur, prev), prev.c.year == cur.c.year - 1))
        .order_by(cur.c.year, cur.c.area_seq, cur.c.seq)
    )
    schema = {
        "area_key": "object",
        "area_title": "object",
        "name": "object",
        "unit": "object",
        "year": "int64",
    }
    more = {"actual": "float64", "previous_year": "int64", "previous_actual": "float64", "change": "float64"}
    return read_frame(conn, stmt, {**schema, **more, "change_pct": "float64"})


def unit_comparison(conn: Connection, year: int, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return per unit (of `units`, when given) with a current report in `year`: funds, 执行率, indicator counts."""
    funds = (
        select(
            m.Unit.id.label("unit_id"),
            func.sum(as_float(PY.budget)).label("budget"),
            func.sum(as_float(PY.arrived)).label("arrived"),
            func.sum(as_float(PY.spent)).label("spent"),
        )
        .join(m.Project, m.Project.unit_id == m.Unit.id)
        .join(PY, PY.project_id == m.Project.id)
        .where(PY.is_current.is_(True), PY.year == year)
        .group_by(m.Unit.id)
        .subquery()
    )
    counts = (
        select(m.Project.unit_id, *COUNTS)
        .select_from(IND)
        .join(PY, PY.id == IND.project_year_id)
        .join(m.Project, m.Project.id == PY.project_id)
        .where(PY.is_current.is_(True), PY.year == year)
        .group_by(m.Project.unit_id)
        .subquery()
    )
    stmt = (
        select(
            m.Unit.name.label("unit_name"),
            m.Unit.is_generated,
            funds.c.budget,
            funds.c.arrived,
            funds.c.spent,
            pct_of(funds.c.spent, funds.c.budget).label("execution_rate"),
            *(func.coalesce(counts.c[k], 0).label(k) for k in COUNT_SCHEMA),
        )
        .join(funds, funds.c.unit_id == m.Unit.id)
        .outerjoin(counts, counts.c.unit_id == m.Unit.id)
        .where(m.Unit.name.in_(units) if units else true())
        .order_by(m.Unit.is_generated, m.Unit.name)
    )
    schema = {"unit_name": "object", "is_generated": "bool", "budget": "float64", "arrived": "float64"}
    return read_frame(conn, stmt, {**schema, "spent": "float64", "execution_rate": "float64", **COUNT_SCHEMA})


def shared_indicators(conn: Connection, year: int, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return indicators reported by two or more units (of `units`, when given) in `year` (same name and area
    key), one row per unit."""
    s = _unit_indicators(m.Unit.name.in_(units) if units else true(), PY.year == year)
    a, b = s.alias("a"), s.alias("b")
    stmt = (
        select(a.c.area_key, a.c.area_title, a.c.name, a.c.unit, a.c.unit_name, a.c.actual, a.c.is_generated)
        .where(select(b.c.name).where(_same_indicator(a, b), b.c.unit_name != a.c.unit_name).exists())
        .order_by(a.c.area_seq, a.c.area_key, a.c.name, a.c.unit_name)
    )
    schema = {"area_key": "object", "area_title": "object", "name": "object", "unit": "object"}
    return read_frame(
        conn, stmt, {**schema, "unit_name": "object", "actual": "float64", "is_generated": "bool"}
    )
