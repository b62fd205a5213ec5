"""Indicator tables inside a report (a .docx table, or tab- or |-separated lines): read as tables, not prose.

A header row names the columns (指标 | 年度目标 | 完成值 | 完成率 …); columns are found by their header
text, never by position (DOMAIN §3). Cells such as `≥3000亩` carry the comparator and unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import jixiao_core.reader.goal_rows as G
from jixiao_core.errors import NumberError
from jixiao_core.facts import Indicator
from jixiao_core.numbers import Quantity, canonical, parse_quantity, scan
from jixiao_core.units import comparable, convert, to_base


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
# Cells are separated by tabs, "|" or (text pasted from a PDF or a fixed-width export) runs of two spaces or more.
CELL_SPLIT = re.compile(r"\t|[ \u3000]*\|[ \u3000]*|[ \u3000]{2,}")
ROW = re.compile(r"\t|\||\S[ \u3000]{2,}\S")
LINE = re.compile(r"^.*$", re.M)
CELL_MAX = 80  # characters of a cell searched for its figure: a cell is short, a broken line may not be

# The funds block of a 自评表 (项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分): its
# columns are fund fields (as `reader.funds` names them), read from the total row only; 分值 and 得分 are no results.
FUND_COLUMNS = (
    ("budget_initial", re.compile(r"年初预算")),
    ("budget_adjusted", re.compile(r"全年预算|调整后?预算")),
    ("spent", re.compile(r"全年执行数|执行数|实际支出")),
    ("stated_execution_rate", re.compile(r"执行率")),
)
FUND_HEADER = re.compile(r"项目资金|资金来源|资金情况")
FUND_TOTAL = re.compile(r"资金总额|合计|总计|总额")
MONEY_UNIT = re.compile(r"[（(](万元|亿元|元)[）)]")


@dataclass
class Table:
    """A table block: its offsets, the indicators its rows give and, for a funds block, the fund figures (元)."""

    start: int
    end: int
    indicators: list[Indicator]
    funds: dict[str, Decimal] = field(default_factory=dict)


def tables(doc: str, canon: str) -> list[Table]:
    """Return the indicator tables of a text (runs of cell-separated lines under a recognised header)."""
    lines = [(m.start(), m.end(), m.group()) for m in LINE.finditer(canon)]
    out: list[Table] = []
    i = 0
    while i < len(lines):
        row = ROW.search(lines[i][2])
        header = _header(_cells(lines[i][2])) if row else None
        if header is None:
            block = (_goal_block(doc, canon, lines, i) or _funds_block(lines, i)) if row else None
            if block:
                out.append(block)
            i = block_end(lines, i) if block else i + 1
            continue
        j, found, end = i + 1, [], lines[i][1]
        while j < len(lines) and (ROW.search(lines[j][2]) or _group_label(lines, j)):
            start, stop, text = lines[j]
            ind = _row(_cells(text), header) if ROW.search(text) else None
            if ind is not None:
                ind.text, ind.span = doc[start:stop], (start, stop)
                found.append(ind)
            end, j = stop, j + 1
        out.append(Table(lines[i][0], end, found))
        i = j
    return out


def block_end(lines: list[tuple[int, int, str]], i: int) -> int:
    """Return the index of the first line after the rows of the block whose header is line i."""
    j = i + 1
    while j < len(lines) and ROW.search(lines[j][2]):
        j += 1
    return j


def _goal_block(doc: str, canon: str, lines: list[tuple[int, int, str]], i: int) -> Table | None:
    """Return the goal-and-result rows under header line i (预期目标 | 实际完成情况), or None."""
    lo, hi, _ = lines[i]
    cols = G.columns(canon, lo, hi)
    if cols is None:
        return None
    end = block_end(lines, i)
    width = len(G.cells(canon, lo, hi))
    found = [ind for a, b, _ in lines[i + 1 : end] for ind in G.row(doc, canon, a, b, cols, width)]
    return Table(lo, lines[end - 1][1], found)


def _funds_block(lines: list[tuple[int, int, str]], i: int) -> Table | None:
    """Return the funds block whose header is line i (amounts of its total row in 元), or None."""
    cells = _cells(lines[i][2])
    if not cells or not FUND_HEADER.search(cells[0]):
        return None
    cols = {}
    for k, cell in enumerate(cells):
        key = next((key for key, words in FUND_COLUMNS if key not in cols and words.search(cell)), None)
        if key:
            cols[key] = k
    if "spent" not in cols and "budget_adjusted" not in cols:
        return None
    unit = MONEY_UNIT.search(lines[i][2])
    end = block_end(lines, i)
    total = next((_cells(t) for _, _, t in lines[i + 1 : end] if FUND_TOTAL.search(_cells(t)[0])), None)
    figures = _fund_figures(total, cols, unit.group(1) if unit else "元") if total else {}
    return Table(lines[i][0], lines[end - 1][1], [], figures)


def _fund_figures(cells: list[str], cols: dict[str, int], unit: str) -> dict[str, Decimal]:
    out = {}
    for key, k in cols.items():
        q = _quantity(cells[k]) if k < len(cells) else None
        if q is None:
            continue
        if key == "stated_execution_rate":
            out[key] = q.value if q.unit == "%" else None
        elif q.unit in (None, unit) or (q.unit and q.unit.endswith("元")):
            out[key] = to_base(q.value, q.unit or unit)[0]
    return {k: v for k, v in out.items() if v is not None}


def restates_goal(ind: Indicator, rows: list[Indicator]) -> bool:
    """Return whether a prose goal restates a row's target (年度绩效目标：改造农村户厕不少于500户 beside the row
    改造户厕户数 | ≥500户 | 532户): same value and measure, and a two-character word of the name in common."""
    if ind.comparator is None and "目标" not in ind.text[:200]:  # bounded: a sentence may be huge
        return False  # a stated result, not a goal
    for row in rows:
        if row.target is None or ind.actual is None or not comparable(ind.unit, row.target_unit or row.unit):
            continue
        if convert(ind.actual, ind.unit, row.target_unit or row.unit) != row.target:
            continue
        if G.shared_word(ind.name, row.name):
            return True
    return False


def _group_label(lines: list[tuple[int, int, str]], j: int) -> bool:
    """Return whether line j is a merged row naming a group (产出指标) between rows of the same table."""
    text = lines[j][2].strip()
    nxt = lines[j + 1][2] if j + 1 < len(lines) else ""
    return 0 < len(text) <= 12 and not re.search(r"[。；，\d]", text) and bool(ROW.search(nxt))


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
        pass
    # a cell that names its figure (≥12个小区, 完成12个): its one figure with a unit; 达成预期指标 has none
    found = scan(canonical(cell[:CELL_MAX]), units_only=True)
    return found[0].quantity if len(found) == 1 and found[0].quantity.unit not in (None, "万") else None


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
