"""社区: the communities, the facts attributed to each, area-wide actions that covered them, a comparison."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.filters()
ui.page_title("社区", f)
ui.require_data(f)

communities = ui.Rows(ui.load_communities, (f.unit, f.year, f.version), (("name", f.communities),))
kinds = ui.load_community_kinds(f.unit, f.version)
listed = ui.shown(
    communities, ["name", "kind", "facts"], values={"kind": {None: labels.MISSING}}, headers={"name": "社区"}
)
st.metric(
    "社区",
    f"{listed.data.num_rows} 个社区",
    help="、".join(
        f"{k or labels.MISSING} {n} 个" for k, n in zip(kinds.kind, kinds.communities, strict=True)
    ),
)
ui.table(listed, key="comm_list")

st.subheader("归属到社区的指标")
facts = ui.Rows(ui.load_community_facts, (f.unit, f.year, f.version), (("community", f.communities),))
facts_shown = ui.shown(facts, ["community", "area", "name", "value", "text"])
if facts_shown.empty:
    st.info("所选社区在本年度报告中没有单独归属的指标（缺失）。")
else:
    ui.table(facts_shown, key="comm_facts")

st.subheader("覆盖全部社区的工作")
actions = ui.shown(
    ui.Rows(ui.load_area_wide_actions, (f.unit, f.year, f.version)), ["area", "name", "value", "text"]
)
if actions.empty:
    st.info("报告中没有写明覆盖全部社区的工作。")
else:
    ui.table(actions, key="comm_actions")

st.subheader("社区之间的比较")
values = ui.Rows(ui.load_community_values, (f.unit, f.year, f.version))
if ui.frame(values).empty:
    st.info("报告没有为两个及以上社区给出同一指标的数值，社区之间无法比较（数据缺失）。")
else:
    ui.plot(ui.figure(charts.community_bars, values), key="comm_compare")
