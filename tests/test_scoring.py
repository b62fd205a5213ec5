"""Tests for jixiao_core.scoring, jixiao_core.rebuild and jixiao_core.rules: the 自评表 scoring engine, the tables it
scores and its rule sets."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao_core.errors import InputError
from jixiao_core.facts import Funds, Indicator, Report
from jixiao_core.scoring.rebuild import table_from_report, what_if
from jixiao_core.scoring.rules import RULE_SETS, custom_rule_name, custom_rules, rule_set
from jixiao_core.scoring.score import apportion, grade, score, score_json
from jixiao_core.selfeval import SelfEvalTable, TableRow, read_workbook

WORKBOOKS = Path(__file__).parent / "fixtures" / "workbooks"
NATIONAL = RULE_SETS["national"]


def row(target=None, actual=None, weight="10", *, level1="产出指标", direction="positive", **kw) -> TableRow:
    """Return a table row; numbers given as strings become Decimal."""
    return TableRow(
        level1=level1,
        level2=kw.pop("level2", "数量指标"),
        level3=kw.pop("level3", "指标"),
        target_text=kw.pop("target_text", "" if target is None else str(target)),
        target=None if target is None else D(target),
        actual=None if actual is None else D(actual),
        actual_text=kw.pop("actual_text", "" if actual is None else str(actual)),
        weight=None if weight is None else D(weight),
        direction=direction,
        **kw,
    )


def table(*rows: TableRow, budget="2000000", spent="2000000") -> SelfEvalTable:
    return SelfEvalTable(rows=list(rows), budget=D(budget), spent=D(spent))


def one(r: TableRow, rules=NATIONAL):
    return score(table(r), rules).rows[0]


# DOMAIN.md §5.1 worked examples
def test_met_target_scores_full_weight():
    s = one(row("8.64", "9.67", target_unit="亿元", actual_unit="亿元"))
    assert (s.score, s.formula) == (D("10.00"), "9.67 ≥ 8.64 → 10.00")


def test_short_target_scores_weight_times_ratio_rounded_half_up():
    s = one(row("24", "17.06"))
    assert (s.score, s.formula, s.note) == (D("7.11"), "10 × 17.06 / 24 = 7.11", "未达指标值，完成率71.08%")


def test_reverse_indicator_over_target_scores_target_over_actual():
    s = one(row("90", "100", target_unit="万元", actual_unit="万元", comparator="<=", direction="negative"))
    assert (s.score, s.formula) == (D("9.00"), "10 × 90 / 100 = 9.00")


def test_reverse_indicator_under_the_linear_variant_scores_8_89():
    rules = custom_rules(reverse_mode="linear")
    s = one(row("90", "100", direction="negative"), rules)
    assert (s.score, s.formula) == (D("8.89"), "10 × (1 − (100 − 90) / 90) = 8.89")


def test_reverse_linear_variant_gives_zero_at_twice_the_target():
    s = one(row("90", "180", direction="negative"), custom_rules(reverse_mode="linear"))
    assert (s.score, s.formula) == (D("0.00"), "180 ≥ 2 × 90 → 0.00")


def test_partly_achieved_row_without_a_stated_score_gets_sixty_percent():
    s = one(
        row(target_text="达成预期指标", actual_text="部分达成", direction="qualitative", outcome="部分达成")
    )
    assert (s.score, s.formula, s.note) == (D("6.00"), "10 × 60% = 6.00", "部分达成，未填得分，按60%计分")


def test_stated_score_outside_its_band_is_noted_and_brought_into_the_band():
    r = row(target_text="达成预期指标", direction="qualitative", outcome="部分达成", stated_score=D(9))
    s = one(r)
    assert (s.score, s.note) == (D("8.00"), "自评得分9.00超出部分达成区间6.00–8.00，按8.00计")


def test_stated_score_inside_its_band_is_used():
    r = row(target_text="达成预期指标", direction="qualitative", outcome="未达成", stated_score=D("5.5"))
    assert (one(r).score, one(r).note) == (D("5.50"), "未达成，自评得分在0.00–6.00区间内")


@pytest.mark.parametrize(
    "rules, expected, formula",
    [
        ("national", D("8.35"), "10 × 167万元 / 200万元 = 8.35"),
        ("hubei", D("16.70"), "20 × 167万元 / 200万元 = 16.70"),
        ("jiangxi", D("7.00"), "执行率 83.50% ≥ 80% → 7"),
    ],
)
def test_execution_of_167_out_of_200_wan(rules, expected, formula):
    ex = score(table(budget="2000000", spent="1670000"), RULE_SETS[rules]).execution
    assert (ex.rate, ex.score, ex.formula) == (D("83.50"), expected, formula)


@pytest.mark.parametrize(
    "spent, expected",
    [
        ("3000000", "10.00"),
        ("2999999", "7.00"),
        ("2400000", "7.00"),
        ("1800000", "5.00"),
        ("1799999", "0.00"),
    ],
)
def test_jiangxi_execution_steps_at_100_80_and_60_percent(spent, expected):
    ex = score(table(budget="3000000", spent=spent), RULE_SETS["jiangxi"]).execution
    assert ex.score == D(expected)


def test_spending_above_budget_is_capped_at_full_execution_weight():
    ex = score(table(budget="100", spent="120")).execution
    assert (ex.rate, ex.score, ex.formula) == (
        D("120.00"),
        D("10.00"),
        "执行数超过预算数，按100%计：10 × 100% = 10.00",
    )


def test_missing_budget_leaves_execution_unscored():
    result = score(SelfEvalTable(rows=[row("1", "1", "90")], spent=D(5)))
    assert (result.execution.score, result.total) == (None, D("90.00"))
    assert [(u.name, u.reason) for u in result.unscored] == [("预算执行率", "无全年预算数或执行数")]


@pytest.mark.parametrize(
    "total, expected", [("89.99", "良"), ("90.00", "优"), ("80", "良"), ("79.99", "中"), ("59.99", "差")]
)
def test_grade_bands(total, expected):
    assert grade(D(total), NATIONAL) == expected


def test_custom_grade_bands_come_from_the_rule_set():
    local = custom_rules(grade_bands=((D(80), "优"), (D(70), "良"), (D(60), "中")))
    assert (grade(D("85"), local), grade(D("75"), local)) == ("优", "良")


def test_custom_rules_refuse_an_unknown_setting():
    with pytest.raises(InputError, match="未知的评分规则设置：bonus"):
        custom_rules(bonus=5)


def test_custom_rules_turn_numbers_into_decimals():
    rules = custom_rules("hubei", execution_weight=15, indicator_weights={"产出指标": 55, "效益指标": 30})
    assert (rules.key, rules.execution_weight, rules.indicator_total) == ("custom", D(15), D(85))


def test_every_row_met_and_full_execution_totals_exactly_100():
    rows = [
        row("1", "1", w, level1=l1)
        for w, l1 in (("50", "产出指标"), ("30", "效益指标"), ("10", "满意度指标"))
    ]
    result = score(table(*rows))
    assert (result.total, result.grade, result.notes) == (D("100.00"), "优", [])


def test_every_row_met_with_default_weights_still_totals_exactly_100():
    rows = [row("1", "1", None) for _ in range(7)] + [
        row("1", "1", None, level1="效益指标") for _ in range(3)
    ]
    result = score(table(*rows))
    # 产出 56.25 / 7 = 8.0357…: 8.03 × 7 = 56.21, 4 spare cents to the first four rows; 效益 33.75 / 3 = 11.25
    assert [s.weight for s in result.rows] == [D("8.04")] * 4 + [D("8.03")] * 3 + [D("11.25")] * 3
    assert result.total == D("100.00")


def test_rounding_is_half_up_not_float_round():
    # 5 × 53.5 / 100 = 2.675; float round(2.675, 2) gives 2.67
    assert one(row("100", "53.5", "5")).score == D("2.68")


def test_exactly_130_percent_is_not_flagged_but_above_is():
    assert (one(row("100", "130")).over_130, one(row("100", "130.01")).over_130) == (False, True)


def test_over_130_percent_keeps_full_weight_and_asks_for_an_explanation():
    s = one(row("5000", "7000"))
    assert (s.score, s.over_130, s.note) == (
        D("10.00"),
        True,
        "完成值为指标值的140.00%，超过130%，需说明原因（仍得满分）",
    )


def test_units_are_converted_before_the_ratio():
    s = one(row("4", "14800", target_unit="亿元", actual_unit="万元"))
    assert (s.score, s.formula) == (D("3.70"), "10 × 1.48 / 4 = 3.70")


def test_incomparable_units_go_to_unscored():
    result = score(table(row("50", "60", level3="带动就业", target_unit="%", actual_unit="户")))
    assert (result.rows, [(u.name, u.reason) for u in result.unscored]) == ([], [("带动就业", "单位不可比")])


def test_negative_actual_counts_as_zero():
    s = one(row("10", "-3"))
    assert (s.score, s.note) == (D("0.00"), "实际完成值为负，按0计；未达指标值，完成率0.00%")


@pytest.mark.parametrize("actual, expected", [("0", "10.00"), ("2", "0.00")])
def test_equal_direction_with_target_zero(actual, expected):
    assert one(row("0", actual, direction="equal")).score == D(expected)


def test_reverse_direction_with_target_zero_and_an_occurrence_scores_zero():
    assert one(row("0", "1", direction="negative")).score == D("0.00")


def test_given_weights_that_do_not_total_90_are_used_and_noted():
    result = score(table(row("1", "1", "40"), row("1", "1", "45", level1="效益指标")))
    assert (result.total, result.notes) == (D("95.00"), ["表中指标分值合计85，不等于90，按表中分值计分"])


def test_no_satisfaction_rows_share_its_10_points_in_proportion():
    result = score(table(row("1", "1", None), row("1", "1", None, level1="效益指标")))
    assert [s.weight for s in result.rows] == [D("56.25"), D("33.75")]
    assert result.notes == [
        "自评表未填分值，按 产出50/效益30/满意度10 平均分配；无满意度指标，其10分按比例分给产出和效益"
    ]


def test_rows_without_a_target_or_a_readable_outcome_are_unscored_with_reasons():
    result = score(
        table(
            row(None, "5", level3="甲"),
            row("5", None, level3="乙"),
            row("5", None, level3="丙", actual_text="见附件"),
            row(target_text="有效", actual_text="良好", direction="qualitative", level3="丁"),
            row("1", "1", level1="过程指标", level3="戊"),
        )
    )
    assert [(u.name, u.reason) for u in result.unscored] == [
        ("甲", "无年度指标值"),
        ("乙", "无实际完成值"),
        ("丙", "实际完成值不是数值"),
        ("丁", "定性指标完成情况无法判定"),
        ("戊", "一级指标无法归类"),
    ]


def test_apportion_gives_spare_cents_to_the_largest_remainders_first():
    assert apportion([D("5.625")] * 6, D("33.75")) == [D("5.63")] * 3 + [D("5.62")] * 3


@pytest.mark.parametrize(
    "name, rules",
    [("clean_national", "national"), ("messy", "national"), ("hubei", "hubei"), ("jiangxi", "jiangxi")],
)
def test_workbook_scores_match_the_hand_computed_expectation(name, rules):
    expected = json.loads((WORKBOOKS / f"{name}.expected.json").read_text("utf-8"))
    expected.pop("_work")
    tbl = read_workbook(f"{name}.xlsx", (WORKBOOKS / f"{name}.xlsx").read_bytes())
    assert score_json(score(tbl, RULE_SETS[rules])) == expected


def test_hubei_workbook_under_national_rules_notes_both_weight_differences():
    tbl = read_workbook("hubei.xlsx", (WORKBOOKS / "hubei.xlsx").read_bytes())
    assert score(tbl, NATIONAL).notes == [
        "表中指标分值合计80，不等于90，按表中分值计分",
        "表中执行率分值20，按全国（财预〔2020〕10号）规则计10分",
        "自评执行率得分16.70，按规则重算为8.35",
    ]


def seed_report() -> Report:
    """The seed report's indicators that state a target, plus two that do not (DOMAIN.md §10)."""
    facts = [
        ("一般公共预算收入", "9.67", "亿元", "8.64", 1),
        ("规模以上固定资产投资", "17.06", "亿元", "24", 1),
        ("规上工业总产值增速", "13", "%", "8.5", 1),
        ("省外到位资金", "1.48", "亿元", "4", 1),
        ("净增长经营主体", "2086", "户", None, 1),
        ("重精患者在册在管", "53", "人", "54", 5),
        ("区级问题清单化解", "45", "个", "47", 6),
        ("信访满意率", "90", "%", None, 6),
        ("强制垃圾分类示范小区", "1", "个", "2", 7),
    ]
    inds = [
        Indicator(
            n,
            D(a),
            u,
            D(t) if t else None,
            u if t else None,
            area_seq=s,
            rate=D("10500") if n == "净增长经营主体" else None,
        )
        for n, a, u, t, s in facts
    ]
    funds = Funds(budget=D(4500000), arrived=D(4500000), spent=D(4500000))
    return Report(
        None, unit_name="雨花街道办事处", project_name="街道工作经费", year=2023, funds=funds, indicators=inds
    )


def test_seed_rebuild_scores_by_hand():
    # 产出: 重精 only (quantity) → 56.25: 56.25 × 53 / 54 = 55.208 → 55.21
    # 效益: 收入, 固投, 增速, 省外 (economic), 化解 (social), 垃圾分类 (ecological) → 33.75 / 6 = 5.625:
    #   5.63, 5.63, 5.63, 5.62, 5.62, 5.62 (3 spare cents to the first three)
    #   收入 met 5.63; 固投 5.63 × 17.06 / 24 = 4.0020 → 4.00 (71.08% of its weight);
    #   增速 13 ≥ 8.5 met 5.63 (152.94% → flagged); 省外 5.62 × 1.48 / 4 = 2.0794 → 2.08;
    #   化解 5.62 × 45 / 47 = 5.3809 → 5.38; 垃圾分类 5.62 × 1 / 2 = 2.81 → 效益 25.53
    # execution 450万 / 450万 → 10.00; total 55.21 + 25.53 + 10.00 = 90.74 → 优
    result = score(table_from_report(seed_report()))
    got = {s.row.level3: (s.row.level1, s.weight, s.score) for s in result.rows}
    assert got == {
        "一般公共预算收入": ("效益指标", D("5.63"), D("5.63")),
        "规模以上固定资产投资": ("效益指标", D("5.63"), D("4.00")),
        "规上工业总产值增速": ("效益指标", D("5.63"), D("5.63")),
        "省外到位资金": ("效益指标", D("5.62"), D("2.08")),
        "重精患者在册在管": ("产出指标", D("56.25"), D("55.21")),
        "区级问题清单化解": ("效益指标", D("5.62"), D("5.38")),
        "强制垃圾分类示范小区": ("效益指标", D("5.62"), D("2.81")),
    }
    assert (result.execution.score, result.total, result.grade) == (D("10.00"), D("90.74"), "优")


def test_seed_rebuild_shows_the_investment_row_at_71_08_percent():
    fixed = score(table_from_report(seed_report())).rows[1]
    assert (fixed.formula, fixed.note) == ("5.63 × 17.06 / 24 = 4.00", "未达指标值，完成率71.08%")


def test_seed_rebuild_never_invents_a_target_from_a_stated_rate():
    result = score(table_from_report(seed_report()))
    assert [(u.name, u.reason) for u in result.unscored] == [
        ("净增长经营主体", "无年度指标值"),
        ("信访满意率", "无年度指标值"),
    ]
    assert result.notes == [
        "报告未设定权重，按 产出50/效益30/满意度10 平均分配；无满意度指标，其10分按比例分给产出和效益"
    ]


def test_rebuild_uses_arrived_funds_when_the_budget_is_missing():
    rep = Report(None, funds=Funds(arrived=D(100), spent=D(90)))
    tbl = table_from_report(rep)
    assert (tbl.budget, tbl.spent, tbl.notes) == (D(100), D(90), ["报告未给全年预算数，按到位资金计算执行率"])


def test_rebuild_sends_incomparable_units_to_unscored():
    ind = Indicator("参保人数", D(500), "人", D(95), "%")
    tbl = table_from_report(Report(None, indicators=[ind]))
    assert (tbl.rows, [(u.name, u.reason) for u in tbl.unscored]) == ([], [("参保人数", "单位不可比")])


def test_rebuilt_row_carries_the_comparator_into_its_texts_and_direction():
    ind = Indicator("整改时限", D(3), "天", D(2), "天", comparator="<=")
    (r,) = table_from_report(Report(None, indicators=[ind])).rows
    assert (r.target_text, r.actual_text, r.direction, r.level2) == ("≤2天", "3天", "negative", "时效指标")


def test_score_json_has_the_contract_keys():
    data = score_json(score(table_from_report(seed_report())))
    assert set(data) >= {"rules", "rows", "execution", "total", "grade", "unscored"}
    assert set(data["rows"][0]) >= {
        "level1",
        "level2",
        "level3",
        "direction",
        "target",
        "actual",
        "weight",
        "score",
        "note",
    }
    assert (data["execution"], data["total"], data["grade"]) == (
        {
            "budget": 4500000.0,
            "spent": 4500000.0,
            "rate": 100.0,
            "weight": 10.0,
            "score": 10.0,
            "formula": "10 × 450万元 / 450万元 = 10.00",
        },
        90.74,
        "优",
    )


def test_what_if_changes_a_copy_and_moves_the_score():
    row = TableRow(
        level1="产出指标",
        level2="数量指标",
        level3="整治背街小巷",
        target=D("24"),
        actual=D("18"),
        weight=D("90"),
    )
    table = SelfEvalTable(budget=D("100"), spent=D("100"), rows=[row])
    assert score(table).total == D("77.50")  # 10 + 90 × 18/24 = 10 + 67.50
    lower = what_if(table, targets={0: D("20")})
    assert score(lower).total == D("91.00")  # 10 + 90 × 18/20 = 10 + 81.00
    assert table.rows[0].target == D("24")
    lighter = what_if(table, weights={0: D("45")})
    assert score(lighter).total == D("43.75")  # 10 + 45 × 0.75 = 10 + 33.75


def test_a_user_defined_rule_set_is_read_from_its_name():
    settings = {
        "execution_weight": 15,
        "产出指标": 45,
        "效益指标": 30,
        "满意度指标": 10,
        "优": 85,
        "良": 75,
        "中": 60,
    }
    rules = rule_set(custom_rule_name(settings))
    assert (rules.key, rules.execution_weight, rules.indicator_total) == ("custom", D(15), D(85))
    assert rules.grade_bands == ((D(85), "优"), (D(75), "良"), (D(60), "中"))
    assert (grade(D("84.99"), rules), grade(D(85), rules)) == ("良", "优")


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            {
                "execution_weight": 10,
                "产出指标": 50,
                "效益指标": 30,
                "满意度指标": 5,
                "优": 90,
                "良": 80,
                "中": 60,
            },
            "合计应为 100，实为 95",
        ),
        (
            {
                "execution_weight": 10,
                "产出指标": 50,
                "效益指标": 30,
                "满意度指标": 10,
                "优": 80,
                "良": 80,
                "中": 60,
            },
            "优 > 良 > 中",
        ),
        (
            {
                "execution_weight": "十",
                "产出指标": 50,
                "效益指标": 30,
                "满意度指标": 10,
                "优": 90,
                "良": 80,
                "中": 60,
            },
            "执行率分值应为数字",
        ),
    ],
)
def test_a_bad_user_defined_rule_set_says_what_is_wrong(settings, message):
    with pytest.raises(InputError, match=message):
        rule_set(custom_rule_name(settings))


def test_a_national_table_scored_under_hubei_scales_its_weights_to_80():
    # clean_national: 分值 total 90; hubei gives execution 20 and indicators 80, so each 分值 × 8/9
    table = read_workbook(
        "c.xlsx", (Path(__file__).parent / "fixtures/workbooks/clean_national.xlsx").read_bytes()
    )
    result = score(table, RULE_SETS["hubei"])
    assert sum(r.weight for r in result.rows) + result.execution.weight == D(100)
    assert result.execution.score == D("16.70")  # 20 × 167/200
    assert result.total <= D(100)
