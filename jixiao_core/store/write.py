"""Write side: store one parsed or curated report as a project-year revision, all rows in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import facts, kinds, status
from jixiao_core import models as m
from jixiao_core.errors import InputError
from jixiao_core.store import bounds  # noqa: F401 - its before_flush check guards every write
from jixiao_core.store.scores import score_of


@dataclass(frozen=True)
class StoreResult:
    status: str  # stored / duplicate / replaced
    project_year_id: int | None
    indicators: int
    findings: int
    revision: int


@dataclass(frozen=True)
class Origin:
    """Where a report came from: the batch row's fields and how indicators are marked."""

    kind: str  # bundled / report / workbook / generated
    file_name: str
    sha256: str
    source_kind: str  # document / cell / bundled / generated
    generated: bool = False
    user: str | None = None


def store_report(
    s: Session,
    rep: facts.Report,
    origin: Origin,
    *,
    replace: bool = False,
    problems: list[str] | None = None,
    goal_areas: dict[int, int] | None = None,
) -> StoreResult:
    """Store `rep` unless its bytes were stored before; flushes, never commits."""
    if s.scalar(select(m.ImportBatch.id).where(m.ImportBatch.sha256 == origin.sha256)) is not None:
        return StoreResult("duplicate", None, 0, 0, 0)
    if not (rep.unit_name and rep.project_name and rep.year):
        raise InputError(origin.file_name, "未识别出单位、项目名称或年度，无法入库")
    _check_replace(s, rep, replace, origin.file_name)  # refuse before the first write, not half-way
    batch = m.ImportBatch(
        kind=origin.kind,
        file_name=origin.file_name,
        sha256=origin.sha256,
        imported_by=origin.user,
        is_generated=origin.generated,
    )
    s.add(batch)
    s.flush()
    doc = _source_document(s, batch, rep.source)
    unit = _unit(s, rep, origin.generated)
    project = _get_or_add(s, m.Project, unit_id=unit.id, name=rep.project_name)
    revision, status = _retire_current(s, project.id, rep.year)
    py = _project_year(s, rep, project, batch, doc, revision, origin.generated)
    communities = _communities(s, unit, rep.communities, origin.generated)
    _bodies(s, unit, rep.bodies)
    areas = {a.seq: m.WorkArea(seq=a.seq, title=a.title, key=a.key) for a in rep.areas}
    py.areas.extend(areas.values())
    s.flush()
    for g in rep.goals:
        s.add(m.Goal(project_year_id=py.id, seq=g.seq, text=g.text, area_seq=(goal_areas or {}).get(g.seq)))
    for i, ind in enumerate(rep.indicators):
        s.add(_indicator(py, i, ind, areas, communities, doc, origin))
    for f in rep.findings:
        s.add(finding_row(py, f))
    for key, text in rep.sections.items():
        s.add(m.Section(project_year_id=py.id, key=key, text=text))
    for text, span in rep.claims:
        s.add(m.Claim(project_year_id=py.id, text=text, span_start=span[0], span_end=span[1]))
    for n, p in enumerate(rep.problems or [facts.Problem(t) for t in problems or []], start=1):
        s.add(_problem(py, n, p))
    s.flush()
    batch.summary = batch_summary(rep)
    return StoreResult(status, py.id, len(rep.indicators), len(rep.findings), revision)


def _get_or_add(s: Session, model, **key):
    row = s.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key)
        s.add(row)
        s.flush()
    return row


def _unit(s: Session, rep: facts.Report, generated: bool) -> m.Unit:
    unit = s.scalar(select(m.Unit).where(m.Unit.name == rep.unit_name))
    if unit is None:
        unit = m.Unit(
            name=rep.unit_name,
            kind=kinds.kind_of(rep.unit_name),
            district=rep.district,
            is_generated=generated,
        )
        s.add(unit)
        s.flush()
    elif unit.is_generated != generated:
        # rule 2: generated and real data never mix silently under one name
        raise InputError(
            rep.unit_name, "该单位已有" + ("真实" if generated else "生成的演示") + "数据，不能混入"
        )
    return unit


def _source_document(
    s: Session, batch: m.ImportBatch, src: facts.SourceDoc | None
) -> m.SourceDocument | None:
    if src is None:
        return None
    doc = m.SourceDocument(
        batch_id=batch.id,
        file_name=src.file_name,
        sha256=src.sha256,
        fmt=src.fmt,
        encoding=src.encoding,
        text=src.text,
        chars=src.chars,
    )
    s.add(doc)
    s.flush()
    return doc


def _check_replace(s: Session, rep: facts.Report, replace: bool, file_name: str) -> None:
    current = s.scalar(
        select(m.ProjectYear.revision)
        .join(m.Project, m.Project.id == m.ProjectYear.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(
            m.Unit.name == rep.unit_name,
            m.Project.name == rep.project_name,
            m.ProjectYear.year == rep.year,
            m.ProjectYear.is_current,
        )
    )
    if current is not None and not replace:
        raise InputError(
            file_name,
            f"该单位该项目 {rep.year} 年度已有数据（第 {current} 版）；"
            "如确需替换，请勾选“替换现有版本”（命令行加 --replace），旧版本保留在历史中",
        )


def _retire_current(s: Session, project_id: int, year: int) -> tuple[int, str]:
    current = s.scalar(
        select(m.ProjectYear).where(
            m.ProjectYear.project_id == project_id, m.ProjectYear.year == year, m.ProjectYear.is_current
        )
    )
    top = s.scalar(
        select(func.max(m.ProjectYear.revision)).where(
            m.ProjectYear.project_id == project_id, m.ProjectYear.year == year
        )
    )
    if current is None:
        return (top or 0) + 1, "stored"
    current.is_current = False
    s.flush()
    return (top or 0) + 1, "replaced"


def _project_year(s, rep, project, batch, doc, revision, generated) -> m.ProjectYear:
    f = rep.funds
    score, grade = score_of(rep)
    py = m.ProjectYear(
        project_id=project.id,
        year=rep.year,
        revision=revision,
        is_current=True,
        batch_id=batch.id,
        source_document_id=doc.id if doc else None,
        report_date=date.fromisoformat(rep.report_date) if rep.report_date else None,
        budget_initial=f.budget_initial,
        budget=f.budget,
        arrived=f.arrived,
        spent=f.spent,
        funds_text=f.text or None,
        overall_goal=rep.overall_goal,
        score=score,
        grade=grade,
        is_generated=generated,
    )
    s.add(py)
    s.flush()
    return py


def _communities(s, unit, items: list[facts.Community], generated: bool) -> dict[str, m.Community]:
    existing = {c.name: c for c in s.scalars(select(m.Community).where(m.Community.unit_id == unit.id))}
    for _n, c in enumerate(items, start=1):
        row = existing.get(c.name)
        if row is None:
            row = m.Community(
                unit_id=unit.id, seq=len(existing) + 1, name=c.name, kind=c.kind, is_generated=generated
            )
            s.add(row)
            existing[c.name] = row
        elif c.kind and not row.kind:
            row.kind = c.kind
    s.flush()
    return existing


def _bodies(s, unit, names: list[str]) -> None:
    have = set(s.scalars(select(m.InternalBody.name).where(m.InternalBody.unit_id == unit.id)))
    for n, name in enumerate(names, start=1):
        if name not in have:
            s.add(m.InternalBody(unit_id=unit.id, seq=n, name=name))
            have.add(name)


def _printed(v) -> str | None:
    return None if v is None else str(v)


def judged(row: m.Indicator) -> m.Indicator:
    """Return the row with its status and completion set from its own fields (status.judge)."""
    j = status.of(row)
    row.status, row.completion = j.status, None if j.completion is None else float(j.completion)
    return row


def _indicator(py, seq, ind: facts.Indicator, areas, communities, doc, origin: Origin) -> m.Indicator:
    area = areas.get(ind.area_seq) if ind.area_seq is not None else None
    comm = communities.get(ind.community) if ind.community else None
    return m.Indicator(
        **indicator_values(
            py.id,
            seq,
            ind,
            area.id if area else None,
            comm.id if comm else None,
            doc.id if doc else None,
            origin,
        )
    )


def indicator_values(
    py_id: int, seq: int, ind: facts.Indicator, area_id, community_id, doc_id, origin: Origin
) -> dict:
    """Return the column values of one indicator row, status and completion judged (status.judge): the one
    mapping the row-by-row store and the bulk generator share."""
    j = status.of(ind)
    return dict(
        project_year_id=py_id,
        area_id=area_id,
        community_id=community_id,
        seq=seq,
        name=ind.name,
        actual=ind.actual,
        actual_printed=_printed(ind.actual),
        unit=ind.unit,
        target=ind.target,
        target_printed=_printed(ind.target),
        target_unit=ind.target_unit,
        comparator=ind.comparator,
        rate=ind.rate,
        rate_printed=_printed(ind.rate),
        qualifier=ind.qualifier,
        change=ind.change,
        change_pct=ind.change_pct,
        change_direction=ind.change_direction,
        level1=ind.level1,
        level2=ind.level2,
        level3=ind.level3,
        direction=ind.direction,
        status=j.status,
        completion=None if j.completion is None else float(j.completion),
        weight=ind.weight,
        target_text=ind.target_text,
        stated_score=ind.stated_score,
        text=ind.text,
        span_start=ind.span[0] if ind.span else None,
        span_end=ind.span[1] if ind.span else None,
        source_kind="ocr" if ind.ocr else origin.source_kind,  # read from a scanned page
        source_document_id=doc_id,
        locator=ind.locator,
        is_generated=origin.generated,
    )


def finding_row(py, f: facts.Finding) -> m.Finding:
    return m.Finding(**finding_values(py.id, f))


def finding_values(py_id: int, f: facts.Finding) -> dict:
    """Return the column values of one finding row."""
    return dict(
        project_year_id=py_id,
        kind=f.kind,
        severity=f.severity,
        message=f.message,
        indicator_seqs=",".join(str(i) for i in f.indicators),
        text=f.text,
        span_start=f.span[0] if f.span else None,
        span_end=f.span[1] if f.span else None,
    )


def _problem(py, seq: int, p: facts.Problem) -> m.Problem:
    return m.Problem(
        project_year_id=py.id,
        seq=seq,
        text=p.text,
        kind=p.kind,
        sentence=p.sentence or None,
        span_start=p.span[0] if p.span else None,
        span_end=p.span[1] if p.span else None,
    )


def batch_summary(rep: facts.Report) -> str:
    """Return the import history's one-line summary of a stored report."""
    return f"{rep.unit_name} {rep.year}年 {rep.project_name}：指标 {len(rep.indicators)} 条，核查发现 {len(rep.findings)} 条"
