"""对比: year over year for the selected unit, and unit against unit in the selected year."""

import streamlit as st

import ui
from jixiao_core import charts

f = ui.page("对比")
CHART_UNITS = 30  # more bars than this are unreadable: the district view ranks them instead

st.subheader("同比（与上一年度对照）")
yoy = ui.year_over_year(f)
if yoy.empty:
    st.info("没有相邻两个年度都有的同名指标；导入本单位其他年度的报告后显示同比。")
else:
    st.caption(f"按指标名称和工作领域匹配到 {len(yoy)} 条同比指标。")
    columns = ["year", "area", "name", "unit", "previous_actual", "actual", "change", "change_pct"]
    ui.table(yoy, columns, key="cmp_yoy")

st.subheader("单位之间的比较")
units = ui.unit_comparison(f)
if len(units) < 2:
    st.info(f"{f.year}年只有一个单位的数据；导入其他单位的报告后显示单位之间的比较。")
else:
    if any(units.column("is_generated")):
        st.warning(
            "比较中含有演示数据（生成的示例单位），不能与真实单位相提并论。", icon=":material/science:"
        )
    if len(units) <= CHART_UNITS:
        ui.chart(charts.unit_bars, units, key="cmp_units_chart")
    else:
        st.caption(f"{f.year}年共 {len(units)} 个单位，条形图从略；排名与分布见“区县总览”。")
    columns = ["unit_name", "budget", "spent", "execution_rate", "indicators", "with_target", "met", "missed"]
    ui.table(units, [*columns, "is_generated"], key="cmp_units")
    shared = ui.shared_indicators(f)
    st.caption(f"两个及以上单位都报告的同名指标 {len(shared)} 项（各单位的最低、平均与最高完成值）。")
    columns = ["area", "name", "unit", "units", "min_actual", "mean_actual", "max_actual"]
    ui.table(shared, columns, key="cmp_shared")
