"""区县总览: every unit of a year ranked by score, 执行率, share of targets met or warnings; the spread; open a unit."""

import streamlit as st

import ui
from jixiao_core import labels

ui.follow_drill()
st.title("区县总览")
d = ui.district_filters()
if d is None:
    st.info(labels.EMPTY_DATA)
    st.stop()
ranking = ui.district(d)
measure = labels.MEASURE_LABELS[d.by]
st.caption(
    f"{d.year}年 · {len(ranking)} 个单位 · 按{measure}排名；得分按全国通用规则（财预〔2020〕10号）由看板重新计算，"
    "不是各单位的自评分"
)
if ranking.empty:
    st.info("所选类型在该年度没有单位的数据。")
    st.stop()
if any(ranking.column("is_generated")):
    st.warning("排名中含有演示数据（生成的示例单位），不能用于汇报或决策。", icon=":material/science:")
ui.metric_grid(ui.district_cards(ranking), key="district_cards")

st.subheader("分布")
st.caption("每个点是一个单位，虚线为中位数；点击一个点打开该单位的总览。")
ui.plot(
    ui.district_figure(ranking, d.by),
    key="district_spread",
    on_select=ui.open_from_chart("district_spread", d.year),
    selection_mode="points",
)

st.subheader("排名")
st.selectbox(
    "打开单位总览",
    ranking.column("unit_name"),
    index=None,
    key="district_open",
    placeholder="选择单位（按当前排名顺序）",
    on_change=ui.open_from_list("district_open", d.year),
)
columns = ["rank", "unit_name", "kind", "score", "grade", "execution_rate", "with_target", "met", "met_share"]
ui.table(ranking, [*columns, "warnings", "budget", "spent", "is_generated"], key="district_table")
