"""结果应用: what the evaluation of the unit-year means for next year's budget — execution, score and grade, missed
targets, results that cannot be scored, the indicator-quality diagnosis and the 整改 items still open."""

import streamlit as st

import ui
from jixiao_core import labels

f = ui.page("结果应用")
brief = ui.application(f.whole())
if brief is None:
    st.info("该单位该年度没有可用的报告（或有多个项目），无法生成结果应用简报。")
    st.stop()
ui.metric_grid(ui.application_cards(brief), key="app_cards")

st.subheader("对下年度预算的意见")
st.markdown("\n".join(f"- {labels.md_escape(line)}" for line in brief.advice))

st.subheader("未达标指标")
columns = ["name", "value", "target_value", "rate"]
ui.table(ui.application_rows(f, "missed"), columns, key="app_missed", empty="有目标的指标均已达标。")

st.subheader(f"无法评分的成果（{len(brief.meeting.score.unscored)} 项）")
st.caption(
    "没有年度指标值（或单位不可比）的成果只能作为产出记录，不能计分；下年度申报预算时应补设年度指标值。"
)
ui.table(
    ui.application_rows(f, "unscored"),
    ["name", "reason"],
    key="app_unscored",
    empty="无。",
    headers={"reason": "原因"},
)

st.subheader("指标质量诊断")
st.markdown("\n".join(f"- {labels.md_escape(line)}" for line in ui.quality_lines(brief)))

st.subheader(f"未完成的整改事项（{len(brief.items)} 项，其中逾期 {brief.count('overdue')} 项）")
columns = ["id", "year", "problem", "source", "body", "deadline", "status"]
names = {
    "values": {"source": labels.ITEM_SOURCE_LABELS, "status": labels.ITEM_STATUS_LABELS},
    "headers": labels.ITEM_COLUMN_LABELS,
}
ui.table(ui.application_rows(f, "items"), columns, key="app_items", empty="没有未完成的整改事项。", **names)

ui.brief_downloads(brief)
