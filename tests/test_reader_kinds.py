"""The reader on phrasings met in other units' reports (DOMAIN §8 patterns 25, 29–32), beyond the pattern cases:
exact values from known inputs, each written differently from tests/fixtures/patterns.
"""

from __future__ import annotations

import time
from decimal import Decimal as D

import pytest

from jixiao_core import reader
from jixiao_core.audit import audit


def facts(text: str) -> list[tuple]:
    rep = reader.passage(text)
    return [(i.name, i.actual, i.unit, i.target, i.comparator, i.community) for i in rep.indicators]


def values(text: str) -> list[tuple]:
    return [(i.actual, i.unit, i.target) for i in reader.passage(text).indicators]


# Pattern 25: plan and done in one clause, one indicator; remainders and future plans are no results.
@pytest.mark.parametrize(
    "text, due",
    [
        ("年度计划新建公厕3座，实际建成2座。", [(D(2), "座", D(3))]),
        ("新建健身广场4处，其中已投入使用3处。", [(D(3), "处", D(4))]),
        ("计划改造雨污管网12公里，已完成9.6公里，其余2.4公里正在施工。", [(D("9.6"), "公里", D(12))]),
        ("计划新建停车场3处，已建成2处，另有1处正在施工。", [(D(2), "处", D(3))]),
        ("计划新建村级污水处理站3座，均已建成投用。", [(D(3), "座", D(3))]),
        ("计划硬化道路14.5公里，已按期全部完成。", [(D("14.5"), "公里", D("14.5"))]),
        ("新建公厕3座，改造绿地2处。", [(D(3), "座", None), (D(2), "处", None)]),
        ("明年计划新建公厕5座，改造背街小巷3条。", []),
        ("改造老旧小区6个，其中已完工4个，2个正在施工。", [(D(4), "个", D(6))]),
        ("安装路灯120盏，其中已通电使用100盏。", [(D(100), "盏", D(120))]),
        ("接收投诉47件，办结45件，2件正在办理。", [(D(45), "件", D(47))]),
    ],
)
def test_a_plan_and_its_done_count_are_one_indicator(text, due):
    assert values(text) == due


def test_a_plan_all_done_is_named_by_its_work_not_by_the_plan():
    assert facts("计划硬化道路14.5公里，已全部完成。") == [
        ("硬化道路", D("14.5"), "公里", D("14.5"), None, None)
    ]


def test_a_plan_met_raises_nothing_and_a_plan_missed_raises_target_missed():
    assert [f.kind for f in audit(reader.passage("计划新建公厕3座，已全部建成。"))] == []
    assert [f.kind for f in audit(reader.passage("新建公厕3座，已建成2座。"))] == ["target_missed"]


# Pattern 29: not results.
@pytest.mark.parametrize(
    "text",
    [
        "评分按预算执行率10分、产出指标50分的权重计算。",
        "开展纪念建党103周年活动。",
        "发布时间：2025-03-18 09:32  来源：桂湖街道  浏览次数：1326次",
        "本文阅读量2,106次",
        "对偏差较大的指标与施工单位逐一座谈。",
        "全年未发生一起火灾事故，没有发生一件群体性事件，无一例输入病例。",
        "全年未发生1起安全事故。",
        "经自评，总体评价为优，分数为93.5分。",
    ],
)
def test_weights_anniversaries_page_headers_and_words_are_no_results(text):
    assert facts(text) == []


def test_a_name_never_ends_on_a_dangling_word():
    got = facts("发现问题户厕52户，已整改49户，整改率94.23%。")
    assert [(n, a, t) for n, a, _, t, _, _ in got] == [("问题户厕整改", D(49), D(52))]


def test_a_size_before_the_counted_things_is_their_spec():
    assert values("新购置5吨压缩式垃圾运输车3辆，配置8立方米垃圾箱20个。") == [
        (D(3), "辆", None),
        (D(20), "个", None),
    ]


# Pattern 30: a 自评表 pasted as text.
def test_a_table_aligned_with_spaces_reads_targets_and_actuals_never_scores():
    text = (
        "一级指标  二级指标  三级指标  年度指标值  实际完成值  分值  得分\n"
        "产出指标  数量指标  新建公厕  =12个  12个  10  10\n"
        "产出指标  成本指标  单位改造成本  ≤420元/平方米  398元/平方米  5  5\n"
        "效益指标  社会效益指标  受益人口  ≥1.5万人  1.62万人  10  10"
    )
    assert facts(text) == [
        ("新建公厕", D(12), "个", D(12), "=", None),
        ("单位改造成本", D(398), "元/平方米", D(420), "<=", None),
        ("受益人口", D("1.62"), "万人", D("1.5"), ">=", None),
    ]


def test_a_goal_sentence_beside_the_table_is_not_a_second_result():
    text = (
        "年度绩效目标：新建公厕不少于12个，群众满意度不低于90%。\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
        "产出指标 | 数量指标 | 新建公厕数量 | ≥12个 | 12个 | 10 | 10\n"
        "满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 91.2% | 10 | 10"
    )
    assert values(text) == [(D(12), "个", D(12)), (D("91.2"), "%", D(90))]


def test_goal_and_result_cells_give_results_with_their_goals_as_targets():
    text = "绩效目标 | 完成情况\n新建公厕10座，群众满意度不低于90% | 建成公厕8座，群众满意度93.5%"
    assert facts(text) == [
        ("建成公厕", D(8), "座", D(10), None, None),
        ("群众满意度", D("93.5"), "%", D(90), ">=", None),
    ]


def test_a_funds_block_gives_funds_in_yuan_and_no_indicator():
    text = (
        "项目资金（万元）    年初预算数    全年预算数    全年执行数    分值    执行率    得分\n"
        "年度资金总额        300           320           304           10      95%       9.5\n"
        "其中：财政拨款      300           320           304           —       —         —"
    )
    rep = reader.passage(text)
    assert rep.indicators == []
    assert (rep.funds.budget_initial, rep.funds.budget, rep.funds.spent) == (
        D(3000000),
        D(3200000),
        D(3040000),
    )


# Pattern 31: villages.
TOWN = "清溪镇辖清溪1个社区和青山、枫林、石桥3个行政村。"


@pytest.mark.parametrize(
    "sentence, due",
    [
        ("完成石桥村3组、4组道路硬化2.1公里。", [(D("2.1"), "石桥")]),
        ("在枫林村委会上坝组建成示范点1个。", [(D(1), "枫林")]),
        ("在青山村委会石桥湾村新修便道0.8公里。", [(D("0.8"), "青山")]),
        ("清溪社区新增座椅20组。", [(D(20), "清溪")]),
        ("清溪镇新增座椅20组。", [(D(20), None)]),
    ],
)
def test_a_fact_goes_to_the_village_it_names(sentence, due):
    rep = reader.passage(TOWN + sentence)
    assert [c.name for c in rep.communities] == ["清溪", "青山", "枫林", "石桥"]
    assert [(i.actual, i.community) for i in rep.indicators] == due


def test_a_part_named_by_its_place_takes_the_whole_name():
    got = facts(TOWN + "新建公厕5座，其中清溪社区2座、石桥村委会3座。")
    assert [(n, a, c) for n, a, _, _, _, c in got] == [
        ("新建公厕", D(5), None),
        ("清溪社区新建公厕", D(2), "清溪"),
        ("石桥村委会新建公厕", D(3), "石桥"),
    ]


# Pattern 32: half-width punctuation.
def test_half_width_lists_parts_and_thousands_read_like_full_width():
    assert facts("改造小游园4处(含口袋公园2处),修补路面1,280平方米,更换路灯36盏。") == [
        ("改造小游园", D(4), "处", None, None, None),
        ("修补路面", D(1280), "平方米", None, None, None),
        ("更换路灯", D(36), "盏", None, None, None),
    ]
    assert values("甲、乙2个小区垃圾分类知晓率分别为88%,93%。") == [(D(88), "%", None), (D(93), "%", None)]


@pytest.mark.parametrize(
    "text",
    [
        "预期目标\t实际完成情况\n" + "完成1个\t完成1个\n" * 3000,
        "一级指标  二级指标  三级指标  年度指标值  实际完成值\n" + ("a" + " " * 5000 + "\n") * 50,
        "改造3处" + "（含口袋公园1处" * 5000,
        "东苑、西苑分别为" + ",".join(["5%"] * 8000) + "。",
        "计划新建3座" + "，已全部完成" * 20000,
    ],
)
def test_the_new_kinds_stay_fast_on_hostile_text(text):
    start = time.monotonic()
    reader.passage(text)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "overview, due",
    [
        ("石门镇辖石门社区和柏树村、龙井村、水口村3个行政村。", ["石门", "柏树", "龙井", "水口"]),
        (
            "全镇辖3个行政村、1个社区，分别为柏树村、龙井村、水口村和石门社区。",
            ["柏树", "龙井", "水口", "石门"],
        ),
        ("全镇共有4个村（社区）：石门社区、柏树村、龙井村、水口村。", ["石门", "柏树", "龙井", "水口"]),
    ],
)
def test_a_town_lists_its_villages_and_communities_however_it_words_them(overview, due):
    rep = reader.passage(overview)
    assert ([c.name for c in rep.communities], rep.indicators) == (due, [])


@pytest.mark.parametrize(
    "text",
    ["新增就业320人，已帮扶困难群众45人。", "新建停车场3个，已建成充电桩2个。"],
)
def test_a_works_verb_makes_no_plan_of_a_figure_followed_by_another_fact(text):
    assert [i.target for i in reader.passage(text).indicators] == [None, None]


def test_a_table_cell_that_names_its_figure_is_read_and_dates_and_words_are_not():
    text = (
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
        "产出指标 | 数量指标 | 改造小区数 | ≥12个小区 | 完成12个小区 | 10 | 10\n"
        "产出指标 | 时效指标 | 完工时间 | 2023年11月底前 | 2023年12月 | 5 | 3\n"
        "产出指标 | 质量指标 | 验收 | 达成预期指标 | 达成 | 5 | 5"
    )
    assert facts(text) == [("改造小区数", D(12), "个", D(12), ">=", None)]


def test_the_rest_of_a_plan_in_the_next_sentence_is_no_result():
    text = (
        "计划改造户厕320户，已完成改造301户，其中柏树村86户、龙井村72户；剩余19户因农户外出推迟至2024年实施。"
    )
    assert values(text) == [(D(301), "户", D(320)), (D(86), "户", None), (D(72), "户", None)]


def test_a_place_named_inside_a_note_is_not_the_place_of_the_figures_after_it():
    rep = reader.passage(
        "辖区下辖金鱼、望江2个社区。改造小游园3处（含金鱼社区口袋公园1处），修补路面2650平方米。"
    )
    assert [(i.actual, i.community) for i in rep.indicators] == [(D(3), None), (D(2650), None)]
