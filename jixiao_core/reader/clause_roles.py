"""What a figure is within its clause: the spec of things counted after it (3吨…清运车2辆), a part in a （含…） note,
an item of a 分别 list cut by half-width commas (DOMAIN §8 patterns 17, 32)."""

from __future__ import annotations

import re

import jixiao_core.reader.cues as C
from jixiao_core.numbers import Mention
from jixiao_core.reader.sentences import Clause
from jixiao_core.units import is_count


def is_spec(canon: str, m: Mention, nxt: Mention) -> bool:
    """Return whether a measure is the spec of the things the next figure counts (3吨…清运车2辆)."""
    q = m.quantity
    if is_count(q.unit) or q.unit in ("%", None) or not is_count(nxt.quantity.unit):
        return False
    return bool(C.SPEC_NOUN.fullmatch(canon, m.end, nxt.start))


def in_part_note(canon: str, clause: Clause, m: Mention, ends: set[int]) -> bool:
    """Return whether a figure sits in a （含…） note right after another figure of its clause (`ends`: where
    the clause's figures end). The look back is bounded: a note is short, a clause may not be."""
    opened = canon.rfind("（", max(clause.start, m.start - C.PART_NOTE_MAX), m.start)
    if opened < 0 or "）" in canon[opened : m.start] or not C.PART_NOTE.match(canon, opened):
        return False
    return opened in ends


def list_items(text: str, n: int) -> list[str]:
    """Return the names of a 分别 list: split at 、 first, at 和/及/与 only when that gives n (参与率 keeps its 与)."""
    items = [t.strip() for t in text.split("、") if t.strip()]
    if len(items) == n:
        return items
    return [t.strip() for t in re.split(r"[、和及与]", text) if t.strip()]


def joined_lists(canon: str, parts: list[Clause]) -> list[Clause]:
    """Join the clauses a comma-separated 分别 list was cut into (分别为85%,64%,92%): one figure per clause."""
    out: list[Clause] = []
    listing = False  # the clause before holds 分别 and ends on a figure: a lone figure goes on its list
    for part in parts:
        lone = (
            len(part.mentions) == 1
            and canon[part.start : part.end].strip() == canon[part.mentions[0].start : part.mentions[0].end]
        )
        if listing and lone:
            prev = out[-1]
            out[-1] = Clause(prev.start, part.end, prev.mentions + part.mentions)
            continue
        out.append(part)
        listing = bool(C.RESPECTIVELY.search(canon, part.start, part.end)) and _ends_on_figure(canon, part)
    return out


def _ends_on_figure(canon: str, clause: Clause) -> bool:
    return bool(clause.mentions) and not canon[clause.mentions[-1].end : clause.end].strip()
