"""Read side, indicators: one unit-year's results with their status, and their counts by area and by goal."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import (
    AREA_KEY,
    COMPLETION,
    COUNT_SCHEMA,
    COUNTS,
    IND,
    STATUS,
    WA,
    as_float,
    current_ids,
    read_frame,
)

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
    "source_kind": "object",
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
            as_float(IND.actual).label("actual"),
            IND.actual_printed,
            IND.unit,
            as_float(IND.target).label("target"),
            IND.target_printed,
            IND.target_unit,
            IND.comparator,
            as_float(IND.rate).label("rate"),
            IND.qualifier,
            COMPLETION.label("completion"),
            STATUS.label("status"),
            IND.level1,
            IND.level2,
            IND.direction,
            IND.text,
            IND.is_generated,
            as_float(IND.weight).label("weight"),
            IND.version,
            IND.source_kind,
        )
        .outerjoin(WA, WA.id == IND.area_id)
        .outerjoin(m.Community, m.Community.id == IND.community_id)
        .where(IND.project_year_id.in_(current_ids(unit, year)))
        .order_by(IND.project_year_id, IND.seq)
    )
    if areas:
        stmt = stmt.where(AREA_KEY.in_(areas))
    if communities:
        stmt = stmt.where(m.Community.name.in_(communities))
    return read_frame(conn, stmt, INDICATOR_SCHEMA)


def indicator_summary(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return one row: indicators, with a target, met and missed, for one unit-year."""
    stmt = select(*COUNTS).where(IND.project_year_id.in_(current_ids(unit, year)))
    return read_frame(conn, stmt, COUNT_SCHEMA)


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
        .where(WA.project_year_id.in_(current_ids(unit, year)))
        .group_by(WA.seq, AREA_KEY, WA.title)
        .order_by(WA.seq)
    )
    schema = {"area_seq": "int64", "area_key": "object", "area_title": "object", **COUNT_SCHEMA}
    return read_frame(conn, stmt, {**schema, "mean_completion": "float64"})


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
        .where(g.project_year_id.in_(current_ids(unit, year)))
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
    return read_frame(conn, stmt, {**schema, **COUNT_SCHEMA})
