"""Names of 其中 parts that name only a place (DOMAIN §8 pattern 27).

全镇6个行政村集体经济收入均超过10万元，其中柏树村达到52万元: the 52万元 is 柏树村's 集体经济收入, so the part
takes the noun of the figure before 其中 that measures the same thing; 其中东苑社区150场次 after 志愿服务活动420场次
is 东苑社区志愿服务活动. A part named by more than its place keeps its own name.
"""

from __future__ import annotations

import re

from jixiao_core.facts import Indicator
from jixiao_core.units import comparable

BREAKDOWN = "其中"
PLACE_ONLY = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:社区|村委会|村|组|小区)")
# What a whole's name says about the places it covers (全镇6个行政村…, 3个社区…) or how it adds up (…均).
WHOLE_LEAD = re.compile(r"^(?:全镇|全街道|全乡|全区|辖区|各)?(?:行政村|村（社区）|社区|村)?(?:全年)?")
WHOLE_TAIL = re.compile(r"(?:均|共|合计|累计|总计|共计)+$")
LIST_COMMA = re.compile(r"[，,](?!\d{3}(?!\d))")
NOUN_MIN = 2  # a noun shorter than this names nothing worth borrowing


def name_places(canon: str, lo: int, located: list[tuple[int, Indicator]]) -> None:
    """Give each 其中 part named only by its place the noun of its whole (one sentence, from `lo`)."""
    for k, (pos, ind) in enumerate(located):
        q = canon.rfind(BREAKDOWN, lo, pos)
        if q < 0 or not PLACE_ONLY.fullmatch(ind.name) or not _in_list(canon, q + len(BREAKDOWN), pos):
            continue
        wholes = [w for p, w in located[:k] if p < q and _same_measure(w.unit, ind.unit)]
        noun = WHOLE_TAIL.sub("", WHOLE_LEAD.sub("", wholes[-1].name)) if wholes else ""
        if len(noun) >= NOUN_MIN:
            ind.name = ind.name + noun


def _in_list(canon: str, after: int, pos: int) -> bool:
    """Return whether a figure at `pos` lies in the list opened by a 其中 ending at `after`."""
    return canon.startswith(("：", ":"), after) or not LIST_COMMA.search(canon, after, pos)


def _same_measure(a: str | None, b: str | None) -> bool:
    return a == b or comparable(a, b)
