"""Read side, the money questions: budget, arrived and spent (元) with 到位率 and both 执行率 (%) for a unit-year
or every year of a unit, and the monthly time-progress monitor with its traffic lights (DOMAIN.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import PY, as_float, current_ids, pct_of, read_frame


@dataclass(frozen=True)
class Light:
    """One band of the time-progress monitor: 预警值 from `low` (inclusive) up to the next band."""

    key: str
    low: float


# 预警值 = (执行数/预算数) ÷ (月份/12) × 100: < 60 red, 60–80 yellow, ≥ 80 green (DOMAIN.md §7)
LIGHTS = (Light("red", 0.0), Light("yellow", 60.0), Light("green", 80.0))


FUNDS_SCHEMA = {
    "year": "int64",
    "budget": "float64",
    "budget_initial": "float64",
    "arrived": "float64",
    "spent": "float64",
    "arrival_rate": "float64",
    "execution_rate": "float64",
    "execution_rate_arrived": "float64",
    "is_generated": "bool",
}


def _funds_select():
    budget, arrived, spent = (
        func.sum(as_float(PY.budget)),
        func.sum(as_float(PY.arrived)),
        func.sum(as_float(PY.spent)),
    )
    return select(
        PY.year,
        budget.label("budget"),
        func.sum(as_float(PY.budget_initial)).label("budget_initial"),
        arrived.label("arrived"),
        spent.label("spent"),
        pct_of(arrived, budget).label("arrival_rate"),
        # 财预〔2020〕10号 自评表: 执行率 uses 全年预算数; the 附件2 framework uses 到位资金; show both
        pct_of(spent, budget).label("execution_rate"),
        pct_of(spent, arrived).label("execution_rate_arrived"),
        func.max(case((PY.is_generated, 1), else_=0)).label("is_generated"),
    ).group_by(PY.year)


def funds_for_year(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return budget, arrived and spent (元) with 到位率 and both 执行率 (%) for one unit-year; no row if none."""
    return read_frame(conn, _funds_select().where(PY.id.in_(current_ids(unit, year))), FUNDS_SCHEMA)


def funds_by_year(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the funds row of every year of `unit`, ascending."""
    stmt = _funds_select().where(PY.id.in_(current_ids(unit))).order_by(PY.year)
    return read_frame(conn, stmt, FUNDS_SCHEMA)


def monthly_progress(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return per month: cumulative spending (元), 执行进度 and 时间进度 (%), 预警值 and its traffic light."""
    d = m.Disbursement
    spent, budget = func.sum(as_float(d.spent_to_date)), func.sum(as_float(PY.budget))
    warning = pct_of(spent, budget) * 12.0 / d.month
    bands = ((warning >= band.low, band.key) for band in reversed(LIGHTS))
    light = case((warning.is_(None), None), *bands, else_=None)
    stmt = (
        select(
            d.month,
            spent.label("spent_to_date"),
            budget.label("budget"),
            pct_of(spent, budget).label("execution_progress"),
            (d.month * 100.0 / 12).label("time_progress"),
            warning.label("warning_value"),
            light.label("light"),
        )
        .join(PY, PY.id == d.project_year_id)
        .where(PY.id.in_(current_ids(unit, year)))
        .group_by(d.month)
        .order_by(d.month)
    )
    schema = {
        "month": "int64",
        "spent_to_date": "float64",
        "budget": "float64",
        "execution_progress": "float64",
    }
    return read_frame(
        conn, stmt, {**schema, "time_progress": "float64", "warning_value": "float64", "light": "object"}
    )
