"""Read a stored project-year back into a `facts.Report`, so the auditor and scorer work on stored data too."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import facts
from jixiao_core import models as m
from jixiao_core.errors import InputError


def current_project_year(s: Session, unit: str, year: int, project: str | None = None) -> m.ProjectYear:
    """Return the current revision for unit/year (and project); raise InputError if there is none or several."""
    stmt = (
        select(m.ProjectYear)
        .join(m.Project, m.Project.id == m.ProjectYear.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(m.Unit.name == unit, m.ProjectYear.year == year, m.ProjectYear.is_current)
    )
    if project:
        stmt = stmt.where(m.Project.name == project)
    rows = list(s.scalars(stmt))
    if not rows:
        raise InputError(f"{unit} {year}年", "数据库中没有该单位该年度的数据；请先导入报告")
    if len(rows) > 1:
        raise InputError(f"{unit} {year}年", "该单位该年度有多个项目，请用 --project 指定")
    return rows[0]


def _dec(printed: str | None, value) -> Decimal | None:
    # the printed form keeps the report's precision, which the auditor's tolerance depends on
    if printed is not None:
        return Decimal(printed)
    return None if value is None else Decimal(str(value))


def load_report(s: Session, unit: str, year: int, project: str | None = None) -> facts.Report:
    """Return the current stored report of unit/year as facts, findings included."""
    return report_of(s, current_project_year(s, unit, year, project))


def report_of(s: Session, py: m.ProjectYear) -> facts.Report:
    """Return one stored project-year revision as facts, findings included."""
    proj = s.get(m.Project, py.project_id)
    u = s.get(m.Unit, proj.unit_id)
    doc = s.get(m.SourceDocument, py.source_document_id) if py.source_document_id else None
    areas = {a.id: a.seq for a in py.areas}
    comms = {
        c.id: c
        for c in s.scalars(select(m.Community).where(m.Community.unit_id == u.id).order_by(m.Community.seq))
    }
    rep = facts.Report(
        source=facts.SourceDoc(doc.file_name, doc.sha256, doc.fmt, doc.encoding, doc.text) if doc else None,
        unit_name=u.name,
        project_name=proj.name,
        year=py.year,
        report_date=py.report_date.isoformat() if py.report_date else None,
        district=u.district,
        funds=facts.Funds(
            budget=_dec(None, py.budget),
            budget_initial=_dec(None, py.budget_initial),
            arrived=_dec(None, py.arrived),
            spent=_dec(None, py.spent),
            text=py.funds_text or "",
        ),
        communities=[facts.Community(c.name, c.kind) for c in comms.values()],
        overall_goal=py.overall_goal,
        goals=[
            facts.Goal(g.seq, g.text)
            for g in s.scalars(select(m.Goal).where(m.Goal.project_year_id == py.id).order_by(m.Goal.seq))
        ],
        areas=[facts.Area(a.seq, a.title, a.key) for a in py.areas],
    )
    rows = s.scalars(
        select(m.Indicator).where(m.Indicator.project_year_id == py.id).order_by(m.Indicator.seq)
    )
    rep.indicators = [_indicator(r, areas, comms) for r in rows]
    rep.sections = {
        x.key: x.text for x in s.scalars(select(m.Section).where(m.Section.project_year_id == py.id))
    }
    rep.claims = [
        (c.text, (c.span_start, c.span_end))
        for c in s.scalars(select(m.Claim).where(m.Claim.project_year_id == py.id).order_by(m.Claim.id))
    ]
    rep.findings = [
        facts.Finding(
            f.kind,
            f.severity,
            f.message,
            [int(x) for x in f.indicator_seqs.split(",") if x],
            f.text,
            (f.span_start, f.span_end) if f.span_start is not None else None,
        )
        for f in s.scalars(select(m.Finding).where(m.Finding.project_year_id == py.id).order_by(m.Finding.id))
    ]
    return rep


def _indicator(r: m.Indicator, areas: dict[int, int], comms: dict[int, m.Community]) -> facts.Indicator:
    return facts.Indicator(
        name=r.name,
        actual=_dec(r.actual_printed, r.actual),
        unit=r.unit,
        target=_dec(r.target_printed, r.target),
        target_unit=r.target_unit,
        comparator=r.comparator,
        rate=_dec(r.rate_printed, r.rate),
        qualifier=r.qualifier,
        community=comms[r.community_id].name if r.community_id else None,
        area_seq=areas.get(r.area_id) if r.area_id else None,
        text=r.text,
        span=(r.span_start, r.span_end) if r.span_start is not None else None,
        change=_dec(None, r.change),
        change_pct=_dec(None, r.change_pct),
        change_direction=r.change_direction,
        level1=r.level1,
        level2=r.level2,
        level3=r.level3,
        direction=r.direction,
        weight=_dec(None, r.weight),
        target_text=r.target_text,
        stated_score=_dec(None, r.stated_score),
        locator=r.locator,
        ocr=r.source_kind == "ocr",
    )
