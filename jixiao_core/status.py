"""Met or missed: the one definition the pages, the queries, the brief, the exports and the auditor count by.

An indicator is measured against its stated target only (a 完成率 without a target states none: DOMAIN §8
pattern 2). The store writes the status and completion of every row through `judge`, so SQL aggregates read
the same answer Python gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao_core import units

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Status:
    """One status: its key (stored), and whether it counts as having a target."""

    key: str
    targeted: bool


STATUSES = (
    Status("met", True),
    Status("missed", True),
    Status("no_target", False),  # no 年度指标值 stated
    Status("no_actual", True),  # a target but no figure to hold against it (a rate-only fact)
    Status("incomparable", True),  # actual and target in units that do not compare (户 against %)
)
TARGETED = tuple(s.key for s in STATUSES if s.targeted)


@dataclass(frozen=True)
class Judgement:
    status: str
    completion: Decimal | None  # percent; ≥ 100 means met, for 反向 indicators too (target ÷ actual)


def is_negative(direction: str | None, comparator: str | None) -> bool:
    """Return whether lower is better: a 反向 indicator or a ≤ bound."""
    return direction == "negative" or comparator == "<="


def judge(
    actual: Decimal | None,
    unit: str | None,
    target: Decimal | None,
    target_unit: str | None,
    comparator: str | None = None,
    direction: str | None = None,
) -> Judgement:
    """Return the status and completion of one indicator, its actual converted into the target's unit."""
    if target is None:
        return Judgement("no_target", None)
    if actual is None:
        return Judgement("no_actual", None)
    a = units.convert(actual, unit, target_unit)
    if a is None:
        return Judgement("incomparable", None)
    if is_negative(direction, comparator):
        met = a <= target
        completion = target / a * HUNDRED if a > 0 else (HUNDRED if met else None)
    else:
        met = a >= target
        completion = a / target * HUNDRED if target > 0 else (HUNDRED if met else None)
    return Judgement("met" if met else "missed", completion)


def of(ind) -> Judgement:
    """Return the judgement of a facts.Indicator (or any object with the same fields)."""
    return judge(ind.actual, ind.unit, ind.target, ind.target_unit, ind.comparator, ind.direction)
