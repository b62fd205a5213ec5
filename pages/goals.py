"""目标对照: each staged goal (一是…) of the report against the results of the work area it maps to."""

import streamlit as st

import ui
from jixiao_core import labels

f = ui.page("目标对照")
goals = ui.goals(f).frame
columns = ["name", "value", "target_value", "completion", "status"]
results = ui.shown_by(
    ui.indicators(f), "area_key", tuple(k for k in goals["area_key"] if k is not None), columns
)
st.caption(f"报告列出 {len(goals)} 项阶段性目标；每项目标对照其所属工作领域的完成情况。")
if goals.empty:
    st.info("所选范围内没有阶段性目标（报告未列出“一是……”，或所选领域没有对应目标）。")

for goal in goals.itertuples(index=False):
    with st.container(border=True):
        st.markdown(f"**{labels.goal_label(goal.goal_seq)}**　{labels.md_escape(goal.goal)}")
        if goal.area_key is None:
            st.caption("这项目标没有对应的工作领域（缺失）。")
            continue
        st.caption(
            f"对应领域：{labels.area_label(goal.area_key, goal.area_title)} · 指标 {goal.indicators} 条，"
            f"有目标 {goal.with_target} 条，达标 {goal.met} 条，未达标 {goal.missed} 条"
        )
        if results[goal.area_key].empty:
            st.caption("该领域没有量化结果（缺失）。")
        else:
            ui.table(results[goal.area_key], key=f"goal_{goal.goal_seq}")
