"""总览: headline figures, the report's verdict beside the figures, achievement by work area with a drill."""

import streamlit as st

import ui
from jixiao_core import charts, labels

ui.follow_drill()
f = ui.filters()
ui.page_title("总览", f)
ui.require_data(f)

fund = ui.one_row(ui.load_funds(f.unit, f.year, f.version))
summary = ui.load_summary(f.unit, f.year, f.version).iloc[0]
findings = ui.load_findings(f.unit, f.year, f.version)
score = ui.load_score(f.unit, f.year, "national", f.version)

ui.metric_grid(
    [
        ("全年预算", labels.fmt_amount(fund["budget"])),
        ("到位资金", labels.fmt_amount(fund["arrived"])),
        ("支出", labels.fmt_amount(fund["spent"])),
        ("到位率", labels.fmt_pct(fund["arrival_rate"]), "到位资金 ÷ 全年预算"),
        ("执行率", labels.fmt_pct(fund["execution_rate"]), "支出 ÷ 全年预算（自评表口径）"),
        ("执行率（到位口径）", labels.fmt_pct(fund["execution_rate_arrived"]), "支出 ÷ 到位资金"),
    ],
    key="ov_funds",
)
ui.metric_grid(
    [
        ("指标数", labels.fmt_count(summary["indicators"])),
        ("有目标", labels.fmt_count(summary["with_target"])),
        ("达标", labels.fmt_count(summary["met"])),
        ("未达标", labels.fmt_count(summary["missed"])),
        ("核查发现", labels.fmt_count(len(findings))),
        (
            "得分（等级）",
            labels.MISSING if score is None else f"{score['total']:.2f}（{score['grade']}）",
            "按全国通用规则（财预〔2020〕10号）由看板重新计算，不是报告的自评分",
        ),
    ],
    key="ov_results",
)

st.subheader("报告结论与数字对照")
claims, said = st.columns(2)
with claims:
    st.markdown("**报告自述**")
    for text in ui.load_conclusion(f.unit, f.year, f.version)["text"]:
        st.markdown("> " + labels.md_escape(text))
with said:
    st.markdown("**数字显示**")
    missed = ui.frame(
        ui.Rows(ui.load_indicators, (f.unit, f.year, (), (), f.version), (("status", ("missed",)),))
    )
    st.markdown(
        labels.md_escape(labels.verdict_line(summary["with_target"], summary["missed"], list(missed["name"])))
    )

st.subheader("各工作领域完成情况")
by_area = ui.Rows(ui.load_achievement, (f.unit, f.year, f.version))
areas = ui.frame(by_area)
ui.plot(
    ui.figure(charts.area_achievement, by_area),
    key="ov_area_chart",
    on_select=ui.chart_pick("ov_area_chart", "ov_drill"),
)
titles = dict(zip(areas["area_key"], areas["area_title"], strict=True))
area = st.selectbox(
    "查看领域明细",
    list(titles),
    index=None,
    key="ov_drill",
    placeholder="点击图中条形或在此选择领域",
    format_func=lambda k: labels.area_label(k, titles[k]),
)
if area:
    detail = ui.Rows(ui.load_indicator_rows, (f.unit, f.year, (area,), (), f.version))
    ui.table(
        ui.shown(detail, ["name", "value", "target_value", "completion", "status"]), key="ov_drill_table"
    )
    st.button(
        "在指标页查看该领域", on_click=ui.drill_to, args=("pages/indicators.py", area), key="ov_drill_go"
    )
