"""Follow-up into the next year: each open item is matched against the project's next stored report, and every match
is proposed to a clerk, who confirms or rejects it. Nothing changes an item's state by itself.

A problem recurs when the later report states a similar problem (`similarity`) or the audit finds the same kind of
finding on the same indicator; it shows the fix when that indicator now meets its target or its rate now checks
out. The fix rules are a table keyed by the finding kind the item came from. A clerk's answer is `decisions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core.labels import FINDING_LABELS, fmt_num
from jixiao_core.rectify import rules, similarity


@dataclass(frozen=True)
class Later:
    """What a later report says, read once: its year, problems, indicators by name, findings and claims."""

    year: int
    project_year_id: int
    problems: list[tuple[str, str]]  # (text, sentence)
    indicators: dict[str, m.Indicator]  # the first indicator of each name
    names: dict[int, str]  # Indicator.seq → name
    findings: list[m.Finding]
    claims: int

    def cited(self, f: m.Finding) -> set[str]:
        return {self.names.get(int(x), "") for x in f.indicator_seqs.split(",") if x}

    def indicator(self, name: str | None) -> m.Indicator | None:
        """Return the later report's indicator of that name (or of a name that contains it, or it contains)."""
        if not name:
            return None
        return self.indicators.get(name) or next(
            (ind for other, ind in self.indicators.items() if same_indicator(name, other)), None
        )

    def finding_on(self, kinds: tuple[str, ...], name: str | None, severities=("error", "warning", "info")):
        """Return the first finding of `kinds` (on the indicator `name`, when given), else None."""
        return next(
            (
                f
                for f in self.findings
                if f.kind in kinds
                and f.severity in severities
                and (name is None or any(same_indicator(name, c) for c in self.cited(f)))
            ),
            None,
        )


MIN_NAME_CHARS = 4  # 满意率 inside 信访满意率 is not the same indicator; 招商引资省外到位资金 inside 引进… is


def same_indicator(a: str, b: str) -> bool:
    """Return whether two indicator names name the same indicator: equal, or one holds the other (one year writes
    引进招商引资省外到位资金, another 招商引资省外到位资金)."""
    if a == b:
        return True
    return min(len(a), len(b)) >= MIN_NAME_CHARS and (a in b or b in a)


@dataclass(frozen=True)
class Match:
    kind: str  # recurs / fixed
    rule: str
    message: str
    evidence: str
    score: float | None = None
    indicator_id: int | None = None


def _value(ind: m.Indicator, printed: str | None) -> str:
    return f"{printed or '—'}{ind.unit or ''}"


@dataclass(frozen=True)
class FixRule:
    """An item from a finding of `finding_kind` shows its fix when `holds(indicator, later)`; `says` tells how."""

    finding_kind: str
    holds: Callable[[m.Indicator, Later], bool]
    says: Callable[[m.Indicator, int], str]


FIX_RULES = {
    r.finding_kind: r
    for r in (
        FixRule(
            "target_missed",
            lambda ind, later: ind.status == "met",
            lambda ind, year: (
                f"{year}年报告：{ind.name}已达标（完成 {_value(ind, ind.actual_printed)}，"
                f"目标 {_value(ind, ind.target_printed)}）"
            ),
        ),
        FixRule(
            "implausible_rate",
            lambda ind, later: (
                ind.rate is not None
                and ind.target is not None
                and later.finding_on(("implausible_rate", "rate_mismatch"), ind.name, ("error", "warning"))
                is None
            ),
            lambda ind, year: (
                f"{year}年报告：{ind.name}给出目标 {_value(ind, ind.target_printed)}，"
                f"完成率 {fmt_num(ind.rate)}% 与数值相符"
            ),
        ),
        FixRule(
            "rate_mismatch",
            lambda ind, later: (
                ind.rate is not None
                and later.finding_on(("rate_mismatch", "implausible_rate"), ind.name, ("error", "warning"))
                is None
            ),
            lambda ind, year: f"{year}年报告：{ind.name}的完成率 {fmt_num(ind.rate)}% 与数值相符",
        ),
        FixRule(
            "over_achievement",
            lambda ind, later: (
                ind.status == "met" and later.finding_on(("over_achievement",), ind.name) is None
            ),
            lambda ind, year: f"{year}年报告：{ind.name}达标且不再超过目标 130%",
        ),
    )
}
TEXT_SOURCES = ("report", "suggestion", "manual")  # items whose problem is prose, compared with prose


def matches(item: m.RectifyItem, later: Later) -> list[Match]:
    """Return what the later report says about one item: its problem recurs, or it shows the fix."""
    out = []
    if item.source in TEXT_SOURCES:
        out.extend(_text_match(item, later))
    if item.finding_kind:
        out.extend(_finding_match(item, later))
    return out


def _text_match(item: m.RectifyItem, later: Later) -> list[Match]:
    scored = [
        (similarity.similarity(item.problem, text), text, sentence) for text, sentence in later.problems
    ]
    best = max(scored, default=None)
    if best is None or best[0] < similarity.THRESHOLD:
        return []
    score, text, sentence = best
    return [Match("recurs", "text", f"{later.year}年报告再次写到：{text}", sentence, round(score, 3))]


def _finding_match(item: m.RectifyItem, later: Later) -> list[Match]:
    label = FINDING_LABELS.get(item.finding_kind, item.finding_kind)
    again = later.finding_on((item.finding_kind,), item.indicator_name)
    if again is not None:
        ind = later.indicator(item.indicator_name)
        message = f"{later.year}年报告仍有“{label}”：{again.message}"
        return [Match("recurs", "finding", message, again.text, indicator_id=ind.id if ind else None)]
    if item.finding_kind == "claim_contradicted" and later.claims:
        return [Match("fixed", "claim", f"{later.year}年报告的结论与数字不再矛盾", "")]
    rule = FIX_RULES.get(item.finding_kind)
    ind = later.indicator(item.indicator_name)
    if rule is None or ind is None or not rule.holds(ind, later):
        return []
    return [Match("fixed", item.finding_kind, rule.says(ind, later.year), ind.text, indicator_id=ind.id)]


def _later(s: Session, py: m.ProjectYear) -> Later:
    stated = s.execute(
        select(m.Problem.text, m.Problem.sentence)
        .where(m.Problem.project_year_id == py.id, m.Problem.kind == "problem")
        .order_by(m.Problem.seq)
    ).all()
    rows = list(
        s.scalars(select(m.Indicator).where(m.Indicator.project_year_id == py.id).order_by(m.Indicator.seq))
    )
    by_name: dict[str, m.Indicator] = {}
    for r in rows:
        by_name.setdefault(r.name, r)
    findings = list(
        s.scalars(select(m.Finding).where(m.Finding.project_year_id == py.id).order_by(m.Finding.id))
    )
    claims = len(list(s.scalars(select(m.Claim.id).where(m.Claim.project_year_id == py.id))))
    return Later(
        py.year,
        py.id,
        [(t, sentence or t) for t, sentence in stated],
        by_name,
        {r.seq: r.name for r in rows},
        findings,
        claims,
    )


def propose(s: Session, project_id: int) -> int:
    """Propose follow-ups for every open item of a project against the next later report stored; return how many
    proposals are new (one already made for an item and report is not made again)."""
    years = {
        py.year: py
        for py in s.scalars(
            select(m.ProjectYear).where(m.ProjectYear.project_id == project_id, m.ProjectYear.is_current)
        )
    }
    closed = [k for k, st in rules.STATES.items() if st.closed]
    open_items = s.scalars(
        select(m.RectifyItem)
        .where(m.RectifyItem.project_id == project_id, m.RectifyItem.state.not_in(closed))
        .order_by(m.RectifyItem.id)
    )
    read: dict[int, Later] = {}
    made = 0
    for item in open_items:
        nxt = min((y for y in years if y > item.year), default=None)
        if nxt is None:
            continue
        later = read.setdefault(nxt, _later(s, years[nxt]))
        for match in matches(item, later):
            made += _add(s, item, later.project_year_id, match)
    s.flush()
    return made


def _add(s: Session, item: m.RectifyItem, project_year_id: int, match: Match) -> int:
    stmt = select(m.RectifyProposal.id).where(
        m.RectifyProposal.item_id == item.id,
        m.RectifyProposal.project_year_id == project_year_id,
        m.RectifyProposal.kind == match.kind,
    )
    if s.scalar(stmt) is not None:
        return 0
    s.add(
        m.RectifyProposal(
            item_id=item.id,
            project_year_id=project_year_id,
            kind=match.kind,
            rule=match.rule,
            score=match.score,
            message=match.message,
            evidence=match.evidence or "",
            indicator_id=match.indicator_id,
            state="proposed",
        )
    )
    return 1
