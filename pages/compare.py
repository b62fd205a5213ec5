"""对比: year over year for the selected unit, and unit against unit in the selected year."""

import streamlit as st

import ui
from jixiao_core import charts

f = ui.filters()
ui.page_title("对比", f)
ui.require_data(f)

st.subheader("同比（与上一年度对照）")
span = f.years if len(f.years) > 1 else ()
yoy = ui.Rows(ui.load_year_over_year, (f.unit, f.version), (("year", span), ("area_key", f.areas)))
columns = ["year", "area", "name", "unit", "previous_actual", "actual", "change", "change_pct"]
yoy_shown = ui.shown(yoy, columns)
if yoy_shown.empty:
    st.info("没有相邻两个年度都有的同名指标；导入本单位其他年度的报告后显示同比。")
else:
    st.caption(f"按指标名称和工作领域匹配到 {yoy_shown.data.num_rows} 条同比指标。")
    ui.table(yoy_shown, key="cmp_yoy")

st.subheader("单位之间的比较")
units = ui.Rows(ui.load_unit_comparison, (f.year, f.version))
if len(ui.frame(units)) < 2:
    st.info(f"{f.year}年只有一个单位的数据；导入其他单位的报告后显示单位之间的比较。")
else:
    if ui.frame(units)["is_generated"].any():
        st.warning(
            "比较中含有演示数据（生成的示例单位），不能与真实单位相提并论。", icon=":material/science:"
        )
    ui.plot(ui.figure(charts.unit_bars, units), key="cmp_units_chart")
    columns = ["unit_name", "budget", "spent", "execution_rate", "indicators", "with_target", "met", "missed"]
    ui.table(ui.shown(units, columns + ["is_generated"]), key="cmp_units")
    shared = ui.Rows(ui.load_shared_indicators, (f.year, f.version), (("area_key", f.areas),))
    st.caption(f"两个及以上单位都报告的同名指标 {ui.frame(shared)['name'].nunique()} 项。")
    ui.table(ui.shown(shared, ["area", "name", "unit", "unit_name", "actual"]), key="cmp_shared")
