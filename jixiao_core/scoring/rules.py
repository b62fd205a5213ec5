"""Scoring rule sets (national, hubei, jiangxi, custom), looked up by name, and the unit table used before any ratio."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from jixiao_core.errors import InputError

D = Decimal


@dataclass(frozen=True)
class QualBand:
    """A qualitative outcome's band, as fractions of the row weight, and its score when no 得分 is given."""

    outcome: str  # 达成 / 部分达成 / 未达成
    low: Decimal
    high: Decimal
    default: Decimal


@dataclass(frozen=True)
class RuleSet:
    """One scoring rule set; every number is a setting."""

    key: str
    label: str
    execution_weight: Decimal = D(10)
    execution_mode: str = "linear"  # linear: weight × min(rate, 1); stepped: first step whose floor is met
    execution_steps: tuple[tuple[Decimal, Decimal], ...] = ()  # (minimum spent/budget ratio, score)
    # 财预〔2020〕10号: in principle 产出 50 / 效益 30 / 满意度 10
    indicator_weights: tuple[tuple[str, Decimal], ...] = (
        ("产出指标", D(50)),
        ("效益指标", D(30)),
        ("满意度指标", D(10)),
    )
    qualitative_bands: tuple[QualBand, ...] = (
        QualBand("达成", D("0.8"), D(1), D(1)),
        QualBand("部分达成", D("0.6"), D("0.8"), D("0.6")),
        QualBand("未达成", D(0), D("0.6"), D(0)),
    )
    over_achievement: Decimal = D("1.30")  # actual / target above this is flagged, still full weight
    reverse_mode: str = (
        "ratio"  # ratio: weight × target / actual; linear: (1 − (actual − target)/target) × weight
    )
    grade_bands: tuple[tuple[Decimal, str], ...] = ((D(90), "优"), (D(80), "良"), (D(60), "中"))
    grade_floor: str = "差"

    @property
    def indicator_total(self) -> Decimal:
        """Return the points the indicators share (90 under national rules)."""
        return sum((w for _, w in self.indicator_weights), D(0))

    def band(self, outcome: str) -> QualBand | None:
        """Return the band of a qualitative outcome, or None."""
        return next((b for b in self.qualitative_bands if b.outcome == outcome), None)


NATIONAL = RuleSet(key="national", label="全国（财预〔2020〕10号）")

RULE_SETS: dict[str, RuleSet] = {
    "national": NATIONAL,
    # a county 自评表 note reads "得分(20分*执行率)"; the 40/30/10 indicator split is our reading [O]
    "hubei": replace(
        NATIONAL,
        key="hubei",
        label="湖北",
        execution_weight=D(20),
        indicator_weights=(("产出指标", D(40)), ("效益指标", D(30)), ("满意度指标", D(10))),
        qualitative_bands=(
            QualBand("达成", D("0.8"), D(1), D(1)),
            QualBand("部分达成", D("0.5"), D("0.8"), D("0.5")),
            QualBand("未达成", D(0), D("0.5"), D(0)),
        ),
    ),
    "jiangxi": replace(
        NATIONAL,
        key="jiangxi",
        label="江西",
        execution_mode="stepped",
        execution_steps=((D(1), D(10)), (D("0.8"), D(7)), (D("0.6"), D(5))),
    ),
}

_DECIMAL_FIELDS = ("execution_weight", "over_achievement")


def custom_rules(base: str = "national", **overrides: Any) -> RuleSet:
    """Return a user-defined rule set: `base` with the given fields replaced (numbers become Decimal)."""
    known = {f.name for f in fields(RuleSet)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InputError("自定义规则", f"未知的评分规则设置：{'、'.join(unknown)}")
    values = dict(overrides)
    for name in _DECIMAL_FIELDS:
        if name in values:
            values[name] = D(str(values[name]))
    if isinstance(values.get("indicator_weights"), dict):
        values["indicator_weights"] = tuple((k, D(str(v))) for k, v in values["indicator_weights"].items())
    values.setdefault("key", "custom")
    values.setdefault("label", "自定义")
    return replace(RULE_SETS[base], **values)


@dataclass(frozen=True)
class Setting:
    """One number a user may set in a custom rule set, with its bounds (the form and the check read this)."""

    key: str
    label: str
    low: Decimal
    high: Decimal


CUSTOM_SETTINGS = (
    Setting("execution_weight", "执行率分值", D(0), D(30)),
    Setting("产出指标", "产出指标分值", D(0), D(100)),
    Setting("效益指标", "效益指标分值", D(0), D(100)),
    Setting("满意度指标", "满意度指标分值", D(0), D(100)),
    Setting("优", "“优”的最低分", D(0), D(100)),
    Setting("良", "“良”的最低分", D(0), D(100)),
    Setting("中", "“中”的最低分", D(0), D(100)),
)


def settings_of(rules: RuleSet) -> dict[str, Decimal]:
    """Return the CUSTOM_SETTINGS values of a rule set (the form starts from the national ones)."""
    grades = {label: floor for floor, label in rules.grade_bands}
    return {"execution_weight": rules.execution_weight, **dict(rules.indicator_weights), **grades}


def rules_from_settings(settings: dict[str, Any], base: str = "national") -> RuleSet:
    """Return a user-defined rule set from CUSTOM_SETTINGS values; weights must total 100, grades descend."""
    v: dict[str, Decimal] = {}
    for s in CUSTOM_SETTINGS:
        try:
            v[s.key] = D(str(settings.get(s.key, "")))
        except ArithmeticError:
            raise InputError("自定义规则", f"{s.label}应为数字") from None
        if not s.low <= v[s.key] <= s.high:
            raise InputError("自定义规则", f"{s.label}应在 {s.low}–{s.high} 之间，实为 {v[s.key]}")
    total = v["execution_weight"] + v["产出指标"] + v["效益指标"] + v["满意度指标"]
    if total != 100:
        raise InputError("自定义规则", f"执行率与各级指标分值合计应为 100，实为 {total}")
    if not v["优"] > v["良"] > v["中"]:
        raise InputError("自定义规则", "等级分数线应满足 优 > 良 > 中")
    return custom_rules(
        base,
        execution_weight=v["execution_weight"],
        indicator_weights={k: v[k] for k in ("产出指标", "效益指标", "满意度指标")},
        grade_bands=((v["优"], "优"), (v["良"], "良"), (v["中"], "中")),
    )


def rule_set(name: str) -> RuleSet:
    """Return the rule set called `name`, or a user-defined one written `custom:key=value,...`; else bad input."""
    if name.startswith(CUSTOM_PREFIX):
        pairs = [p.split("=", 1) for p in name.removeprefix(CUSTOM_PREFIX).split(",") if p]
        if any(len(p) != 2 for p in pairs):
            raise InputError("--rules", f"自定义规则应写成 custom:键=值,键=值，实为 {name!r}")
        return rules_from_settings(dict(pairs))
    if name not in RULE_SETS:
        raise InputError("--rules", f"未知的评分规则 {name!r}；可选：{'、'.join(RULE_SETS)}")
    return RULE_SETS[name]


CUSTOM_PREFIX = "custom:"


def custom_rule_name(settings: dict[str, Any]) -> str:
    """Return the `custom:...` name that `rule_set` reads back into the same user-defined rule set."""
    return CUSTOM_PREFIX + ",".join(f"{k}={v}" for k, v in settings.items())


# level1 labels as tables write them → the rule set's level1 key (成本 sits under 产出 in 附件2)
LEVEL1_KEYWORDS = (
    ("满意", "满意度指标"),
    ("效益", "效益指标"),
    ("效果", "效益指标"),
    ("产出", "产出指标"),
    ("成本", "产出指标"),
)


def level1_key(label: str | None) -> str | None:
    """Return the canonical level1 (产出指标 / 效益指标 / 满意度指标) of a table label, or None."""
    return next((key for word, key in LEVEL1_KEYWORDS if label and word in label), None)
