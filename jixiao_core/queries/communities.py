"""Read side, the community questions of one unit-year: its communities and their kinds, the facts that name
a community, actions that reached every community, and values reported for several communities.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from jixiao_core import models as m
from jixiao_core.queries.parts import IND, WA, as_float, current_ids, read_frame

# sentences saying an action reached every community, e.g. "完成辖区8个社区全覆盖病媒消杀"
COVERAGE_PATTERNS = ("%社区全覆盖%", "%各社区%", "%所有社区%", "%每个社区%", "%全部社区%")


def communities_for(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the unit's communities with their kind and how many of the year's facts name each."""
    facts = func.count(IND.id)
    stmt = (
        select(
            m.Community.seq,
            m.Community.name,
            m.Community.kind,
            facts.label("facts"),
            m.Community.is_generated,
        )
        .join(m.Unit, m.Unit.id == m.Community.unit_id)
        .outerjoin(
            IND, and_(IND.community_id == m.Community.id, IND.project_year_id.in_(current_ids(unit, year)))
        )
        .where(m.Unit.name == unit)
        .group_by(
            m.Community.id, m.Community.seq, m.Community.name, m.Community.kind, m.Community.is_generated
        )
        .order_by(m.Community.seq)
    )
    schema = {"seq": "int64", "name": "object", "kind": "object", "facts": "int64", "is_generated": "bool"}
    return read_frame(conn, stmt, schema)


def community_kinds(conn: Connection, unit: str) -> pd.DataFrame:
    """Return how many communities of each kind (村改居社区, 城市社区 …) the unit has, in list order."""
    kind = m.Community.kind
    stmt = (
        select(kind.label("kind"), func.count(m.Community.id).label("communities"))
        .join(m.Unit, m.Unit.id == m.Community.unit_id)
        .where(m.Unit.name == unit)
        .group_by(kind)
        .order_by(func.min(m.Community.seq))
    )
    return read_frame(conn, stmt, {"kind": "object", "communities": "int64"})


FACT_SCHEMA = {
    "community": "object",
    "area_title": "object",
    "name": "object",
    "actual_printed": "object",
    "unit": "object",
    "qualifier": "object",
    "comparator": "object",
    "text": "object",
}


def _fact_select():
    return (
        select(
            m.Community.name.label("community"),
            WA.title.label("area_title"),
            IND.name,
            IND.actual_printed,
            IND.unit,
            IND.qualifier,
            IND.comparator,
            IND.text,
        )
        .outerjoin(WA, WA.id == IND.area_id)
        .order_by(IND.project_year_id, IND.seq)
    )


def community_facts(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the facts of one unit-year that name a community, in report order."""
    stmt = _fact_select().join(m.Community, m.Community.id == IND.community_id)
    return read_frame(conn, stmt.where(IND.project_year_id.in_(current_ids(unit, year))), FACT_SCHEMA)


def area_wide_actions(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the facts whose sentence says they reached every community ("辖区8个社区全覆盖")."""
    stmt = _fact_select().outerjoin(m.Community, m.Community.id == IND.community_id)
    covered = or_(*(IND.text.like(p) for p in COVERAGE_PATTERNS))
    return read_frame(
        conn, stmt.where(IND.project_year_id.in_(current_ids(unit, year)), covered), FACT_SCHEMA
    )


def community_values(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return indicator values reported for two or more communities, for comparing them."""
    ids = current_ids(unit, year)
    shared = (
        select(IND.name)
        .where(IND.project_year_id.in_(ids), IND.community_id.is_not(None))
        .group_by(IND.name)
        .having(func.count(func.distinct(IND.community_id)) >= 2)
    )
    stmt = (
        select(IND.name, IND.unit, m.Community.name.label("community"), as_float(IND.actual).label("actual"))
        .join(m.Community, m.Community.id == IND.community_id)
        .where(IND.project_year_id.in_(ids), IND.name.in_(shared))
        .order_by(IND.name, m.Community.seq)
    )
    return read_frame(
        conn, stmt, {"name": "object", "unit": "object", "community": "object", "actual": "float64"}
    )
