"""指标: completion of the indicators with targets, the output volumes without, and each figure's source."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.filters()
ui.page_title("指标", f)
ui.show_flash()
ui.require_data(f)

rows = ui.load_indicator_rows(f.unit, f.year, f.areas, f.communities, f.version)
with_target = ui.Rows(ui.load_indicator_split, (f.unit, f.year, f.areas, f.communities, True, f.version))
volumes = ui.Rows(ui.load_indicator_split, (f.unit, f.year, f.areas, f.communities, False, f.version))
targets_shown = ui.shown(
    with_target, ["area", "name", "value", "target_value", "rate", "completion", "status"]
)
volumes_shown = ui.shown(volumes, ["area", "name", "value", "rate"])
n_target, n_volume = targets_shown.data.num_rows, volumes_shown.data.num_rows
st.caption(f"共 {len(rows)} 条指标：有目标 {n_target} 条，无目标的产出数量 {n_volume} 条。")

st.subheader("有目标的指标：完成率（复算）对照 100%")
if targets_shown.empty:
    st.info("所选范围内没有给出目标值的指标。")
else:
    ui.plot(ui.figure(charts.completion_bullets, with_target), key="ind_bullets")
    ui.table(targets_shown, key="ind_targets")

st.subheader("无目标的产出数量")
if volumes_shown.empty:
    st.info("所选范围内没有无目标的指标。")
else:
    ui.table(volumes_shown, key="ind_volumes")

st.subheader("指标出处")
choices = ui.load_indicator_choices(f.unit, f.year, f.areas, f.communities, f.version)
choice = st.selectbox(
    "选择指标查看原文",
    list(choices),
    index=None,
    key="ind_pick",
    placeholder="选择一条指标",
    format_func=choices.get,
)
if choice is not None:
    picked = rows.loc[choice]
    ui.source_quote(picked["text"], picked["actual_printed"])
    found = ui.Rows(ui.load_indicator_findings, (int(picked["id"]), f.version))
    if ui.frame(found).empty:
        st.caption("这条指标没有核查发现。")
    else:
        ui.table(
            ui.shown(found, ["severity", "kind", "message"], values={"kind": labels.FINDING_LABELS}),
            key="ind_findings",
        )
    history = ui.load_corrections(int(picked["id"]), f.version)
    if not history.empty:
        st.caption("更正记录")
        with st.container(key="ind_history"):
            st.dataframe(history, hide_index=True)
    if ui.can_edit() and not picked["is_generated"]:
        with st.expander("更正此指标（经办人；保存后留有更正记录）", key="ind_edit"):
            ui.correction_form(picked, key="ind_correction")
