"""Units and comparators: the one table the report reader, the workbook reader, the auditor and the scorer use.

A unit compares with another when both reduce to the same base (亿元 and 万元 to 元, 公斤 and 吨 to 千克, 名 and
人 to 人); `factor` converts a unit into its base. 万/亿 prefixes are resolved here, not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

D = Decimal


@dataclass(frozen=True)
class Unit:
    """One unit: `base` is what it compares with, `factor` converts to it; `prose` units are read in reports."""

    name: str
    base: str
    factor: Decimal = D(1)
    prose: bool = True


def _u(name: str, base: str | None = None, factor: str = "1", prose: bool = True) -> Unit:
    return Unit(name, base or name, D(factor), prose)


# Whole things counted one by one (the auditor's integer-numerator check applies to these and to 人).
COUNT_UNITS = (
    "个 户 家 次 件 宗 起 所 支 场 轮 册 辆 份 间 项 处 条 座 栋 幢 套 台 张 本 篇 期 批 类 块 棵 株 盏 "
    "根 组 队 人次 户次 场次 批次 辆次 车次 架次 剂次 剂 课时 学时 个月 分 顿 箱 袋 口 头 只 艘 "
    "床 张次 篇次 宗次 家次 所次 餐 餐次 起次 项次 部 具"
).split()

UNITS: dict[str, Unit] = {
    **{u: _u(u) for u in COUNT_UNITS},
    "人": _u("人"),
    "名": _u("名", "人"),  # 名 stays 名 when printed, but counts people like 人
    "位": _u("位", "人"),
    "元": _u("元"),
    "千元": _u("千元", "元", "1000"),
    "%": _u("%"),
    "‰": _u("‰", "%", "0.1"),
    "个百分点": _u("个百分点"),
    "百分点": _u("百分点", "个百分点"),
    "平方米": _u("平方米"),
    "平方公里": _u("平方公里", "平方米", "1000000"),
    "公顷": _u("公顷", "平方米", "10000"),
    "亩": _u("亩"),  # 666.67 平方米: not converted, an inexact factor would invent digits
    "立方米": _u("立方米"),
    "米": _u("米"),
    "延米": _u("延米", "米"),
    "公里": _u("公里", "米", "1000"),
    "千米": _u("千米", "米", "1000"),
    "千克": _u("千克"),
    "公斤": _u("公斤", "千克"),
    "吨": _u("吨", "千克", "1000"),
    "分钟": _u("分钟"),
    "小时": _u("小时", "分钟", "60"),
    "天": _u("天", "分钟", "1440"),
    "日": _u("日", "分钟", "1440", prose=False),  # 年月日 in prose is a date, never a duration
    "个工作日": _u("个工作日", "分钟", "1440"),
    "周": _u("周", "分钟", "10080"),
    "元/人": _u("元/人"),
    # unit costs (a 成本指标 row: ≤350元/平方米): a price per thing, never an amount of money
    **{
        f"元/{per}": _u(f"元/{per}") for per in ("平方米", "户", "亩", "吨", "米", "公里", "个", "件", "人次")
    },
    "人/年": _u("人/年"),
}

# Spellings of a unit of the table (百分比 in 自评表 cells: ≥100百分比).
ALIASES = {
    "百分比": "%",
    "％": "%",
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "平米": "平方米",
    "km": "公里",
    "公尺": "米",
}

MAGNITUDES = {"万": D(10) ** 4, "亿": D(10) ** 8, "万亿": D(10) ** 12}


@dataclass(frozen=True)
class Comparator:
    """A word that bounds a value: before it (≥98%, 不少于42小时) or after it (2天以内, 60岁以上)."""

    word: str
    op: str  # ">=", "<=" or "="
    suffix: bool = False


COMPARATORS = (
    *(Comparator(w, ">=") for w in ("≥", "≧", ">=", ">", "大于等于", "不少于", "不低于", "不小于", "至少")),
    *(Comparator(w, "<=") for w in ("≤", "≦", "<=", "<", "小于等于", "不超过", "不高于", "不多于", "不大于")),
    *(Comparator(w, "=") for w in ("=", "等于")),
    *(Comparator(w, ">=", True) for w in ("及以上", "以上")),
    *(Comparator(w, "<=", True) for w in ("以内", "之内", "及以下", "以下")),
)
# longest first, so 不少于 wins over 不, >= over >
PREFIXES = tuple(sorted((c for c in COMPARATORS if not c.suffix), key=lambda c: -len(c.word)))
SUFFIXES = tuple(sorted((c for c in COMPARATORS if c.suffix), key=lambda c: -len(c.word)))
# 指标方向: a ≤ bound is a 反向 indicator, = an equal one; ≥ and no bound are positive
DIRECTIONS = {"<=": "negative", "=": "equal"}


def prefix_comparator(text: str) -> tuple[str | None, str]:
    """Return (comparator, rest) when `text` starts with a comparator word, else (None, text)."""
    c = next((c for c in PREFIXES if text.startswith(c.word)), None)
    return (c.op, text[len(c.word) :]) if c else (None, text)


def suffix_comparator(text: str) -> tuple[str | None, str]:
    """Return (comparator, rest) when `text` ends with a comparator word, else (None, text)."""
    c = next((c for c in SUFFIXES if text.endswith(c.word)), None)
    return (c.op, text[: -len(c.word)]) if c else (None, text)


def normalize(unit: str | None) -> str | None:
    """Return the unit as the table spells it (百分比 → %, 万㎡ → 万平方米); unknown units unchanged."""
    if not unit or unit in UNITS:
        return unit or None
    for alias, name in ALIASES.items():
        if unit.endswith(alias):
            return unit[: -len(alias)] + name
    return unit


def lookup(unit: str | None) -> Unit | None:
    """Return the table entry of a unit, resolving aliases and 万/亿 prefixes (万平方米 → 平方米 × 10⁴); None if unknown."""
    name = normalize(unit)
    if not name:
        return None
    if name in UNITS:
        return UNITS[name]
    for prefix in sorted(MAGNITUDES, key=len, reverse=True):
        rest = name[len(prefix) :]
        if name.startswith(prefix) and rest in UNITS:
            inner = UNITS[rest]
            return Unit(name, inner.base, inner.factor * MAGNITUDES[prefix])
    return None


def scale(unit: str | None) -> tuple[str, Decimal] | None:
    """Return (base, factor) of a unit; None for no unit. A unit not in the table compares only with itself."""
    if not unit:
        return None
    u = lookup(unit)
    return (u.base, u.factor) if u else (unit, D(1))


def comparable(a: str | None, b: str | None) -> bool:
    """Return whether two written units measure the same thing (亿元 and 万元 yes; 户 and % no)."""
    sa, sb = scale(a), scale(b)
    return sa is not None and sb is not None and sa[0] == sb[0]


def same_measure(a: str | None, b: str | None) -> bool:
    """Return whether two figures measure alike: the same written unit (None too) or comparable ones."""
    return a == b or comparable(a, b)


def convert(value: Decimal, unit: str | None, to_unit: str | None) -> Decimal | None:
    """Return `value` (in `unit`) in `to_unit`; None when they cannot be compared. A bare number (no unit)
    takes the other side's unit, as a 自评表 writes the unit once."""
    if not unit or not to_unit:
        return value
    if not comparable(unit, to_unit):
        return None
    (_, f), (_, g) = scale(unit), scale(to_unit)
    return value * f / g


def to_base(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Return (value, base unit): 9.67 亿元 → (967000000, 元); 名 → 人."""
    base, factor = scale(unit) or (unit, D(1))
    return value * factor, base


COUNT_BASES = frozenset(COUNT_UNITS) | {"人"}


def is_count(unit: str | None) -> bool:
    """Return whether a unit counts whole things (户 个 人 件 家 宗 次 ...), with no 万/亿 prefix."""
    s = scale(unit)
    return s is not None and s[0] in COUNT_BASES and s[1] == 1


def prose_words() -> list[str]:
    """Return every unit spelling the report reader looks for after a number."""
    return [*(u for u, info in UNITS.items() if info.prose), *(a for a in ALIASES if a != "％")]
