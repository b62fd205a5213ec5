"""自评评分: the 自评表 rebuilt from the report, scored under a chosen rule set, with what-if and a quality diagnosis."""

import streamlit as st

import ui
from jixiao_core import labels

f = ui.filters()
ui.page_title("自评评分", f)
ui.require_data(f)

rules = st.segmented_control(
    "评分规则",
    list(labels.RULE_LABELS),
    format_func=labels.RULE_LABELS.get,
    default="national",
    key="rules",
    bind="query-params",
    persist_state="session",
    required=True,
)
if rules == "custom":
    rules = ui.custom_rules_form(key="custom_rules")
edits = st.session_state.get("whatif_edits", {"weights": (), "targets": ()})
card = ui.load_scorecard(f.unit, f.year, rules, edits["weights"], edits["targets"], f.version)
rows, unscored, attribution = (
    ui.Rows(
        ui.load_scorecard_part, (f.unit, f.year, rules, edits["weights"], edits["targets"], part, f.version)
    )
    for part in ("rows", "unscored", "attribution")
)

ui.metric_grid(
    [
        ("总分", f"{card.result.total:.2f}", "按所选规则重新计算；报告本身未给出自评分"),
        ("等级", card.result.grade),
        (
            f"执行率得分（满分 {card.result.execution.weight:.0f}）",
            f"{card.result.execution.score:.2f}",
            card.result.execution.formula,
        ),
        ("评分指标", f"{len(card.rows)} 项"),
        ("未评分", f"{len(card.unscored)} 项", "无年度指标值或单位不可比的成果"),
    ],
    key="self_eval_cards",
)
for note in card.result.notes:
    st.caption(note)
if card.edited:
    base = ui.load_scorecard(f.unit, f.year, rules, (), (), f.version)
    st.warning(
        f"演算中：原总分 {base.result.total:.2f}（{base.result.grade}），现为 {card.result.total:.2f}（{card.result.grade}）。演算结果不保存。"
    )

st.subheader("重建的自评表")
columns = [
    "level1",
    "level2",
    "level3",
    "direction",
    "target_text",
    "actual_text",
    "weight",
    "score",
    "formula",
]
ui.table(ui.shown(rows, [*columns, "note"], headers=labels.SCORE_COLUMN_LABELS), key="self_eval_rows")

with st.expander("演算：修改分值或年度指标值（不保存）", key="whatif"):
    base_rows = ui.Rows(ui.load_scorecard_part, (f.unit, f.year, rules, (), (), "rows", f.version))
    edited = ui.whatif_editor(base_rows, key="whatif_editor")
    if st.button("按修改重新计算", key="whatif_apply"):
        st.session_state["whatif_edits"] = edited
        st.rerun()
    if card.edited and st.button("恢复原值", key="whatif_reset"):
        st.session_state.pop("whatif_edits", None)
        st.rerun()

st.subheader("未评分的成果")
unscored_shown = ui.shown(unscored, ["name", "reason"], headers=labels.SCORE_COLUMN_LABELS)
if unscored_shown.empty:
    st.info("所有成果都有年度指标值。")
else:
    ui.table(unscored_shown, key="self_eval_unscored")

st.subheader("指标质量诊断")
d = card.diagnosis
ui.metric_grid(
    [
        ("有年度指标值", f"{d.with_target}/{d.total}（{d.share(d.with_target)}%）"),
        ("有计量单位", f"{d.with_unit}/{d.total}（{d.share(d.with_unit)}%）"),
        ("有时间约束", f"{d.with_time_bound}/{d.total}（{d.share(d.with_time_bound)}%）"),
        ("归因存疑", f"{len(d.attribution)} 项", "衡量全街道经济统计而非本项目的指标"),
    ],
    key="self_eval_quality",
)
for remark in d.remarks:
    st.markdown(f"- {labels.md_escape(remark)}")
if d.attribution:
    ui.table(
        ui.shown(attribution, ["name", "reason"], headers={"reason": "理由"}), key="self_eval_attribution"
    )
