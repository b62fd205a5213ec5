"""数据核查: the audit findings by severity, each with the sentence it cites."""

import streamlit as st

import ui
from jixiao_core import labels

f = ui.page("数据核查")
ui.show_flash()
counts, findings = ui.finding_counts(f), ui.findings(f)
cards = [
    (labels.SEVERITY_LABELS.get(s, s), f"{n} 条")
    for s, n in zip(counts.column("severity"), counts.column("findings"), strict=True)
]
ui.metric_grid([("核查发现", f"{len(findings)} 条"), *cards], key="chk_counts")
if findings.empty:
    st.success("没有核查发现：报告中的数字相互一致。")

editable, made = ui.can_edit_items(f), ui.finding_items(f.whole())
for severity in labels.SEVERITY_ORDER:
    part = ui.findings(f, severity=severity).frame
    if part.empty:
        continue
    st.subheader(f"{labels.SEVERITY_LABELS[severity]}（{len(part)} 条）")
    for fid, kind, message, text in zip(part["id"], part["kind"], part["message"], part["text"], strict=True):
        with st.container(border=True):
            st.markdown(f"**{labels.FINDING_LABELS.get(kind, kind)}**　{labels.md_escape(message)}")
            if text:
                ui.quotes([text])
            if editable:  # one action: the finding becomes a 整改 item
                ui.finding_button(int(fid), made.get((kind, message)), key=f"chk_item_{fid}")
