"""Which place a figure is about: a community or village the unit lists, named as X社区, X村, X村委会(Y村/Y组) or X小区
in its clause or the one before, or carried from the figure before (DOMAIN §8 pattern 31, community attribution)."""

from __future__ import annotations

import re

import jixiao_core.reader.cues as C
from jixiao_core.facts import Indicator
from jixiao_core.reader.draft import Draft
from jixiao_core.reader.sentences import Clause
from jixiao_core.units import same_measure

# What a whole's name says about the places it covers (全镇6个行政村…, 各村…) or how it adds up (…均), not its noun.
WHOLE_LEAD = re.compile(
    r"^(?:全镇|全街道|全乡|全区|辖区|各|全部|所有)?(?:行政村|自然村|村民小组|村（社区）|社区|村|小区)?(?:全年)?"
)
WHOLE_TAIL = re.compile(r"(?:均|共|合计|累计|总计|共计)+$")


def part_name(ind: Indicator, before: list[Draft]) -> str:
    """Return 石门社区公共厕所 for a part named only by its place (其中石门社区2座), after the whole it belongs to."""
    whole = next(
        (d.ind for d in reversed(before) if same_measure(d.ind.unit, ind.unit)),
        None,
    )
    if whole is None:
        return ind.name
    noun = C.NAME_LEAD.sub("", whole.name)
    return ind.name + (
        WHOLE_TAIL.sub("", WHOLE_LEAD.sub("", noun)) or noun
    )  # 行政村集体经济收入 → 柏树村集体经济收入


def carried(canon: str, prev: Draft, d: Draft) -> str | None:
    """Return the place of the figure before when it goes on measuring the same thing (same unit) and nothing
    since names another place or the whole unit (在金鱼社区试点…，存储6,200小时，兑换服务1,100余小时)."""
    if d.joined:
        return prev.ind.community
    between = canon[prev.pos : d.pos]
    if prev.ind.unit != d.ind.unit or C.COLLECTIVE.search(between) or re.search(C.COMMUNITY_SUFFIX, between):
        return None
    return prev.ind.community


def community(canon: str, parts: list[Clause], d: Draft, names: tuple[str, ...]) -> str | None:
    """Return the community a figure is about: its 分别 item, X社区/X村/X小区 just before it, or in the clause before."""
    if not names:
        return None
    regex = re.compile(
        rf"({'|'.join(map(re.escape, sorted(names, key=len, reverse=True)))}){C.COMMUNITY_SUFFIX}"
    )
    if d.hint:  # a 分别 item: 滨河 (a bare name) or 下湾村油茶低产林改造
        if d.hint in names:
            return d.hint
        named = regex.match(d.hint)
        return named.group(1) if named else None
    # a community named in its clause or the clause before carries over (在锦绣社区增设座椅46组、晾衣架20套;
    # 对石碑社区3个院落实施提升，修补路面1850平方米), unless the words since turn to the whole unit (各社区)
    start = parts[d.clause_at - 1].start if d.clause_at else parts[0].start
    named = [n for n in regex.finditer(canon, start, d.pos) if not _in_closed_note(canon, start, n, d.pos)]
    if not named or C.COLLECTIVE.search(canon, named[-1].end(), d.pos):
        return None
    if len(named) > 1 and C.NAME_LINK.fullmatch(canon, named[-2].end(), named[-1].start()):
        return None  # 文昌社区、滨江社区…5个, 高岭村至石板桥村产业路: about several, not one
    return named[-1].group(1)


def _in_closed_note(canon: str, start: int, named: re.Match, pos: int) -> bool:
    """Return whether a place is named inside a bracket closed before the figure (3处（含金鱼社区口袋公园1处），
    修补路面2,650平方米: the note's place is not the road's)."""
    if canon.rfind("（", start, named.start()) <= canon.rfind("）", start, named.start()):
        return False
    return canon.find("）", named.end(), pos) != -1
