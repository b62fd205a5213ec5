"""Read side: one function per question, `fn(conn, ...) -> DataFrame`, aggregated in SQL, current revisions only.

Column names are English; amounts are 元 and rates percent, as floats. `labels` turns them into Chinese.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, and_, case, cast, func, literal, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.query_parts import (
    AREA_KEY,
    COMPLETION,
    COUNT_SCHEMA,
    COUNTS,
    IND,
    PY,
    STATUS,
    WA,
    _current_ids,
    _f,
    _read,
)

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def data_version(conn: Connection) -> int:
    """Return newest import-batch id + newest correction id (0 when empty): part of every cache key.

    Both ids only grow, so their sum changes whenever either does: an import or a clerk's correction.
    """
    batch = conn.scalar(select(func.coalesce(func.max(m.ImportBatch.id), 0)))
    fix = conn.scalar(select(func.coalesce(func.max(m.Correction.id), 0)))
    return int(batch) + int(fix)


def units(conn: Connection) -> pd.DataFrame:
    """Return every unit that has a current project-year, real units first."""
    stmt = (
        select(
            m.Unit.name, m.Unit.kind, m.Unit.district, m.Unit.is_generated, func.count(PY.id).label("years")
        )
        .join(m.Project, m.Project.unit_id == m.Unit.id)
        .join(PY, and_(PY.project_id == m.Project.id, PY.is_current.is_(True)))
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
    return _read(conn, stmt, schema)


def years(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the years with a current report for `unit`, ascending."""
    stmt = (
        select(PY.year, func.max(case((PY.is_generated, 1), else_=0)).label("is_generated"))
        .where(PY.id.in_(_current_ids(unit)))
        .group_by(PY.year)
        .order_by(PY.year)
    )
    return _read(conn, stmt, {"year": "int64", "is_generated": "bool"})


def areas_for(conn: Connection, unit: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Return the work areas of `unit` in the year range, one row per area key, in report order."""
    stmt = (
        select(
            AREA_KEY.label("area_key"),
            func.min(WA.seq).label("area_seq"),
            func.max(WA.title).label("area_title"),
        )
        .join(PY, PY.id == WA.project_year_id)
        .where(PY.id.in_(_current_ids(unit)), PY.year.between(year_from, year_to))
        .group_by(AREA_KEY)
        .order_by(func.min(WA.seq))
    )
    return _read(conn, stmt, {"area_key": "object", "area_seq": "int64", "area_title": "object"})


INDICATOR_SCHEMA = {
    "id": "int64",
    "seq": "int64",
    "area_seq": "Int64",
    "area_key": "object",
    "area_title": "object",
    "community": "object",
    "name": "object",
    "actual": "float64",
    "actual_printed": "object",
    "unit": "object",
    "target": "float64",
    "target_printed": "object",
    "target_unit": "object",
    "comparator": "object",
    "rate": "float64",
    "qualifier": "object",
    "completion": "float64",
    "status": "object",
    "level1": "object",
    "level2": "object",
    "direction": "object",
    "text": "object",
    "is_generated": "bool",
    "weight": "float64",
    "version": "int64",
}


def indicators_for(
    conn: Connection, unit: str, year: int, areas: tuple[str, ...] = (), communities: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Return the indicators of one unit-year with recomputed completion (%) and status; empty filters mean all."""
    stmt = (
        select(
            IND.id,
            IND.seq,
            WA.seq.label("area_seq"),
            AREA_KEY.label("area_key"),
            WA.title.label("area_title"),
            m.Community.name.label("community"),
            IND.name,
            _f(IND.actual).label("actual"),
            IND.actual_printed,
            IND.unit,
            _f(IND.target).label("target"),
            IND.target_printed,
            IND.target_unit,
            IND.comparator,
            _f(IND.rate).label("rate"),
            IND.qualifier,
            COMPLETION.label("completion"),
            STATUS.label("status"),
            IND.level1,
            IND.level2,
            IND.direction,
            IND.text,
            IND.is_generated,
            _f(IND.weight).label("weight"),
            IND.version,
        )
        .outerjoin(WA, WA.id == IND.area_id)
        .outerjoin(m.Community, m.Community.id == IND.community_id)
        .where(IND.project_year_id.in_(_current_ids(unit, year)))
        .order_by(IND.project_year_id, IND.seq)
    )
    if areas:
        stmt = stmt.where(AREA_KEY.in_(areas))
    if communities:
        stmt = stmt.where(m.Community.name.in_(communities))
    return _read(conn, stmt, INDICATOR_SCHEMA)


def indicator_summary(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return one row: indicators, with a target, met and missed, for one unit-year."""
    stmt = select(*COUNTS).where(IND.project_year_id.in_(_current_ids(unit, year)))
    return _read(conn, stmt, COUNT_SCHEMA)


def achievement_by_area(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return per work area: indicators, with a target, met, missed and mean completion (%)."""
    stmt = (
        select(
            WA.seq.label("area_seq"),
            AREA_KEY.label("area_key"),
            WA.title.label("area_title"),
            *COUNTS,
            func.avg(COMPLETION).label("mean_completion"),
        )
        .outerjoin(IND, IND.area_id == WA.id)
        .where(WA.project_year_id.in_(_current_ids(unit, year)))
        .group_by(WA.seq, AREA_KEY, WA.title)
        .order_by(WA.seq)
    )
    schema = {"area_seq": "int64", "area_key": "object", "area_title": "object", **COUNT_SCHEMA}
    return _read(conn, stmt, {**schema, "mean_completion": "float64"})


def goals_against_results(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return each staged goal (一是…) with the indicator counts of the work area it maps to."""
    g = m.Goal
    stmt = (
        select(
            g.seq.label("goal_seq"),
            g.text.label("goal"),
            g.area_seq,
            AREA_KEY.label("area_key"),
            WA.title.label("area_title"),
            *COUNTS,
        )
        .outerjoin(WA, and_(WA.project_year_id == g.project_year_id, WA.seq == g.area_seq))
        .outerjoin(IND, IND.area_id == WA.id)
        .where(g.project_year_id.in_(_current_ids(unit, year)))
        .group_by(g.project_year_id, g.seq, g.text, g.area_seq, AREA_KEY, WA.title)
        .order_by(g.project_year_id, g.seq)
    )
    schema = {
        "goal_seq": "int64",
        "goal": "object",
        "area_seq": "Int64",
        "area_key": "object",
        "area_title": "object",
    }
    return _read(conn, stmt, {**schema, **COUNT_SCHEMA})


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
        .where(f.project_year_id.in_(_current_ids(unit, year)))
        .order_by(SEVERITY, f.id)
    )
    return _read(conn, stmt, FINDING_SCHEMA)


def finding_counts(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the number of findings per severity, most severe first."""
    f = m.Finding
    stmt = (
        select(f.severity, func.count(f.id).label("findings"))
        .where(f.project_year_id.in_(_current_ids(unit, year)))
        .group_by(f.severity)
        .order_by(func.min(SEVERITY))
    )
    return _read(conn, stmt, {"severity": "object", "findings": "int64"})


def findings_for_indicator(conn: Connection, indicator_id: int) -> pd.DataFrame:
    """Return the findings that cite one indicator (Finding.indicator_seqs lists Indicator.seq)."""
    f = m.Finding
    seqs = literal(",") + f.indicator_seqs + literal(",")
    stmt = (
        select(f.id, f.severity, f.kind, f.message, f.text, f.indicator_seqs)
        .join(IND, and_(IND.project_year_id == f.project_year_id, IND.id == indicator_id))
        .where(seqs.like(literal("%,") + cast(IND.seq, String) + literal(",%")))
        .order_by(SEVERITY, f.id)
    )
    return _read(conn, stmt, FINDING_SCHEMA)


def report_conclusion(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the report's own verdict: its claims that targets were met, then its conclusion chapter."""
    ids = _current_ids(unit, year)
    claims = select(literal("claim").label("source"), m.Claim.text, m.Claim.id.label("n")).where(
        m.Claim.project_year_id.in_(ids)
    )
    chapter = select(literal("conclusion").label("source"), m.Section.text, m.Section.id.label("n")).where(
        m.Section.project_year_id.in_(ids), m.Section.key == "conclusion"
    )
    stmt = claims.union_all(chapter).order_by("source", "n")
    return _read(conn, stmt, {"source": "object", "text": "object"})


def import_history(conn: Connection) -> pd.DataFrame:
    """Return every import batch, newest first."""
    b = m.ImportBatch
    stmt = select(
        b.id, b.kind, b.file_name, b.imported_at, b.imported_by, b.summary, b.is_generated
    ).order_by(b.id.desc())
    schema = {"id": "int64", "kind": "object", "file_name": "object", "imported_at": "datetime64[ns]"}
    return _read(conn, stmt, {**schema, "imported_by": "object", "summary": "object", "is_generated": "bool"})
