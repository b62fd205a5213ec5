"""Read side, the comparison questions: one unit across years (year over year) and several units in one year
(funds, 执行率 and counts side by side; indicators two or more units report).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, or_, select, true
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
        # a CTE, read twice and so materialized once: joined as a subquery, each row looked its name up across
        # every unit's indicators (46 s for one unit of a 600k-row district)
        .cte("unit_indicators")
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


def _scoped(units: tuple[str, ...]):
    return m.Unit.name.in_(units) if units else true()


def unit_comparison(conn: Connection, year: int, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return per unit with a current report in `year` (of `units`; empty: all): funds, 执行率 and indicator
    counts."""
    funds = (
        select(
            m.Unit.id.label("unit_id"),
            func.sum(as_float(PY.budget)).label("budget"),
            func.sum(as_float(PY.arrived)).label("arrived"),
            func.sum(as_float(PY.spent)).label("spent"),
        )
        .join(m.Project, m.Project.unit_id == m.Unit.id)
        .join(PY, PY.project_id == m.Project.id)
        .where(PY.is_current.is_(True), PY.year == year, _scoped(units))
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


SHARED_SCHEMA = {
    "area_key": "object",
    "area_title": "object",
    "name": "object",
    "unit": "object",
    "units": "int64",
    "min_actual": "float64",
    "mean_actual": "float64",
    "max_actual": "float64",
    "is_generated": "bool",
}


def shared_indicators(conn: Connection, year: int, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the indicators two or more units report in `year` (same name, area key and unit), one row each:
    how many units, the lowest, mean and highest value, and whether any of them is generated data."""
    s = _unit_indicators(_scoped(units), PY.year == year)
    n = func.count(func.distinct(s.c.unit_name))
    stmt = (
        select(
            s.c.area_key,
            func.min(s.c.area_title).label("area_title"),
            s.c.name,
            s.c.unit,
            n.label("units"),
            func.min(s.c.actual).label("min_actual"),
            func.avg(s.c.actual).label("mean_actual"),
            func.max(s.c.actual).label("max_actual"),
            func.max(case((s.c.is_generated, 1), else_=0)).label("is_generated"),
        )
        .group_by(s.c.area_key, s.c.name, s.c.unit)
        .having(n >= 2)
        .order_by(func.min(s.c.area_seq), s.c.area_key, s.c.name, s.c.unit)
    )
    return read_frame(conn, stmt, SHARED_SCHEMA)
