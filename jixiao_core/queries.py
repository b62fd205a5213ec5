"""Read side: one function per question, `fn(conn, ...) -> DataFrame`, aggregated in SQL, current revisions only.

Column names are English; amounts are 元 and rates percent, as floats. `labels` turns them into Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Float, String, and_, case, cast, func, literal, or_, select, true
from sqlalchemy.engine import Connection

from . import models as m

IND, PY, WA = m.Indicator, m.ProjectYear, m.WorkArea


@dataclass(frozen=True)
class Light:
    """One band of the time-progress monitor: 预警值 from `low` (inclusive) up to the next band."""

    key: str
    low: float


# 预警值 = (执行数/预算数) ÷ (月份/12) × 100: < 60 red, 60–80 yellow, ≥ 80 green (DOMAIN.md §7)
LIGHTS = (Light("red", 0.0), Light("yellow", 60.0), Light("green", 80.0))
# sentences saying an action reached every community, e.g. "完成辖区8个社区全覆盖病媒消杀"
COVERAGE_PATTERNS = ("%社区全覆盖%", "%各社区%", "%所有社区%", "%每个社区%", "%全部社区%")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _read(conn: Connection, stmt, schema: dict[str, str]) -> pd.DataFrame:
    # a fixed dtype per column keeps empty and all-NULL results comparable and cache-friendly
    df = pd.read_sql(stmt, conn)
    return df[list(schema)].astype(schema) if len(df) else pd.DataFrame(columns=list(schema)).astype(schema)


def _f(col):
    return cast(col, Float)


def _pct(part, whole):
    return _f(part) * 100.0 / func.nullif(_f(whole), 0)


def _current_ids(unit: str, year: int | None = None):
    """Return a select of the current project-year ids of `unit` (in `year`)."""
    stmt = (
        select(PY.id)
        .join(m.Project, m.Project.id == PY.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(m.Unit.name == unit, PY.is_current.is_(True))
    )
    return stmt if year is None else stmt.where(PY.year == year)


AREA_KEY = func.coalesce(WA.key, WA.title)
COMPARABLE = and_(
    IND.target.is_not(None), IND.target != 0, or_(IND.target_unit.is_(None), IND.target_unit == IND.unit)
)
# coalesce: with a NULL comparator, NOT (x OR NULL) would be NULL and no row would count as met
NEGATIVE = or_(func.coalesce(IND.direction, "") == "negative", func.coalesce(IND.comparator, "") == "<=")
# 反向 indicators (≤ targets) complete as target ÷ actual, the scoring rule's ratio, so ≥ 100% always means met
COMPLETION = case(
    (and_(COMPARABLE, NEGATIVE), _pct(IND.target, IND.actual)),
    (COMPARABLE, _pct(IND.actual, IND.target)),
    else_=None,
)
STATUS = case(
    (IND.target.is_(None), "no_target"),
    (and_(NEGATIVE, IND.actual <= IND.target), "met"),
    (and_(~NEGATIVE, IND.actual >= IND.target), "met"),
    else_="missed",
)


def _count_if(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


COUNTS = (
    func.count(IND.id).label("indicators"),
    _count_if(IND.target.is_not(None)).label("with_target"),
    _count_if(STATUS == "met").label("met"),
    _count_if(STATUS == "missed").label("missed"),
)
COUNT_SCHEMA = {"indicators": "int64", "with_target": "int64", "met": "int64", "missed": "int64"}


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
    budget, arrived, spent = func.sum(_f(PY.budget)), func.sum(_f(PY.arrived)), func.sum(_f(PY.spent))
    return select(
        PY.year,
        budget.label("budget"),
        func.sum(_f(PY.budget_initial)).label("budget_initial"),
        arrived.label("arrived"),
        spent.label("spent"),
        _pct(arrived, budget).label("arrival_rate"),
        # 财预〔2020〕10号 自评表: 执行率 uses 全年预算数; the 附件2 framework uses 到位资金; show both
        _pct(spent, budget).label("execution_rate"),
        _pct(spent, arrived).label("execution_rate_arrived"),
        func.max(case((PY.is_generated, 1), else_=0)).label("is_generated"),
    ).group_by(PY.year)


def funds_for_year(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return budget, arrived and spent (元) with 到位率 and both 执行率 (%) for one unit-year; no row if none."""
    return _read(conn, _funds_select().where(PY.id.in_(_current_ids(unit, year))), FUNDS_SCHEMA)


def funds_by_year(conn: Connection, unit: str) -> pd.DataFrame:
    """Return the funds row of every year of `unit`, ascending."""
    stmt = _funds_select().where(PY.id.in_(_current_ids(unit))).order_by(PY.year)
    return _read(conn, stmt, FUNDS_SCHEMA)


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
            IND, and_(IND.community_id == m.Community.id, IND.project_year_id.in_(_current_ids(unit, year)))
        )
        .where(m.Unit.name == unit)
        .group_by(
            m.Community.id, m.Community.seq, m.Community.name, m.Community.kind, m.Community.is_generated
        )
        .order_by(m.Community.seq)
    )
    schema = {"seq": "int64", "name": "object", "kind": "object", "facts": "int64", "is_generated": "bool"}
    return _read(conn, stmt, schema)


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
    return _read(conn, stmt, {"kind": "object", "communities": "int64"})


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
    return _read(conn, stmt.where(IND.project_year_id.in_(_current_ids(unit, year))), FACT_SCHEMA)


def area_wide_actions(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return the facts whose sentence says they reached every community ("辖区8个社区全覆盖")."""
    stmt = _fact_select().outerjoin(m.Community, m.Community.id == IND.community_id)
    covered = or_(*(IND.text.like(p) for p in COVERAGE_PATTERNS))
    return _read(conn, stmt.where(IND.project_year_id.in_(_current_ids(unit, year)), covered), FACT_SCHEMA)


def community_values(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return indicator values reported for two or more communities, for comparing them."""
    ids = _current_ids(unit, year)
    shared = (
        select(IND.name)
        .where(IND.project_year_id.in_(ids), IND.community_id.is_not(None))
        .group_by(IND.name)
        .having(func.count(func.distinct(IND.community_id)) >= 2)
    )
    stmt = (
        select(IND.name, IND.unit, m.Community.name.label("community"), _f(IND.actual).label("actual"))
        .join(m.Community, m.Community.id == IND.community_id)
        .where(IND.project_year_id.in_(ids), IND.name.in_(shared))
        .order_by(IND.name, m.Community.seq)
    )
    return _read(conn, stmt, {"name": "object", "unit": "object", "community": "object", "actual": "float64"})


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


def monthly_progress(conn: Connection, unit: str, year: int) -> pd.DataFrame:
    """Return per month: cumulative spending (元), 执行进度 and 时间进度 (%), 预警值 and its traffic light."""
    d = m.Disbursement
    spent, budget = func.sum(_f(d.spent_to_date)), func.sum(_f(PY.budget))
    warning = _pct(spent, budget) * 12.0 / d.month
    bands = ((warning >= band.low, band.key) for band in reversed(LIGHTS))
    light = case((warning.is_(None), None), *bands, else_=None)
    stmt = (
        select(
            d.month,
            spent.label("spent_to_date"),
            budget.label("budget"),
            _pct(spent, budget).label("execution_progress"),
            (d.month * 100.0 / 12).label("time_progress"),
            warning.label("warning_value"),
            light.label("light"),
        )
        .join(PY, PY.id == d.project_year_id)
        .where(PY.id.in_(_current_ids(unit, year)))
        .group_by(d.month)
        .order_by(d.month)
    )
    schema = {
        "month": "int64",
        "spent_to_date": "float64",
        "budget": "float64",
        "execution_progress": "float64",
    }
    return _read(
        conn, stmt, {**schema, "time_progress": "float64", "warning_value": "float64", "light": "object"}
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
            _f(IND.actual).label("actual"),
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
            _pct(cur.c.actual - prev.c.actual, prev.c.actual).label("change_pct"),
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
    return _read(conn, stmt, {**schema, **more, "change_pct": "float64"})


def unit_comparison(conn: Connection, year: int) -> pd.DataFrame:
    """Return per unit with a current report in `year`: funds, 执行率 and indicator counts."""
    funds = (
        select(
            m.Unit.id.label("unit_id"),
            func.sum(_f(PY.budget)).label("budget"),
            func.sum(_f(PY.arrived)).label("arrived"),
            func.sum(_f(PY.spent)).label("spent"),
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
            _pct(funds.c.spent, funds.c.budget).label("execution_rate"),
            *(func.coalesce(counts.c[k], 0).label(k) for k in COUNT_SCHEMA),
        )
        .join(funds, funds.c.unit_id == m.Unit.id)
        .outerjoin(counts, counts.c.unit_id == m.Unit.id)
        .order_by(m.Unit.is_generated, m.Unit.name)
    )
    schema = {"unit_name": "object", "is_generated": "bool", "budget": "float64", "arrived": "float64"}
    return _read(conn, stmt, {**schema, "spent": "float64", "execution_rate": "float64", **COUNT_SCHEMA})


def shared_indicators(conn: Connection, year: int) -> pd.DataFrame:
    """Return indicators reported by two or more units in `year` (same name and area key), one row per unit."""
    s = _unit_indicators(true(), PY.year == year)
    a, b = s.alias("a"), s.alias("b")
    stmt = (
        select(a.c.area_key, a.c.area_title, a.c.name, a.c.unit, a.c.unit_name, a.c.actual, a.c.is_generated)
        .where(select(b.c.name).where(_same_indicator(a, b), b.c.unit_name != a.c.unit_name).exists())
        .order_by(a.c.area_seq, a.c.area_key, a.c.name, a.c.unit_name)
    )
    schema = {"area_key": "object", "area_title": "object", "name": "object", "unit": "object"}
    return _read(conn, stmt, {**schema, "unit_name": "object", "actual": "float64", "is_generated": "bool"})
