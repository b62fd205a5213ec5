"""Tests for jixiao_core.classify: placing report indicators in the 自评表 framework, row by row over its rules."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao_core.classify import DEFAULT_RULE, DIRECTION_RULES, RULES, Placement, classify, direction_for_name
from jixiao_core.facts import Indicator

KEYWORD_CASES = [(rule, word) for rule in RULES for word in rule.keywords]


@pytest.mark.parametrize("rule, word", KEYWORD_CASES, ids=[f"{r.key}-{w}" for r, w in KEYWORD_CASES])
def test_each_keyword_places_the_indicator_by_its_rule(rule, word):
    p = classify(_ind(f"全年{word}"))
    assert (p.level1, p.level2, p.rule_key) == (rule.level1, rule.level2, rule.key)


DIRECTION_CASES = [(r.direction, w) for r in DIRECTION_RULES for w in r.keywords]


@pytest.mark.parametrize("direction, word", DIRECTION_CASES, ids=[w for _, w in DIRECTION_CASES])
def test_each_direction_keyword_sets_the_direction(direction, word):
    assert direction_for_name(f"全年{word}") == direction


@pytest.mark.parametrize(
    "name, level1, level2, direction",
    [
        ("一般公共预算收入", "效益指标", "经济效益指标", "positive"),
        ("规模以上固定资产投资", "效益指标", "经济效益指标", "positive"),
        ("规上工业总产值增速", "效益指标", "经济效益指标", "positive"),
        ("省外到位资金", "效益指标", "经济效益指标", "positive"),
        ("净增长经营主体", "效益指标", "经济效益指标", "positive"),
        ("区级问题清单化解", "效益指标", "社会效益指标", "positive"),
        ("医保参保缴费率", "效益指标", "社会效益指标", "positive"),
        ("强制垃圾分类示范小区", "效益指标", "生态效益指标", "positive"),
        ("辖区社区病媒消杀", "效益指标", "生态效益指标", "positive"),
        ("信访满意率", "满意度指标", "服务对象满意度指标", "positive"),
        ("及时受理率", "产出指标", "时效指标", "positive"),
        ("按期答复率", "产出指标", "时效指标", "positive"),
        ("重精患者在册在管", "产出指标", "数量指标", "positive"),
        ("反诈宣传", "产出指标", "数量指标", "positive"),
        ("安全生产事故发生率", "产出指标", "数量指标", "negative"),
        ("群众投诉件数", "产出指标", "数量指标", "negative"),
        ("群众投诉办结率", "产出指标", "数量指标", "positive"),
        ("单位养护成本", "产出指标", "成本指标", "negative"),
        ("工程验收合格率", "产出指标", "质量指标", "positive"),
    ],
)
def test_seed_and_typical_names(name, level1, level2, direction):
    p = classify(_ind(name))
    assert (p.level1, p.level2, p.level3, p.direction) == (level1, level2, name, direction)


def test_unmatched_name_falls_back_to_output_quantity():
    assert classify(_ind("新签约项目")) == Placement(
        "产出指标", "数量指标", "新签约项目", "positive", DEFAULT_RULE.key
    )


@pytest.mark.parametrize("comparator, direction", [("<=", "negative"), ("=", "equal"), (">=", "positive")])
def test_comparator_sets_the_direction_before_keywords(comparator, direction):
    assert classify(_ind("满意率", comparator=comparator)).direction == direction


def test_indicator_without_any_value_is_qualitative():
    assert classify(_ind("服务质量", actual=None)).direction == "qualitative"


def test_a_clerks_placement_on_the_indicator_wins():
    ind = _ind("一般公共预算收入", level1="产出指标", level2="数量指标", direction="equal")
    assert classify(ind) == Placement("产出指标", "数量指标", "一般公共预算收入", "equal", "economic")


def _ind(name: str, actual: D | None = D(1), **kw) -> Indicator:
    return Indicator(name=name, actual=actual, unit=None, **kw)
