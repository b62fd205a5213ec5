"""Read side, batch imports: each run with the count of its files by outcome."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import read_frame

OUTCOMES = ("stored", "duplicate", "replaced", "refused")
SCHEMA = {
    "id": "int64",
    "started_at": "datetime64[ns]",
    "started_by": "object",
    "label": "object",
    "status": "object",
    "files": "int64",
    **dict.fromkeys(OUTCOMES, "int64"),
}


def batch_runs(conn: Connection, units: tuple[str, ...] = (), limit: int = 50) -> pd.DataFrame:
    """Return the newest batch runs (that touched one of `units`, when given): who, when, what, done or
    interrupted, and their files by outcome."""
    r, f = m.BatchRun, m.BatchFile
    counts = [func.count(f.id).filter(f.outcome == o).label(o) for o in OUTCOMES]
    stmt = (
        select(r.id, r.started_at, r.started_by, r.label, r.status, r.files, *counts)
        .outerjoin(f, f.run_id == r.id)
        .group_by(r.id, r.started_at, r.started_by, r.label, r.status, r.files)
        .order_by(r.id.desc())
        .limit(limit)
    )
    if units:  # a person limited to some units sees only the runs that stored or refused a file of theirs
        stmt = stmt.where(r.id.in_(select(f.run_id).where(f.unit.in_(units))))
    return read_frame(conn, stmt, SCHEMA)
