"""Indicator tables inside a report (a .docx table, or tab- or |-separated lines): read as tables, not prose.

A header row names the columns (指标 | 年度目标 | 完成值 | 完成率 …); columns are found by their header
text, never by position (DOMAIN §3). Cells such as `≥3000亩` carry the comparator and unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao_core.errors import NumberError
from jixiao_core.facts import Indicator
from jixiao_core.numbers import Quantity, parse_quantity


@dataclass(frozen=True)
class Column:
    """A table column recognised by its header text."""

    key: str
    words: re.Pattern


COLUMNS = (
    Column(
        "level", re.compile(r"一级指标|二级指标|指标类别|指标类型")
    ),  # recognised so it is not taken for a name
    Column("name", re.compile(r"三级指标|指标名称|具体指标|绩效指标|考核指标|^指标$|指标内容")),
    Column(
        "target", re.compile(r"年度指标值|年度目标值?|目标值|指标值|计划值|计划数|预期目标|预期值|标准值")
    ),
    Column("actual", re.compile(r"实际完成值|完成值|实际值|实际完成|完成情况|实际数|全年实际值")),
    Column("rate", re.compile(r"完成率|完成比例|完成程度")),
)
CELL_SPLIT = re.compile(r"\t|\s*\|\s*")
ROW = re.compile(r"^.*(?:\t|\|).*$")
LINE = re.compile(r"^.*$", re.M)


@dataclass
class Table:
    """A table block: its offsets and the indicators its rows give."""

    start: int
    end: int
    indicators: list[Indicator]


def tables(doc: str, canon: str) -> list[Table]:
    """Return the indicator tables of a text (runs of cell-separated lines under a recognised header)."""
    lines = [(m.start(), m.end(), m.group()) for m in LINE.finditer(canon)]
    out: list[Table] = []
    i = 0
    while i < len(lines):
        header = _header(_cells(lines[i][2])) if ROW.match(lines[i][2]) else None
        if header is None:
            i += 1
            continue
        j, found, end = i + 1, [], lines[i][1]
        while j < len(lines) and (ROW.match(lines[j][2]) or _group_label(lines, j)):
            start, stop, text = lines[j]
            ind = _row(_cells(text), header) if ROW.match(text) else None
            if ind is not None:
                ind.text, ind.span = doc[start:stop], (start, stop)
                found.append(ind)
            end, j = stop, j + 1
        out.append(Table(lines[i][0], end, found))
        i = j
    return out


def _group_label(lines: list[tuple[int, int, str]], j: int) -> bool:
    """Return whether line j is a merged row naming a group (产出指标) between rows of the same table."""
    text = lines[j][2].strip()
    nxt = lines[j + 1][2] if j + 1 < len(lines) else ""
    return 0 < len(text) <= 12 and not re.search(r"[。；，\d]", text) and bool(ROW.match(nxt))


def _cells(line: str) -> list[str]:
    cells = CELL_SPLIT.split(line.strip("\n"))
    if line.strip().startswith("|"):
        cells = cells[1:]
    return [c.strip() for c in cells]


def _header(cells: list[str]) -> dict[str, int] | None:
    """Return column key → index when the cells look like an indicator-table header."""
    found: dict[str, int] = {}
    for k, cell in enumerate(cells):
        col = next((c for c in COLUMNS if c.key not in found and c.words.search(cell)), None)
        if col:
            found[col.key] = k
    if "name" not in found or not ({"target", "actual"} & set(found)):
        return None
    return found


def _quantity(cell: str) -> Quantity | None:
    try:
        return parse_quantity(cell) if cell else None
    except NumberError:
        return None  # 达成预期指标 and other qualitative cells


def _row(cells: list[str], header: dict[str, int]) -> Indicator | None:
    """Return the indicator of one data row, or None for a qualitative or empty row."""

    def cell(key: str) -> str:
        k = header.get(key)
        return cells[k] if k is not None and k < len(cells) else ""

    name = cell("name")
    actual, target, rate = _quantity(cell("actual")), _quantity(cell("target")), _quantity(cell("rate"))
    if not name or (actual is None and target is None):
        return None
    unit = (actual.unit if actual else None) or (target.unit if target else None)
    return Indicator(
        name=name,
        actual=actual.value if actual else None,
        unit=unit,
        target=target.value if target else None,
        target_unit=((target.unit or unit) if target else None),
        comparator=target.comparator if target else None,
        rate=rate.value if rate and rate.unit in ("%", None) else None,
        qualifier=actual.qualifier if actual else None,
    )
