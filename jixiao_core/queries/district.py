"""Read side, the district questions: every unit of one year ranked by score, 执行率, share of targets met and
warnings, for the finance bureau; the kinds of unit there are. Aggregated in SQL from covering indexes (migration
0007), one row per unit, so a district of 500 units is a 500-row frame whatever the number of indicators.

Every function takes `units` (empty: all) so a person's scope applies in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import IND, PY, as_float, count_if, pct_of, read_frame

WARNING_SEVERITIES = ("error", "warning")  # 严重 and 警告; 提示 is not a warning


@dataclass(frozen=True)
class Measure:
    """A measure the district view ranks by: its column, and whether more is better."""

    key: str
    higher_is_better: bool = True


MEASURES = {
    x.key: x
    for x in (
        Measure("score"),
        Measure("execution_rate"),
        Measure("met_share"),
        Measure("warnings", higher_is_better=False),
    )
}

RANKING_SCHEMA = {
    "rank": "int64",
    "unit_name": "object",
    "kind": "object",
    "is_generated": "bool",
    "score": "float64",
    "grade": "object",
    "budget": "float64",
    "spent": "float64",
    "execution_rate": "float64",
    "indicators": "int64",
    "with_target": "int64",
    "met": "int64",
    "met_share": "float64",
    "findings": "int64",
    "warnings": "int64",
}


def _current(year: int):
    """Return the current project-years of `year` with their unit (the ix_project_year_year index)."""
    return (
        select(m.Project.unit_id, PY.id.label("py_id"))
        .join(PY, PY.project_id == m.Project.id)
        .where(PY.year == year, PY.is_current.is_(True))
    )


def _in_scope(stmt, kinds: tuple[str, ...], units: tuple[str, ...]):
    if kinds:
        stmt = stmt.where(m.Unit.kind.in_(kinds))
    return stmt.where(m.Unit.name.in_(units)) if units else stmt


def district_ranking(
    conn: Connection, year: int, by: str = "score", kinds: tuple[str, ...] = (), units: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Return one row per unit with a current report in `year`, ranked by `by` (a MEASURES key; ties share a
    rank): national score and grade, budget and spent (元), 执行率 (%), indicators, with a target, met, share met
    (%), findings and warnings (严重 + 警告)."""
    measure = MEASURES[by]
    cur = _current(year).subquery()
    years = (
        select(
            m.Project.unit_id,
            func.avg(as_float(PY.score)).label("score"),
            func.min(PY.grade).label("grade"),
            func.count(PY.id).label("projects"),
            func.sum(as_float(PY.budget)).label("budget"),
            func.sum(as_float(PY.spent)).label("spent"),
        )
        .join(PY, PY.project_id == m.Project.id)
        .where(PY.year == year, PY.is_current.is_(True))
        .group_by(m.Project.unit_id)
        .subquery()
    )
    counts = (
        select(
            cur.c.unit_id,
            func.count(IND.id).label("indicators"),
            count_if(IND.status != "no_target").label("with_target"),  # status.judge: no target ⇔ no_target
            count_if(IND.status == "met").label("met"),
        )
        .join(IND, IND.project_year_id == cur.c.py_id)
        .group_by(cur.c.unit_id)
        .subquery()
    )
    f = m.Finding
    found = (
        select(
            cur.c.unit_id,
            func.count(f.id).label("findings"),
            count_if(f.severity.in_(WARNING_SEVERITIES)).label("warnings"),
        )
        .join(f, f.project_year_id == cur.c.py_id)
        .group_by(cur.c.unit_id)
        .subquery()
    )
    execution = pct_of(years.c.spent, years.c.budget)
    with_target = func.coalesce(counts.c.with_target, 0)
    columns = {
        "score": years.c.score,
        "execution_rate": execution,
        "met_share": pct_of(func.coalesce(counts.c.met, 0), with_target),
        "warnings": func.coalesce(found.c.warnings, 0),
    }
    key = columns[by]
    order = (key.desc() if measure.higher_is_better else key.asc()).nulls_last()
    stmt = (
        select(
            func.rank().over(order_by=order).label("rank"),
            m.Unit.name.label("unit_name"),
            m.Unit.kind,
            m.Unit.is_generated,
            years.c.score,
            # a unit with several projects in the year has no one grade of its own
            case((years.c.projects == 1, years.c.grade), else_=None).label("grade"),
            years.c.budget,
            years.c.spent,
            execution.label("execution_rate"),
            func.coalesce(counts.c.indicators, 0).label("indicators"),
            with_target.label("with_target"),
            func.coalesce(counts.c.met, 0).label("met"),
            columns["met_share"].label("met_share"),
            func.coalesce(found.c.findings, 0).label("findings"),
            columns["warnings"].label("warnings"),
        )
        .join(years, years.c.unit_id == m.Unit.id)
        .outerjoin(counts, counts.c.unit_id == m.Unit.id)
        .outerjoin(found, found.c.unit_id == m.Unit.id)
        .order_by(order, m.Unit.name)
    )
    return read_frame(conn, _in_scope(stmt, kinds, units), RANKING_SCHEMA)


def district_years(conn: Connection, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the years with current reports and how many units report in each, ascending."""
    stmt = (
        select(PY.year, func.count(func.distinct(m.Project.unit_id)).label("units"))
        .join(m.Project, m.Project.id == PY.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(PY.is_current.is_(True))
        .group_by(PY.year)
        .order_by(PY.year)
    )
    return read_frame(conn, _in_scope(stmt, (), units), {"year": "int64", "units": "int64"})


def unit_kinds(conn: Connection, year: int, units: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the kinds of unit reporting in `year` with how many of each, most first."""
    cur = _current(year).subquery()
    n = func.count(func.distinct(m.Unit.id))
    stmt = (
        select(m.Unit.kind, n.label("units"))
        .join(cur, cur.c.unit_id == m.Unit.id)
        .group_by(m.Unit.kind)
        .order_by(n.desc(), m.Unit.kind)
    )
    return read_frame(conn, _in_scope(stmt, (), units), {"kind": "object", "units": "int64"})
