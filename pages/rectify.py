"""整改跟踪: open, overdue and closed 整改 items by 责任科室 and by source, the follow-ups next year's report proposes,
and each item's timeline; clerks and admins edit, viewers read. Filters live in the URL."""

import streamlit as st

import ui
from jixiao_core import labels

ITEM_COLUMNS = ["id", "year", "source", "problem", "body", "deadline", "status", "proposals"]
COUNT_COLUMNS = ["key", "open", "overdue", "closed", "total"]
HEADERS = {"headers": labels.ITEM_COLUMN_LABELS}
NAMES = {"values": {"source": labels.ITEM_SOURCE_LABELS, "status": labels.ITEM_STATUS_LABELS}, **HEADERS}
SOURCES = {"values": {"key": labels.ITEM_SOURCE_LABELS}, **HEADERS}
EVIDENCE = {"values": {"kind": labels.EVIDENCE_KIND_LABELS}, **HEADERS}
TIMELINE = ["at", "actor", "action", "field", "old_value", "new_value"]
EVIDENCE_COLUMNS = ["kind", "note", "file_name", "indicator_label", "added_by", "added_at"]

f = ui.page("整改跟踪")
ui.show_flash()
editable = ui.can_edit_items(f)
ui.metric_grid(ui.item_cards(f), key="rect_cards")
by_body, by_source = st.columns(2)
with by_body:
    st.subheader("按责任科室")
    ui.table(ui.item_counts(f, "body"), COUNT_COLUMNS, key="rect_by_body", empty="暂无整改事项。", **HEADERS)
with by_source:
    st.subheader("按来源")
    ui.table(
        ui.item_counts(f, "source"), COUNT_COLUMNS, key="rect_by_source", empty="暂无整改事项。", **SOURCES
    )

st.subheader("整改事项")
rows = ui.items(f, ui.item_filters(f))
ui.table(rows, ITEM_COLUMNS, key="rect_items", empty="没有符合筛选条件的整改事项。", **NAMES)

st.subheader("下年度跟踪（待确认）")
waiting = ui.proposals(f)
if waiting.empty:
    st.caption("没有待确认的跟踪建议：导入下一年度报告后，系统会比对问题是否再次出现或已经整改。")
ui.proposal_cards(f, waiting.frame, editable)

st.subheader("事项详情与时间线")
choices = ui.item_choices(rows)
picked = st.selectbox(
    "选择整改事项",
    list(choices),
    index=None,
    key="rect_item",
    format_func=choices.get,
    placeholder="选择一项查看时间线",
    bind="query-params",
)
if picked is not None:
    item = ui.item(rows, picked)
    st.markdown(f"**问题**　{labels.md_escape(item['problem'])}")
    if item["source_text"]:
        ui.quotes([item["source_text"]])
    ui.table(ui.history(f, picked), TIMELINE, key="rect_timeline", **HEADERS)
    proof = ui.evidence(f, picked)
    ui.table(proof, EVIDENCE_COLUMNS, key="rect_evidence", empty="尚无整改佐证。", **EVIDENCE)
    ui.evidence_downloads(proof.frame, key="rect_file")
    if editable:
        with st.expander("编辑整改事项（保存后记入时间线）", key="rect_edit_box"):
            ui.item_form(f, item, key="rect_edit")
        with st.expander("添加整改佐证", key="rect_evidence_box"):
            ui.evidence_form(f, picked, key="rect_add_evidence")

if editable:
    with st.expander("新增整改事项", key="rect_new_box"):
        ui.new_item_form(f, key="rect_new")
