"""How alike two problem statements are: Dice over character bigrams, the words every problem uses left out.

Chinese has no spaces, and a segmenter would be a heavy dependency for one comparison; character bigrams catch
the same content words (进度, 支出, 不对等) whichever way a sentence is turned around. Bigrams that any problem
statement uses (存在, 问题, 有待, 部分, 进一步) say nothing about which problem it is, so they are dropped first.
The threshold is set from the pairs in tests/test_rectify.py: the same problem restated scores 0.45–0.8, different
problems of one report or of neighbouring reports at most 0.35. It is conservative: a problem rewritten in other
words (进度与资金支出不匹配) scores below it and is left to the clerk rather than proposed wrongly.
"""

from __future__ import annotations

import re
from collections import Counter

THRESHOLD = 0.4
NOT_TEXT = re.compile(r"[\W\d_]+")
# bigrams of problem boilerplate (不足 and 不够 stay: they carry meaning next to their neighbours)
GENERIC = frozenset(
    {
        "存在", "在的", "问题", "有待", "待完", "完善", "待提", "提高", "部分", "进一", "一步", "工作", "方面",
        "情况", "项目", "仍然", "依然", "还存", "较为", "一定", "的问", "题。", "不断", "加强", "方式", "的设",
        "由于", "于绩", "个别", "目前", "当前", "主要", "过程", "程中", "中存", "上流",
    }
)  # fmt: skip


def bigrams(text: str) -> Counter:
    """Return the bigrams of each run of letters (never across punctuation or digits), generic ones left out."""
    grams = Counter(run[i : i + 2] for run in NOT_TEXT.split(text) for i in range(len(run) - 1))
    for g in GENERIC & grams.keys():
        del grams[g]
    return grams


def similarity(a: str, b: str) -> float:
    """Return the Dice coefficient of the two texts' bigram multisets, 0–1 (0 when either has none)."""
    x, y = bigrams(a), bigrams(b)
    total = sum(x.values()) + sum(y.values())
    return 2 * sum((x & y).values()) / total if total else 0.0


def same_problem(a: str, b: str) -> bool:
    """Return whether two statements name the same problem (similarity at or above THRESHOLD)."""
    return similarity(a, b) >= THRESHOLD
