"""数据管理: import a report or 自评表 in one transaction, many at once in a batch, and the import history."""

import streamlit as st

import ui
from jixiao_core import labels
from jixiao_core.errors import InputError, printable

ui.page_title("数据管理", ui.filters())
ui.show_flash()

st.subheader("导入报告或自评表")
uploaded = st.file_uploader(
    "绩效评价报告（.txt / .docx / .pdf）或自评表（.xlsx），不超过 20 MB",
    type=["txt", "docx", "pdf", "xlsx"],
    max_upload_size=20,
    key="admin_upload",
)
replace = st.checkbox("替换现有版本（同一单位、项目、年度；旧版本保留在历史中）", key="admin_replace")
if st.button("导入", type="primary", disabled=uploaded is None, key="admin_import"):
    try:
        result = ui.import_upload(uploaded, replace)
    except InputError as e:
        st.error(str(e))
    else:
        message = f"{printable(uploaded.name)}：{labels.STORE_STATUS_LABELS[result.status]}"
        if result.status == "duplicate":
            st.info(message)
        else:
            ui.flash(
                "success",
                f"{message}（第 {result.revision} 版），指标 {result.indicators} 条，核查发现 {result.findings} 条",
            )

st.subheader("批量导入")
ui.batch_import("admin_batch")

runs = ui.batch_runs(ui.version())
if not runs.empty:
    st.caption("最近的批量导入（含命令行）")
    columns = list(labels.BATCH_RUN_LABELS)
    ui.table(
        runs,
        columns,
        key="admin_batches",
        headers=labels.BATCH_RUN_LABELS,
        values={"status": labels.BATCH_STATUS_LABELS},
    )

st.subheader("导入历史")
columns = ["imported_at", "kind", "file_name", "summary", "imported_by", "is_generated"]
history = ui.import_history(ui.version())
ui.table(
    history, columns, key="admin_history", values={"kind": labels.BATCH_KIND_LABELS}, empty=labels.EMPTY_DATA
)
