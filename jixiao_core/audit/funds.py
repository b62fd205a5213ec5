"""Fund checks of the auditor: 预算 ≥ 到位 ≥ 支出, stated 执行率/到位率 against the amounts, 万元/元 slips."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from jixiao_core.audit.rules import LIMITS, finding, half_unit, plain, rounded, shown
from jixiao_core.facts import Finding, Funds

SUBJECT = "项目资金"

# Funds fields (元) with their labels, in the order the slip check pairs them.
AMOUNTS = (
    ("budget_initial", "年初预算"),
    ("budget", "全年预算"),
    ("arrived", "到位资金"),
    ("spent", "实际支出"),
)
LABELS = dict(AMOUNTS)

# (larger-or-equal, smaller): arrived must not exceed budget, spent must not exceed arrived (DOMAIN §9).
ORDER = (("budget", "arrived"), ("arrived", "spent"))


@dataclass(frozen=True)
class StatedRate:
    """A rate the report prints about its funds and the quotients (numerator, denominator) it may mean."""

    field: str
    label: str
    quotients: tuple[tuple[str, str], ...]


# DOMAIN §5.3: 执行率 has two denominators (全年预算数 in the 自评表, 到位资金 in 附件2); either one agrees.
STATED_RATES = (
    StatedRate("stated_execution_rate", "执行率", (("spent", "budget"), ("spent", "arrived"))),
    StatedRate("stated_arrival_rate", "到位率", (("arrived", "budget"),)),
)


def slip_ratio(a: Decimal, b: Decimal) -> Decimal | None:
    """Return larger ÷ smaller of two positive amounts when it is about 10⁴ (万元 written as 元), else None."""
    if a <= 0 or b <= 0:
        return None
    ratio = max(a, b) / min(a, b)
    return ratio if LIMITS.slip_low <= ratio <= LIMITS.slip_high else None


def money(value: Decimal) -> str:
    """Return an amount in 元 as the reports print it: 万元 when whole to 0.01 万, else 元."""
    wan = value / 10000
    if wan == rounded(wan):
        return f"{shown(wan)}万元"
    return f"{plain(value.normalize())}元"


def fund_findings(funds: Funds) -> list[Finding]:
    """Return the fund_inconsistency findings of a report's funds (amounts in 元)."""
    amounts = {name: getattr(funds, name) for name, _ in AMOUNTS if getattr(funds, name) is not None}
    slips, slipped = _slips(funds, amounts)
    found = list(slips)
    for big, small in ORDER:
        if {big, small} <= amounts.keys() - slipped and amounts[small] > amounts[big]:
            found.append(_fund("fund_order", funds, a_label=LABELS[small], a=money(amounts[small]),
                               b_label=LABELS[big], b=money(amounts[big])))  # fmt: skip
    for rate in STATED_RATES:
        stated = getattr(funds, rate.field)
        usable = [q for q in rate.quotients if set(q) <= amounts.keys() - slipped and amounts[q[1]] > 0]
        if stated is not None and usable:
            found += _stated_rate(funds, rate, stated, [(n, d, amounts[n], amounts[d]) for n, d in usable])
    return found


def _fund(key: str, funds: Funds, **fields) -> Finding:
    return finding(key, SUBJECT, [], funds.text, funds.span, **fields)


def _slips(funds: Funds, amounts: dict[str, Decimal]) -> tuple[list[Finding], set[str]]:
    """Return slip findings and the amounts they involve (each amount reported at most once)."""
    found, slipped = [], set()
    for a, b in combinations(amounts, 2):
        ratio = None if {a, b} & slipped else slip_ratio(amounts[a], amounts[b])
        if ratio is not None:
            slipped |= {a, b}
            found.append(_fund("fund_slip", funds, a_label=LABELS[a], a=money(amounts[a]),
                               b_label=LABELS[b], b=money(amounts[b]), ratio=shown(ratio, 0)))  # fmt: skip
    return found, slipped


def _stated_rate(funds: Funds, rate: StatedRate, stated: Decimal, quotients: list) -> list[Finding]:
    """Return [] when a quotient rounds to the stated rate; else info within rounding, warning beyond."""
    exponent = stated.as_tuple().exponent
    calcs = [
        (n, d, 100 * num / den, half_unit(stated) + 100 * half_unit(num) / den)
        for n, d, num, den in quotients
    ]
    if any(rounded(calc, exponent) == stated for _, _, calc, _ in calcs):
        return []
    near = any(abs(calc - stated) <= tol for _, _, calc, tol in calcs)
    text = "、".join(f"按 {LABELS[n]}/{LABELS[d]} 计算为 {shown(calc)}%" for n, d, calc, _ in calcs)
    key = "fund_rate_rounding" if near else "fund_rate_off"
    return [_fund(key, funds, label=rate.label, stated=plain(stated), calcs=text)]
