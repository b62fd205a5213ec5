"""The 结果应用 brief: what one project-year's evaluation means for next year's budget, as data.

It reads the meeting brief (funds, the one typed `scoring.ScoreResult`, missed targets) and the indicator-quality
diagnosis rather than computing any of them again, adds the 整改 items still open on the given day, and words the
consequences for the budget from a rules table (评价有反馈、反馈有应用, 财预〔2011〕416号).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from jixiao_core import labels
from jixiao_core.labels import fmt_num, fmt_pct
from jixiao_core.meeting import brief as briefing
from jixiao_core.rectify import ledger
from jixiao_core.scoring import quality


@dataclass(frozen=True)
class ItemLine:
    id: int
    year: int
    problem: str
    source: str
    body: str | None
    deadline: str | None  # ISO date
    status: str  # pending / in_progress / overdue


@dataclass(frozen=True)
class ApplicationBrief:
    meeting: briefing.Brief  # funds, rates, the typed score and the missed targets, read once
    diagnosis: quality.Diagnosis
    items: tuple[ItemLine, ...]  # unclosed items of this project up to this year, overdue first
    closed: int  # items of this project up to this year already 已整改
    advice: tuple[str, ...]
    today: date

    @property
    def unit(self) -> str:
        return self.meeting.unit

    @property
    def year(self) -> int:
        return self.meeting.year

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)


@dataclass(frozen=True)
class GradeAdvice:
    grade: str
    says: str


# the usual local rule for 评价结果与预算安排挂钩: the grade sets the direction, the figures below say why
GRADE_ADVICE = {
    a.grade: a
    for a in (
        GradeAdvice("优", "评价等级为优：下年度预算可按需保障，优先安排"),
        GradeAdvice("良", "评价等级为良：下年度预算原则上维持，针对未达标指标完善措施后安排"),
        GradeAdvice("中", "评价等级为中：下年度预算应从严审核、适当压减，问题整改到位后再安排"),
        GradeAdvice("差", "评价等级为差：下年度预算原则上不予安排或大幅压减，限期整改"),
    )
}


@dataclass(frozen=True)
class AdviceRule:
    """One consequence for the budget: when it applies to the brief, and how it says so."""

    key: str
    applies: Callable[[ApplicationBrief], bool]
    says: Callable[[ApplicationBrief], str]


def _execution(b: ApplicationBrief) -> str:
    rate = b.meeting.execution_rate
    return f"预算执行率 {fmt_pct(rate)}：未执行的资金按规定收回统筹，下年度按实际需要核定预算规模"


ADVICE_RULES = (
    AdviceRule(
        "execution",
        lambda b: b.meeting.execution_rate is not None and b.meeting.execution_rate < 100,
        _execution,
    ),
    AdviceRule(
        "missed",
        lambda b: bool(b.meeting.missed),
        lambda b: (
            f"{len(b.meeting.missed)} 项指标未达年度目标（"
            + "、".join(t.name for t in b.meeting.missed)
            + "）：安排下年度资金时应说明偏差原因和改进措施"
        ),
    ),
    AdviceRule(
        "unscored",
        lambda b: bool(b.meeting.score.unscored),
        lambda b: (
            f"{len(b.meeting.score.unscored)} 项成果没有年度指标值，无法评分：下年度申报预算时应补设"
            "产出、效益和满意度指标及其年度指标值"
        ),
    ),
    AdviceRule(
        "overdue",
        lambda b: b.count("overdue") > 0,
        lambda b: f"{b.count('overdue')} 项整改事项已逾期：整改到位前，相关支出从严审核",
    ),
    AdviceRule(
        "open",
        lambda b: len(b.items) > b.count("overdue"),
        lambda b: f"{len(b.items) - b.count('overdue')} 项整改事项尚未完成：在下年度预算执行中跟踪落实",
    ),
)


def _advice(b: ApplicationBrief) -> tuple[str, ...]:
    grade = GRADE_ADVICE.get(b.meeting.score.grade)
    lines = [grade.says] if grade else []
    lines += [rule.says(b) for rule in ADVICE_RULES if rule.applies(b)]
    own = b.meeting.report.sections.get("application", "").strip()
    if own and own != "无":
        lines.append(f"报告自身的应用建议：{own}")
    return tuple(lines)


STATUS_ORDER = {"overdue": 0, "pending": 1, "in_progress": 2}


def _items(df: pd.DataFrame, project: str, year: int) -> tuple[tuple[ItemLine, ...], int]:
    mine = df[(df["project"] == project) & (df["year"] <= year)]
    closed = int((mine["state"] == "done").sum())
    lines = [
        ItemLine(int(r.id), int(r.year), r.problem, r.source, r.body, r.deadline, r.status)
        for r in mine.itertuples()
        if r.state != "done"
    ]
    lines.sort(key=lambda i: (STATUS_ORDER.get(i.status, 9), i.deadline or "9999", i.id))
    return tuple(lines), closed


def application_brief(
    s: Session, unit: str, year: int, today: date, project: str | None = None, rules: str = "national"
) -> ApplicationBrief:
    """Return the 结果应用 brief of the stored report of unit/year, with the items open on `today`."""
    meeting = briefing.brief(s, unit, year, project, rules)
    rows = ledger.items_for(s.connection(), unit, (), today)
    lines, closed = _items(rows, meeting.project, meeting.year)
    draft = ApplicationBrief(meeting, quality.diagnose(meeting.report), lines, closed, (), today)
    return ApplicationBrief(draft.meeting, draft.diagnosis, lines, closed, _advice(draft), today)


def headline(b: ApplicationBrief) -> list[tuple[str, str]]:
    """Return the brief's headline figures as (label, value): execution, score and grade, targets, items."""
    m, sc = b.meeting, b.meeting.score
    return [
        ("全年预算", labels.fmt_wan(m.funds.budget)),
        ("实际支出", labels.fmt_wan(m.funds.spent)),
        ("执行率", fmt_pct(m.execution_rate)),
        ("得分（等级）", f"{fmt_num(sc.total)}（{sc.grade}）"),
        ("未达标指标", f"{len(m.missed)} 项"),
        ("无法评分的成果", f"{len(sc.unscored)} 项"),
        ("未完成整改事项", f"{len(b.items)} 项"),
        ("其中逾期", f"{b.count('overdue')} 项"),
    ]
