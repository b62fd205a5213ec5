"""社区: the communities, the facts attributed to each, area-wide actions that covered them, a comparison."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.filters()
ui.page_title("社区", f)
ui.require_data(f)

communities = ui.load_communities(f.unit, f.year, f.version)
if f.communities:
    communities = communities[communities["name"].isin(f.communities)]
kinds = ui.load_community_kinds(f.unit, f.version)
st.metric(
    "社区",
    f"{len(communities)} 个社区",
    help="、".join(
        f"{k or labels.MISSING} {n} 个" for k, n in zip(kinds.kind, kinds.communities, strict=True)
    ),
)
ui.table(
    communities,
    ["name", "kind", "facts"],
    key="comm_list",
    values={"kind": {None: labels.MISSING}},
    headers={"name": "社区"},
)

st.subheader("归属到社区的指标")
facts = ui.indicator_rows(ui.load_community_facts(f.unit, f.year, f.version))
if f.communities:
    facts = facts[facts["community"].isin(f.communities)]
if facts.empty:
    st.info("所选社区在本年度报告中没有单独归属的指标（缺失）。")
else:
    ui.table(facts, ["community", "area", "name", "value", "text"], key="comm_facts")

st.subheader("覆盖全部社区的工作")
actions = ui.indicator_rows(ui.load_area_wide_actions(f.unit, f.year, f.version))
if actions.empty:
    st.info("报告中没有写明覆盖全部社区的工作。")
else:
    ui.table(actions, ["area", "name", "value", "text"], key="comm_actions")

st.subheader("社区之间的比较")
values = ui.load_community_values(f.unit, f.year, f.version)
if values.empty:
    st.info("报告没有为两个及以上社区给出同一指标的数值，社区之间无法比较（数据缺失）。")
else:
    ui.plot(charts.community_bars(values), key="comm_compare")
