"""Place a report indicator in the 自评表 framework (一级/二级/三级) and give its direction, by keyword tables."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao_core import units
from jixiao_core.facts import Indicator


@dataclass(frozen=True)
class Rule:
    """Indicator names containing any keyword belong to (level1, level2); rules are tried in order."""

    key: str
    keywords: tuple[str, ...]
    level1: str
    level2: str


# DOMAIN.md §6 "Classifying prose facts"; order matters: the first rule whose keyword occurs wins
RULES: tuple[Rule, ...] = (
    Rule("satisfaction", ("满意率", "满意度"), "满意度指标", "服务对象满意度指标"),
    Rule(
        "ecological",
        ("消杀", "河道", "垃圾分类", "绿化", "空气质量", "水质", "污染"),
        "效益指标",
        "生态效益指标",
    ),
    Rule("quality", ("合格率", "达标率", "优良率", "准确率", "合格", "达标"), "产出指标", "质量指标"),
    Rule("timeliness", ("及时率", "按期", "以内", "时限", "按时", "及时"), "产出指标", "时效指标"),
    Rule("cost", ("成本", "单价", "费用"), "产出指标", "成本指标"),
    Rule(
        "economic",
        ("收入", "投资", "产值", "到位资金", "经营主体", "税收", "增加值", "招商"),
        "效益指标",
        "经济效益指标",
    ),
    Rule("social", ("化解", "调解", "参保", "受益群众", "就业", "救助"), "效益指标", "社会效益指标"),
)
# counts of things done
DEFAULT_RULE = Rule("quantity", (), "产出指标", "数量指标")


@dataclass(frozen=True)
class DirectionRule:
    keywords: tuple[str, ...]
    direction: str


# rates of things handled are positive even when the object is negative (投诉办结率); checked first
DIRECTION_RULES: tuple[DirectionRule, ...] = (
    DirectionRule(("办结率", "处置率", "处理率", "化解率", "答复率", "回复率", "满意"), "positive"),
    DirectionRule(("发生率", "受灾率", "事故", "投诉", "成本"), "negative"),
)


@dataclass(frozen=True)
class Placement:
    level1: str
    level2: str
    level3: str
    direction: str
    rule_key: str


def rule_for(name: str) -> Rule:
    """Return the first rule whose keyword occurs in the indicator name (the quantity rule otherwise)."""
    return next((r for r in RULES if any(k in name for k in r.keywords)), DEFAULT_RULE)


def direction_for_name(name: str) -> str:
    """Return positive or negative from the indicator name's keywords."""
    rule = next((r for r in DIRECTION_RULES if any(k in name for k in r.keywords)), None)
    return rule.direction if rule else "positive"


def direction_of(ind: Indicator) -> str:
    """Return the direction: comparator first (≤ negative, = equal), no value → qualitative, then keywords."""
    if ind.comparator in units.DIRECTIONS:
        return units.DIRECTIONS[ind.comparator]
    if ind.actual is None and ind.target is None:
        return "qualitative"
    return direction_for_name(ind.name)


def classify(ind: Indicator) -> Placement:
    """Return where the indicator sits in the 自评表; a clerk's level1/level2/direction on it wins."""
    rule = rule_for(ind.name)
    return Placement(
        level1=ind.level1 or rule.level1,
        level2=ind.level2 or rule.level2,
        level3=ind.level3 or ind.name,
        direction=ind.direction or direction_of(ind),
        rule_key=rule.key,
    )
