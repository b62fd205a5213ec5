"""社区: the communities, the facts attributed to each, area-wide actions that covered them, a comparison."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.page("社区")
listed = ui.shown(
    ui.communities(f),
    ["name", "kind", "facts"],
    values={"kind": {None: labels.MISSING}},
    headers={"name": "社区"},
)
kinds = ui.community_kinds(f)
counts = "、".join(
    f"{k or labels.MISSING} {n} 个" for k, n in zip(kinds.kind, kinds.communities, strict=True)
)
st.metric("社区", f"{listed.rows} 个社区", help=counts)
ui.table(listed, key="comm_list")

st.subheader("归属到社区的指标")
columns = ["community", "area", "name", "value", "text"]
missing = "所选社区在本年度报告中没有单独归属的指标（缺失）。"
ui.table(ui.community_facts(f), columns, key="comm_facts", empty=missing)

st.subheader("覆盖全部社区的工作")
actions = ui.area_wide_actions(f)
ui.table(
    actions, ["area", "name", "value", "text"], key="comm_actions", empty="报告中没有写明覆盖全部社区的工作。"
)

st.subheader("社区之间的比较")
values = ui.community_values(f)
if values.empty:
    st.info("报告没有为两个及以上社区给出同一指标的数值，社区之间无法比较（数据缺失）。")
else:
    ui.chart(charts.community_bars, values, key="comm_compare")
