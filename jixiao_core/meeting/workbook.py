"""The workbook export: the 自评表 in the national layout (财预〔2020〕10号 附件1), plus 指标 and 核查发现 with provenance.

Numbers are written as numbers (amounts in 万元). Every text cell goes through `safe_text`: report text
is data, and a cell starting with = + - @ (or their full-width forms) must never become a formula
(PERFORMANCE.md §7, CWE-1236). The workbook also turns XlsxWriter's string-to-formula conversion off.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import xlsxwriter

from jixiao_core import labels
from jixiao_core.labels import to_wan as wan
from jixiao_core.meeting.brief import Brief, status_of
from jixiao_core.scoring import ScoredRow

# leading characters that make Excel (or a CSV reader) evaluate a cell; full-width forms fold to these by NFKC
INJECTION_LEADS = ("=", "+", "-", "@", "\t", "\r", "|", "%")
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
COLUMN_WIDTHS = (14, 18, 30, 16, 16, 10, 10, 40)  # A–H of the 自评表
FUND_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUND_ROWS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
INDICATOR_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def safe_text(text: str) -> str:
    """Return text that a spreadsheet shows as written: a leading ' when it would start a formula."""
    if text.startswith(INJECTION_LEADS) or unicodedata.normalize("NFKC", text).startswith(INJECTION_LEADS):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str = "text"  # text / number / int


class Sheet:
    """A worksheet that writes text only through safe_text and numbers only as numbers."""

    def __init__(self, wb: xlsxwriter.Workbook, name: str, formats: dict):
        self.ws, self.f = wb.add_worksheet(name), formats

    def text(self, r: int, c: int, value: str | None, fmt: str = "cell") -> None:
        if value:
            self.ws.write_string(r, c, safe_text(value), self.f[fmt])
        else:
            self.ws.write_blank(r, c, None, self.f[fmt])

    def num(self, r: int, c: int, value, fmt: str = "num") -> None:
        if value is None:
            self.ws.write_blank(r, c, None, self.f[fmt])
        else:
            self.ws.write_number(r, c, float(value), self.f[fmt])

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: str | None, fmt: str = "cell") -> None:
        # merge_range writes through write(), so the text is written again with write_string
        if (r1, c1) == (r2, c2):
            self.text(r1, c1, value, fmt)
            return
        self.ws.merge_range(r1, c1, r2, c2, "", self.f[fmt])
        self.text(r1, c1, value, fmt)

    def table(self, columns: tuple[Column, ...], rows: list[tuple]) -> None:
        for c, col in enumerate(columns):
            self.ws.set_column(c, c, col.width)
            self.text(0, c, col.header, "head")
        for r, row in enumerate(rows, start=1):
            for c, (col, value) in enumerate(zip(columns, row, strict=True)):
                if col.kind == "text":
                    self.text(r, c, None if value is None else str(value), "wrap")
                else:
                    self.num(r, c, value, "int" if col.kind == "int" else "plain")
        self.ws.freeze_panes(1, 0)
        self.ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def cell_formats(wb: xlsxwriter.Workbook) -> dict:
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1, "text_wrap": True}
    spec = {
        "title": {"bold": True, "font_size": 16, "align": "center", "border": 0},
        "subtitle": {"align": "center", "border": 0},
        "label": {"bold": True, "align": "center", "bg_color": "#EEF3F9"},
        "head": {"bold": True, "align": "center", "bg_color": "#DCE6F2"},
        "cell": {},
        "center": {"align": "center"},
        "wrap": {},
        "num": {"num_format": "#,##0.00"},
        "plain": {"num_format": "General"},
        "int": {"num_format": "0"},
        "pct": {"num_format": "0.00%"},
        "note": {"border": 0, "font_size": 9, "italic": True},
    }
    return {k: wb.add_format({**base, **v}) for k, v in spec.items()}


def _header(sh: Sheet, b: Brief) -> int:
    sh.merge(0, 0, 0, 7, "项目支出绩效自评表", "title")
    sh.merge(1, 0, 1, 7, f"（{b.year}年度）", "subtitle")
    sh.text(2, 0, "项目名称", "label")
    sh.merge(2, 1, 2, 7, b.project)
    sh.text(3, 0, "主管部门", "label")
    sh.merge(3, 1, 3, 3, b.unit)  # a 街道办事处 reports as its own budget unit
    sh.text(3, 4, "实施单位", "label")
    sh.merge(3, 5, 3, 7, b.unit)
    return 4


def _funds(sh: Sheet, b: Brief, r: int) -> int:
    sh.merge(r, 0, r + len(FUND_ROWS), 0, "项目资金（万元）", "label")
    sh.text(r, 1, "", "label")
    for c, h in enumerate(FUND_HEADERS, start=2):
        sh.text(r, c, h, "label")
    f, sc = b.funds, b.score
    sh.text(r + 1, 1, FUND_ROWS[0])
    for c, v in enumerate((wan(f.budget_initial), wan(f.budget), wan(f.spent)), start=2):
        sh.num(r + 1, c, v)
    sh.num(r + 1, 5, sc.execution.weight)
    # 10号: 执行率 = 全年执行数 / 全年预算数; stored as a fraction so Excel shows 100.00%
    sh.num(r + 1, 6, None if b.execution_rate is None else b.execution_rate / 100, "pct")
    sh.num(r + 1, 7, sc.execution.score)
    for n, label in enumerate(FUND_ROWS[1:], start=r + 2):
        sh.text(n, 1, label)
        for c in range(2, 8):
            sh.num(n, c, None)  # the report gives no split by source: left blank, never guessed
    return r + len(FUND_ROWS) + 1


def _goals(sh: Sheet, b: Brief, r: int) -> int:
    rep = b.report
    sh.merge(r, 0, r + 1, 0, "年度总体目标", "label")
    sh.merge(r, 1, r, 4, "预期目标", "label")
    sh.merge(r, 5, r, 7, "实际完成情况", "label")
    goals = "\n".join(f"{labels.goal_label(g.seq)}，{g.text}" for g in rep.goals)
    expected = "\n".join(t for t in (rep.overall_goal, goals) if t)
    sh.merge(r + 1, 1, r + 1, 4, expected)
    sh.merge(r + 1, 5, r + 1, 7, rep.sections.get("conclusion", ""))
    sh.ws.set_row(r + 1, 150)
    return r + 2


def _indicator_rows(sh: Sheet, rows: list[ScoredRow], r: int) -> int:
    for c, h in enumerate(INDICATOR_HEADERS):
        sh.text(r, c, h, "label")
    start = r + 1
    for n, row in enumerate(rows, start=start):
        sh.text(n, 2, row.level3)
        sh.text(n, 3, row.target_text, "center")
        sh.text(n, 4, row.actual_text, "center")
        sh.num(n, 5, row.weight)
        sh.num(n, 6, row.score)
        sh.text(n, 7, row.note)
    _merge_runs(sh, [r.level1 for r in rows], start, 0)
    _merge_runs(sh, [f"{r.level1}/{r.level2}" for r in rows], start, 1, [r.level2 for r in rows])
    return start + len(rows)


def _merge_runs(sh: Sheet, keys: list[str], start: int, col: int, shown: list[str] | None = None) -> None:
    """Merge vertically each run of equal keys in one column (一级 and 二级 span their rows)."""
    shown = shown or keys
    n = 0
    while n < len(keys):
        end = n
        while end + 1 < len(keys) and keys[end + 1] == keys[n]:
            end += 1
        sh.merge(start + n, col, start + end, col, shown[n], "center")
        n = end + 1


def _total(sh: Sheet, b: Brief, r: int) -> int:
    sc = b.score
    sh.merge(r, 0, r, 4, "总分", "label")
    sh.num(r, 5, sc.weight_total)
    sh.num(r, 6, sc.total)
    sh.text(r, 7, f"等级：{sc.grade}（{sc.rules.label}）")
    notes = [*sc.notes, "金额单位：万元；得分按本系统评分规则重算，数据来自绩效评价报告。"]
    sh.merge(r + 1, 0, r + 1, 7, "说明：" + "；".join(notes), "note")
    sh.ws.set_row(r + 1, 30)
    return r + 2


def _self_eval(wb, formats, b: Brief) -> None:
    sh = Sheet(wb, "自评表", formats)
    for c, w in enumerate(COLUMN_WIDTHS):
        sh.ws.set_column(c, c, w)
    r = _header(sh, b)
    r = _funds(sh, b, r)
    r = _goals(sh, b, r)
    r = _indicator_rows(sh, b.score.table_rows(), r)
    _total(sh, b, r)
    sh.ws.set_landscape()
    sh.ws.set_paper(9)  # A4
    sh.ws.fit_to_pages(1, 0)


INDICATOR_COLUMNS = (
    Column("序号", 6, "int"),
    Column("工作领域", 22),
    Column("指标", 28),
    Column("完成值", 12, "number"),
    Column("计量单位", 10),
    Column("目标值", 12, "number"),
    Column("目标单位", 10),
    Column("比较符", 8),
    Column("报告所述完成率（%）", 12, "number"),
    Column("约/余", 8),
    Column("社区", 10),
    Column("状态", 10),
    Column("一级指标", 12),
    Column("二级指标", 14),
    Column("方向", 8),
    Column("原文", 60),
    Column("原文起", 8, "int"),
    Column("原文止", 8, "int"),
    Column("定位", 24),
)
QUALIFIERS = {"approx": "约", "more_than": "余"}
STATUS = {"met": "达标", "missed": "未达标", "untargeted": "未设目标"}


def _indicators(wb, formats, b: Brief) -> None:
    titles = {a.seq: a.title for a in b.report.areas}
    rows = [
        (
            n,
            titles.get(i.area_seq, ""),
            i.name,
            i.actual,
            i.unit,
            i.target,
            i.target_unit,
            labels.COMPARATOR_LABELS.get(i.comparator or "", ""),
            i.rate,
            QUALIFIERS.get(i.qualifier or "", ""),
            i.community,
            STATUS[status_of(i)],
            i.level1,
            i.level2,
            labels.DIRECTION_LABELS.get(i.direction or "", i.direction),
            i.text,
            *(i.span or (None, None)),
            i.locator,
        )
        for n, i in enumerate(b.report.indicators, start=1)
    ]
    Sheet(wb, "指标", formats).table(INDICATOR_COLUMNS, rows)


FINDING_COLUMNS = (
    Column("序号", 6, "int"),
    Column("类型", 16),
    Column("严重程度", 10),
    Column("说明", 60),
    Column("涉及指标", 30),
    Column("原文", 60),
    Column("原文起", 8, "int"),
    Column("原文止", 8, "int"),
)


def _findings(wb, formats, b: Brief) -> None:
    rows = [
        (
            n,
            f.label,
            labels.SEVERITY_LABELS.get(f.severity, f.severity),
            f.message,
            "、".join(f.indicators),
            f.text,
            *(f.span or (None, None)),
        )
        for n, f in enumerate(b.findings, start=1)
    ]
    Sheet(wb, "核查发现", formats).table(FINDING_COLUMNS, rows)


UNSCORED_COLUMNS = (Column("序号", 6, "int"), Column("指标", 40), Column("未评分原因", 30))


def _unscored(wb, formats, b: Brief) -> None:
    rows = [(n, u.name, u.reason) for n, u in enumerate(b.score.unscored, start=1)]
    Sheet(wb, "未评分指标", formats).table(UNSCORED_COLUMNS, rows)


def build_xlsx(b: Brief) -> bytes:
    """Return the workbook (自评表, 指标, 核查发现, 未评分指标) of a brief."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, WORKBOOK_OPTIONS)
    formats = cell_formats(wb)
    _self_eval(wb, formats, b)
    _indicators(wb, formats, b)
    _findings(wb, formats, b)
    _unscored(wb, formats, b)
    wb.close()
    return buf.getvalue()
