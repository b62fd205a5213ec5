"""总览: headline figures, the report's verdict beside the figures, achievement by work area with a drill."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.page("总览")
whole = f.whole()  # headline figures are the whole unit-year's, whatever the area filter
summary = ui.summary(whole)
score = ui.score(whole)
missed = ui.indicators(whole, status="missed")

ui.funds_cards(ui.funds(whole).first(), key="ov_funds")
ui.metric_grid(
    [
        ("指标数", labels.fmt_count(summary["indicators"])),
        ("有目标", labels.fmt_count(summary["with_target"])),
        ("达标", labels.fmt_count(summary["met"])),
        ("未达标", labels.fmt_count(summary["missed"])),
        ("核查发现", labels.fmt_count(len(ui.findings(whole)))),
        (
            "得分（等级）",
            labels.MISSING if score is None else f"{score.total:.2f}（{score.grade}）",
            "按全国通用规则（财预〔2020〕10号）由看板重新计算，不是报告的自评分",
        ),
    ],
    key="ov_results",
)

st.subheader("报告结论与数字对照")
claims, said = st.columns(2)
with claims:
    st.markdown("**报告自述**")
    ui.quotes(ui.conclusion(whole))
with said:
    st.markdown("**数字显示**")
    verdict = labels.verdict_line(summary["with_target"], summary["missed"], missed.column("name"))
    st.markdown(labels.md_escape(verdict))

st.subheader("各工作领域完成情况")
by_area = ui.achievement(whole)
ui.chart(
    charts.area_achievement,
    by_area,
    key="ov_area_chart",
    on_select=ui.chart_pick("ov_area_chart", "ov_drill"),
)
titles = dict(zip(by_area.column("area_key"), by_area.column("area_title"), strict=True))
area = st.selectbox(
    "查看领域明细",
    list(titles),
    index=None,
    key="ov_drill",
    placeholder="点击图中条形或在此选择领域",
    format_func=lambda k: labels.area_label(k, titles[k]),
)
if area:
    columns = ["name", "value", "target_value", "completion", "status"]
    ui.table(ui.indicators(f.area(area)), columns, key="ov_drill_table")
    st.button(
        "在指标页查看该领域", on_click=ui.drill_to, args=("pages/indicators.py", area), key="ov_drill_go"
    )
