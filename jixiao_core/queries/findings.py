"""Read side, findings: the audit's findings of a unit-year or of one indicator, and the report's own conclusion."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, and_, case, cast, func, literal, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import (
    IND,
    current_ids,
    read_frame,
)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

SEVERITY = case(*((m.Finding.severity == k, v) for k, v in SEVERITY_RANK.items()), else_=len(SEVERITY_RANK))
FINDING_SCHEMA = {
    "id": "int64",
    "severity": "object",
    "kind": "object",
    "message": "object",
    "text": "object",
    "indicator_seqs": "object",
}


def findings_for(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the audit findings of one unit-year, most severe first."""
    f = m.Finding
    stmt = (
        select(f.id, f.severity, f.kind, f.message, f.text, f.indicator_seqs)
        .where(f.project_year_id.in_(current_ids(unit, year)))
        .order_by(SEVERITY, f.id)
    )
    return read_frame(conn, stmt, FINDING_SCHEMA)


def finding_counts(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the number of findings per severity, most severe first."""
    f = m.Finding
    stmt = (
        select(f.severity, func.count(f.id).label("findings"))
        .where(f.project_year_id.in_(current_ids(unit, year)))
        .group_by(f.severity)
        .order_by(func.min(SEVERITY))
    )
    return read_frame(conn, stmt, {"severity": "object", "findings": "int64"})


def findings_for_indicator(conn: Connection, unit: str, indicator_id: int) -> pd.DataFrame:
    """Return the findings that cite one indicator of `unit` (Finding.indicator_seqs lists Indicator.seq)."""
    f = m.Finding
    seqs = literal(",") + f.indicator_seqs + literal(",")
    stmt = (
        select(f.id, f.severity, f.kind, f.message, f.text, f.indicator_seqs)
        .join(IND, and_(IND.project_year_id == f.project_year_id, IND.id == indicator_id))
        .where(IND.project_year_id.in_(current_ids(unit)))
        .where(seqs.like(literal("%,") + cast(IND.seq, String) + literal(",%")))
        .order_by(SEVERITY, f.id)
    )
    return read_frame(conn, stmt, FINDING_SCHEMA)


def report_conclusion(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the report's own verdict: its claims that targets were met, then its conclusion chapter."""
    ids = current_ids(unit, year)
    claims = select(literal("claim").label("source"), m.Claim.text, m.Claim.id.label("n")).where(
        m.Claim.project_year_id.in_(ids)
    )
    chapter = select(literal("conclusion").label("source"), m.Section.text, m.Section.id.label("n")).where(
        m.Section.project_year_id.in_(ids), m.Section.key == "conclusion"
    )
    stmt = claims.union_all(chapter).order_by("source", "n")
    return read_frame(conn, stmt, {"source": "object", "text": "object"})
