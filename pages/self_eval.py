"""自评评分: the 自评表 rebuilt from the report, scored under a chosen rule set, with what-if and a quality diagnosis."""

import streamlit as st

import ui
from jixiao_core import labels

f = ui.page("自评评分")
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
card = ui.scorecard(f, rules, edits["weights"], edits["targets"])
ui.score_cards(card, key="self_eval_cards")
if card.edited:
    ui.whatif_warning(ui.scorecard(f, rules), card)

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
    "note",
]
rows = ui.scorecard_rows(f, rules, "rows", edits["weights"], edits["targets"])
ui.table(rows, columns, key="self_eval_rows", headers=labels.SCORE_COLUMN_LABELS)

with st.expander("演算：修改分值或年度指标值（不保存）", key="whatif"):
    edited = ui.whatif_editor(ui.scorecard_rows(f, rules, "rows"), key="whatif_editor")
    if st.button("按修改重新计算", key="whatif_apply"):
        st.session_state["whatif_edits"] = edited
        st.rerun()
    if card.edited and st.button("恢复原值", key="whatif_reset"):
        st.session_state.pop("whatif_edits", None)
        st.rerun()

st.subheader("未评分的成果")
unscored = ui.scorecard_rows(f, rules, "unscored", edits["weights"], edits["targets"])
ui.table(
    unscored,
    ["name", "reason"],
    key="self_eval_unscored",
    headers=labels.SCORE_COLUMN_LABELS,
    empty="所有成果都有年度指标值。",
)

st.subheader("指标质量诊断")
ui.quality_cards(card, key="self_eval_quality")
if card.diagnosis.attribution:
    attribution = ui.scorecard_rows(f, rules, "attribution", edits["weights"], edits["targets"])
    ui.table(attribution, ["name", "reason"], key="self_eval_attribution", headers={"reason": "理由"})
