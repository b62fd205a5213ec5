"""Sentences, clauses and the figures in them: the units the indicator reader works on.

A sentence ends at 。；！？ or a line break (a table row is its own sentence); a clause ends at ，or ：.
A figure is a number with a unit; figures inside quotes and document numbers, ordinals, codes, ages,
thresholds and collapsed table cells (DOMAIN §8 traps 21–24) are dropped here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import jixiao_core.reader.cues as C
from jixiao_core.numbers import Mention, scan


@dataclass
class Clause:
    start: int
    end: int
    mentions: list[Mention]


def sentence_spans(canon: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Return the (start, end) of each non-blank sentence between lo and hi, whitespace trimmed."""
    hi = len(canon) if hi is None else hi
    out, start = [], lo
    for m in C.SENTENCE_END.finditer(canon, lo, hi):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, hi))
    return [_trim(canon, a, b) for a, b in out if canon[a:b].strip()]


def _trim(canon: str, a: int, b: int) -> tuple[int, int]:
    while a < b and canon[a] in " \t\u3000":
        a += 1
    while b > a and canon[b - 1] in " \t\u3000":
        b -= 1
    return a, b


def figures(canon: str, lo: int, hi: int) -> list[Mention]:
    """Return the figures with a unit between lo and hi (absolute offsets), traps removed."""
    protected = [m.span() for m in C.PROTECTED.finditer(canon, lo, hi)]
    out = []
    for m in scan(canon[lo:hi], units_only=True):
        m = Mention(m.start + lo, m.end + lo, m.num_start + lo, m.num_end + lo, m.quantity, m.chinese)
        if not m.quantity.unit or m.quantity.unit == "万":
            continue
        if any(a <= m.num_start < b for a, b in protected) or _trapped(canon, m, hi):
            continue
        out.append(m)
    return out


def _trapped(canon: str, m: Mention, hi: int) -> bool:
    before = canon[max(0, m.num_start - C.TRAP_BEFORE) : m.num_start]
    after = canon[m.end : min(hi, m.end + 4)]
    bounded = canon[m.start : m.end].endswith(("以上", "以下"))
    for trap in C.TRAPS:
        if (trap.units is not None and m.quantity.unit not in trap.units) or (trap.bounded and not bounded):
            continue
        if trap.bare and m.quantity.comparator is not None:
            continue
        if trap.around is not None and not trap.around.search(_sentence_around(canon, m, hi)):
            continue
        if (trap.before is None or trap.before.search(before)) and (
            trap.after is None or trap.after.match(after)
        ):
            return True
    return False


def _sentence_around(canon: str, m: Mention, hi: int) -> str:
    """Return the figure's sentence, at most TRAP_AROUND characters each side of it."""
    lo = max(0, m.start - C.TRAP_AROUND)
    left = canon[lo : m.start]
    cut = max(left.rfind(c) for c in "。；！？\n")
    right = canon[m.end : min(hi, m.end + C.TRAP_AROUND)]
    stop = C.SENTENCE_END.search(right)
    return left[cut + 1 :] + canon[m.start : m.end] + (right[: stop.start()] if stop else right)


def clauses(canon: str, lo: int, hi: int, mentions: list[Mention]) -> list[Clause]:
    """Return the clauses of a sentence with the figures each holds."""
    cuts = [lo] + [m.end() for m in C.CLAUSE_END.finditer(canon, lo, hi)]
    ends = [c - 1 for c in cuts[1:]] + [hi]
    starts = [m.num_start for m in mentions]  # sorted: one bisect per clause keeps long sentences linear
    return [
        Clause(a, b, mentions[bisect_left(starts, a) : bisect_left(starts, b)])
        for a, b in zip(cuts, ends, strict=True)
    ]
