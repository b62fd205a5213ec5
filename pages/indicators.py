"""指标: completion of the indicators with targets, the output volumes without, and each figure's source."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.page("指标")
ui.show_flash()
rows, targeted, volumes = (
    ui.indicators(f),
    ui.indicators(f, has_target=True),
    ui.indicators(f, has_target=False),
)
st.caption(f"共 {len(rows)} 条指标：有目标 {len(targeted)} 条，无目标的产出数量 {len(volumes)} 条。")

st.subheader("有目标的指标：完成率（复算）对照 100%")
if targeted.empty:
    st.info("所选范围内没有给出目标值的指标。")
else:
    ui.chart(charts.completion_bullets, targeted, key="ind_bullets")
    ui.table(
        targeted, ["area", "name", "value", "target_value", "rate", "completion", "status"], key="ind_targets"
    )

st.subheader("无目标的产出数量")
ui.table(volumes, ["area", "name", "value", "rate"], key="ind_volumes", empty="所选范围内没有无目标的指标。")

st.subheader("指标出处")
choices = ui.indicator_choices(f)
choice = st.selectbox(
    "选择指标查看原文",
    list(choices),
    index=None,
    key="ind_pick",
    placeholder="选择一条指标",
    format_func=choices.get,
)
if choice is not None:
    picked = rows.frame.loc[choice]
    ui.source_quote(picked["text"], picked["actual_printed"])
    found = ui.indicator_findings(f, int(picked["id"]))
    columns = ["severity", "kind", "message"]
    if found.empty:
        st.caption("这条指标没有核查发现。")
    else:
        ui.table(found, columns, key="ind_findings", values={"kind": labels.FINDING_LABELS})
    history = ui.corrections(f, int(picked["id"]))
    if not history.empty:
        st.caption("更正记录")
        with st.container(key="ind_history"):
            st.dataframe(history, hide_index=True)
    if ui.can_edit(f.unit) and not picked["is_generated"]:
        with st.expander("更正此指标（经办人；保存后留有更正记录）", key="ind_edit"):
            ui.correction_form(picked, key="ind_correction")
