"""The national 项目支出绩效自评表 (财预〔2020〕10号 附件1): typed table and the .xlsx reader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao_core import units
from jixiao_core.classify import direction_for_name
from jixiao_core.errors import InputError
from jixiao_core.selfeval.cells import cell_value, number_cell, outcome_of
from jixiao_core.selfeval.grid import Grid, check_archive, norm, read_grids

WAN = Decimal(10) ** 4
MAX_NUMBER = (
    Decimal(10) ** 15
)  # any figure a 自评表 holds, in its own unit (万元 amounts become 元 below 10^16)


@dataclass
class TableRow:
    """One 三级指标 row; target/actual in the units written in their cells."""

    level1: str | None
    level2: str | None
    level3: str
    target_text: str = ""
    target: Decimal | None = None
    target_unit: str | None = None
    comparator: str | None = None  # ">=", "<=", "=" or None
    actual_text: str = ""
    actual: Decimal | None = None
    actual_unit: str | None = None
    weight: Decimal | None = None  # 分值
    stated_score: Decimal | None = None  # the unit's own 得分, kept beside ours, never copied
    deviation_note: str = ""
    direction: str = "positive"  # positive / negative / equal / qualitative
    outcome: str | None = None  # 达成 / 部分达成 / 未达成 for qualitative rows
    cell: str | None = None  # e.g. "Sheet1!D12" (the 三级指标 cell)


@dataclass
class Unscored:
    name: str
    reason: str
    detail: str = ""


@dataclass
class SelfEvalTable:
    """A 自评表, read from a workbook or rebuilt from a report; funds in 元."""

    project_name: str | None = None
    department: str | None = None  # 主管部门
    unit_name: str | None = None  # 实施单位
    year: int | None = None
    budget_initial: Decimal | None = None  # 年初预算数
    budget: Decimal | None = None  # 全年预算数
    spent: Decimal | None = None  # 全年执行数
    execution_weight: Decimal | None = None  # the table's 分值 for 执行率
    execution_stated_rate: Decimal | None = None  # percent, as printed
    execution_stated_score: Decimal | None = None
    goal_expected: str | None = None  # 年度总体目标: 预期目标
    goal_actual: str | None = None  # 年度总体目标: 实际完成情况
    rows: list[TableRow] = field(default_factory=list)
    unscored: list[Unscored] = field(default_factory=list)
    stated_total: Decimal | None = None  # the 总分 row
    notes: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # field → "Sheet1!E6"
    origin: str = "workbook"  # workbook / report


# field → header words, tried in order over all columns (so 年度指标值 wins before a bare 指标值)
INDICATOR_COLUMNS = (
    ("level3", ("三级指标",)),
    ("level2", ("二级指标",)),
    ("level1", ("一级指标",)),
    ("target", ("年度指标值", "指标值", "目标值")),
    ("actual", ("实际完成值", "完成值", "实际值")),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
    ("deviation", ("偏差原因", "原因分析", "改进措施")),
)
FUND_COLUMNS = (
    ("budget_initial", ("年初预算",)),
    ("budget", ("全年预算", "调整预算", "预算数")),
    ("spent", ("全年执行", "执行数")),
    ("weight", ("分值",)),
    ("rate", ("执行率",)),
    ("score", ("得分",)),
)
HEADER_LABELS = frozenset(w for _, words in INDICATOR_COLUMNS for w in words)
FUND_ROWS = (
    ("资金总额", "total"),
    ("合计", "total"),
    ("财政拨款", "part"),
    ("上年结转", "part"),
    ("其他资金", "part"),
)
PROJECT_LABELS = (("项目名称", "project_name"), ("主管部门", "department"), ("实施单位", "unit_name"))
REQUIRED = (("level3", "三级指标"), ("target", "年度指标值"), ("actual", "实际完成值"))


def read_workbook(file_name: str, data: bytes) -> SelfEvalTable:
    """Return the 自评表 in an .xlsx; InputError (naming sheet, row, column) for anything else."""
    check_archive(file_name, data)
    titles = []
    for grid in read_grids(file_name, data):
        titles.append(grid.title)
        header = _header_rows(grid)
        if header is not None:
            if grid.uncached:
                from openpyxl.utils.cell import coordinate_from_string

                col, row = coordinate_from_string(grid.uncached[0])
                where = f"工作表“{grid.title}”第{row}行 {col} 列（{grid.title}!{col}{row}）"
                raise InputError(file_name, f"{where}：公式未计算，请在 Excel 中打开并保存")
            return _Reader(file_name, grid, *header).table()
    raise InputError(
        file_name,
        f"工作表“{'、'.join(titles)}”中未找到“三级指标”表头，不是项目支出绩效自评表（财预〔2020〕10号 附件1）格式",
    )


def _header_rows(grid: Grid) -> tuple[int, int] | None:
    """Return the first and last row of the indicator header (two-line headers included), or None."""
    first = next((r for r, row in enumerate(grid.rows) if any(_is_level3_header(v) for v in row)), None)
    if first is None:
        return None
    last = first
    while last + 1 < len(grid.rows) and any(
        grid.text(last + 1, c) in HEADER_LABELS for c in range(grid.width)
    ):
        last += 1
    return first, last


def _is_level3_header(value: Any) -> bool:
    # the cheap test first: most cells of a long sheet hold no 三 at all
    return isinstance(value, str) and "三" in value and _is_label(norm(value), "三级指标")


def _is_label(text: str, label: str) -> bool:
    return label in text and len(text) <= len(label) + 6


def _map_columns(texts: list[str], table: tuple) -> dict[str, int]:
    """Return field → column index, matching header words in table order; a column serves one field."""
    taken: set[int] = set()
    found: dict[str, int] = {}
    for name, words in table:
        for word in words:
            col = next((c for c, t in enumerate(texts) if word in t and c not in taken), None)
            if col is not None:
                found[name] = col
                taken.add(col)
                break
    return found


def _clean_level(text: str) -> str | None:
    """Return a 一级/二级 label without its "(50分)" annotation."""
    return re.sub(r"\(.*?\)", "", text) or None


class _Reader:
    """Turns one sheet's grid into a SelfEvalTable."""

    def __init__(self, file_name: str, grid: Grid, first: int, last: int):
        self.file, self.grid, self.first, self.last = file_name, grid, first, last
        self.t = SelfEvalTable()

    def table(self) -> SelfEvalTable:
        self._project()
        self._funds()
        self._goals()
        self._rows()
        return self.t

    def _fail(self, r: int, c: int, what: str) -> InputError:
        g = self.grid
        col = g.ref(r, c).split("!")[1].rstrip("0123456789")
        return InputError(self.file, f"工作表“{g.title}”第{r + 1}行 {col} 列（{g.ref(r, c)}）：{what}")

    def _number(self, r: int, c: int | None, header: str, percent: bool = False) -> Decimal | None:
        if c is None:
            return None
        try:
            return self._bounded(r, c, number_cell(self.grid.value(r, c), percent))
        except ValueError:
            raise self._fail(r, c, f"“{header}”应为数字，实为“{self.grid.value(r, c)}”") from None

    def _bounded(self, r: int, c: int, number: Decimal | None) -> Decimal | None:
        """Return the number unless no 自评表 figure is that large (the database could not hold it either)."""
        if number is not None and not abs(number) < MAX_NUMBER:
            raise self._fail(
                r, c, f"数值 {number.normalize():E} 过大，超出可处理的范围（绝对值须小于 10^15）"
            )
        return number

    def _project(self) -> None:
        g = self.grid
        for r in range(self.first):
            for c in range(g.width):
                text = g.text(r, c)
                for label, name in PROJECT_LABELS:
                    if text.startswith(label) and getattr(self.t, name) is None:
                        value, at = self._label_value(r, c, text, label)
                        if value:
                            setattr(self.t, name, value)
                            self.t.cells[name] = g.ref(r, at)
                if self.t.year is None and (m := re.search(r"((?:19|20)\d{2})年", text)):
                    self.t.year = int(m.group(1))

    def _label_value(self, r: int, c: int, text: str, label: str) -> tuple[str | None, int]:
        inline = text[len(label) :].lstrip(":")
        if inline:
            return inline, c
        labels = {lab for lab, _ in PROJECT_LABELS}
        for cc in range(c + 1, self.grid.width):
            t = self.grid.text(r, cc)
            if t and t != text and t not in labels:
                return str(self.grid.value(r, cc)).strip(), cc
            if t in labels:
                break
        return None, c

    def _funds(self) -> None:
        g = self.grid
        head = next(
            (r for r in range(self.first) if any("全年预算" in g.text(r, c) for c in range(g.width))), None
        )
        if head is None:
            self.t.notes.append("未找到项目资金表（全年预算数），执行率无法计算")
            return
        cols = _map_columns([g.text(head, c) for c in range(g.width)], FUND_COLUMNS)
        left = min(cols.values())
        caption = "".join(g.text(head, c) for c in range(left))
        # amounts are in 万元 unless the block's caption says 元
        scale = Decimal(1) if "(元)" in caption and "万元" not in caption else WAN
        totals: dict[str, Decimal | None] | None = None
        parts: list[dict[str, Decimal | None]] = []
        for r in range(head + 1, self.first):
            label = "".join(g.text(r, c) for c in range(left))
            if "年度总体目标" in label or "绩效指标" in label:
                break
            kind = next((k for word, k in FUND_ROWS if word in label), None)
            if kind is None:
                continue
            amounts = {
                n: self._number(r, cols.get(n), h)
                for n, h in (
                    ("budget_initial", "年初预算数"),
                    ("budget", "全年预算数"),
                    ("spent", "全年执行数"),
                )
            }
            if kind == "total":
                totals = amounts
                self._execution(r, cols)
            else:
                parts.append(amounts)
        self._set_funds(totals, parts, scale)

    def _execution(self, r: int, cols: dict[str, int]) -> None:
        self.t.execution_weight = self._number(r, cols.get("weight"), "分值")
        rate = self._number(r, cols.get("rate"), "执行率", percent=True)
        self.t.execution_stated_rate = rate
        self.t.execution_stated_score = self._number(r, cols.get("score"), "得分")
        for name in ("budget_initial", "budget", "spent"):
            if name in cols:
                self.t.cells[name] = self.grid.ref(r, cols[name])

    def _set_funds(self, totals: dict | None, parts: list[dict], scale: Decimal) -> None:
        names = ("budget_initial", "budget", "spent")
        sums = {n: sum((p[n] for p in parts if p[n] is not None), Decimal(0)) for n in names}
        use_parts = parts and any(sums.values()) and (totals is None or not any(totals.values()))
        if use_parts:
            # a known quirk: 年度资金总额 left at 0 while 当年财政拨款 holds the amounts
            self.t.notes.append(
                f"年度资金总额行为空或0，按其中分项合计计算（全年预算数{sums['budget']}万元，全年执行数{sums['spent']}万元）"
            )
        source = sums if use_parts else (totals or {})
        for n in names:
            value = source.get(n)
            setattr(self.t, n, None if value is None else value * scale)

    def _goals(self) -> None:
        g = self.grid
        for r in range(self.first):
            texts = [g.text(r, c) for c in range(g.width)]
            exp = next((c for c, t in enumerate(texts) if t == "预期目标"), None)
            if exp is None:
                continue
            act = next((c for c, t in enumerate(texts) if t.startswith("实际完成")), None)
            if r + 1 < self.first:
                self.t.goal_expected = _str(g.value(r + 1, exp))
                self.t.goal_actual = _str(g.value(r + 1, act)) if act is not None else None
            return

    def _rows(self) -> None:
        g = self.grid
        texts = ["|".join(g.text(r, c) for r in range(self.first, self.last + 1)) for c in range(g.width)]
        cols = _map_columns(texts, INDICATOR_COLUMNS)
        for name, label in REQUIRED:
            if name not in cols:
                raise InputError(self.file, f"工作表“{g.title}”第{self.first + 1}行的指标表头缺少“{label}”列")
        level1 = level2 = None
        for r in range(self.last + 1, len(g.rows)):
            # the 总分 label sits left of the indicator names; looking no further keeps long sheets fast
            if any(g.text(r, c).startswith("总分") for c in range(cols["level3"] + 1)):
                self._total(r, cols.get("score"))
                break
            new1 = _clean_level(g.text(r, cols["level1"])) if "level1" in cols else None
            if new1 and new1 != level1:
                level1, level2 = new1, None
            level2 = (_clean_level(g.text(r, cols["level2"])) if "level2" in cols else None) or level2
            name = _str(g.value(r, cols["level3"]))
            if name:
                self.t.rows.append(self._row(r, cols, level1, level2, name))

    def _total(self, r: int, col: int | None) -> None:
        """Record the unit's own 总分 (its 得分 cell); a stray text there is ignored, not fatal."""
        try:
            self.t.stated_total = number_cell(self.grid.value(r, col)) if col is not None else None
        except ValueError:
            self.t.stated_total = None

    def _row(
        self, r: int, cols: dict[str, int], level1: str | None, level2: str | None, name: str
    ) -> TableRow:
        g = self.grid
        target, actual = cell_value(g.value(r, cols["target"])), cell_value(g.value(r, cols["actual"]))
        self._bounded(r, cols["target"], target.number)
        self._bounded(r, cols["actual"], actual.number)
        if target.number is None:
            direction = "qualitative"
        elif target.comparator == ">=":
            direction = "positive"
        else:
            direction = units.DIRECTIONS.get(target.comparator or "", direction_for_name(name))
        return TableRow(
            level1=level1,
            level2=level2,
            level3=name,
            target_text=target.text,
            target=target.number,
            target_unit=target.unit,
            comparator=target.comparator,
            actual_text=actual.text,
            actual=actual.number,
            actual_unit=actual.unit,
            weight=self._number(r, cols.get("weight"), "分值"),
            stated_score=self._number(r, cols.get("score"), "得分"),
            deviation_note=_str(g.value(r, cols["deviation"])) if "deviation" in cols else "",
            direction=direction,
            outcome=outcome_of(actual.text) if direction == "qualitative" else None,
            cell=g.ref(r, cols["level3"]),
        )


def _str(value: Any) -> str:
    if value is None:
        return ""
    return norm(value) if isinstance(value, Decimal) else str(value).strip()
