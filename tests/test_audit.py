"""Unit: jixiao_core.audit (checks, rules, sentences, funds): findings where a report's numbers do not add up."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_core.audit import audit
from jixiao_core.audit.rules import half_unit, rate_tolerance
from jixiao_core.facts import Funds, Indicator, Report

FIXTURES = Path(__file__).parent / "fixtures"
SEED = (FIXTURES / "reports" / "yuhua_2023.txt").read_text(encoding="utf-8")

# Sentences copied verbatim from the seed report (clauses between ；/。); spans are looked up in the fixture.
S_REVENUE = "2023年，一般公共预算收入完成9.67亿元，占任务数8.64亿元的111.92%"
S_FIXED = "规模以上固定资产投资完成17.06亿元，占任务数24亿元的71.07%"
S_GROWTH = "规上工业总产值增速13%，超任务增速4.5个百分点"
S_INVEST = "引进招商引资省外到位资金1.48亿元，占任务数4亿元的37%"
S_SIGNED = "新签约招商引资项目10个，完成率100%"
S_ENTITIES = "加快推进市场主体倍增，净增长经营主体2086户，完成率10500%"
S_FIRMS = "完成企业净增660户，完成率117.44%"
S_CONVERT = "完成个转企66户，完成率134.69%"
S_PSYCH = (
    "成立街道精神卫生综合管理小组，及时排查发现、管理好辖区重精患者，目前辖区重精患者建档人数为54人，"
    "在册在管53人，定期联合相关部门做好重精患者随访工作，及时按相关规定处理肇祸肇事风险人员"
)
S_PETITION = "深化平安建设，2023年信访件接件63件，及时受理率100%，按期答复率100%，满意率90%"
S_ISSUES = "接收区级问题清单47个，化解45个，化解率95.74%"
S_SORTING = (
    "抓好垃圾分类工作，新建2个强制垃圾分类示范小区，其中已完成中铁佳苑小区建设，"
    "正持续推进漫城都荟小区垃圾分类示范建设工作，完成时代俊园垃圾分类投放点建设改造1个"
)
S_DEMOLISH = "做好临违建筑整治拆除工作，拆除临违建筑96宗、7.8万余平方米，拆除颐明园小区违建30宗、2600平方米"
S_INSURANCE = (
    "调解涉及农民工欠薪争议5起，完成争议金额支付780余万元；做好城乡居民医保和养老保险参保、续保、停保、"
    "征缴等工作，完成医保参保缴费率99.53%、养老保险参保缴费率89.84%"
)
S_CLAIM = "预期绩效目标已全部按期完成"
S_FUNDS = "项目资金到位450万元，实际支出450万元，完成全年预算数的100%"

# Made up (DOMAIN §8 pattern 18), not in the seed.
S_BREAKDOWN = "共100万元，其中：中央60万元，省级30万元，市级{city}万元"


def span_of(sentence: str) -> tuple[int, int]:
    start = SEED.index(sentence)
    return start, start + len(sentence)


def ind(name, actual, unit, text, target=None, target_unit=None, rate=None, **kw) -> Indicator:
    dec = {k: None if v is None else Decimal(v) for k, v in (("a", actual), ("t", target), ("r", rate))}
    span = span_of(text) if text in SEED else None
    return Indicator(name, dec["a"], unit, dec["t"], target_unit, rate=dec["r"], text=text, span=span, **kw)


def report(*inds, funds=None, claims=()) -> Report:
    return Report(
        None, indicators=list(inds), funds=funds or Funds(), claims=[(c, span_of(c)) for c in claims]
    )


def summary(findings) -> list[tuple]:
    return [(f.kind, f.severity, f.indicators) for f in findings]


def seed_indicators() -> list[Indicator]:
    """Return the seed's facts the audit cares about, as the parser gives them, in document order."""
    return [
        ind("一般公共预算收入", "9.67", "亿元", S_REVENUE, "8.64", "亿元", "111.92"),  # 0
        ind("规模以上固定资产投资", "17.06", "亿元", S_FIXED, "24", "亿元", "71.07"),  # 1
        ind("规上工业总产值增速", "13", "%", S_GROWTH, "8.5", "%"),  # 2
        ind("招商引资省外到位资金", "1.48", "亿元", S_INVEST, "4", "亿元", "37"),  # 3
        ind("新签约招商引资项目", "10", "个", S_SIGNED, rate="100"),  # 4
        ind("净增长经营主体", "2086", "户", S_ENTITIES, rate="10500"),  # 5
        ind("企业净增", "660", "户", S_FIRMS, rate="117.44"),  # 6
        ind("个转企", "66", "户", S_CONVERT, rate="134.69"),  # 7
        ind("重精患者在册在管", "53", "人", S_PSYCH, "54", "人"),  # 8
        ind("信访件接件", "63", "件", S_PETITION),  # 9
        ind("信访及时受理率", "100", "%", S_PETITION),  # 10
        ind("信访按期答复率", "100", "%", S_PETITION),  # 11
        ind("信访满意率", "90", "%", S_PETITION),  # 12
        ind("区级问题清单化解", "45", "个", S_ISSUES, "47", "个", "95.74"),  # 13
        ind("强制垃圾分类示范小区建成", "1", "个", S_SORTING, "2", "个"),  # 14
        ind("垃圾分类投放点建设改造", "1", "个", S_SORTING),  # 15
        ind("拆除临违建筑宗数", "96", "宗", S_DEMOLISH),  # 16
        ind("拆除临违建筑面积", "7.8", "万平方米", S_DEMOLISH, qualifier="more_than"),  # 17
        ind("拆除小区违建宗数", "30", "宗", S_DEMOLISH, community="颐明园"),  # 18
        ind("拆除小区违建面积", "2600", "平方米", S_DEMOLISH, community="颐明园"),  # 19
        ind("调解农民工欠薪争议", "5", "起", S_INSURANCE),  # 20
        ind("医保参保缴费率", "99.53", "%", S_INSURANCE),  # 21
        ind("养老保险参保缴费率", "89.84", "%", S_INSURANCE),  # 22
    ]


SEED_FUNDS = Funds(
    budget=Decimal(4500000),
    arrived=Decimal(4500000),
    spent=Decimal(4500000),
    stated_execution_rate=Decimal(100),
    text=S_FUNDS,
    span=span_of(S_FUNDS),
)

# DOMAIN §10, the test oracle.
SEED_EXPECTED = [
    ("rate_mismatch", "info", [1]),
    ("target_missed", "warning", [1]),
    ("target_missed", "warning", [3]),
    ("implausible_rate", "warning", [5]),
    ("over_achievement", "info", [7]),
    ("target_missed", "info", [8]),
    ("implausible_rate", "info", [9, 12]),
    ("target_missed", "info", [13]),
    ("target_missed", "warning", [14]),
    ("claim_contradicted", "warning", [1, 3, 8, 13, 14]),
]


def test_every_seed_sentence_is_quoted_verbatim_from_the_fixture():
    sentences = [S_REVENUE, S_FIXED, S_GROWTH, S_INVEST, S_SIGNED, S_ENTITIES, S_FIRMS, S_CONVERT, S_PSYCH]
    sentences += [S_PETITION, S_ISSUES, S_SORTING, S_DEMOLISH, S_INSURANCE, S_CLAIM, S_FUNDS]
    assert [s in SEED for s in sentences] == [True] * 16


@pytest.mark.parametrize(
    "value, half",
    [("71.07", "0.005"), ("24", "0.5"), ("8.4855", "0.00005"), ("17.1", "0.05"), ("1.2E+2", "5")],
)
def test_half_unit_is_half_the_last_printed_digit(value, half):
    assert half_unit(Decimal(value)) == Decimal(half)


@pytest.mark.parametrize(
    "rate, actual, target, exact, scale, expected",
    [
        ("71", "17", "24", False, "1", "2.583333"),
        ("71", "17.06", "24", False, "1", "0.520833"),
        ("71.1", "17.1", "24", False, "1", "0.258333"),
        ("71.07", "17", "24", False, "1", "2.088333"),
        ("71.07", "17.06", "24", False, "1", "0.025833"),
        ("71.071", "17.065", "24", False, "1", "0.002583"),
        ("37", "1.48", "4", False, "1", "0.625000"),
        ("95.74", "45", "47", True, "1", "0.005000"),
        ("71.07", "17.06", "240000", False, "10000", "0.025833"),  # 亿元 over 万元
    ],
)
def test_rate_tolerance_is_half_the_rate_digit_plus_the_actuals_rounding(
    rate, actual, target, exact, scale, expected
):
    tol = rate_tolerance(
        Decimal(rate), Decimal(actual), Decimal(target), exact_actual=exact, scale=Decimal(scale)
    )
    assert tol.quantize(Decimal("0.000001")) == Decimal(expected)


def test_seed_report_gives_exactly_the_domain_findings():
    rep = report(*seed_indicators(), funds=SEED_FUNDS, claims=[S_CLAIM])
    assert summary(audit(rep)) == SEED_EXPECTED


def test_fixed_asset_rate_71_07_is_a_rounding_artefact_reported_as_info():
    (mismatch, missed) = audit(
        report(ind("规模以上固定资产投资", "17.06", "亿元", S_FIXED, "24", "亿元", "71.07"))
    )
    assert (mismatch.kind, mismatch.severity, mismatch.indicators) == ("rate_mismatch", "info", [0])
    assert mismatch.message == (
        "规模以上固定资产投资：按 17.06/24 计算为 71.08%，报告写 71.07%（在四舍五入误差 0.026 个百分点以内）"
    )
    assert (mismatch.text, mismatch.span) == (S_FIXED, span_of(S_FIXED))
    assert (
        missed.message
        == "规模以上固定资产投资：完成 17.06亿元，目标 24亿元，完成 71.08%，差 6.94亿元，未达目标"
    )


def test_fixed_asset_rate_71_17_is_outside_the_tolerance_and_a_warning():
    text = S_FIXED.replace("71.07", "71.17")
    (mismatch, _) = audit(report(ind("规模以上固定资产投资", "17.06", "亿元", text, "24", "亿元", "71.17")))
    assert (mismatch.kind, mismatch.severity) == ("rate_mismatch", "warning")
    assert mismatch.message == (
        "规模以上固定资产投资：按 17.06/24 计算为 71.08%，报告写 71.17%，相差 0.087 个百分点（超出四舍五入误差 0.026 个百分点）"
    )


def test_rate_against_a_target_in_another_unit_uses_the_actuals_own_printed_precision():
    # 170600万元 is printed to the 万, so 71.07 is no rounding artefact of it (17.06亿元 would allow 0.026)
    (mismatch, _) = audit(report(ind("固投", "170600", "万元", "固投", "24", "亿元", "71.07")))
    assert mismatch.message == (
        "固投：按 170600万元/24亿元 计算为 71.08%，报告写 71.07%，相差 0.013 个百分点（超出四舍五入误差 0.005 个百分点）"
    )


def test_rate_of_10500_percent_over_2086_households_is_implausible():
    findings = audit(report(ind("净增长经营主体", "2086", "户", S_ENTITIES, rate="10500")))
    assert summary(findings) == [("implausible_rate", "warning", [0])]
    assert findings[0].message == (
        "净增长经营主体：报告完成率 10500%，超过 1000%，疑为小数点或录入错误；"
        "按 2086户 ÷ 10500% 推算目标为 19.87户，不是整数，没有整数目标能得出该完成率"
    )


def test_rate_of_105_percent_over_2086_households_matches_only_after_rounding():
    findings = audit(
        report(ind("净增长经营主体", "2086", "户", "净增长经营主体2086户，完成率105%", rate="105"))
    )
    assert summary(findings) == [("implausible_rate", "info", [0])]
    assert findings[0].message == (
        "净增长经营主体：按 2086户 ÷ 105% 推算目标为 1986.67户，不是整数；目标取 1987户 时为 104.98%，四舍五入后才与报告一致"
    )


@pytest.mark.parametrize(
    "name, actual, unit, text, target, rate",
    [
        ("一般公共预算收入", "9.67", "亿元", S_REVENUE, "8.64", "111.92"),
        ("招商引资省外到位资金", "1.48", "亿元", S_INVEST, "4", "37"),
        ("区级问题清单化解", "45", "个", S_ISSUES, "47", "95.74"),
        ("企业净增", "660", "户", S_FIRMS, None, "117.44"),  # implied target 562
        ("新签约招商引资项目", "10", "个", S_SIGNED, None, "100"),
        ("个转企", "66", "户", S_CONVERT, None, "134.69"),  # implied target 49
    ],
)
def test_other_seed_rates_check_out(name, actual, unit, text, target, rate):
    findings = audit(report(ind(name, actual, unit, text, target, unit if target else None, rate)))
    assert [f.kind for f in findings if f.kind in ("rate_mismatch", "implausible_rate")] == []


def test_seed_shortfalls_on_money_are_warnings():
    rep = report(
        ind("规模以上固定资产投资", "17.06", "亿元", S_FIXED, "24", "亿元", "71.07"),
        ind("招商引资省外到位资金", "1.48", "亿元", S_INVEST, "4", "亿元", "37"),
    )
    missed = [f for f in audit(rep) if f.kind == "target_missed"]
    assert summary(missed) == [("target_missed", "warning", [0]), ("target_missed", "warning", [1])]
    assert (
        missed[1].message
        == "招商引资省外到位资金：完成 1.48亿元，目标 4亿元，完成 37%，差 2.52亿元，未达目标"
    )


def test_45_of_47_issues_resolved_is_a_near_miss_reported_as_info():
    findings = audit(report(ind("区级问题清单化解", "45", "个", S_ISSUES, "47", "个", "95.74")))
    assert summary(findings) == [("target_missed", "info", [0])]
    assert (
        findings[0].message == "区级问题清单化解：完成 45个，目标 47个，完成 95.74%，差 2个，接近但未达目标"
    )


def test_one_of_two_model_compounds_is_a_warning():
    findings = audit(report(ind("强制垃圾分类示范小区建成", "1", "个", S_SORTING, "2", "个")))
    assert summary(findings) == [("target_missed", "warning", [0])]


def test_individual_to_enterprise_134_69_percent_needs_an_explanation():
    findings = audit(report(ind("个转企", "66", "户", S_CONVERT, rate="134.69")))
    assert summary(findings) == [("over_achievement", "info", [0])]
    assert findings[0].message == "个转企：报告完成率 134.69%，超过 130%，需说明原因"


def test_actual_above_130_percent_of_its_target_needs_an_explanation():
    findings = audit(report(ind("招商项目", "14", "个", "招商项目14个，任务10个", "10", "个")))
    assert findings[0].message == "招商项目：完成 14个，为目标 10个 的 140%，超过 130%，需说明原因"


def test_growth_rate_above_its_target_growth_is_no_over_achievement():
    assert audit(report(ind("规上工业总产值增速", "13", "%", S_GROWTH, "8.5", "%"))) == []


def test_satisfaction_90_percent_of_63_petitions_has_no_whole_numerator():
    rep = report(
        ind("信访件接件", "63", "件", S_PETITION),
        ind("信访及时受理率", "100", "%", S_PETITION),
        ind("信访按期答复率", "100", "%", S_PETITION),
        ind("信访满意率", "90", "%", S_PETITION),
    )
    findings = audit(rep)
    assert summary(findings) == [("implausible_rate", "info", [0, 3])]
    assert findings[0].message == (
        "信访满意率：按 63件 计，90% 为 56.7件，不是整数（56件 → 88.89%，57件 → 90.48%）；分母可能不是 63件，或比率经过四舍五入"
    )


def test_rate_only_facts_after_a_clause_break_have_no_count_base():
    rep = report(
        ind("调解农民工欠薪争议", "5", "起", S_INSURANCE),
        ind("医保参保缴费率", "99.53", "%", S_INSURANCE),
        ind("养老保险参保缴费率", "89.84", "%", S_INSURANCE),
    )
    assert audit(rep) == []


def test_a_rate_of_a_count_with_no_numerator_even_after_rounding_is_a_warning():
    text = "办理投诉7件，满意率50%"  # made up: 3/7 = 42.86%, 4/7 = 57.14%
    rep = report(ind("投诉", "7", "件", text), ind("满意率", "50", "%", text))
    assert summary(audit(rep)) == [("implausible_rate", "warning", [0, 1])]


def test_claim_of_all_targets_met_is_contradicted_by_the_missed_ones():
    rep = report(
        ind("规模以上固定资产投资", "17.06", "亿元", S_FIXED, "24", "亿元", "71.07"),
        ind("区级问题清单化解", "45", "个", S_ISSUES, "47", "个", "95.74"),
        claims=[S_CLAIM],
    )
    claim = audit(rep)[-1]
    assert (claim.kind, claim.severity, claim.indicators) == ("claim_contradicted", "warning", [0, 1])
    assert claim.message == (
        "结论：报告称“预期绩效目标已全部按期完成”，但 2 项指标未达目标："
        "规模以上固定资产投资 17.06/24亿元（71.08%）；区级问题清单化解 45/47个（95.74%）"
    )
    assert (claim.text, claim.span) == (S_CLAIM, span_of(S_CLAIM))


def test_claim_stands_when_only_near_misses_exist():
    rep = report(ind("区级问题清单化解", "45", "个", S_ISSUES, "47", "个", "95.74"), claims=[S_CLAIM])
    assert [f.kind for f in audit(rep)] == ["target_missed"]


def test_negative_indicator_over_its_ceiling_misses_its_target():
    findings = audit(report(ind("运行成本", "100", "万元", "运行成本100万元", "90", "万元", comparator="<=")))
    assert summary(findings) == [("target_missed", "warning", [0])]
    assert findings[0].message == "运行成本：实际 100万元，上限 90万元，超出 10万元，未达目标"


def test_qualitative_indicator_rated_partly_achieved_misses_its_target():
    findings = audit(report(ind("群众满意度", None, None, "部分达成", direction="qualitative")))
    assert summary(findings) == [("target_missed", "warning", [0])]
    assert findings[0].message == "群众满意度：定性指标自评为“部分达成”"


def test_empty_report_and_non_finite_values_give_no_findings():
    broken = ind("坏数", "NaN", "个", "坏数", "Infinity", "个", "NaN")
    funds = Funds(budget=Decimal("NaN"), spent=Decimal(4500000), stated_execution_rate=Decimal("Infinity"))
    assert (audit(report()), audit(report(broken, funds=funds))) == ([], [])


def test_seed_funds_of_450_wan_three_times_are_consistent():
    assert audit(report(funds=SEED_FUNDS)) == []


def test_arrived_500_wan_above_a_450_wan_budget_is_a_fund_inconsistency():
    funds = Funds(
        budget=Decimal(4500000), arrived=Decimal(5000000), spent=Decimal(4500000), text="到位500万元"
    )
    findings = audit(report(funds=funds))
    assert summary(findings) == [("fund_inconsistency", "warning", [])]
    assert findings[0].message == "项目资金：到位资金 500万元 超过全年预算 450万元"


def test_spent_above_arrived_is_a_fund_inconsistency():
    funds = Funds(budget=Decimal(5000000), arrived=Decimal(4000000), spent=Decimal(4500000))
    assert [f.message for f in audit(report(funds=funds))] == [
        "项目资金：实际支出 450万元 超过到位资金 400万元"
    ]


def test_budget_written_in_yuan_instead_of_wan_is_one_slip_and_nothing_else():
    funds = Funds(budget=Decimal(450), arrived=Decimal(4500000), spent=Decimal(4500000))
    findings = audit(report(funds=funds))
    assert summary(findings) == [("fund_inconsistency", "error", [])]
    assert (
        findings[0].message
        == "项目资金：全年预算 450元 与到位资金 450万元 相差约 10⁴ 倍（10000 倍），疑为万元与元混用"
    )


def test_indicator_amount_in_yuan_against_a_target_in_wan_is_a_slip():
    text = "到位资金450元，占预算450万元的100%"  # made up
    findings = audit(report(ind("到位资金", "450", "元", text, "450", "万元", "100")))
    assert summary(findings) == [("fund_inconsistency", "error", [0])]
    assert (
        findings[0].message
        == "到位资金：完成 450元 与目标 450万元 相差约 10⁴ 倍（10000 倍），疑为万元与元混用"
    )


@pytest.mark.parametrize(
    "stated, expected",
    [
        ("83.5", []),
        ("83", [("fund_inconsistency", "info", [])]),  # 83.5 rounds to 84, but 83 is within ±0.5
        ("90", [("fund_inconsistency", "warning", [])]),
    ],
)
def test_stated_execution_rate_is_checked_against_spent_over_budget(stated, expected):
    funds = Funds(budget=Decimal(2000000), spent=Decimal(1670000), stated_execution_rate=Decimal(stated))
    assert summary(audit(report(funds=funds))) == expected


def test_stated_execution_rate_message_names_both_quotients():
    funds = Funds(
        budget=Decimal(2000000),
        arrived=Decimal(1800000),
        spent=Decimal(1670000),
        stated_execution_rate=Decimal(90),
    )
    assert audit(report(funds=funds))[0].message == (
        "项目资金：报告执行率 90%，但按 实际支出/全年预算 计算为 83.5%、按 实际支出/到位资金 计算为 92.78%"
    )


# Funds sentences of the other fixture reports (chengguan_2022_gbk, xinqiao_2024, hexi_2021_utf8bom).
@pytest.mark.parametrize(
    "budget, arrived, spent, execution, arrival, expected",
    [
        ("5200000", "5000000", "4862000", "93.5", "96.15", []),  # 实际支出486.2万元，预算执行率93.5%
        ("8000000", "8000000", "7625000", "95.31", "100", []),  # 实际支出762.5万元，预算执行率95.31%
        ("3600000", "3000000", "2760000", "95", "83.33", [("fund_inconsistency", "warning", [])]),
    ],
)
def test_stated_fund_rates_of_the_fixture_reports(budget, arrived, spent, execution, arrival, expected):
    funds = Funds(
        budget=Decimal(budget),
        arrived=Decimal(arrived),
        spent=Decimal(spent),
        stated_execution_rate=Decimal(execution),
        stated_arrival_rate=Decimal(arrival),
    )
    assert summary(audit(report(funds=funds))) == expected


def breakdown(city: str) -> Report:
    text = S_BREAKDOWN.format(city=city)
    return report(
        ind("资金总额", "100", "万元", text),
        ind("中央资金", "60", "万元", text),
        ind("省级资金", "30", "万元", text),
        ind("市级资金", city, "万元", text),
    )


def test_breakdown_parts_that_add_up_give_no_finding():
    assert audit(breakdown("10")) == []


def test_breakdown_parts_above_the_whole_are_a_sum_mismatch():
    findings = audit(breakdown("15"))
    assert summary(findings) == [("sum_mismatch", "warning", [0, 1, 2, 3])]
    assert findings[0].message == "资金总额：“其中”各项 60+30+15 合计 105万元，超过总数 100万元"


def test_breakdown_parts_below_the_whole_are_info():
    findings = audit(breakdown("5"))
    assert summary(findings) == [("sum_mismatch", "info", [0, 1, 2, 3])]
    assert (
        findings[0].message
        == "资金总额：“其中”各项 60+30+5 合计 95万元，少于总数 100万元（差 5万元，可能未列全）"
    )


def test_a_single_subset_after_qizhong_is_no_breakdown():
    text = "拆除临违建筑96宗，其中颐明园小区违建30宗、2600平方米"  # made up from S_DEMOLISH
    rep = report(
        ind("临违建筑", "96", "宗", text),
        ind("小区违建", "30", "宗", text),
        ind("面积", "2600", "平方米", text),
    )
    assert audit(rep) == []


def test_a_subset_larger_than_its_whole_is_a_sum_mismatch():
    text = "拆除临违建筑96宗，其中颐明园小区违建100宗"  # made up
    rep = report(ind("临违建筑", "96", "宗", text), ind("小区违建", "100", "宗", text))
    assert summary(audit(rep)) == [("sum_mismatch", "warning", [0, 1])]


def test_overlapping_categories_of_people_need_not_add_up():
    text = "街道注册志愿者1580人，其中党员志愿者620人、青年志愿者480人、女性志愿者760人"  # hexi_2021
    rep = report(
        ind("注册志愿者", "1580", "人", text),
        ind("党员志愿者", "620", "人", text),
        ind("青年志愿者", "480", "人", text),
        ind("女性志愿者", "760", "人", text),
    )
    assert audit(rep) == []


def test_activities_of_seven_communities_short_of_their_total_are_info():
    text = (
        "全年7个村（社区）共开展各类志愿服务活动420场次，其中滨河社区86场次、梅岭社区72场次、长青社区55场次、"
        "新村社区68场次、五里社区79场次、胜利村22场次、八一村28场次"
    )  # hexi_2021
    parts = [
        ("滨河", "86"),
        ("梅岭", "72"),
        ("长青", "55"),
        ("新村", "68"),
        ("五里", "79"),
        ("胜利", "22"),
        ("八一", "28"),
    ]
    rep = report(ind("志愿服务活动", "420", "场次", text), *[ind(n, v, "场次", text) for n, v in parts])
    findings = audit(rep)
    assert summary(findings) == [("sum_mismatch", "info", [0, 1, 2, 3, 4, 5, 6, 7])]
    assert findings[0].message == (
        "志愿服务活动：“其中”各项 86+72+55+68+79+22+28 合计 410场次，少于总数 420场次（差 10场次，可能未列全）"
    )


def test_a_figure_in_another_unit_closes_the_list_of_parts():
    text = (
        "项目实际支出276万元，其中：社区工作者补贴148万元、网格化管理经费63万元、城市管理专项经费65万元，"
        "预算执行率95%，结余资金24万元按规定结转下年使用"
    )  # hexi_2021: the 24万元 after 95% is no part
    rep = report(
        ind("实际支出", "276", "万元", text),
        ind("社区工作者补贴", "148", "万元", text),
        ind("网格化管理经费", "63", "万元", text),
        ind("城市管理专项经费", "65", "万元", text),
        ind("结余资金", "24", "万元", text),
    )
    assert audit(rep) == []


def test_seed_sentence_with_qizhong_has_no_breakdown():
    rep = report(
        ind("强制垃圾分类示范小区建成", "1", "个", S_SORTING, "2", "个"),
        ind("垃圾分类投放点建设改造", "1", "个", S_SORTING),
    )
    assert [f.kind for f in audit(rep)] == ["target_missed"]


def clause_of(quote: str) -> tuple[str, tuple[int, int]]:
    """Return the seed clause (between ；/。/newline) around a quote, with its span."""
    k = SEED.index(quote)
    start = max(SEED.rfind(c, 0, k) for c in "；。\n") + 1
    end = min(e for e in (SEED.find(c, k + len(quote)) for c in "；。\n") if e >= 0)
    return SEED[start:end], (start, end)


def test_all_94_hand_checked_seed_indicators_give_exactly_the_domain_findings():
    expected = json.loads((FIXTURES / "expected" / "yuhua_2023.json").read_text(encoding="utf-8"))
    inds = []
    for x in expected["indicators"]:
        text, span = clause_of(x["quote"])
        values = {k: None if x[k] is None else Decimal(str(x[k])) for k in ("actual", "target", "rate")}
        inds.append(
            Indicator(x["name"], values["actual"], x["unit"], values["target"], x["target_unit"], x["comparator"],
                      values["rate"], x["qualifier"], x["community"], x["area_seq"], text, span)
        )  # fmt: skip
    found = audit(report(*inds, funds=SEED_FUNDS, claims=[S_CLAIM]))
    assert summary(found) == [
        ("rate_mismatch", "info", [1]),
        ("target_missed", "warning", [1]),
        ("target_missed", "warning", [3]),
        ("implausible_rate", "warning", [6]),
        ("over_achievement", "info", [8]),
        ("target_missed", "info", [39]),
        ("implausible_rate", "info", [40, 43]),
        ("target_missed", "info", [44]),
        ("target_missed", "warning", [87]),
        ("claim_contradicted", "warning", [1, 3, 39, 44, 87]),
    ]


def test_a_count_with_a_stated_rate_under_100_and_no_target_is_a_miss():
    text = "建设家庭养老床位120张，完成率80%"
    (f,) = audit(report(ind("建设家庭养老床位", "120", "张", text, rate="80")))
    assert (f.kind, f.severity, f.indicators) == ("target_missed", "warning", [0])
    assert (
        f.message == "建设家庭养老床位：完成 120张，报告完成率 80%，低于 100%（推算目标约 150张），未达目标"
    )


@pytest.mark.parametrize(
    "base, rate, flagged",
    [
        ("1385", "99.2", False),  # 1374/1385 = 99.206 prints as 99.2 at its own precision
        ("1385", "99.25", True),  # 1374 → 99.21, 1375 → 99.28: no k gives 99.25
        ("63", "90", True),  # DOMAIN §10: a whole rate is held to 0.01 pp (56 → 88.89, 57 → 90.48)
    ],
)
def test_rate_after_a_count_is_checked_at_its_printed_precision(base, rate, flagged):
    text = f"受理工单{base}件，按时办结率{rate}%"
    found = audit(report(ind("受理工单", base, "件", text), ind("按时办结率", rate, "%", text)))
    assert [(f.kind, f.indicators) for f in found] == ([("implausible_rate", [0, 1])] if flagged else [])
