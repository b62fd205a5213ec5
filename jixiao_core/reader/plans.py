"""A plan and how much of it is done, told in the clauses after it (DOMAIN §8 patterns 19, 25): 其中已完成…小区,
已全部完成 (actual = plan), 其余2个正在施工 (the rest, no new fact)."""

from __future__ import annotations

from decimal import Decimal

import jixiao_core.reader.cues as C
from jixiao_core.facts import Indicator
from jixiao_core.reader.draft import Draft
from jixiao_core.reader.sentences import Clause
from jixiao_core.units import same_measure


def partial_completion(shape: str, last: Draft) -> None:
    """新建2个示范小区，其中已完成中铁佳苑小区建设 → target 2, actual 1 (the named ones done)."""
    m = C.PARTIAL_DONE.match(shape)
    ind = last.ind
    if not m or ind.target is not None or ind.actual is None or ind.unit == "%" or len(last.noun) < 2:
        return
    done = m.group("what").count(last.noun[-2:])
    if 0 < done < ind.actual:
        ind.target, ind.target_unit, ind.actual = ind.actual, ind.unit, Decimal(done)


def all_done(shape: str, last: Draft) -> None:
    """计划硬化道路14.5公里，已全部完成 → target = actual = the plan (DOMAIN §8 pattern 25)."""
    ind = last.ind
    if ind.target is not None or ind.rate is not None or ind.actual is None or ind.unit == "%":
        return
    if C.ALL_DONE.match(shape) and any(c.plan and c.words.search(last.pre) for c in C.PAIR_BASES):
        ind.target, ind.target_unit = ind.actual, ind.unit
        # 计划硬化道路 → 硬化道路: the name of the work done, not of the plan
        ind.name = C.PLAN_LEAD.sub("", ind.name) or ind.name


def remainder(shape: str, clause: Clause, last: Draft) -> bool:
    """Return whether a clause only tells the rest of a plan (其余2个正在施工): at most target − actual."""
    ind = last.ind
    if not C.REMAINDER.match(shape) or ind.target is None or ind.actual is None:
        return False
    q = clause.mentions[0].quantity
    return same_measure(q.unit, ind.unit) and q.value <= ind.target - ind.actual


def remainder_sentence(canon: str, lo: int, ind: Indicator, before: list[Indicator]) -> bool:
    """Return whether a sentence opens with the rest of a plan the sentence before completed (剩余19户因…推迟)."""
    if not C.REMAINDER_START.match(canon, lo) or ind.actual is None:
        return False
    return any(
        b.target is not None
        and b.actual is not None
        and same_measure(ind.unit, b.unit)
        and ind.actual <= b.target - b.actual
        for b in before
    )
