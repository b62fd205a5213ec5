"""指标: completion of the indicators with targets, the output volumes without, and each figure's source."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.filters()
ui.page_title("指标", f)
ui.require_data(f)

rows = ui.indicator_rows(ui.load_indicators(f.unit, f.year, f.areas, f.communities, f.version))
with_target = rows[rows["target"].notna()]
volumes = rows[rows["target"].isna()]
st.caption(f"共 {len(rows)} 条指标：有目标 {len(with_target)} 条，无目标的产出数量 {len(volumes)} 条。")

st.subheader("有目标的指标：完成率（复算）对照 100%")
if with_target.empty:
    st.info("所选范围内没有给出目标值的指标。")
else:
    ui.plot(charts.completion_bullets(with_target), key="ind_bullets")
    columns = ["area", "name", "value", "target_value", "rate", "completion", "status"]
    ui.table(with_target, columns, key="ind_targets")

st.subheader("无目标的产出数量")
if volumes.empty:
    st.info("所选范围内没有无目标的指标。")
else:
    ui.table(volumes, ["area", "name", "value", "rate"], key="ind_volumes")

st.subheader("指标出处")
choice = st.selectbox(
    "选择指标查看原文",
    list(rows.index),
    index=None,
    key="ind_pick",
    placeholder="选择一条指标",
    format_func=lambda i: f"{rows.at[i, 'area']}｜{rows.at[i, 'name']}：{rows.at[i, 'value']}",
)
if choice is not None:
    picked = rows.loc[choice]
    ui.source_quote(picked["text"], picked["actual_printed"])
    found = ui.load_indicator_findings(int(picked["id"]), f.version)
    if found.empty:
        st.caption("这条指标没有核查发现。")
    else:
        ui.table(
            found, ["severity", "kind", "message"], key="ind_findings", values={"kind": labels.FINDING_LABELS}
        )
