"""The building blocks every read-side query shares: table aliases, the current project-years of a unit, the
typed frame reader, and the SQL for completion, status and indicator counts.

The modules of `queries` import these; nothing outside the package should.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m

IND, PY, WA = m.Indicator, m.ProjectYear, m.WorkArea


def read_frame(conn: Connection, stmt, schema: dict[str, str]) -> pd.DataFrame:
    # a fixed dtype per column keeps empty and all-NULL results comparable and cache-friendly
    df = pd.read_sql(stmt, conn)
    return df[list(schema)].astype(schema) if len(df) else pd.DataFrame(columns=list(schema)).astype(schema)


def as_float(col):
    return cast(col, Float)


def pct_of(part, whole):
    return as_float(part) * 100.0 / func.nullif(as_float(whole), 0)


def current_ids(unit: str, year: int | None = None):
    """Return a select of the current project-year ids of `unit` (in `year`)."""
    stmt = (
        select(PY.id)
        .join(m.Project, m.Project.id == PY.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(m.Unit.name == unit, PY.is_current.is_(True))
    )
    return stmt if year is None else stmt.where(PY.year == year)


AREA_KEY = func.coalesce(WA.key, WA.title)
# written by the store through status.judge: the one definition of met / missed, read here as it is
COMPLETION = IND.completion
STATUS = IND.status


def count_if(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


COUNTS = (
    func.count(IND.id).label("indicators"),
    count_if(IND.target.is_not(None)).label("with_target"),
    count_if(STATUS == "met").label("met"),
    count_if(STATUS == "missed").label("missed"),
)
COUNT_SCHEMA = {"indicators": "int64", "with_target": "int64", "met": "int64", "missed": "int64"}
