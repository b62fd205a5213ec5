"""Unit: jixiao_core.report (the report reader: structure, funds and indicators of 绩效评价报告)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_core import reader as report
from jixiao_core.errors import InputError
from jixiao_core.units import to_base

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "reports" / "yuhua_2023.txt"
D = Decimal


@pytest.fixture(scope="module")
def seed():
    return report.parse_file(SEED)


def test_seed_header_facts(seed):
    assert (seed.unit_name, seed.project_name, seed.year, seed.report_date) == (
        "雨花街道办事处",
        "街道工作经费",
        2023,
        "2024-02-18",
    )


def test_seed_funds_are_450_wan_yuan_three_times(seed):
    f = seed.funds
    assert (f.budget, f.arrived, f.spent, f.budget_initial) == (D(4500000), D(4500000), D(4500000), None)
    assert f.stated_execution_rate == D(100)


def test_seed_communities_with_kinds(seed):
    assert [(c.name, c.kind) for c in seed.communities] == [
        ("下庄", "村改居社区"),
        ("回回营", "村改居社区"),
        ("雨花", "村改居社区"),
        ("营盘", "城市社区"),
        ("明潭", "城市社区"),
        ("龙潭山", "城市社区"),
        ("青阳", "城市社区"),
        ("颐明园", "城市社区"),
    ]


def test_seed_areas_with_stable_keys(seed):
    assert [(a.seq, a.title, a.key) for a in seed.areas] == [
        (1, "全力抓好经济指标各项工作", "economy"),
        (2, "抓牢党建引领，全面提升党建工作水平", "party_building"),
        (3, "全力抓好征地拆迁和村庄搬迁工作", "land_relocation"),
        (4, "提升社会建设工作水平", "social_development"),
        (5, "切实办好为民实事", "livelihood"),
        (6, "营造和谐稳定的社会环境", "public_safety"),
        (7, "打造整洁宜人的市容环境", "cityscape"),
        (8, "提供丰富多彩的文化环境", "culture"),
    ]


def test_seed_goals_one_to_eight(seed):
    assert [g.seq for g in seed.goals] == list(range(1, 9))
    assert seed.goals[0].text == "全力抓好重点项目建设，推动经济社会发展"
    assert seed.goals[7].text == "提供丰富多彩的文化环境"
    assert seed.overall_goal.startswith("负责完成党工委、办事处交办的各项工作任务")


def test_seed_internal_bodies(seed):
    assert len(seed.bodies) == 12
    assert (seed.bodies[0], seed.bodies[-1]) == ("党政综合办公室", "项目建设综合服务中心")
    assert "为民服务中心" in seed.bodies


def test_seed_sections_and_claims(seed):
    assert sorted(seed.sections) == sorted(
        [
            "overview",
            "performance",
            "method",
            "process",
            "analysis",
            "conclusion",
            "application",
            "problems",
            "other",
        ]
    )
    assert seed.sections["application"] == "为下一年年度预算提供依据。"
    claims = [text for text, _ in seed.claims]
    assert "预期绩效目标已全部按期完成" in claims
    assert any("较好地完成了年度各项目标任务" in c for c in claims)
    doc = seed.source.text
    assert all(doc[a:b] == text for text, (a, b) in seed.claims)


def _key(x: dict) -> tuple:
    return tuple(x[k] for k in ("area_seq", "actual", "unit", "target", "target_unit", "rate", "comparator"))


def _num(v):
    return None if v is None else float(v)


def test_seed_indicators_match_the_curated_answer_field_by_field(seed):
    expected = json.loads((FIXTURES / "expected" / "yuhua_2023.json").read_text())["indicators"]
    got = [
        {
            "area_seq": i.area_seq,
            "actual": _num(i.actual),
            "unit": i.unit,
            "target": _num(i.target),
            "target_unit": i.target_unit,
            "rate": _num(i.rate),
            "comparator": i.comparator,
            "qualifier": i.qualifier,
            "community": i.community,
        }
        for i in seed.indicators
    ]
    want = [
        {k: (_num(e[k]) if k in ("actual", "target", "rate") else e[k]) for k in got[0]} for e in expected
    ]
    assert sorted(got, key=lambda x: json.dumps(x)) == sorted(want, key=lambda x: json.dumps(x))


def test_every_indicator_text_is_its_span_of_the_document(seed):
    doc = seed.source.text
    assert all(doc[i.span[0] : i.span[1]] == i.text for i in seed.indicators)


@pytest.mark.parametrize(
    "quote, value",
    [("2023年，一般公共预算收入", 2023), ("KCC2018-4号地块", 2018), ("“四点半课堂”", 4), ("“两项补贴”", 2)]
    + [
        ("第十届“雨花艺术节”", 10),
        ("2021年10月启动", 2021),
        ("（第一批）4宗", 1),
        ("云南艺术学院二期工程", 2),
    ],
)
def test_seed_traps_are_never_indicators(seed, quote, value):
    assert not [i for i in seed.indicators if i.actual == value and quote[:4] in i.text and i.unit != "宗"]


def _one(sentence: str):
    (ind,) = report.indicators_in(sentence)
    return ind


@pytest.mark.parametrize(
    "text, actual, unit, target, rate",
    [
        ("一般公共预算收入完成9.67亿元，占任务数8.64亿元的111.92%", "9.67", "亿元", "8.64", "111.92"),
        ("新签约招商引资项目10个，完成率100%", "10", "个", None, "100"),
        ("净增长经营主体2086户，完成率10500%", "2086", "户", None, "10500"),
        ("规上工业总产值增速13%，超任务增速4.5个百分点", "13", "%", "8.5", None),
        ("接收区级问题清单47个，化解45个，化解率95.74%", "45", "个", "47", "95.74"),
        ("目前辖区重精患者建档人数为54人，在册在管53人", "53", "人", "54", None),
        ("协议签订率93%", "93", "%", None, None),
        ("受益群众达8000余人", "8000", "人", None, None),
        ("拆除临违建筑7.8万余平方米", "7.8", "万平方米", None, None),
        ("签订项目8.4855亩用地征收协议", "8.4855", "亩", None, None),
        ("新建2个强制垃圾分类示范小区，其中已完成中铁佳苑小区建设", "1", "个", "2", None),
        ("实施居家适老化改造860户，年度目标800户，完成率107.5%", "860", "户", "800", "107.5"),
        ("排查安全隐患120处，整改115处，整改率95.8%", "115", "处", "120", "95.8"),
        ("年度计划发展党员15名，实际发展党员14名", "14", "名", "15", None),
        ("完成投资1.2亿元，为年度计划的120%", "1.2", "亿元", None, "120"),
    ],
)
def test_completion_phrases_give_actual_target_and_stated_rate(text, actual, unit, target, rate):
    ind = _one(text)
    assert (ind.actual, ind.unit, ind.target, ind.rate) == (
        D(actual),
        unit,
        None if target is None else D(target),
        None if rate is None else D(rate),
    )


@pytest.mark.parametrize(
    "text, actual, unit, target, comparator",
    [
        ("每周开放时间不少于42小时", "42", "小时", None, ">="),
        ("群众满意度≥98%", "98", "%", None, ">="),
        ("投诉办结时间2天以内", "2", "天", None, "<="),
        ("单位成本≤90万元", "90", "万元", None, "<="),
        ("验收合格率=100%", "100", "%", None, "="),
        ("电子健康档案建档率达到85.8%，高于≥80%的年度目标", "85.8", "%", "80", ">="),
        ("规范管理率62%（目标≥60%）", "62", "%", "60", ">="),
        ("平均办结时长3.2天，控制在≤5天的目标以内", "3.2", "天", "5", "<="),
        ("年度目标为群众满意率不低于90%，经第三方测评实际达到93.2%", "93.2", "%", "90", ">="),
        ("全程接种率达到93.6%，年度目标为95%", "93.6", "%", "95", None),
    ],
)
def test_comparators_and_stated_targets(text, actual, unit, target, comparator):
    ind = _one(text)
    assert (ind.actual, ind.unit, ind.target, ind.comparator) == (
        D(actual),
        unit,
        None if target is None else D(target),
        comparator,
    )


@pytest.mark.parametrize(
    "text, qualifier",
    [("约60亩", "approx"), ("8000余人", "more_than"), ("780余万元", "more_than"), ("2000多人", "more_than")],
)
def test_approximations_set_the_qualifier(text, qualifier):
    assert _one("完成用地" + text).qualifier == qualifier


@pytest.mark.parametrize(
    "text, facts",
    [
        ("签订中铁站城融合项目3宗70亩用地拆迁补偿协议", [("3", "宗"), ("70", "亩")]),
        ("拆除临违建筑96宗、7.8万余平方米", [("96", "宗"), ("7.8", "万平方米")]),
        ("广泛开展反诈宣传14次、反诈培训4次", [("14", "次"), ("4", "次")]),
        ("对辖区13所中小学和幼儿园、3个校外培训机构开展指导", [("13", "所"), ("3", "个")]),
        ("建立一支40人的专（兼）职应急救援队伍", [("1", "支"), ("40", "人")]),
        ("2021-2022年25宗、2023年（第一批）4宗已完成整改", [("25", "宗"), ("4", "宗")]),
        ("共100万元，其中：中央60万元，省级30万元", [("100", "万元"), ("60", "万元"), ("30", "万元")]),
        ("申报书记领办“2+1”项目3个", [("3", "个")]),
        ("开展展览展示及教育培训讲座15场（次）", [("15", "场")]),
        ("满意度10%95", []),
        ("里程10公里=120", []),
        ("依据呈财〔2017〕115号文件，于2021年10月启动", []),
        ("春节前为辖区680名60周岁以上困难老人送去慰问品", [("680", "名")]),
        ("村集体经济收入超10万元的村6个", [("6", "个")]),
    ],
)
def test_compound_lists_and_traps(text, facts):
    assert [(str(i.actual), i.unit) for i in report.indicators_in(text)] == facts


def test_respectively_zips_names_with_completion_rates():
    got = report.indicators_in("甲、乙、丙分别完成85%、64%、120%")
    assert [(i.name, i.actual, i.rate) for i in got] == [
        ("甲", None, D(85)),
        ("乙", None, D(64)),
        ("丙", None, D(120)),
    ]


def test_respectively_with_unequal_counts_gives_nothing():
    assert report.indicators_in("甲、乙分别完成85%、64%、120%") == []


@pytest.mark.parametrize(
    "text, actual, unit, change, change_pct, direction",
    [
        ("到位资金3.26亿元，同比增加0.41亿元，增长14.39%", "3.26", "亿元", "0.41", "14.39", "increase"),
        ("比例达88.5%，较上年提高2.3个百分点", "88.5", "%", "2.3", None, "increase"),
        ("较上年减少120.00万元，下降8.00%", "120.00", "万元", None, "8.00", "decrease"),
        ("同比下降18.6%", "18.6", "%", None, "18.6", "decrease"),
        ("火灾事故起数较上年减少6起，下降35.29%", "6", "起", None, "35.29", "decrease"),
        ("低保对象由上年的320户减少到298户", "298", "户", "22", None, "decrease"),
        ("森林覆盖率由2022年的45.2%提高到46.8%", "46.8", "%", "1.6", None, "increase"),
    ],
)
def test_changes_belong_to_their_indicator(text, actual, unit, change, change_pct, direction):
    ind = _one(text)
    assert (ind.actual, ind.unit, ind.change, ind.change_pct, ind.change_direction, ind.rate) == (
        D(actual),
        unit,
        None if change is None else D(change),
        None if change_pct is None else D(change_pct),
        direction,
        None,
    )


TABLE = "表1 主要绩效指标\n指标类别\t指标\t年度目标\t完成值\t完成率\n产出指标\t高标准农田建设面积\t≥3000亩\t3200亩\t106.67%\n"
TABLE += "\t农村道路硬化里程\t12公里\t10.5公里\t87.5%\n满意度指标\t群众满意度\t≥90%\t97.2%\t108%\n效益指标\t带动增收\t达成预期指标\t达成\t\n"


def test_indicator_table_rows_are_read_by_their_header_columns():
    rep = report.parse_text("2024年度项目绩效评价报告\n" + TABLE)
    got = [(i.name, i.actual, i.unit, i.target, i.target_unit, i.comparator, i.rate) for i in rep.indicators]
    assert got == [
        ("高标准农田建设面积", D(3200), "亩", D(3000), "亩", ">=", D("106.67")),
        ("农村道路硬化里程", D("10.5"), "公里", D(12), "公里", None, D("87.5")),
        ("群众满意度", D("97.2"), "%", D(90), "%", ">=", D(108)),
    ]
    doc = rep.source.text
    assert all(doc[i.span[0] : i.span[1]] == i.text for i in rep.indicators)


REPORT = """附件2
河口街道2022年度项目支出绩效评价报告
一、基本情况
辖东湖、西湖2个社区。
二、项目单位绩效报告情况
年初预算500万元，全年（调整）预算数800万元，全年执行数760万元，实际到位资金800万元。
（一）抓好经济工作
完成税收2.1亿元，占任务数2亿元的105%。
（二）抓好民生工作
东湖社区新增就业岗位120个；发放补贴两千余人次。
三、绩效评价结论
各项目标已全部完成。
河口街道办事处
2023年3月1日
"""


def test_small_report_budget_sentences_fill_funds_in_yuan():
    rep = report.parse_text(REPORT)
    f = rep.funds
    assert (f.budget_initial, f.budget, f.spent, f.arrived) == (
        D(5000000),
        D(8000000),
        D(7600000),
        D(8000000),
    )


def test_small_report_structure_and_attribution():
    rep = report.parse_text(REPORT)
    assert (rep.year, rep.unit_name, rep.project_name, rep.report_date) == (
        2022,
        "河口街道",
        None,
        "2023-03-01",
    )
    assert [(a.title, a.key) for a in rep.areas] == [
        ("抓好经济工作", "economy"),
        ("抓好民生工作", "livelihood"),
    ]
    assert [(i.area_seq, i.actual, i.unit, i.community) for i in rep.indicators] == [
        (1, D("2.1"), "亿元", None),
        (2, D(120), "个", "东湖"),
    ]
    assert [c for c, _ in rep.claims] == ["各项目标已全部完成"]


PARAGRAPH_REPORT = """石门街道2023年度项目支出绩效评价报告
一、基本情况
辖东湖、西湖2个社区。年度目标：一是办好便民服务；二是做好关爱帮扶。
二、项目单位绩效报告情况
项目资金100万元，全部拨付到位。具体完成情况如下：
一是聚焦便民服务。代办民生事项320件。
二是聚焦关爱帮扶。走访困难家庭45户。
三、绩效评价指标分析情况
（一）资金到位情况
实际到位100万元，资金到位率100%。
（二）资金使用情况
项目实际支出96.5万元，预算执行率96.5%。
四、存在的问题和建议
存在的问题：一是项目谋划不够精准；二是指标偏少。
石门街道办事处
2024年3月1日
"""


def test_work_areas_written_as_paragraphs_come_from_the_work_chapter_only():
    rep = report.parse_text(PARAGRAPH_REPORT)
    assert [(a.seq, a.title) for a in rep.areas] == [(1, "聚焦便民服务"), (2, "聚焦关爱帮扶")]
    assert [(i.area_seq, i.actual, i.unit) for i in rep.indicators] == [(1, D(320), "件"), (2, D(45), "户")]
    f = rep.funds
    assert (f.budget, f.arrived, f.spent) == (D(1000000), D(1000000), D(965000))


@pytest.mark.parametrize(
    "overview, names",
    [
        (
            "下辖青龙、石碑2个村改居社区居委会和锦绣、和平、滨河3个城市社区居委会。",
            [
                ("青龙", "村改居社区"),
                ("石碑", "村改居社区"),
                ("锦绣", "城市社区"),
                ("和平", "城市社区"),
                ("滨河", "城市社区"),
            ],
        ),
        (
            "项目涉及清水镇桃园、柳湾2个行政村和河口街道新民、永和2个涉农社区。",
            [("桃园", "行政村"), ("柳湾", "行政村"), ("新民", "涉农社区"), ("永和", "涉农社区")],
        ),
        ("辖东湖、西湖和南湖3个社区。", [("东湖", "社区"), ("西湖", "社区"), ("南湖", "社区")]),
    ],
)
def test_community_lists_split_by_their_count(overview, names):
    rep = report.parse_text(
        f"2023年度项目绩效评价报告\n一、基本情况\n{overview}\n二、项目单位绩效报告情况\n完成10件。\n"
    )
    assert [(c.name, c.kind) for c in rep.communities] == names


def _communities(paragraph: str) -> list[tuple[str, str | None]]:
    head = "2023年度项目绩效评价报告\n一、基本情况\n辖东湖、西湖2个社区，高岭、石桥2个村。\n二、项目单位绩效报告情况\n"
    rep = report.parse_text(head + paragraph + "\n")
    return [(f"{i.actual}{i.unit}", i.community) for i in rep.indicators if i.text in paragraph]


@pytest.mark.parametrize(
    "paragraph, facts",
    [
        ("在东湖社区增设座椅46组、晾衣架20套。", [("46组", "东湖"), ("20套", "东湖")]),
        (
            "对东湖社区3个院落实施提升，修补路面1850平方米、更换路灯36盏。",
            [("3个", "东湖"), ("1850平方米", "东湖"), ("36盏", "东湖")],
        ),
        (
            "以东湖社区为试点，新增座椅10组，培训3场，发放手册200份。",
            [("10组", "东湖"), ("3场", None), ("200份", None)],
        ),
        ("完成东湖社区、西湖社区改造5个，惠及居民1830户。", [("5个", None), ("1830户", None)]),
        ("新建高岭村至石桥村道路4.6公里。", [("4.6公里", None)]),
        ("东湖社区开展活动5场，各社区参与群众3000人。", [("5场", "东湖"), ("3000人", None)]),
        ("高岭村、石桥村分别新建农田3200亩、2800亩。", [("3200亩", "高岭"), ("2800亩", "石桥")]),
    ],
)
def test_a_named_community_carries_over_its_clause_and_the_next(paragraph, facts):
    assert _communities(paragraph) == facts


def test_a_plan_is_completed_after_a_clause_of_explanation():
    ind = _one("计划安装充电桩40个，因业主对选址意见不一，截至年底建成投用28个")
    assert (ind.actual, ind.target, ind.unit) == (D(28), D(40), "个")


def test_figures_after_an_unworded_gap_stay_apart():
    got = report.indicators_in("计划安装充电桩40个，因选址调整，新增座椅28个")
    assert [(i.actual, i.target) for i in got] == [(D(40), None), (D(28), None)]


def test_a_change_from_the_state_before_the_works_belongs_to_the_value():
    ind = _one("田间道路通达率达到93%，较建设前提高31个百分点")
    assert (ind.actual, ind.unit, ind.change, ind.change_direction) == (D(93), "%", D(31), "increase")


@pytest.mark.parametrize(
    "text, facts",
    [
        ("全年测评12次，平均得分92.6分", [("12", "次"), ("92.6", "分")]),
        ("项目自评得分88.5分", []),
        ("综合得分92.5分", []),
    ],
)
def test_a_survey_average_score_is_an_indicator_but_the_self_score_is_not(text, facts):
    assert [(str(i.actual), i.unit) for i in report.indicators_in(text)] == facts


def test_an_admission_of_incomplete_work_is_no_claim():
    text = "2023年度项目绩效评价报告\n一、基本情况\n完成10件。存在的问题：一是农艺措施未能全部按期完成。目标已全部完成。\n"
    assert [c for c, _ in report.parse_text(text).claims] == ["目标已全部完成"]


@pytest.mark.parametrize(
    "text",
    ["", "今天天气很好，我们去公园散步。", "第一章 他走进了房间，看见三个人。"],
)
def test_text_that_is_no_report_is_refused(text):
    with pytest.raises(InputError) as err:
        report.parse_text(text, "x.txt")
    assert err.value.message.startswith("未识别出绩效评价报告的结构")


def test_fifty_megabytes_of_text_are_refused_by_the_size_cap():
    with pytest.raises(InputError) as err:
        report.parse_text("绩效" * (25 * 1024 * 1024))
    assert err.value.message == "文本过长（52428800 字），不像一份绩效评价报告"


def test_a_flood_of_figures_is_refused():
    with pytest.raises(InputError) as err:
        report.parse_text("绩效2023年" + "1个，" * 100_000)
    assert err.value.message == "数字过多（100000 个），不像一份绩效评价报告"


def test_bytes_are_decoded_before_parsing():
    rep = report.parse_bytes("y.txt", SEED.read_text().encode("gb18030"))
    assert (rep.source.encoding, rep.year, len(rep.indicators)) == ("gb18030", 2023, 94)


def _score(name: str, expected: str = "expected", reports: str = "reports") -> tuple[float, float]:
    """Return (recall, precision) of the reader on one fixture, matching value and unit as check_parse does."""
    exp = json.loads((FIXTURES / expected / f"{name}.json").read_text())
    path = next(p for p in (FIXTURES / reports).iterdir() if p.stem == name and p.suffix != ".json")
    got = report.parse_file(path).indicators

    def base(v, u):
        return None if v is None or u is None else to_base(D(str(v)), u)

    free = list(range(len(got)))
    matched = 0
    for e in exp["indicators"]:
        if e["actual"] is None:
            hit = next(
                (k for k in free if got[k].rate is not None and abs(float(got[k].rate) - e["rate"]) < 0.011),
                None,
            )
        else:
            hit = next(
                (k for k in free if base(got[k].actual, got[k].unit) == base(e["actual"], e["unit"])), None
            )
        if hit is not None:
            free.remove(hit)
            matched += 1
    neutral = {float(n["value"]) for n in exp.get("neutral", []) if isinstance(n["value"], int | float)}
    extra = [k for k in free if got[k].actual is None or float(got[k].actual) not in neutral]
    return matched / len(exp["indicators"]), matched / (matched + len(extra))


FIXTURE_NAMES = sorted(
    p.stem
    for p in (FIXTURES / "expected").glob("*.json")
    if any(r.stem == p.stem for r in (FIXTURES / "reports").iterdir())
)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_reports_reach_recall_and_precision(name):
    recall, precision = _score(name)
    assert recall >= 0.90 and precision >= 0.95


BLIND_NAMES = sorted(p.stem for p in (FIXTURES / "blind").glob("*.json"))


@pytest.mark.parametrize("name", BLIND_NAMES)
def test_blind_reports_reach_recall_and_precision(name):
    recall, precision = _score(name, "blind", "blind")
    assert recall >= 0.90 and precision >= 0.95


@pytest.mark.parametrize("name", BLIND_NAMES)
def test_blind_reports_give_the_expected_funds_areas_and_communities(name):
    exp = json.loads((FIXTURES / "blind" / f"{name}.json").read_text())
    rep = report.parse_file(FIXTURES / "blind" / f"{name}.txt")
    funds = {k: getattr(rep.funds, k) for k in exp["funds"]}
    assert funds == {k: None if v is None else D(v) for k, v in exp["funds"].items()}
    assert (len(rep.areas), [c.name for c in rep.communities]) == (exp["area_count"], exp["communities"])


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet="0123456789.，。；：、（）%万亿余约≥一二三十是第年个人次社区其中分别完成率目标较上年增加\n\t绩效",
        max_size=300,
    )
)
def test_arbitrary_text_gives_a_report_or_an_input_error(text):
    try:
        rep = report.parse_text(text)
    except InputError:
        return
    assert all(text[i.span[0] : i.span[1]] == i.text for i in rep.indicators)
