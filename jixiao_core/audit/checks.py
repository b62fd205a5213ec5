"""Consistency checks over a parsed report: where the report's own numbers do not add up (DOMAIN §9).

Pure functions over `facts` dataclasses: no I/O, no database. Facts with a qualifier (约, 余) are not
exact, so the arithmetic checks skip them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from jixiao_core import status, units
from jixiao_core.audit.claims import claim_scope, excepted
from jixiao_core.audit.funds import fund_findings, slip_ratio
from jixiao_core.audit.rules import (
    CHECKS,
    LIMITS,
    MONEY_BASE,
    PERCENT_BASE,
    QUALITATIVE_MISSED,
    SEVERITY_ORDER,
    finding,
    half_unit,
    plain,
    rate_tolerance,
    rounded,
    shown,
    with_unit,
)
from jixiao_core.audit.sentences import base_count_findings, sum_findings
from jixiao_core.facts import Finding, Indicator, Report

FUND_FIELDS = ("budget", "budget_initial", "arrived", "spent", "stated_arrival_rate", "stated_execution_rate")


def audit(report: Report) -> list[Finding]:
    """Return the findings of one report: per indicator in order, then sums, funds and claims."""
    inds = [_finite(ind, ("actual", "target", "rate")) for ind in report.indicators]
    found = [f for i in range(len(inds)) for f in _indicator_findings(inds, i)]
    found += sum_findings(inds, tuple(c.name for c in report.communities))
    found += fund_findings(_finite(report.funds, FUND_FIELDS))
    found += _claim_findings(inds, report.claims, found)
    return found


def _finite(obj, names: tuple[str, ...]):
    """Return the dataclass with NaN/Infinity values set to None: they carry no arithmetic to check."""
    bad = {n: None for n in names if getattr(obj, n) is not None and not getattr(obj, n).is_finite()}
    return replace(obj, **bad) if bad else obj


@dataclass(frozen=True)
class Pair:
    """An indicator's actual against its target, in the target's unit."""

    actual: Decimal  # as printed, in the actual's unit
    target: Decimal
    scale: Decimal  # actual unit → target unit
    exact: bool  # the actual is a count

    @property
    def scaled(self) -> Decimal:
        return self.actual * self.scale

    @property
    def pct(self) -> Decimal:
        return 100 * self.scaled / self.target


def pair(ind: Indicator) -> Pair | None:
    """Return actual and target of an exact, comparable indicator; None when either is missing."""
    if ind.actual is None or ind.target is None or ind.qualifier or ind.target <= 0 or ind.actual < 0:
        return None
    target_unit = ind.target_unit or ind.unit
    a, t = units.scale(ind.unit), units.scale(target_unit)
    if a is None or t is None:
        if ind.unit != target_unit:
            return None  # units the table does not know compare only when spelled alike
        return Pair(ind.actual, ind.target, Decimal(1), False)
    if a[0] != t[0]:
        return None
    return Pair(ind.actual, ind.target, a[1] / t[1], units.is_count(ind.unit))


def pair_text(ind: Indicator) -> str:
    """Return `17.06/24` (or `17.06亿元/24000万元` when the units differ)."""
    target_unit = ind.target_unit or ind.unit
    if target_unit == ind.unit:
        return f"{plain(ind.actual)}/{plain(ind.target)}"
    return f"{with_unit(ind.actual, ind.unit)}/{with_unit(ind.target, target_unit)}"


def direction(ind: Indicator) -> str:
    """Return the indicator's direction; unclassified is positive unless its comparator is `<=`."""
    if ind.direction:
        return ind.direction
    return "negative" if ind.comparator == "<=" else "positive"


def _indicator_findings(inds: list[Indicator], i: int) -> list[Finding]:
    """Return the findings about one indicator (a 10⁴ slip hides the others: they would only echo it)."""
    ind = inds[i]
    slip = _money_slip(ind, i)
    if slip:
        return [slip]
    implausible = _implausible(ind, i)
    found = [
        _rate_mismatch(ind, i),
        implausible,
        None if implausible else _over_achievement(ind, i),
        _target_missed(ind, i),
    ]
    return [f for f in found if f] + base_count_findings(inds, i)


def _money_slip(ind: Indicator, i: int) -> Finding | None:
    p = pair(ind)
    if p is None or (units.scale(ind.unit) or ("",))[0] != MONEY_BASE or p.actual == 0:
        return None
    ratio = slip_ratio(p.scaled, p.target)
    if ratio is None:
        return None
    target = with_unit(ind.target, ind.target_unit or ind.unit)
    return finding(
        "fund_slip", ind.name, [i], ind.text, ind.span,
        a_label="完成", a=with_unit(ind.actual, ind.unit), b_label="目标", b=target, ratio=shown(ratio, 0),
    )  # fmt: skip


def _rate_mismatch(ind: Indicator, i: int) -> Finding | None:
    p = pair(ind)
    if p is None or ind.rate is None:
        return None
    exponent = ind.rate.as_tuple().exponent
    if rounded(p.pct, exponent) == ind.rate:
        return None
    tol = rate_tolerance(ind.rate, p.actual, p.target, exact_actual=p.exact, scale=p.scale)
    diff = abs(p.pct - ind.rate)
    key = "rate_rounding" if diff <= tol else "rate_off"
    calc = shown(p.pct, min(exponent, -2))
    return finding(
        key, ind.name, [i], ind.text, ind.span,
        pair=pair_text(ind), calc=calc, stated=plain(ind.rate), diff=shown(diff, -3), tol=shown(tol, -3),
    )  # fmt: skip


def _implausible(ind: Indicator, i: int) -> Finding | None:
    """Return one finding merging every reason the stated rate cannot be right (its worst severity)."""
    reasons = []
    if ind.rate is not None and ind.rate > LIMITS.implausible_rate:
        reasons.append(("rate_huge", {"stated": plain(ind.rate), "limit": plain(LIMITS.implausible_rate)}))
    implied = _implied_target(ind)
    if implied:
        reasons.append(implied)
    if not reasons:
        return None
    checks = [CHECKS[key] for key, _ in reasons]
    worst = max(checks, key=lambda c: SEVERITY_ORDER[c.severity])
    body = "；".join(c.template.format(**fields) for c, (_, fields) in zip(checks, reasons, strict=True))
    return Finding(worst.kind, worst.severity, f"{ind.name}：{body}", [i], ind.text, ind.span)


def integer_within(lo: Decimal, hi: Decimal) -> bool:
    """Return whether a positive whole number lies in [lo, hi]."""
    first = max(lo.to_integral_value(ROUND_CEILING), Decimal(1))
    return first <= hi.to_integral_value(ROUND_FLOOR)


def _implied_target(ind: Indicator) -> tuple[str, dict] | None:
    """Return the reason a count's implied target actual ÷ rate is not a whole number, if it is not."""
    a, r = ind.actual, ind.rate
    if a is None or r is None or ind.target is not None or ind.qualifier or not units.is_count(ind.unit):
        return None
    if a <= 0 or a != a.to_integral_value():
        return None
    exponent = r.as_tuple().exponent
    strict, printed = half_unit(Decimal(1).scaleb(min(exponent, LIMITS.count_rate_exponent))), half_unit(r)
    if r <= printed:
        return None
    if integer_within(100 * a / (r + strict), 100 * a / (r - strict)):
        return None
    implied = 100 * a / r
    near = max(rounded(implied, 0), Decimal(1))
    fields = {
        "actual": with_unit(a, ind.unit),
        "stated": plain(r),
        "implied": shown(implied),
        "unit": ind.unit,
    }
    if integer_within(100 * a / (r + printed), 100 * a / (r - printed)):
        return "target_rounded", fields | {"near": plain(near), "near_rate": shown(100 * a / near)}
    return "target_fraction", fields


def _over_achievement(ind: Indicator, i: int) -> Finding | None:
    if direction(ind) not in ("positive", "equal") or ind.qualifier or _is_percent(ind):
        return None
    limit = plain(LIMITS.over_achievement)
    p = pair(ind)
    if p is not None:
        if p.pct <= LIMITS.over_achievement:
            return None
        target = with_unit(ind.target, ind.target_unit or ind.unit)
        return finding(
            "over_target", ind.name, [i], ind.text, ind.span,
            actual=with_unit(ind.actual, ind.unit), target=target, calc=shown(p.pct), limit=limit,
        )  # fmt: skip
    if ind.target is None and ind.rate is not None and ind.rate > LIMITS.over_achievement:
        return finding("over_rate", ind.name, [i], ind.text, ind.span, stated=plain(ind.rate), limit=limit)
    return None


def _target_missed(ind: Indicator, i: int) -> Finding | None:
    way = direction(ind)
    if way == "qualitative":
        word = next((w for w in QUALITATIVE_MISSED if w in ind.text), None)
        return finding("qualitative_missed", ind.name, [i], ind.text, ind.span, word=word) if word else None
    p = pair(ind)
    if p is None:
        return _rate_below(ind, i)
    if (
        status.judge(ind.actual, ind.unit, ind.target, ind.target_unit, ind.comparator, way).status
        != "missed"
    ):
        return None  # met / missed as the pages and the scorer count it (jixiao_core.status)
    target_unit = ind.target_unit or ind.unit
    fields = {"actual": with_unit(ind.actual, ind.unit), "target": with_unit(ind.target, target_unit)}
    if way == "negative":
        near = 100 * p.target / p.scaled >= LIMITS.near_miss and not _is_percent(ind)
        gap = _gap(p.scaled - p.target, target_unit)
        return finding(
            "near_exceeded" if near else "exceeded", ind.name, [i], ind.text, ind.span, gap=gap, **fields
        )
    # a rate target (≥97%) is missed outright; near misses are shortfalls of counts and amounts (45 of 47)
    near = p.pct >= LIMITS.near_miss and not _is_percent(ind)
    key = "near_miss" if near else "missed"
    gap = _gap(p.target - p.scaled, target_unit)
    return finding(key, ind.name, [i], ind.text, ind.span, calc=shown(p.pct), gap=gap, **fields)


def _rate_below(ind: Indicator, i: int) -> Finding | None:
    """A count with a stated completion rate under 100% and no target (建设床位120张，完成率80%) is a miss."""
    if ind.target is not None or ind.rate is None or ind.actual is None or not 0 < ind.rate < 100:
        return None
    implied = f"{shown(ind.actual * 100 / ind.rate)}{ind.unit or ''}"
    return finding(
        "rate_below", ind.name, [i], ind.text, ind.span,
        actual=with_unit(ind.actual, ind.unit), stated=plain(ind.rate), implied=implied,
    )  # fmt: skip


def _is_percent(ind: Indicator) -> bool:
    scale = units.scale(ind.unit)
    return scale is not None and scale[0] == PERCENT_BASE


def _gap(value: Decimal, unit: str | None) -> str:
    """Return a shortfall in the target's unit; percentages differ in 个百分点 (DOMAIN §8 pattern 3)."""
    scale = units.scale(unit)
    return f"{shown(value)}{'个百分点' if scale and scale[0] == PERCENT_BASE else unit or ''}"


def _claim_findings(inds: list[Indicator], claims: list, found: list[Finding]) -> list[Finding]:
    """Return one claim_contradicted per sentence claiming all targets met, when a target it does not
    except was missed (a warning; near misses alone leave the claim standing)."""
    severity = {}
    for f in found:
        if f.kind == "target_missed":
            for i in f.indicators:
                severity[i] = max(severity.get(i, 0), SEVERITY_ORDER[f.severity])
    out = []
    for text, span in claims:
        scope = claim_scope(text)
        missed = [] if scope is None else [i for i in sorted(severity) if not excepted(scope, inds[i].name)]
        if any(severity[i] >= SEVERITY_ORDER["warning"] for i in missed):
            items = "；".join(_missed_item(inds[i]) for i in missed)
            out.append(
                finding("claim", "结论", missed, text, span, claim=text, count=len(missed), items=items)
            )
    return out


def _missed_item(ind: Indicator) -> str:
    p = pair(ind)
    if p is None:
        return ind.name
    return f"{ind.name} {pair_text(ind)}{ind.target_unit or ind.unit or ''}（{shown(p.pct)}%）"
