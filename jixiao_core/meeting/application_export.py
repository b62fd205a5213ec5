"""The 结果应用 brief as a one-to-two page A4 PDF and as a workbook, built with the meeting exports' machinery:
`meeting.pdf` (WeasyPrint offline, Noto CJK, every string escaped) and `meeting.workbook` (text only through
`safe_text`, numbers as numbers)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from html import escape

import xlsxwriter
from sqlalchemy.orm import Session

from jixiao_core import labels
from jixiao_core.errors import InputError
from jixiao_core.labels import fmt_num
from jixiao_core.meeting import pdf
from jixiao_core.meeting.application import ApplicationBrief, application_brief, headline
from jixiao_core.meeting.workbook import WORKBOOK_OPTIONS, Column, Sheet, cell_formats

MAX_UNSCORED = 12  # the PDF names the first ones; the workbook lists them all
MAX_ITEMS = 15  # items the PDF lists; the workbook lists them all
# one page: the item table's short columns never wrap, the unscored results are one paragraph
CSS = pdf.CSS + ".items td:nth-child(n+4), .items th { white-space: nowrap; } body { font-size: 9pt; }"


def _title(b: ApplicationBrief) -> str:
    return f"{b.unit} {b.year}年度 {b.meeting.project}"


def _missed_rows(b: ApplicationBrief) -> list[tuple]:
    return [
        (
            t.name,
            f"{fmt_num(t.actual)}{t.unit or ''}",
            f"{fmt_num(t.target)}{t.target_unit or t.unit or ''}",
            f"{fmt_num(t.rate)}%",
        )
        for t in b.meeting.missed
    ]


def _item_rows(b: ApplicationBrief) -> list[tuple]:
    return [
        (
            i.id,
            i.year,
            i.problem,
            labels.ITEM_SOURCE_LABELS.get(i.source, i.source),
            i.body or labels.NO_BODY,
            i.deadline or "未定",
            labels.ITEM_STATUS_LABELS[i.status],
        )
        for i in b.items
    ]


def quality_lines(b: ApplicationBrief) -> tuple[str, ...]:
    d = b.diagnosis
    return (
        f"有年度指标值 {d.with_target}/{d.total}（{d.share(d.with_target)}%）",
        f"有计量单位 {d.with_unit}/{d.total}（{d.share(d.with_unit)}%）",
        f"有时间约束 {d.with_time_bound}/{d.total}（{d.share(d.with_time_bound)}%）",
        f"归因存疑 {len(d.attribution)} 项（衡量全街道经济统计而非本项目的指标）",
        *d.remarks,
    )


ITEM_HEADS = ("编号", "年度", "问题", "来源", "责任科室", "整改期限", "状态")


def brief_html(b: ApplicationBrief) -> str:
    """Return the brief as a standalone HTML document (no external resources)."""
    sc = b.meeting.score
    unscored = "、".join(u.name for u in sc.unscored[:MAX_UNSCORED])
    more = len(sc.unscored) - min(len(sc.unscored), MAX_UNSCORED)
    rows = _item_rows(b)
    figures = headline(b)
    parts = [
        f"<h1>{escape(_title(b))} 绩效评价结果应用简报</h1>",
        f'<div class="meta">截至 {b.today.isoformat()}；得分按{escape(sc.rules.label)}规则由报告数字重建自评表计算</div>',
        "<h2>一、对下年度预算的意见</h2>",
        pdf.html_list(b.advice or ("无",)),
        "<h2>二、预算执行、评价得分与整改</h2>",
        pdf.html_table(tuple(label for label, _ in figures), [tuple(value for _, value in figures)]),
        "<h2>三、未达标指标</h2>",
        pdf.html_table(("指标", "完成值", "目标值", "完成率"), _missed_rows(b), frozenset({1, 2, 3}))
        if b.meeting.missed
        else "<p>有目标的指标均已达标。</p>",
        f"<h2>四、无法评分的成果（共 {len(sc.unscored)} 项，无年度指标值等）</h2>",
        f"<p>{escape(unscored)}{f'等；另有 {more} 项，见 Excel 的“无法评分”表' if more > 0 else ''}。</p>"
        if unscored
        else "<p>无。</p>",
        "<h2>五、指标质量诊断</h2>",
        pdf.html_list(quality_lines(b)),
        f"<h2>六、整改事项（未完成 {len(b.items)} 项，其中逾期 {b.count('overdue')} 项；已整改 {b.closed} 项）</h2>",
        f'<div class="items">{pdf.html_table(ITEM_HEADS, rows[:MAX_ITEMS], frozenset({0, 1}))}</div>'
        if rows
        else "<p>没有未完成的整改事项。</p>",
        f'<p class="meta">另有 {len(rows) - MAX_ITEMS} 项，见 Excel 的“整改事项”表。</p>'
        if len(rows) > MAX_ITEMS
        else "",
    ]
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(_title(b))}</title>'
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def build_pdf(b: ApplicationBrief) -> bytes:
    """Return the A4 PDF of the brief."""
    return pdf.write_pdf(brief_html(b))


SUMMARY_COLUMNS = (Column("项目", 24), Column("内容", 90))
MISSED_COLUMNS = (Column("指标", 30), Column("完成值", 16), Column("目标值", 16), Column("完成率", 12))
UNSCORED_COLUMNS = (Column("序号", 6, "int"), Column("成果", 40), Column("原因", 30))
QUALITY_COLUMNS = (Column("诊断", 100),)
ITEM_COLUMNS = (
    Column("编号", 8, "int"),
    Column("年度", 8, "int"),
    Column("问题", 60),
    Column("来源", 14),
    Column("责任科室", 22),
    Column("整改期限", 12),
    Column("状态", 10),
)


def build_xlsx(b: ApplicationBrief) -> bytes:
    """Return the workbook of the brief: 结果应用 (headline and advice), 未达标指标, 无法评分, 指标质量, 整改事项."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, WORKBOOK_OPTIONS)
    formats = cell_formats(wb)
    summary = [("简报", f"{_title(b)} 绩效评价结果应用简报（截至 {b.today.isoformat()}）"), *headline(b)]
    summary += [(f"意见{n}", line) for n, line in enumerate(b.advice, start=1)]
    Sheet(wb, "结果应用", formats).table(SUMMARY_COLUMNS, summary)
    Sheet(wb, "未达标指标", formats).table(MISSED_COLUMNS, _missed_rows(b))
    unscored = [(n, u.name, u.reason) for n, u in enumerate(b.meeting.score.unscored, start=1)]
    Sheet(wb, "无法评分", formats).table(UNSCORED_COLUMNS, unscored)
    Sheet(wb, "指标质量", formats).table(QUALITY_COLUMNS, [(line,) for line in quality_lines(b)])
    Sheet(wb, "整改事项", formats).table(ITEM_COLUMNS, _item_rows(b))
    wb.close()
    return buf.getvalue()


@dataclass(frozen=True)
class BriefFormat:
    key: str
    label: str
    mime: str


FORMATS = {
    f.key: f
    for f in (
        BriefFormat("pdf", "结果应用简报PDF", "application/pdf"),
        BriefFormat(
            "xlsx", "结果应用简报Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
}
BUILDERS = {"pdf": build_pdf, "xlsx": build_xlsx}


def file_name(b: ApplicationBrief, fmt: str) -> str:
    """Return the download name: `雨花街道办事处_2023年_结果应用简报.pdf`."""
    return f"{b.unit}_{b.year}年_结果应用简报.{fmt}"


def render(b: ApplicationBrief, fmt: str) -> bytes:
    """Return the brief in `fmt` (pdf or xlsx); InputError for any other format."""
    if fmt not in BUILDERS:
        raise InputError("--format", f"不支持的简报格式 {fmt}（可选：{'、'.join(BUILDERS)}）")
    return BUILDERS[fmt](b)


def build(
    s: Session,
    unit: str,
    year: int,
    fmt: str,
    today: date,
    project: str | None = None,
    rules: str = "national",
) -> bytes:
    """Return the 结果应用 brief of the stored unit/year in `fmt`, with the items open on `today`."""
    if fmt not in BUILDERS:
        raise InputError("--format", f"不支持的简报格式 {fmt}（可选：{'、'.join(BUILDERS)}）")
    return render(application_brief(s, unit, year, today, project, rules), fmt)
