"""操作日志: who did what (imports, corrections, exports, sign-ins, account changes), filtered by person, action, days."""

import streamlit as st

import ui

st.title("操作日志")
ui.require_manager()
st.caption("只能追加的记录：导入、替换、更正、导出、登录（含失败）与账号变更。时间为服务器本地时间。")
person, action, since, until = ui.log_filters(key="log")
ui.log_table(person, action, since, until, key="log_table")
