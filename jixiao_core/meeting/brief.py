"""The meeting brief: every figure the 汇报模式 slides and the three exports show, read from one stored report.

Nothing here is estimated: a number is either stored (funds, actuals, targets, stated rates, findings) or
derived from stored numbers by a rule written below (rates from amounts, met/missed from actual vs target).
The brief is data only: `slides.build_slides(brief)` turns it into slide specs for whoever renders them (the
page, the PPTX, the PDF); the score is the typed `scoring.ScoreResult` every other consumer reads too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao_core import facts, scoring, status
from jixiao_core import models as m
from jixiao_core.labels import FINDING_LABELS, fmt_num
from jixiao_core.labels import SEVERITY_ORDER as SEVERITY_ORDER_KEYS
from jixiao_core.store import read as stored

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

SEVERITY_ORDER = {k: n for n, k in enumerate(SEVERITY_ORDER_KEYS)}
# next steps a finding kind calls for (missed targets get one line each, built from their figures)
NEXT_STEPS = {
    "claim_contradicted": "修正报告中“目标已全部完成”等与数据不符的结论表述",
    "implausible_rate": "核实异常完成率的计算口径，补充目标值",
    "rate_mismatch": "核对完成率与实际值、目标值的计算",
    "fund_inconsistency": "核对资金到位、支出金额与执行率",
    "sum_mismatch": "核对分项与合计数",
    "over_achievement": "对超额完成较多的指标说明原因，合理设定下年目标",
}


@dataclass(frozen=True)
class AreaRow:
    seq: int
    key: str | None
    title: str
    total: int
    met: int
    missed: int
    untargeted: int


@dataclass(frozen=True)
class MissedTarget:
    name: str
    area: str
    actual: Decimal | None
    unit: str | None
    target: Decimal
    target_unit: str | None
    rate: Decimal  # percent: the stated rate, else actual / target
    text: str


@dataclass(frozen=True)
class FindingRow:
    kind: str
    label: str
    severity: str
    message: str
    text: str
    span: tuple[int, int] | None
    indicators: tuple[str, ...]  # names of the indicators it cites


@dataclass(frozen=True)
class CommunityRow:
    name: str
    kind: str | None
    facts: int  # indicators the report states about this community


@dataclass(frozen=True)
class Brief:
    report: facts.Report  # the stored report, for provenance (sentences, spans, locators)
    unit: str
    year: int
    project: str
    funds: facts.Funds
    arrival_rate: Decimal | None  # 到位 / 全年预算, percent
    execution_rate: Decimal | None  # 支出 / 全年预算, percent (10号: the 自评表 denominator)
    execution_rate_arrived: Decimal | None  # 支出 / 到位, percent
    funds_by_year: tuple[tuple[int, Decimal | None, Decimal | None], ...]  # (year, budget, spent) 元
    areas: tuple[AreaRow, ...]
    missed: tuple[MissedTarget, ...]
    findings: tuple[FindingRow, ...]
    communities: tuple[CommunityRow, ...]
    score: scoring.ScoreResult  # the rebuilt 自评表 scored under the chosen rules
    problems: tuple[str, ...]
    next_steps: tuple[str, ...]

    def count(self, status: str) -> int:
        """Return how many indicators are met, missed or untargeted (areas or not)."""
        return sum(1 for i in self.report.indicators if status_of(i) == status)


def pct(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    """Return num / den in percent rounded to 0.01, or None when either is missing or den is 0."""
    if num is None or not den:
        return None
    return (num / den * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def status_of(ind: facts.Indicator) -> str:
    """Return met, missed or untargeted (no target, no figure, or units that do not compare): status.judge."""
    key = status.of(ind).status
    return key if key in ("met", "missed") else "untargeted"


def brief_at(
    engine: Engine, unit: str, year: int, project: str | None = None, rules: str = "national"
) -> Brief:
    """Return the brief read in one short session of `engine` (for callers that hold no session, like the page)."""
    with Session(engine) as s:
        return brief(s, unit, year, project, rules)


def brief(s: Session, unit: str, year: int, project: str | None = None, rules: str = "national") -> Brief:
    """Return the meeting brief of the stored report of unit/year (InputError when there is none)."""
    rep = stored.load_report(s, unit, year, project)
    py = stored.current_project_year(s, unit, year, project)
    f = rep.funds
    missed = _missed(rep)
    findings = _findings(rep)
    return Brief(
        report=rep,
        unit=rep.unit_name or unit,
        year=rep.year or year,
        project=rep.project_name or "",
        funds=f,
        arrival_rate=pct(f.arrived, f.budget),
        execution_rate=pct(f.spent, f.budget),
        execution_rate_arrived=pct(f.spent, f.arrived),
        funds_by_year=_funds_by_year(s, py.project_id),
        areas=_areas(rep),
        missed=missed,
        findings=findings,
        communities=_communities(rep),
        score=scoring.score_year(rep, rules),
        problems=_problems(s, py.id, rep),
        next_steps=_next_steps(rep, missed, findings),
    )


def _funds_by_year(s: Session, project_id: int) -> tuple[tuple[int, Decimal | None, Decimal | None], ...]:
    stmt = (
        select(m.ProjectYear.year, m.ProjectYear.budget, m.ProjectYear.spent)
        .where(m.ProjectYear.project_id == project_id, m.ProjectYear.is_current)
        .order_by(m.ProjectYear.year)
    )
    return tuple((y, b, sp) for y, b, sp in s.execute(stmt))


def _areas(rep: facts.Report) -> tuple[AreaRow, ...]:
    rows = []
    for a in rep.areas:
        states = [status_of(i) for i in rep.indicators if i.area_seq == a.seq]
        rows.append(
            AreaRow(
                a.seq,
                a.key,
                a.title,
                len(states),
                states.count("met"),
                states.count("missed"),
                states.count("untargeted"),
            )
        )
    return tuple(rows)


def _missed(rep: facts.Report) -> tuple[MissedTarget, ...]:
    titles = {a.seq: a.title for a in rep.areas}
    out = []
    for ind in rep.indicators:
        if status_of(ind) != "missed":
            continue
        rate = ind.rate if ind.rate is not None else pct(ind.actual, ind.target)
        target = ind.target if ind.target is not None else HUNDRED
        out.append(
            MissedTarget(
                ind.name,
                titles.get(ind.area_seq, ""),
                ind.actual,
                ind.unit,
                target,
                ind.target_unit,
                rate,
                ind.text,
            )
        )
    return tuple(out)


def _findings(rep: facts.Report) -> tuple[FindingRow, ...]:
    names = [i.name for i in rep.indicators]
    rows = [
        FindingRow(
            f.kind,
            FINDING_LABELS.get(f.kind, f.kind),
            f.severity,
            f.message,
            f.text,
            f.span,
            tuple(names[k] for k in f.indicators if 0 <= k < len(names)),
        )
        for f in rep.findings
    ]
    return tuple(sorted(rows, key=lambda r: SEVERITY_ORDER.get(r.severity, 9)))


def _communities(rep: facts.Report) -> tuple[CommunityRow, ...]:
    return tuple(
        CommunityRow(c.name, c.kind, sum(1 for i in rep.indicators if i.community == c.name))
        for c in rep.communities
    )


def _problems(s: Session, project_year_id: int, rep: facts.Report) -> tuple[str, ...]:
    # the stated problems, not the suggestions the same chapter makes
    stmt = (
        select(m.Problem.text)
        .where(m.Problem.project_year_id == project_year_id, m.Problem.kind == "problem")
        .order_by(m.Problem.seq)
    )
    rows = tuple(s.scalars(stmt))
    if rows:
        return rows
    text = rep.sections.get("problems", "").strip()
    return tuple(p.strip() for p in text.split("；") if p.strip()) if text else ()


def _next_steps(
    rep: facts.Report, missed: tuple[MissedTarget, ...], findings: tuple[FindingRow, ...]
) -> tuple[str, ...]:
    steps = [
        f"{t.name}：完成率 {fmt_num(t.rate)}%，说明偏差原因并制定整改措施"
        for t in missed
        if t.rate is not None
    ]
    for kind in dict.fromkeys(f.kind for f in findings):
        if kind in NEXT_STEPS:
            steps.append(NEXT_STEPS[kind])
    application = rep.sections.get("application", "").strip()
    if application and application != "无":
        steps.append(f"评价结果应用：{application}")
    return tuple(steps)
