"""Unit: jixiao_core.labels — number formatters, figure text with 约/余, Markdown escaping and highlighting."""

import math

import pytest

from jixiao_core import labels


@pytest.mark.parametrize(
    "yuan, text",
    [
        (4500000, "450.00万元"),
        (45000000, "4,500.00万元"),
        (12345, "1.23万元"),
        (125, "0.01万元"),
        (None, "缺失"),
    ],
)
def test_fmt_wan_gives_two_decimals_in_wan_yuan(yuan, text):
    assert labels.fmt_wan(yuan) == text


def test_fmt_wan_rounds_half_up_not_to_even():
    assert labels.fmt_wan(125) == "0.01万元"
    assert labels.fmt_wan(25) == "0.00万元"
    assert labels.fmt_pct(2.675) == "2.68%"


@pytest.mark.parametrize("yuan, text", [(967000000, "9.67亿元"), (1706000000, "17.06亿元")])
def test_fmt_yi_gives_two_decimals_in_yi_yuan(yuan, text):
    assert labels.fmt_yi(yuan) == text


@pytest.mark.parametrize(
    "yuan, text",
    [(4500000, "450.00万元"), (99999999, "10,000.00万元"), (100000000, "1.00亿元"), (float("nan"), "缺失")],
)
def test_fmt_amount_switches_to_yi_yuan_from_one_yi(yuan, text):
    assert labels.fmt_amount(yuan) == text


@pytest.mark.parametrize(
    "pct, text", [(100, "100.00%"), (71.0833, "71.08%"), (10500, "10,500.00%"), (None, "缺失")]
)
def test_fmt_pct_gives_two_decimals_and_a_percent_sign(pct, text):
    assert labels.fmt_pct(pct) == text


@pytest.mark.parametrize(
    "printed, unit, qualifier, comparator, text",
    [
        ("60", "亩", "approx", None, "约60亩"),
        ("8000", "人", "more_than", None, "8000余人"),
        ("780", "万元", "more_than", None, "780余万元"),
        ("7.8", "万平方米", "more_than", None, "7.8万余平方米"),
        ("42", "小时", None, ">=", "≥42小时"),
        ("9.67", "亿元", None, None, "9.67亿元"),
        ("93", None, None, None, "93"),
        (None, "个", None, None, "缺失"),
    ],
)
def test_fmt_value_writes_the_figure_as_the_report_did(printed, unit, qualifier, comparator, text):
    assert labels.fmt_value(printed, unit, qualifier, comparator) == text


def test_area_label_uses_the_short_name_and_falls_back_to_the_title():
    assert labels.area_label("public_safety", "营造和谐稳定的社会环境") == "社会环境/平安"
    assert labels.area_label(None, "提升社会建设工作水平") == "提升社会建设工作水平"
    assert labels.area_label(None, math.nan) == "缺失"


def test_md_escape_neutralises_markdown_and_html():
    assert labels.md_escape("<img onerror=x>*粗*") == r"\<img onerror\=x\>\*粗\*"
    assert labels.md_escape("$1$ [a](b)") == r"\$1\$ \[a\]\(b\)"


def test_highlight_markdown_marks_the_first_occurrence_and_escapes_the_rest():
    text = "完成9.67亿元，占任务数8.64亿元的111.92%"
    assert labels.highlight_markdown(text, "9.67") == (
        r"完成:orange-background[**9\.67**]亿元，占任务数8\.64亿元的111\.92%"
    )
    assert labels.highlight_markdown("无数字", None) == "无数字"


@pytest.mark.parametrize(
    "text, printed, needle",
    [
        ("一般公共预算收入完成9.67亿元，占任务数8.64亿元的111.92%", "9.67", "9.67"),
        ("受益群众达8000余人", "8000", "8000余"),
        ("完成市监察委员会留置场所扩建项目约60亩用地拆迁补偿协议签订", "60", "约60"),
        ("签订率93%", "9", None),
        ("一支40人的专（兼）职应急救援队伍", "1", None),
    ],
)
def test_figure_needle_finds_the_whole_number_with_its_qualifier(text, printed, needle):
    assert labels.figure_needle(text, printed) == needle


def test_verdict_line_names_the_missed_indicators():
    assert (
        labels.verdict_line(7, 5, ["固投", "省外到位资金"])
        == "有目标的 7 项指标中 5 项未达标：固投、省外到位资金。"
    )
    assert labels.verdict_line(3, 0, []) == "有目标的 3 项指标全部达标。"
    assert labels.verdict_line(0, 0, []) == "报告中没有可对照目标的指标，无法判断目标是否全部完成。"


def test_goal_label_gives_the_chinese_ordinal():
    assert [labels.goal_label(n) for n in (1, 8, 11)] == ["一是", "八是", "第11项"]
