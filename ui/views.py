"""Presentation pieces a page shows whole: the score and quality cards of 自评评分, a meeting slide, the export
buttons. Each takes what the core returned and only renders it."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import labels, queries
from jixiao_core.accounts import actor
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import exports
from jixiao_core.meeting.slides import SlideSpec
from ui.auth import browser_token
from ui.cache import engine
from ui.data import slide_figure
from ui.render import metric_grid, plot
from ui.selection import Filters


def projector_mode() -> None:
    """Hide the sidebar and set projector-size type (literal CSS only, never data)."""
    st.html(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']{display:none}"
        "[data-testid='stMarkdownContainer'] li,[data-testid='stMarkdownContainer'] p{font-size:1.4rem}"
        "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'] p{font-size:1.3rem}"
        "[data-testid='stMetricValue'] [data-testid='stMarkdownContainer'] p{font-size:2.3rem;font-weight:600}"
        "[data-testid='stMetricDelta'] [data-testid='stMarkdownContainer'] p{font-size:1.1rem}</style>"
    )


def score_cards(card: queries.Scorecard, key: str) -> None:
    """Render total, grade, execution score and row counts of a scorecard, then its notes."""
    result = card.result
    metric_grid(
        [
            ("总分", f"{result.total:.2f}", "按所选规则重新计算；报告本身未给出自评分"),
            ("等级", result.grade),
            (
                f"执行率得分（满分 {result.execution.weight:.0f}）",
                f"{result.execution.score:.2f}",
                result.execution.formula,
            ),
            ("评分指标", f"{len(card.rows)} 项"),
            ("未评分", f"{len(card.unscored)} 项", "无年度指标值或单位不可比的成果"),
        ],
        key=key,
    )
    for note in result.notes:
        st.caption(note)


def whatif_warning(base: queries.Scorecard, card: queries.Scorecard) -> None:
    a, b = base.result, card.result
    st.warning(
        f"演算中：原总分 {a.total:.2f}（{a.grade}），现为 {b.total:.2f}（{b.grade}）。演算结果不保存。"
    )


def quality_cards(card: queries.Scorecard, key: str) -> None:
    """Render the indicator-quality diagnosis: shares with targets, units, time bounds; doubtful attribution."""
    d = card.diagnosis
    metric_grid(
        [
            ("有年度指标值", f"{d.with_target}/{d.total}（{d.share(d.with_target)}%）"),
            ("有计量单位", f"{d.with_unit}/{d.total}（{d.share(d.with_unit)}%）"),
            ("有时间约束", f"{d.with_time_bound}/{d.total}（{d.share(d.with_time_bound)}%）"),
            ("归因存疑", f"{len(d.attribution)} 项", "衡量全街道经济统计而非本项目的指标"),
        ],
        key=key,
    )
    for remark in d.remarks:
        st.markdown(f"- {labels.md_escape(remark)}")


def slide(spec: SlideSpec, number: int, f: Filters, rules: str) -> None:
    """Render one meeting slide (0-based `number`): title, KPI cards, charts and lists side by side."""
    if spec.key == "title":
        st.space("large")
        st.title(labels.md_escape(spec.title), anchor=False)
        st.header(labels.md_escape(spec.subtitle), anchor=False)
        return
    st.title(labels.md_escape(spec.title), anchor=False)
    if spec.subtitle:
        st.caption(labels.md_escape(spec.subtitle))
    if spec.kpis:
        with st.grid("auto", min_column_width=260, border=True, key=f"kpis_{spec.key}"):
            for k in spec.kpis:
                st.metric(k.label, k.value, delta=k.note or None, delta_color="off", delta_arrow="off")
    parts = [*spec.charts, *spec.lists]
    for n, (col, part) in enumerate(zip(st.columns(len(parts)) if parts else [], parts, strict=True)):
        with col:
            if hasattr(part, "kind"):  # the charts come first, so n is the chart's index
                fig = slide_figure(f, rules, number, n)
                plot(fig, key=f"chart_{spec.key}_{part.title}", theme=None)  # keep large type
            else:
                st.subheader(labels.md_escape(part.heading), anchor=False)
                st.markdown("\n".join(f"- {labels.md_escape(i)}" for i in part.items))


def export_buttons(b: briefing.Brief) -> None:
    """Render one download button per export format; each file is built only when clicked, and logged."""
    token = browser_token()  # the click is served outside this run: carry the person's credential to it
    for col, fmt in zip(st.columns(len(exports.FORMATS)), exports.FORMATS.values(), strict=True):
        col.download_button(
            f"下载{fmt.label}",
            data=lambda key=fmt.key: exported(b, key, token),
            file_name=exports.file_name(b, fmt.key),
            mime=fmt.mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"download_{fmt.key}",
            width="stretch",
        )


def exported(b: briefing.Brief, fmt: str, token: str | None) -> bytes:
    """Return one export of a brief, built and recorded in the log as the person whose session `token` names."""
    with actor.signed_in(token), Session(engine()) as s, s.begin():
        return exports.deliver(s, b, fmt)
