"""Unit: the auditor on phrasings that look like errors and are not (DOMAIN §8 patterns 26–28, claims).

Each case is made up; the findings are stated exactly, and the negative cases state that none is due.
"""

from decimal import Decimal

import pytest

from jixiao_core import reader
from jixiao_core.audit import audit
from jixiao_core.audit.claims import Scope, claim_scope, excepted
from jixiao_core.audit.rate_object import tied
from jixiao_core.facts import Funds, Indicator, Report
from jixiao_core.numbers import canonical
from jixiao_core.reader.funds import FundsReader, fund_figures
from jixiao_core.reader.sentences import figures


def ind(name, actual, unit, text, target=None, rate=None) -> Indicator:
    dec = {k: None if v is None else Decimal(v) for k, v in (("a", actual), ("t", target), ("r", rate))}
    return Indicator(name, dec["a"], unit, dec["t"], unit if target else None, rate=dec["r"], text=text)


def summary(inds, claims=(), funds=None) -> list[tuple]:
    rep = Report(None, indicators=list(inds), funds=funds or Funds(), claims=[(c, None) for c in claims])
    return [(f.kind, f.severity, f.indicators) for f in audit(rep)]


# Pattern 26: a rate belongs to its own object.
@pytest.mark.parametrize(
    "text, count, rate, due",
    [
        ("全年受理投诉120件，办结率97.5%", "120", "97.5", True),
        ("排查燃气安全隐患63处，整改率90%", "63", "90", True),
        ("排查燃气安全隐患63处，隐患整改率90%", "63", "90", True),  # 隐患 names the counted hazards
        ("信访件接件63件，及时受理率100%，按期答复率100%，满意率90%", "63", "90", True),  # the seed
        ("受理12345市民服务热线工单1,046件,按时办结率99.14%", "1,046", "99.14", True),
        ("建成充电桩40个，群众满意率93.6%", "40", "93.6", False),  # residents are asked, not piles
        ("安装智能门禁系统26套，居民知晓率91.3%", "26", "91.3", False),
        ("为老年人接种流感疫苗1860人，接种率68.5%", "1860", "68.5", False),  # over the eligible
        ("受理投诉120件，开展培训3次，办结率97.5%", "120", "97.5", False),  # a clause about else
        ("开展培训3次，办结率97.5%", "3", "97.5", False),  # training is no caseload
        ("开展安全检查65次，整改率95%", "65", "95", False),  # nor are inspections
        ("受理投诉120件，群众满意率97.5%", "120", "97.5", False),  # the asked are named
        ("受理投诉120件，合格率97.5%", "120", "97.5", False),  # no handling rate: unsure
    ],
)
def test_a_rate_is_tied_to_a_count_only_when_it_names_those_cases(text, count, rate, due):
    count_at = text.index(count)
    assert tied(text, count_at, text.rindex(rate)) is due


@pytest.mark.parametrize(
    "text, count, rate, found",
    [
        ("在望江社区建成充电桩40个，群众满意率93.6%", "40", "93.6", []),
        ("为桂湖社区安装智能门禁系统26套，居民知晓率91.3%", "26", "91.3", []),
        ("发放反诈宣传资料1500份，辖区群众反诈知晓率达87.3%", "1500", "87.3", []),
        ("排查燃气安全隐患63处，整改率90%", "63", "90", [("implausible_rate", "info", [0, 1])]),
        ("受理投诉7件，办结率50%", "7", "50", [("implausible_rate", "warning", [0, 1])]),
        ("受理投诉120件，办结率97.5%", "120", "97.5", []),
    ],
)
def test_the_integer_numerator_check_runs_on_tied_rates_only(text, count, rate, found):
    name, unit = text[: text.index(count)], text[text.index(count) + len(count)]
    inds = [
        ind(name, count, unit, text),
        ind(text[text.rindex("，") + 1 : text.rindex(rate)], rate, "%", text),
    ]
    assert summary(inds) == found


# Pattern 27: 其中 is a breakdown only when it lists parts of the whole.
def test_a_new_fact_after_the_parts_of_a_qizhong_is_no_part():
    text = "工程合同金额95万元，其中设计监理费3万元，目前已支付工程款90万元"
    inds = [
        ind("工程合同金额", "95", "万元", text),
        ind("设计监理费", "3", "万元", text),
        ind("支付工程款", "90", "万元", text),
    ]
    assert summary(inds) == []


def test_a_colon_list_of_parts_is_closed_by_a_new_fact():
    text = "项目资金100万元，其中：中央60万元，省级30万元，目前已拨付95万元"
    inds = [
        ind("项目资金", "100", "万元", text),
        ind("中央", "60", "万元", text),
        ind("省级", "30", "万元", text),
        ind("拨付", "95", "万元", text),
    ]
    assert summary(inds) == [("sum_mismatch", "info", [0, 1, 2])]  # 60 + 30 = 90 of 100: maybe unlisted


def test_a_floor_every_member_reaches_is_no_total():
    text = "全镇行政村集体经济收入均超过10万元，其中柏树村达到52万元"
    inds = [ind("集体经济收入", "10", "万元", text), ind("柏树村集体经济收入", "52", "万元", text)]
    assert summary(inds) == []


def test_parts_joined_by_dunhao_are_summed_and_a_shortfall_is_info():
    text = "全年开展志愿服务活动420场次，其中东苑社区150场次、西苑社区130场次、清河社区130场次"
    inds = [ind("志愿服务活动", "420", "场次", text)] + [
        ind(f"{c}社区志愿服务活动", v, "场次", text)
        for c, v in (("东苑", "150"), ("西苑", "130"), ("清河", "130"))
    ]
    assert summary(inds) == [("sum_mismatch", "info", [0, 1, 2, 3])]


def test_parts_named_by_attributes_may_overlap_in_any_unit():
    text = "服务群众1200人次，其中老年人860人次、残疾人420人次"
    inds = [
        ind("服务群众", "1200", "人次", text),
        ind("老年人", "860", "人次", text),
        ind("残疾人", "420", "人次", text),
    ]
    assert summary(inds) == []


def test_an_attribute_part_above_the_whole_is_still_a_warning():
    text = "服务群众1200人次，其中老年人1260人次"
    inds = [ind("服务群众", "1200", "人次", text), ind("老年人", "1260", "人次", text)]
    assert summary(inds) == [("sum_mismatch", "warning", [0, 1])]


def test_parts_named_by_places_do_not_overlap():
    text = "服务老年人1200人次，其中东苑社区700人次、西苑社区600人次"
    inds = [ind("服务老年人", "1200", "人次", text)] + [
        ind(f"{c}社区服务老年人", v, "人次", text) for c, v in (("东苑", "700"), ("西苑", "600"))
    ]
    assert summary(inds) == [("sum_mismatch", "warning", [0, 1, 2])]


def test_parts_above_the_whole_stay_a_warning():
    text = "新建和硬化田间道路31.8公里，其中机耕路19.6公里、生产便道14.2公里"
    inds = [
        ind("田间道路", "31.8", "公里", text),
        ind("机耕路", "19.6", "公里", text),
        ind("生产便道", "14.2", "公里", text),
    ]
    assert summary(inds) == [("sum_mismatch", "warning", [0, 1, 2])]


# Pattern 28: funds vocabulary.
def read_funds(*sentences: str) -> tuple:
    reader = FundsReader()
    for text in sentences:
        canon = canonical(text)
        found = fund_figures(canon, 0, len(canon), figures(canon, 0, len(canon)))
        if found:
            reader.add(found, text, (0, len(text)))
    f = reader.funds
    return f.budget, f.budget_initial, f.arrived, f.spent


@pytest.mark.parametrize(
    "sentences, amounts",
    [
        (  # a lone 年初预算 is the budget; 基本支出/项目支出 split it; 拨付 is the spending
            ("本项目年初预算486万元，其中：基本支出36万元，项目支出450万元", "已向各社区拨付资金472.3万元"),
            (4860000, 4860000, None, 4723000),
        ),
        (
            ("年初预算500万元，全年（调整）预算数800万元，全年执行数760万元",),
            (8000000, 5000000, None, 7600000),
        ),
        (  # 实际支出 wins over 拨付 whatever the order
            ("实际支出752万元", "已拨付各村（社区）780万元"),
            (None, None, None, 7520000),
        ),
        (("已拨付各村（社区）780万元", "实际支出752万元"), (None, None, None, 7520000)),
        (("年初预算560万元，年中追加120万元",), (None, 5600000, None, None)),  # adjusted: no 全年预算
        (("年初预算560万元，已全部到位",), (5600000, 5600000, 5600000, None)),
        (("年初预算560万元", "年中追加预算120万元，调整后预算680万元"), (6800000, 5600000, None, None)),
        (("区财政拨付资金300万元",), (None, None, 3000000, None)),  # money given to the unit arrives
        (("下达资金300万元，截至年底已拨付各社区285万元",), (3000000, None, None, 2850000)),
        (("目前已支付工程款90万元",), (None, None, None, None)),  # a contract's payment, not the project's
        (("项目资金95万元，其中管理费3万元，目前已拨付90万元",), (950000, None, None, 900000)),
        (("项目资金100万元，其中：中央资金支出60万元",), (1000000, None, None, None)),  # a part of spending
        (
            ("项目资金全部为财政拨款，按时足额到位，资金到位率100%，预算执行率96.5%",),
            (None, None, None, None),
        ),
    ],
)
def test_fund_sentences_read_as_pattern_28_says(sentences, amounts):
    assert read_funds(*sentences) == tuple(None if a is None else Decimal(a) for a in amounts)


def test_a_stated_execution_rate_is_not_checked_against_a_disbursal():
    reader = FundsReader()
    for text in ("下达资金300万元，截至年底已拨付各社区285万元，预算执行率90%", "实际支出270万元"):
        canon = canonical(text)
        reader.add(fund_figures(canon, 0, len(canon), figures(canon, 0, len(canon))), text, (0, len(text)))
        f = reader.funds
        assert summary([], funds=f) == []  # 285/300 = 95% is no 执行率; 270/300 = 90% is
    assert (f.spent, f.stated_execution_rate) == (Decimal(2700000), Decimal(90))


def test_a_sentence_of_fund_rates_only_is_a_funds_sentence_without_amounts():
    canon = canonical("资金到位率100%，预算执行率96.5%")
    assert fund_figures(canon, 0, len(canon), figures(canon, 0, len(canon))) == {"rates_only": Decimal(0)}
    canon = canonical("开展培训3次，预算执行率96.5%")
    assert fund_figures(canon, 0, len(canon), figures(canon, 0, len(canon))) == {}


def test_spending_from_a_disbursal_is_checked_like_any_spending():
    funds = Funds(budget=Decimal(3000000), arrived=Decimal(3000000), spent=Decimal(28560000))
    assert summary([], funds=funds) == [("fund_inconsistency", "warning", [])]  # spent > arrived


# Claims: only a claim about all targets, minus the exceptions it names.
@pytest.mark.parametrize(
    "sentence, scope",
    [
        ("年度绩效目标已全部完成", Scope()),
        ("2023年度各项目标任务均已完成", Scope()),
        ("计划硬化村组通户道路14.5公里，已全部完成", None),
        ("集体经济收入合计386.4万元，较年初目标增加46.4万元，集体经济薄弱村全部实现“清零”", None),
        (
            "除农村户厕改造、村级污水处理站建设和农房风貌改造3项任务未全部完成外，其余目标任务均已完成",
            Scope(("户厕", "污水处理站", "农房风貌")),
        ),
        ("从上表看，除社区助餐点建设外，其余指标均已完成", Scope(("助餐点",))),
        ("除个别指标外，其余目标均已完成", Scope(vague=True)),
    ],
)
def test_what_a_claim_claims(sentence, scope):
    assert claim_scope(sentence) == scope


def test_a_missed_target_is_excepted_when_its_core_words_name_an_exception():
    scope = claim_scope(
        "除农村户厕改造、村级污水处理站建设和农房风貌改造3项任务未全部完成外，其余目标任务均已完成"
    )
    assert [
        excepted(scope, n) for n in ("改造农村户厕", "问题户厕已", "新建村级污水处理站", "新建养老服务站")
    ] == [
        True,
        True,
        True,
        False,
    ]


HEDGED = "除农房风貌改造任务未全部完成外，其余目标任务均已完成"
MISSED_HOUSES = "计划实施农房风貌改造100栋，其中已完工86栋"
MISSED_STATIONS = "计划新建社区养老服务站6个，已建成4个"


@pytest.mark.parametrize(
    "claims, found",
    [
        ((HEDGED,), [("target_missed", "warning", [0])]),
        (("计划硬化村组通户道路14.5公里，已全部完成",), [("target_missed", "warning", [0])]),
        (
            ("年度绩效目标已全部完成",),
            [("target_missed", "warning", [0]), ("claim_contradicted", "warning", [0])],
        ),
    ],
)
def test_a_claim_is_contradicted_only_by_a_miss_it_covers(claims, found):
    inds = [ind("实施农房风貌改造", "86", "栋", MISSED_HOUSES, target="100")]
    assert summary(inds, claims) == found


def test_a_hedged_claim_is_contradicted_by_a_miss_outside_its_exceptions():
    inds = [
        ind("实施农房风貌改造", "86", "栋", MISSED_HOUSES, target="100"),
        ind("新建社区养老服务站", "4", "个", MISSED_STATIONS, target="6"),
    ]
    found = summary(inds, [HEDGED])
    assert found[-1] == ("claim_contradicted", "warning", [1])


@pytest.mark.parametrize(
    "sentence, names",
    [
        (
            "全镇6个行政村集体经济收入均超过10万元，其中柏树村达到52万元",
            ["行政村集体经济收入", "行政村集体经济收入", "柏树村集体经济收入"],
        ),
        (
            "全年组织志愿服务活动186场次，其中南塘社区42场次、北塘社区38场次",
            ["志愿服务活动", "南塘社区志愿服务活动", "北塘社区志愿服务活动"],
        ),
        ("共有党员120名，其中：东苑社区40名，西苑社区80名", ["党员", "东苑社区党员", "西苑社区党员"]),
        ("服务对象1200人，其中老年人860人", ["服务对象", "老年人"]),  # named by more than a place
        (
            "建成充电桩40个，柏树村12个",
            ["建成充电桩", "柏树村建成充电桩"],
        ),  # no 其中, but named after the whole
    ],
)
def test_a_qizhong_part_named_by_its_place_takes_the_noun_of_its_whole(sentence, names):
    assert [i.name for i in reader.indicators_in(sentence)] == names


@pytest.mark.parametrize(
    "actual, rate, found",
    [
        ("217", "108.5", []),  # 217 / 1.085 = 200
        ("215", "108.5", [("implausible_rate", "info", [0])]),  # 198.16: a question, not proof
        ("2086", "10500", [("implausible_rate", "warning", [0])]),  # over 1000%: a probable typo
    ],
)
def test_an_implied_target_that_is_no_whole_count_is_info(actual, rate, found):
    text = f"新增就业岗位{actual}个，完成率{rate}%"
    assert summary([ind("新增就业岗位", actual, "个", text, rate=rate)]) == found
