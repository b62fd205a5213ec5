"""Sentence-level checks of the auditor: rates over a count stated just before them, and 其中 breakdowns.

Indicators of one sentence share `text` and `span`. Their figures are located in that text with
`numbers.scan` (same value, same unit, left to right), so order and clause (；。) can be reasoned about.
A figure that cannot be located (中文数字, a reworded quote) takes no part: these checks stay silent
rather than guess.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from jixiao_core import numbers, units
from jixiao_core.audit.rate_object import tied
from jixiao_core.audit.rules import LIMITS, finding, half_unit, plain, shown, with_unit
from jixiao_core.facts import Finding, Indicator

CLAUSE_BREAKS = "；。;！？!?\n"
# Units whose values do not add up across parts (a share of a part is not a share of the whole).
NON_ADDITIVE_BASES = frozenset({"%", "个百分点"})
BREAKDOWN = "其中"
# DOMAIN §8 pattern 27: parts follow 其中 as one list. Without a colon the list is joined by 、 and ends at the
# first comma; after 其中： it runs over commas (中央60万元，省级30万元) until a clause opens a new fact
# (目前已拨付90万元 after 其中管理费3万元 is what happened to the money, not a second part).
LIST_OPEN = re.compile(r"\s*[：:]")  # matched at the end of 其中
LIST_COMMA = re.compile(r"[，,](?!\d{3}(?!\d))")
NEW_FACT = re.compile(r"[，,]\s*(?:目前|截至|截止|已|累计|实际|同时|并|此外|另|全年|共|合计|总计)")
# A figure every member reaches (各村收入均超过10万元, 人均…) is a floor or an average, never a total of parts.
NOT_A_TOTAL = re.compile(r"(?:均|每)[^，,；。\d]{0,4}$")
# People fall into overlapping categories (党员、青年、女性志愿者): their parts need not add up, but no
# single part may exceed the whole.
OVERLAPPING_BASES = frozenset({"人"})
# Parts named by an attribute (老年人、残疾人; 女性、大专以上; 党员、青年) may overlap whatever the unit
# (服务1200人次，其中老年人860人次、残疾人420人次): they too need not add up.
ATTRIBUTE = re.compile(
    r"以上|以下|女性|男性|妇女|党员|青年|老年|儿童|未成年|残疾|学历|退役|低保|特困|困难|留守|失独|独居|高龄"
    r"|少数民族|新就业|流动"
)
PLACE_LEAD = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:社区|村委会|村|组|小区)")


def sentence_members(inds: list[Indicator], i: int) -> list[int]:
    """Return the indexes of the indicators quoting the same sentence as indicator i, in list order."""
    key = (inds[i].text, inds[i].span)
    return [j for j, ind in enumerate(inds) if (ind.text, ind.span) == key]


def figure_positions(text: str, members: list[Indicator]) -> list[int | None]:
    """Return where each member's actual is printed in `text` (offset of its digits), None if not found.

    Members are matched left to right to unclaimed figures of equal value and unit; when none is left
    after the previous member's figure, the first unclaimed one anywhere is taken.
    """
    mentions = numbers.scan(numbers.canonical(text)) if text else []
    claimed: set[int] = set()
    out: list[int | None] = []
    cursor = 0
    for ind in members:
        hits = [k for k, m in enumerate(mentions) if k not in claimed and _same_figure(m.quantity, ind)]
        after = [k for k in hits if mentions[k].num_start >= cursor]
        k = (after or hits or [None])[0]
        if k is None:
            out.append(None)
            continue
        claimed.add(k)
        cursor = mentions[k].num_end
        out.append(mentions[k].num_start)
    return out


def _same_figure(q: numbers.Quantity, ind: Indicator) -> bool:
    return ind.actual is not None and q.value == ind.actual and (q.unit or None) == (ind.unit or None)


def same_clause(text: str, a: int, b: int) -> bool:
    """Return whether no clause break (；。) lies between two offsets of a text."""
    lo, hi = sorted((a, b))
    return not any(c in CLAUSE_BREAKS for c in text[lo:hi])


def _is_rate_only(ind: Indicator) -> bool:
    scale = units.scale(ind.unit)
    return (
        ind.actual is not None
        and ind.rate is None
        and ind.target is None
        and not ind.qualifier
        and scale is not None
        and scale[0] == "%"
        and ind.name.endswith("率")
    )


def _is_count_base(ind: Indicator) -> bool:
    a = ind.actual
    return (
        a is not None
        and a > 0
        and a == a.to_integral_value()
        and not ind.qualifier
        and units.is_count(ind.unit)
    )


def base_count_findings(inds: list[Indicator], i: int) -> list[Finding]:
    """Return implausible_rate when a rate-only fact (满意率90%) is no k/n of the count n stated just before it.

    DOMAIN §10: 信访件接件63件 … 满意率90% — 56/63 = 88.89%, 57/63 = 90.48%. The base is the nearest
    count before the rate in the same clause; other rate-only facts in between do not break the link.
    """
    ind = inds[i]
    if not _is_rate_only(ind):
        return []
    members = sentence_members(inds, i)
    positions = dict(zip(members, figure_positions(ind.text, [inds[j] for j in members]), strict=True))
    here = positions[i]
    bases = [j for j in members if j < i and _is_count_base(inds[j]) and positions[j] is not None]
    bases = [
        j
        for j in bases
        if here is not None and positions[j] < here and same_clause(ind.text, positions[j], here)
    ]
    if not bases or not tied(ind.text, positions[bases[-1]], here):
        return []  # a rate of its own object (群众满意率, 接种率) is no share of the count (DOMAIN §8 pattern 26)
    return _numerator_check(inds, bases[-1], i)


def _numerator_check(inds: list[Indicator], j: int, i: int) -> list[Finding]:
    base, ind = inds[j], inds[i]
    n, r = base.actual, ind.actual
    exponent = r.as_tuple().exponent
    # a rate printed with decimals (99.2%) was computed, so its own precision applies; a whole one (90%)
    # is held to 0.01 pp, as DOMAIN §9 does for 63 件 → 90% (56 → 88.89%, 57 → 90.48%)
    strict = half_unit(Decimal(1).scaleb(exponent if exponent < 0 else LIMITS.count_rate_exponent))
    if _numerator_within(n, r, strict):
        return []
    exact = n * r / 100
    lo = exact.to_integral_value(ROUND_FLOOR)
    hi = exact.to_integral_value(ROUND_CEILING)
    key = "numerator_rounded" if _numerator_within(n, r, half_unit(r)) else "numerator_off"
    fields = {
        "base": with_unit(n, base.unit),
        "stated": plain(r),
        "exact": shown(exact),
        "unit": base.unit,
        "lo": plain(lo),
        "hi": plain(hi),
        "lo_rate": shown(100 * lo / n),
        "hi_rate": shown(100 * hi / n),
    }
    return [finding(key, ind.name, [j, i], ind.text, ind.span, **fields)]


def _numerator_within(n: Decimal, rate: Decimal, tol: Decimal) -> bool:
    """Return whether some whole k in 0..n gives 100·k/n within tol of the rate."""
    lo = max((n * (rate - tol) / 100).to_integral_value(ROUND_CEILING), Decimal(0))
    return lo <= min((n * (rate + tol) / 100).to_integral_value(ROUND_FLOOR), n)


def sum_findings(inds: list[Indicator], places: tuple[str, ...] = ()) -> list[Finding]:
    """Return sum_mismatch findings for 其中 breakdowns, sentence by sentence.

    Convention (the parser marks no parts): in a sentence containing 其中, each indicator printed after
    其中 is a part of the nearest indicator printed before 其中 in the same clause whose unit it shares
    (万元 and 亿元 alike); that whole must be a plain total (no target, no rate). The parts run until
    the clause ends, the next 其中, or a figure no whole shares a unit with (预算执行率95% closes the
    list 其中：补贴148万元、经费63万元、专项65万元, so a later 结余资金24万元 is no part). Parts above the
    whole are a warning; two or more parts below it are info (the list may be incomplete), unless they name every
    one of the unit's `places` (nothing is left out, so the shortfall is a warning too); a single part below it is
    just a subset.
    """
    found: list[Finding] = []
    seen: set[tuple] = set()
    for i, ind in enumerate(inds):
        key = (ind.text, ind.span)
        if key in seen or BREAKDOWN not in ind.text:
            continue
        seen.add(key)
        members = sentence_members(inds, i)
        located = [
            (j, p)
            for j, p in zip(members, figure_positions(ind.text, [inds[j] for j in members]), strict=True)
            if p is not None and _additive(inds[j])
        ]
        for whole, parts in _breakdowns(inds, ind.text, located):
            found += _sum_check(inds, whole, parts, places)
    return found


def _additive(ind: Indicator) -> bool:
    scale = units.scale(ind.unit)
    base = scale[0] if scale else ind.unit
    return (
        ind.actual is not None and ind.target is None and ind.rate is None and base not in NON_ADDITIVE_BASES
    )


def _breakdowns(
    inds: list[Indicator], text: str, located: list[tuple[int, int]]
) -> list[tuple[int, list[int]]]:
    """Return (whole, parts) index groups of every 其中 in a sentence."""
    groups: dict[int, list[int]] = {}
    mentions = numbers.scan(numbers.canonical(text))
    for m in re.finditer(BREAKDOWN, text):
        start = max(text.rfind(c, 0, m.start()) for c in CLAUSE_BREAKS) + 1
        wholes = [j for j, p in located if start <= p < m.start() and not NOT_A_TOTAL.search(text, start, p)]
        whole_units = [inds[w].unit for w in wholes]
        stops = [text.find(c, m.end()) for c in (*CLAUSE_BREAKS, BREAKDOWN)]
        stops += [_list_end(text, m.end())]
        stops += [
            x.num_start
            for x in mentions
            if x.num_start > m.end() and not _shares_unit(x.quantity.unit, whole_units)
        ]
        end = min([k for k in stops if k >= 0] or [len(text)])
        for j in [j for j, p in located if m.end() <= p < end]:
            owners = [w for w in wholes if _shares_unit(inds[j].unit, [inds[w].unit])]
            if owners:
                groups.setdefault(owners[-1], []).append(j)
    return list(groups.items())


def _list_end(text: str, after: int) -> int:
    """Return where the list of parts opened by a 其中 ending at `after` ends (-1: at the clause's end)."""
    ends = LIST_COMMA if not LIST_OPEN.match(text, after) else NEW_FACT
    found = ends.search(text, after)
    return found.start() if found else -1


def _shares_unit(unit: str | None, others: list[str | None]) -> bool:
    """Return whether a unit measures what one of `others` measures (万元 and 亿元 alike)."""
    return any(units.same_measure(unit, u) for u in others)


def _factor(ind: Indicator) -> Decimal:
    scale = units.scale(ind.unit)
    return scale[1] if scale else Decimal(1)


def _sum_check(
    inds: list[Indicator], w: int, parts: list[int], places: tuple[str, ...] = ()
) -> list[Finding]:
    whole = inds[w]
    if whole.qualifier or any(inds[j].qualifier for j in parts):
        return []  # 约/余 figures are bounds, not sums
    wf = _factor(whole)
    values = [inds[j].actual * _factor(inds[j]) / wf for j in parts]
    gap = sum(values, Decimal(0)) - whole.actual
    tol = sum((_slack(inds[j]) * _factor(inds[j]) / wf for j in parts), _slack(whole))
    if abs(gap) <= tol or (gap < 0 and len(parts) < 2):
        return []
    by_place = all(PLACE_LEAD.match(inds[j].name) for j in parts)  # places do not overlap
    overlapping = (units.scale(whole.unit) or ("",))[0] in OVERLAPPING_BASES or (
        not by_place and all(ATTRIBUTE.search(inds[j].name) for j in parts)
    )
    if overlapping and max(values) <= whole.actual + tol:
        return []
    same_unit = all(inds[j].unit == whole.unit for j in parts)
    terms = "+".join(
        plain(inds[j].actual) if same_unit else with_unit(inds[j].actual, inds[j].unit) for j in parts
    )
    unit = whole.unit or ""
    fields = {
        "parts": terms,
        "total": f"{shown(whole.actual + gap)}{unit}",
        "whole": with_unit(whole.actual, unit),
    }
    every_place = (
        by_place and len(places) > 1 and sorted(inds[j].community or "" for j in parts) == sorted(places)
    )
    key = "sum_over" if gap > 0 else "sum_short_all" if every_place else "sum_short"
    return [
        finding(
            key,
            whole.name,
            [w, *parts],
            whole.text,
            whole.span,
            gap=f"{shown(-gap)}{unit}",
            n=len(places),
            **fields,
        )
    ]


def _slack(ind: Indicator) -> Decimal:
    """Return the rounding slack of a printed figure: none for counts, half its last digit otherwise."""
    return Decimal(0) if units.is_count(ind.unit) else half_unit(ind.actual)
