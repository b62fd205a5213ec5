"""资金: the 预算 → 到位 → 支出 flow, both 执行率, the time-progress monitor and the trend across years."""

import streamlit as st

import ui
from jixiao_core import charts

f = ui.page("资金")
funds, monthly, history = ui.funds(f), ui.monthly(f), ui.funds_history(f)
fund = funds.first()
ui.funds_cards(fund, key="funds_cards", initial=True)

st.subheader("资金流向")
if funds.empty or fund["budget"] is None:
    st.info("本年度报告没有给出预算数，无法绘制资金流向。")
else:
    ui.chart(charts.funds_waterfall, funds, key="funds_waterfall")

st.subheader("执行进度与时间进度")
if monthly.empty:
    st.info("本年度没有月度支出数据，无法对照时间进度（预警值 =（执行数 ÷ 预算数）÷（月份 ÷ 12）× 100）。")
else:
    ui.chart(charts.progress_lines, monthly, key="funds_progress")
    columns = ["month", "spent_to_date", "execution_progress", "time_progress", "warning_value", "light"]
    ui.table(monthly, columns, key="funds_progress_table")
    st.caption("预警值低于 60 为红灯，60–80 为黄灯，80 及以上为绿灯。")

st.subheader("历年趋势")
if len(history) < 2:
    st.info("只有一个年度的资金数据；导入其他年度的报告后显示趋势。")
else:
    ui.chart(charts.funds_trend, history, key="funds_trend")
    columns = [
        "year",
        "budget",
        "arrived",
        "spent",
        "arrival_rate",
        "execution_rate",
        "execution_rate_arrived",
    ]
    ui.table(history, columns, key="funds_history")
