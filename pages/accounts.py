"""账号管理: every account, a new one (the first must be an admin), and changes to one: password, state, units, role."""

import streamlit as st

import ui

st.title("账号管理")
ui.require_manager()
ui.show_flash()
ui.show_new_password()

st.subheader("账号")
accounts = ui.accounts_table(key="acc_table")

st.subheader("新建账号")
ui.add_account_form(key="acc_add")

st.subheader("修改账号")
ui.account_editor(accounts, key="acc_edit")
st.caption("停用账号或重设密码后，该账号已登录的会话在下一次操作时结束；所有修改都记入操作日志。")
