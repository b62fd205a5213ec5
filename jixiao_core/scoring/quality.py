"""Indicator-quality diagnosis, as a finance reviewer applying 财预〔2020〕10号 would write it.

Two questions: are the results written as indicators (a target, a unit, a time bound), and do they
measure the project or the whole 街道 (attribution)? The keyword tables are data, tested row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao_core.facts import Indicator, Report

# words that bound a result in time (按期 …), and time units that make a comparator a deadline
TIME_WORDS = ("按期", "及时", "以内", "前完成", "年底前", "月底前", "截至", "截止", "当年", "限期", "按时")
TIME_UNITS = ("天", "日", "小时", "个工作日", "月")


@dataclass(frozen=True)
class AttributionRule:
    key: str
    words: tuple[str, ...]
    why: str


# statistics of the whole jurisdiction: a 街道工作经费 does not produce them, so they cannot show its performance
ATTRIBUTION_RULES = (
    AttributionRule(
        "fiscal_revenue", ("公共预算收入", "税收", "财政收入"), "辖区财政收入，反映全街道经济而非本项目产出"
    ),
    AttributionRule(
        "investment", ("固定资产投资", "固投"), "辖区固定资产投资，受全区项目安排影响，不能归因于本项目"
    ),
    AttributionRule("industry", ("工业总产值", "工业增加值", "增速"), "辖区工业统计指标，不能归因于本项目"),
    AttributionRule(
        "investment_promotion",
        ("招商引资", "到位资金", "签约"),
        "招商引资成果，取决于全街道工作而非本项目资金",
    ),
    AttributionRule(
        "market_entities", ("经营主体", "市场主体", "企业净增", "个转企"), "辖区市场主体数量，属经济统计口径"
    ),
)


@dataclass(frozen=True)
class Diagnosis:
    total: int
    with_target: int
    with_unit: int
    with_time_bound: int
    attribution: list[tuple[int, str, str]]  # (indicator index, name, why)
    remarks: list[str]

    def share(self, n: int) -> Decimal:
        """Return n / total as a percent with two places (0 when there are no indicators)."""
        if not self.total:
            return Decimal("0.00")
        return (Decimal(100) * n / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def has_time_bound(ind: Indicator) -> bool:
    """Return whether the result is bounded in time (按期, 以内, a deadline unit …)."""
    if ind.unit and any(ind.unit.endswith(u) for u in TIME_UNITS) and ind.comparator == "<=":
        return True
    return any(w in (ind.text or "") for w in TIME_WORDS) or any(w in ind.name for w in TIME_WORDS)


def attribution_of(ind: Indicator) -> AttributionRule | None:
    """Return the first attribution rule whose words appear in the indicator's name, else None."""
    return next((r for r in ATTRIBUTION_RULES if any(w in ind.name for w in r.words)), None)


def diagnose(rep: Report) -> Diagnosis:
    """Return the quality diagnosis of a report's indicators."""
    inds = rep.indicators
    attribution = []
    for i, ind in enumerate(inds):
        rule = attribution_of(ind)
        if rule:
            attribution.append((i, ind.name, rule.why))
    d = Diagnosis(
        total=len(inds),
        with_target=sum(i.target is not None for i in inds),
        with_unit=sum(bool(i.unit) for i in inds),
        with_time_bound=sum(has_time_bound(i) for i in inds),
        attribution=attribution,
        remarks=[],
    )
    d.remarks.extend(_remarks(d, rep))
    return d


def _remarks(d: Diagnosis, rep: Report) -> list[str]:
    out = []
    if d.total and d.with_target * 2 < d.total:
        out.append(
            f"{d.total} 项成果中只有 {d.with_target} 项有年度指标值（{d.share(d.with_target)}%），"
            "多数成果只能作为产出记录，无法评分"
        )
    if d.attribution:
        out.append(
            f"{len(d.attribution)} 项指标衡量的是全街道的经济统计，而非本项目资金的产出或效益，"
            "建议改设与项目直接相关的产出、效益和满意度指标"
        )
    if not any("满意" in i.name for i in rep.indicators):
        out.append("未设置服务对象满意度指标（10号文原则上占 10 分）")
    return out
