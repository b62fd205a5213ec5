"""A 自评表 cell read: a 指标值 with its number, unit and comparator (≥98%, 2天以内), a score or amount, an outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao_core import units
from jixiao_core.labels import fmt_num
from jixiao_core.selfeval.grid import norm


@dataclass(frozen=True)
class CellValue:
    """A 年度指标值 / 实际完成值 cell: its text and, when it is one figure, number, unit and comparator."""

    text: str
    number: Decimal | None = None
    unit: str | None = None
    comparator: str | None = None


QUALIFIER_PREFIXES = ("约", "达到", "达", "完成")
QUALIFIER_SUFFIXES = ("左右",)
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT_BAD = re.compile(r"[\d,，;；、。]")
PLACEHOLDERS = frozenset({"", "-", "--", "—", "——", "－", "/", "\\", "无", "不适用", "N/A", "n/a"})


def cell_value(value: Any) -> CellValue:
    """Return a 指标值 cell read: `≥98%` → 98 % >=, `2天以内` → 2 天 <=, `达成预期指标` → text only."""
    if isinstance(value, Decimal):
        return CellValue(fmt_num(value), value)
    text = norm(value)
    comparator, rest = units.prefix_comparator(text)
    rest, _ = _strip_prefix(rest, tuple((q, q) for q in QUALIFIER_PREFIXES))
    m = _NUMBER.match(rest)
    if not m or text in PLACEHOLDERS:
        return CellValue(text)
    after, unit = units.suffix_comparator(rest[m.end() :])
    comparator = comparator or after
    unit = unit.lstrip("余多")
    for suffix in QUALIFIER_SUFFIXES:
        unit = unit.removesuffix(suffix)
    unit = units.normalize(unit)
    # "2023年12月底前", "3个社区完成改造": not one figure (m2 is a unit, though it holds a digit)
    if unit and units.lookup(unit) is None and (_UNIT_BAD.search(unit) or len(unit) > 6):
        return CellValue(text)
    number = Decimal(m.group().replace(",", ""))
    return CellValue(text, number, unit, comparator)


def _strip_prefix(text: str, table: tuple[tuple[str, str], ...]) -> tuple[str, str | None]:
    for prefix, meaning in table:
        if text.startswith(prefix):
            return text[len(prefix) :], meaning
    return text, None


def number_cell(value: Any, percent: bool = False) -> Decimal | None:
    """Return a 分值/得分/amount cell as Decimal (None if blank); ValueError if it holds other text."""
    if isinstance(value, Decimal):
        return value
    text = norm(value).replace(",", "")
    if text in PLACEHOLDERS:
        return None
    if percent and text.endswith("%"):
        text = text[:-1]
    text = text.removesuffix("分")
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return Decimal(text)


# the first matching row decides; 未 before the words it negates
OUTCOME_KEYWORDS = (
    (("未达成", "未完成", "未达到", "没有达成", "未实现"), "未达成"),
    (("部分达成", "部分完成", "基本达成", "基本完成", "部分实现"), "部分达成"),
    (
        (
            "达成",
            "完成",
            "达到",
            "实现",
            "效果明显",
            "有效",
            "明显",
            "严格执行",
            "按期",
            "按时",
            "改善",
            "提升",
            "提高",
        ),
        "达成",
    ),
)


def outcome_of(text: str) -> str | None:
    """Return 达成 / 部分达成 / 未达成 from a qualitative 实际完成值, or None."""
    t = norm(text)
    return next((outcome for words, outcome in OUTCOME_KEYWORDS if any(w in t for w in words)), None)
