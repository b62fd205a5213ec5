"""Unit: quality — the indicator-quality diagnosis (targets, units, time bounds, attribution)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_core.facts import Indicator, Report
from jixiao_core.scoring import quality
from jixiao_core.store import dataset


def ind(name: str, unit: str | None = "个", target=None, text: str = "", comparator=None) -> Indicator:
    return Indicator(name, Decimal(1), unit, target=target, text=text, comparator=comparator)


@pytest.mark.parametrize(
    "indicator, bounded",
    [
        (ind("信访按期答复率", "%"), True),
        (ind("受理", text="及时受理率100%"), True),
        (ind("办结时间", "天", comparator="<="), True),
        (ind("开放时间", "小时", comparator=">="), False),
        (ind("借阅量", "册", text="截至目前，借阅量达4835册"), True),
        (ind("讲党课", "次", text="开展党工委领导班子讲党课19次"), False),
    ],
)
def test_time_bound_is_read_from_words_and_deadline_units(indicator, bounded):
    assert quality.has_time_bound(indicator) is bounded


@pytest.mark.parametrize(
    "name, key",
    [
        ("一般公共预算收入", "fiscal_revenue"),
        ("规模以上固定资产投资", "investment"),
        ("规上工业总产值增速", "industry"),
        ("招商引资省外到位资金", "investment_promotion"),
        ("净增长经营主体", "market_entities"),
        ("基层党建工作例会", None),
    ],
)
def test_attribution_rules_flag_whole_street_statistics(name, key):
    rule = quality.attribution_of(ind(name))
    assert (rule.key if rule else None) == key


def test_small_report_shares_and_remarks():
    rep = Report(
        source=None,
        indicators=[
            ind("新建口袋公园", target=Decimal(3)),
            ind("一般公共预算收入", "亿元"),
            ind("宣传", None),
            ind("群众满意率", "%"),
        ],
    )
    d = quality.diagnose(rep)
    assert (d.total, d.with_target, d.with_unit, d.with_time_bound) == (4, 1, 3, 0)
    assert (d.share(d.with_target), d.share(d.with_unit)) == (Decimal("25.00"), Decimal("75.00"))
    assert d.attribution == [(1, "一般公共预算收入", "辖区财政收入，反映全街道经济而非本项目产出")]
    assert d.remarks == [
        "4 项成果中只有 1 项有年度指标值（25.00%），多数成果只能作为产出记录，无法评分",
        "1 项指标衡量的是全街道的经济统计，而非本项目资金的产出或效益，建议改设与项目直接相关的产出、效益和满意度指标",
    ]


def test_seed_diagnosis_matches_the_hand_count():
    rep = dataset.load(Path("data/yuhua_2023.jsonl")).report
    d = quality.diagnose(rep)
    assert (d.total, d.with_target, d.with_unit, d.with_time_bound) == (94, 7, 94, 7)
    assert d.share(d.with_target) == Decimal("7.45")
    # every result of area (一) 经济指标 is a whole-street statistic
    assert [name for _, name, _ in d.attribution] == [i.name for i in rep.indicators if i.area_seq == 1]
