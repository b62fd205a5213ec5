"""绩效看板 router: page config, who is signed in, the shared sidebar filters, one st.navigation list (built per
role), then the chosen page, run as the person signed in."""

import streamlit as st

import ui
from jixiao_core.errors import DatabaseUnavailable, InputError

st.set_page_config(page_title="绩效看板", page_icon=":material/monitoring:", layout="wide")
try:
    person = ui.signed_in()  # once accounts exist: nobody signed in sees the way to sign in, and nothing else
except DatabaseUnavailable as e:  # away: a notice that clears itself when the database answers again
    ui.database_away(e)
    st.stop()
except InputError as e:  # the database cannot be initialised: say so, never a traceback
    st.error(str(e))
    st.stop()

PAGES = [
    # the default page is served at the root URL; Streamlit ignores a url_path given to it
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/funds.py", title="资金", url_path="funds", icon=":material/payments:"),
    st.Page("pages/indicators.py", title="指标", url_path="indicators", icon=":material/checklist:"),
    st.Page("pages/communities.py", title="社区", url_path="communities", icon=":material/holiday_village:"),
    st.Page("pages/goals.py", title="目标对照", url_path="goals", icon=":material/flag:"),
    st.Page("pages/compare.py", title="对比", url_path="compare", icon=":material/compare_arrows:"),
    st.Page("pages/district.py", title="区县总览", url_path="district", icon=":material/leaderboard:"),
    st.Page("pages/self_eval.py", title="自评评分", url_path="self-eval", icon=":material/grading:"),
    st.Page("pages/meeting.py", title="汇报模式", url_path="meeting", icon=":material/co_present:"),
    st.Page("pages/checks.py", title="数据核查", url_path="checks", icon=":material/fact_check:"),
    st.Page("pages/rectify.py", title="整改跟踪", url_path="rectify", icon=":material/assignment_turned_in:"),
    st.Page(
        "pages/application.py", title="结果应用", url_path="application", icon=":material/account_balance:"
    ),
]
IMPORTING = [  # shown to those who may import
    st.Page("pages/data_admin.py", title="数据管理", url_path="data-admin", icon=":material/upload_file:"),
]
MANAGING = [  # shown to admins, and while no account exists to whoever runs it on their own machine
    st.Page("pages/accounts.py", title="账号管理", url_path="accounts", icon=":material/manage_accounts:"),
    st.Page("pages/audit_log.py", title="操作日志", url_path="audit-log", icon=":material/history:"),
]

menu = PAGES + (IMPORTING if person.may("import") else []) + (MANAGING if ui.manages(person) else [])
page = st.navigation(menu, position="top")
with ui.acting(person):
    try:
        f = ui.sidebar_filters()
        ui.generated_banner(f)
        page.run()
    except (
        DatabaseUnavailable
    ) as e:  # away, or gone mid-page: a notice that clears itself when it answers again
        ui.database_away(e)
    except InputError as e:  # a unit outside the person's units, or anything else a page did not handle
        st.error(str(e))
