"""资金: the 预算 → 到位 → 支出 flow, both 执行率, the time-progress monitor and the trend across years."""

import streamlit as st

import ui
from jixiao_core import charts, labels

f = ui.filters()
ui.page_title("资金", f)
ui.require_data(f)

funds = ui.Rows(ui.load_funds, (f.unit, f.year, f.version))
fund = ui.one_row(ui.frame(funds))
ui.metric_grid(
    [
        ("全年预算", labels.fmt_amount(fund["budget"])),
        ("年初预算", labels.fmt_amount(fund["budget_initial"]), "报告未区分年初与调整预算时显示为缺失"),
        ("到位资金", labels.fmt_amount(fund["arrived"])),
        ("支出", labels.fmt_amount(fund["spent"])),
        ("到位率", labels.fmt_pct(fund["arrival_rate"]), "到位资金 ÷ 全年预算"),
        ("执行率", labels.fmt_pct(fund["execution_rate"]), "支出 ÷ 全年预算（财预〔2020〕10号 自评表口径）"),
        (
            "执行率（到位口径）",
            labels.fmt_pct(fund["execution_rate_arrived"]),
            "支出 ÷ 到位资金（评价指标体系口径）",
        ),
    ],
    key="funds_cards",
)

st.subheader("资金流向")
if ui.frame(funds).empty or fund["budget"] is None:
    st.info("本年度报告没有给出预算数，无法绘制资金流向。")
else:
    ui.plot(ui.figure(charts.funds_waterfall, funds), key="funds_waterfall")

st.subheader("执行进度与时间进度")
monthly = ui.Rows(ui.load_monthly, (f.unit, f.year, f.version))
if ui.frame(monthly).empty:
    st.info("本年度没有月度支出数据，无法对照时间进度（预警值 =（执行数 ÷ 预算数）÷（月份 ÷ 12）× 100）。")
else:
    ui.plot(ui.figure(charts.progress_lines, monthly), key="funds_progress")
    columns = ["month", "spent_to_date", "execution_progress", "time_progress", "warning_value", "light"]
    ui.table(ui.shown(monthly, columns), key="funds_progress_table")
    st.caption("预警值低于 60 为红灯，60–80 为黄灯，80 及以上为绿灯。")

st.subheader("历年趋势")
span = f.years if len(f.years) > 1 else ()
history = ui.Rows(ui.load_funds_history, (f.unit, f.version), (("year", span),))
if len(ui.frame(history)) < 2:
    st.info("只有一个年度的资金数据；导入其他年度的报告后显示趋势。")
else:
    ui.plot(ui.figure(charts.funds_trend, history), key="funds_trend")
    columns = [
        "year",
        "budget",
        "arrived",
        "spent",
        "arrival_rate",
        "execution_rate",
        "execution_rate_arrived",
    ]
    ui.table(ui.shown(history, columns), key="funds_history")
