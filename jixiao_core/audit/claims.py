"""What a sentence the reader took for a claim actually claims (DOMAIN §9 claim_contradicted).

Only a claim about the targets as a whole can be contradicted by a missed one: 年度绩效目标已全部完成 is;
计划硬化道路14.5公里，已全部完成 is about one task, and 集体经济薄弱村全部实现“清零” about one result. A claim
that names its exceptions (除A、B和C3项任务未全部完成外，其余目标任务均已完成) is contradicted only by a
missed target outside them; a target whose name may be one of them, or an exception too vague to match
(除个别指标外), counts as excepted: when unsure, no finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLAUSE_BREAK = re.compile(r"[，,；;：:]")
# The targets named as a whole: a claim about them names them so in the clause that claims completion.
COLLECTIVE = re.compile(r"目标|任务|指标")
COMPLETION = re.compile(r"完成|实现|达到|达成")
DENIAL = re.compile(r"(?:未|没有|没能|尚未|不能|未能)(?:全部|全面|完全|如期|按期)?(?:完成|实现|达到|达成)")
# 较好地完成了各项目标任务 / 基本完成: a judgement of how well, not a claim that every target was met (DOMAIN §10
# lists only the seed's 已全部按期完成 as contradicted).
HEDGE = re.compile(r"较好|良好|基本|总体|大部分|大多|大体|较为圆满")
FIGURE = re.compile(r"\d")  # a clause with a figure is about that figure's task; a date is no figure
DATE = re.compile(r"(?:19|20)\d\d年度?|\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日")
# 除…外: the exceptions, up to the 外 that opens the rest (其余、其他、均). 拆除、消除 are no 除.
EXCEPTION = re.compile(
    r"(?<![排拆消清剔去删免解破革扣])除(?P<what>[^。；;\n]{1,160}?)以?外(?=[，,]|其[余他它]|均|都)"
)
ITEM_SPLIT = re.compile(r"[、，,和及与]")
# What follows an exception's name: its count (3项任务…) or its state (未全部完成, 部分建立).
ITEM_TAIL = re.compile(
    r"(?:\d+|[一二三四五六七八九十两])项.*$|(?:未|尚未|没有|没能|未能|部分|基本|正在|仍在|有待).*$"
)
VAGUE = re.compile(r"^(?:极)?(?:个别|少数|少量|一些|部分|其他|其它)")
# Words that name no task of their own: verbs of doing, places and frames every report shares.
GENERIC = re.compile(
    r"改造|建设|新建|建成|实施|完成|提升|开展|推进|工作|任务|指标|项目|治理|整治|情况|数量|长度|年度|全年"
    r"|农村|城镇|社区|村级|村组|居民|群众|全镇|全街道|辖区|已|的"
)
SHARED = 2  # characters a missed target's name must share with an exception to be that exception


@dataclass(frozen=True)
class Scope:
    """A claim that all targets were met, with the exceptions it names (names cut to their core words)."""

    exceptions: tuple[str, ...] = ()
    vague: bool = False  # an exception names nothing matchable: every miss may be it


def claim_scope(sentence: str) -> Scope | None:
    """Return the scope of a claim sentence, or None when it does not claim all targets met."""
    if not any(_claims_all(c) for c in CLAUSE_BREAK.split(sentence)):
        return None
    found = EXCEPTION.search(sentence)
    if found is None:
        return Scope()
    items = [ITEM_TAIL.sub("", x.strip()) for x in ITEM_SPLIT.split(found.group("what"))]
    cores = tuple(core(x) for x in items if x)
    if not cores or any(VAGUE.match(x) for x in items) or any(len(c) < SHARED for c in cores):
        return Scope(vague=True)
    return Scope(cores)


def _claims_all(clause: str) -> bool:
    """Return whether a clause claims completion of the targets named as a whole (各项目标任务均已完成)."""
    clause = DATE.sub("", clause)
    return bool(
        COMPLETION.search(clause)
        and COLLECTIVE.search(clause)
        and not DENIAL.search(clause)
        and not HEDGE.search(clause)
        and not FIGURE.search(clause)
    )


def core(name: str) -> str:
    """Return a task name without the words every task shares (改造农村户厕 → 户厕)."""
    return GENERIC.sub("", name)


def excepted(scope: Scope, name: str) -> bool:
    """Return whether a missed target may be one the claim excepts (unsure counts as excepted)."""
    if scope.vague:
        return True
    mine = core(name)
    if len(mine) < SHARED:
        return bool(scope.exceptions)
    return any(mine[k : k + SHARED] in ex for ex in scope.exceptions for k in range(len(mine) - SHARED + 1))
