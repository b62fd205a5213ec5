"""Unit: jixiao_core.charts — the figures' traces, values and labels for known frames."""

import numpy as np
import pandas as pd

from jixiao_core import charts


def _funds(budget, arrived, spent):
    return pd.DataFrame([{"budget": budget, "arrived": arrived, "spent": spent, "execution_rate": 100.0}])


def test_waterfall_steps_from_budget_through_arrived_to_spent_in_wan_yuan():
    (trace,) = charts.funds_waterfall(_funds(2000000.0, 1800000.0, 1670000.0)).data
    assert list(trace.x) == ["全年预算", "未到位", "到位资金", "未支出", "已支出"]
    assert list(trace.measure) == ["absolute", "relative", "total", "relative", "total"]
    assert list(trace.y) == [200.0, -20.0, 0.0, -13.0, 0.0]
    assert list(trace.text) == ["200.00万元", "-20.00万元", "180.00万元", "-13.00万元", "167.00万元"]


def test_waterfall_with_everything_spent_shows_zero_steps_without_a_minus_sign():
    (trace,) = charts.funds_waterfall(_funds(4500000.0, 4500000.0, 4500000.0)).data
    assert list(trace.text) == ["450.00万元", "0.00万元", "450.00万元", "0.00万元", "450.00万元"]


def test_waterfall_without_arrived_goes_from_budget_to_spent():
    (trace,) = charts.funds_waterfall(_funds(2000000.0, np.nan, 1500000.0)).data
    assert (list(trace.x), list(trace.y)) == (["全年预算", "未支出", "已支出"], [200.0, -50.0, 0.0])


def _indicators():
    return pd.DataFrame(
        {
            "area_seq": [1, 1, 2, 2],
            "area_key": ["economy", "economy", "public_safety", "public_safety"],
            "area_title": ["抓经济", "抓经济", "保平安", "保平安"],
            "name": ["投资", "收入", "化解", "活动"],
            "completion": [71.083333, 111.921296, 95.744681, np.nan],
            "status": ["missed", "met", "missed", "no_target"],
        }
    )


def test_bullets_show_indicators_with_targets_sorted_within_area_against_100():
    fig = charts.completion_bullets(_indicators())
    (bars,) = fig.data
    assert list(bars.y) == ["经济指标｜收入", "经济指标｜投资", "社会环境/平安｜化解"]
    assert list(bars.x) == [111.92, 71.08, 95.74]
    assert list(bars.text) == ["111.92%", "71.08%", "95.74%"]
    assert list(bars.marker.color) == ["#2e7d32", "#c62828", "#c62828"]
    assert [(s.x0, s.x1, s.fillcolor) for s in fig.layout.shapes[:3]] == [
        (0, 60, "#f4cccc"),
        (60, 100, "#fff2cc"),
        (100, 150.0, "#d9ead3"),
    ]
    assert (fig.layout.shapes[3].x0, fig.layout.shapes[3].x1) == (100, 100)
    assert fig.layout.xaxis.range == (0, 150.0)


def test_bullet_axis_stretches_to_the_largest_completion_up_to_300_and_clips_beyond():
    df = _indicators().assign(completion=[10500.0, 152.94, np.nan, np.nan])
    (bars,) = charts.completion_bullets(df).data
    assert (list(bars.x), list(bars.text)) == ([300.0, 152.94], ["10,500.00%", "152.94%"])


def test_area_achievement_stacks_met_missed_and_untargeted_counts_per_area():
    by_area = pd.DataFrame(
        {
            "area_key": ["economy", "party_building"],
            "area_title": ["抓经济", "抓党建"],
            "indicators": [9, 7],
            "with_target": [4, 0],
            "met": [2, 0],
            "missed": [2, 0],
        }
    )
    fig = charts.area_achievement(by_area)
    assert [t.name for t in fig.data] == ["达标", "未达标", "无目标"]
    assert [list(t.x) for t in fig.data] == [[2, 0], [2, 0], [5, 7]]
    assert list(fig.data[0].y) == ["经济指标", "党建"]
    assert list(fig.data[0].customdata) == ["economy", "party_building"]
    assert fig.layout.barmode == "stack"


def test_progress_lines_colour_each_month_by_its_traffic_light():
    monthly = pd.DataFrame(
        {
            "month": [3, 7, 10],
            "execution_progress": [25.0, 40.0, 45.0],
            "time_progress": [25.0, 58.333333, 83.333333],
            "warning_value": [100.0, 68.571429, 54.0],
            "light": ["green", "yellow", "red"],
        }
    )
    time, execution = charts.progress_lines(monthly).data
    assert (list(time.x), list(time.y)) == (["3月", "7月", "10月"], [25.0, 58.33, 83.33])
    assert list(execution.y) == [25.0, 40.0, 45.0]
    assert list(execution.marker.color) == ["#2e7d32", "#f9a825", "#c62828"]
    assert list(execution.customdata) == [100.0, 68.57, 54.0]


def test_funds_trend_draws_amounts_per_year_and_the_execution_rate_on_a_second_axis():
    by_year = pd.DataFrame(
        {
            "year": [2022, 2023],
            "budget": [1.5e6, 2e6],
            "arrived": [1.5e6, 1.8e6],
            "spent": [1.5e6, 1.67e6],
            "execution_rate": [100.0, 83.5],
        }
    )
    fig = charts.funds_trend(by_year)
    assert [t.name for t in fig.data] == ["全年预算", "到位资金", "支出", "执行率"]
    assert [list(t.y) for t in fig.data] == [[150.0, 200.0], [150.0, 180.0], [150.0, 167.0], [100.0, 83.5]]
    assert list(fig.data[0].x) == ["2022年", "2023年"]
    assert fig.data[3].yaxis == "y2"


def test_unit_bars_compare_budget_spent_and_rate_per_unit():
    by_unit = pd.DataFrame(
        {
            "unit_name": ["甲街道", "乙街道"],
            "budget": [2e6, 1e6],
            "spent": [1.67e6, 8e5],
            "execution_rate": [83.5, 80.0],
        }
    )
    fig = charts.unit_bars(by_unit)
    assert [(t.name, list(t.y)) for t in fig.data] == [
        ("全年预算", [200.0, 100.0]),
        ("支出", [167.0, 80.0]),
        ("执行率", [83.5, 80.0]),
    ]


def test_community_bars_give_one_trace_per_community():
    values = pd.DataFrame(
        {
            "name": ["活动", "活动"],
            "unit": ["场", "场"],
            "community": ["东社区", "西社区"],
            "actual": [15.0, 12.0],
        }
    )
    fig = charts.community_bars(values)
    assert [(t.name, list(t.x), list(t.y)) for t in fig.data] == [
        ("东社区", ["活动（场）"], [15.0]),
        ("西社区", ["活动（场）"], [12.0]),
    ]


def test_plotly_config_passes_the_zh_cn_locale_inline():
    assert charts.PLOTLY_CONFIG["locale"] == "zh-CN"
    assert charts.PLOTLY_CONFIG["locales"]["zh-CN"]["dictionary"]["Zoom in"] == "放大"
    assert charts.ZH_CN["format"]["months"][0] == "一月"
    assert charts.funds_waterfall(_funds(1.0, 1.0, 1.0)).layout.font.family == charts.FONT
