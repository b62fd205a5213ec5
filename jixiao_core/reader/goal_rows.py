"""A 自评表's goal-and-result rows pasted as text: 年度总体目标 | 预期目标 | 实际完成情况, each cell a sentence.

The goal cell states the targets (惠及居民不少于2000户), the result cell the facts (惠及居民2136户). The results are the
indicators; a goal is matched to its result by name and measure and becomes its target, never a second result
(DOMAIN §8 pattern 30).
"""

from __future__ import annotations

import re

import jixiao_core.reader.indicators as RI
from jixiao_core.facts import Indicator
from jixiao_core.units import comparable

GOAL_HEADER = re.compile(r"预期目标|年度目标|绩效目标|目标值")
RESULT_HEADER = re.compile(r"实际完成|完成情况|完成值|实际值")
CELL = re.compile(
    r"[^\t|]+"
)  # a cell of a tab- or |-separated line (runs of spaces split words inside a goal)


def cells(canon: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Return the (start, end) of each non-blank cell of one line."""
    return [m.span() for m in CELL.finditer(canon, lo, hi) if m.group().strip()]


def columns(canon: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Return (goal column, result column) when a header line names both, else None."""
    heads = [canon[a:b] for a, b in cells(canon, lo, hi)]
    goal = next((k for k, h in enumerate(heads) if GOAL_HEADER.search(h)), None)
    result = next((k for k, h in enumerate(heads) if k != goal and RESULT_HEADER.search(h)), None)
    return None if goal is None or result is None or len(heads) > 4 else (goal, result)


def row(doc: str, canon: str, lo: int, hi: int, cols: tuple[int, int], width: int) -> list[Indicator]:
    """Return the results of one row, each with the target its goal cell states."""
    spans = cells(canon, lo, hi)
    if len(spans) < 2:
        return []
    shift = width - len(spans)  # a merged first cell (年度总体目标) is left out of the rows below it
    goal_at, result_at = cols[0] - shift, cols[1] - shift
    if not (0 <= goal_at < len(spans) and 0 <= result_at < len(spans)):
        return []
    goals = RI.read_sentence(doc, canon, *spans[goal_at])
    results = RI.read_sentence(doc, canon, *spans[result_at])
    for ind in results:
        goal = next((g for g in goals if _same_goal(g, ind)), None)
        if goal is not None and ind.target is None:
            ind.target, ind.target_unit = goal.actual, goal.unit
            ind.comparator = goal.comparator
            goals.remove(goal)
    return results


def _same_goal(goal: Indicator, result: Indicator) -> bool:
    return (
        goal.actual is not None and comparable(goal.unit, result.unit) and shared_word(goal.name, result.name)
    )


def shared_word(a: str | None, b: str | None) -> bool:
    """Return whether two names have a two-character word in common (改造农村户厕 and 改造户厕户数: 户厕)."""
    a, b = a or "", b or ""
    pairs = {a[k : k + 2] for k in range(len(a) - 1)}
    return any(b[k : k + 2] in pairs for k in range(len(b) - 1))
