"""绩效看板 router: page config, the shared sidebar filters, one st.navigation list, then the chosen page."""

import streamlit as st

import ui
from jixiao_core.errors import DatabaseUnavailable, InputError

st.set_page_config(page_title="绩效看板", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    # the default page is served at the root URL; Streamlit ignores a url_path given to it
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/funds.py", title="资金", url_path="funds", icon=":material/payments:"),
    st.Page("pages/indicators.py", title="指标", url_path="indicators", icon=":material/checklist:"),
    st.Page("pages/communities.py", title="社区", url_path="communities", icon=":material/holiday_village:"),
    st.Page("pages/goals.py", title="目标对照", url_path="goals", icon=":material/flag:"),
    st.Page("pages/compare.py", title="对比", url_path="compare", icon=":material/compare_arrows:"),
    st.Page("pages/self_eval.py", title="自评评分", url_path="self-eval", icon=":material/grading:"),
    st.Page("pages/meeting.py", title="汇报模式", url_path="meeting", icon=":material/co_present:"),
    st.Page("pages/checks.py", title="数据核查", url_path="checks", icon=":material/fact_check:"),
    st.Page("pages/data_admin.py", title="数据管理", url_path="data-admin", icon=":material/upload_file:"),
]

page = st.navigation(PAGES, position="top")
try:
    f = ui.sidebar_filters()
    ui.generated_banner(f)
    page.run()
except DatabaseUnavailable as e:  # away, or gone mid-page: a notice that clears itself when it answers again
    ui.database_away(e)
except InputError as e:  # anything else a page did not handle: one Chinese line, never a traceback
    st.error(str(e))
