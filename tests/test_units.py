"""Unit: jixiao_core.units and jixiao_core.status — the one unit, comparator and met/missed table, and every consumer
(report reader, workbook reader, auditor, scorer, stored status) giving the same answer for every spelling."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao_core import status, units
from jixiao_core.audit.checks import pair
from jixiao_core.facts import Indicator
from jixiao_core.numbers import parse_quantity
from jixiao_core.scoring.score import score
from jixiao_core.selfeval import SelfEvalTable, TableRow
from jixiao_core.selfeval.cells import cell_value


@pytest.mark.parametrize(
    "value, unit, base_value, base_unit",
    [
        ("9.67", "亿元", "967000000", "元"),
        ("450", "万元", "4500000", "元"),
        ("7.8", "万平方米", "78000", "平方米"),
        ("171", "名", "171", "人"),
        ("98", "百分比", "98", "%"),
        ("2", "公里", "2000", "米"),
        ("12.8", "万剂次", "128000", "剂次"),
        ("3", "吨", "3000", "千克"),
        ("2", "天", "2880", "分钟"),
    ],
)
def test_to_base_scales_through_the_unit_table(value, unit, base_value, base_unit):
    assert units.to_base(D(value), unit) == (D(base_value), base_unit)


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("亿元", "万元", True),
        ("名", "人", True),
        ("位", "名", True),
        ("公斤", "吨", True),
        ("%", "百分比", True),
    ]
    + [("万人次", "人次", True), ("小时", "天", True), ("平米", "万平方米", True), ("斤两", "斤两", True)]
    + [
        ("户", "%", False),
        ("人", "人次", False),
        ("亩", None, False),
        ("元", "斤两", False),
        ("亩", "平方米", False),
    ],
)
def test_comparable_units_share_a_base(a, b, same):
    assert units.comparable(a, b) is same


def test_a_unit_the_table_does_not_know_compares_only_with_itself():
    assert (units.lookup("斤两"), units.scale("斤两"), units.scale(None)) == (None, ("斤两", D(1)), None)


def test_convert_scales_and_refuses_what_does_not_compare():
    got = (
        units.convert(D("0.25"), "万元", "元"),
        units.convert(D(60), "户", "%"),
        units.convert(D(5), None, "%"),
    )
    assert got == (D("2500"), None, D(5))


# Every comparator word of the table, read by the report reader and by the workbook reader.
@pytest.mark.parametrize("c", units.COMPARATORS, ids=lambda c: c.word)
def test_every_comparator_word_reads_alike_in_prose_and_in_a_workbook_cell(c):
    text = f"98%{c.word}" if c.suffix else f"{c.word}98%"
    q, cell = parse_quantity(text), cell_value(text)
    assert ((q.value, q.unit, q.comparator), (cell.number, cell.unit, cell.comparator)) == (
        (D(98), "%", c.op),
        (D(98), "%", c.op),
    )


SPELLINGS = [
    *units.ALIASES,
    "名",
    "位",
    "公斤",
    "吨",
    "万元",
    "亿元",
    "万平方米",
    "平方公里",
    "公顷",
    "‰",
    "个工作日",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_unit_spelling_reads_alike_in_prose_and_in_a_workbook_cell(spelling):
    q, cell = parse_quantity(f"≥12{spelling}"), cell_value(f"≥12{spelling}")
    expected = units.normalize(spelling.replace("²", "2").replace("％", "%"))
    assert ((q.value, q.unit), (cell.number, cell.unit)) == ((D(12), expected), (D(12), expected))


# actual, its unit, target, its unit, actual ÷ target in the target's unit (None: they do not compare)
PAIRS = [
    ("500", "公斤", "1", "吨", D("0.5")),
    ("171", "名", "180", "人", D("0.95")),
    ("36", "位", "40", "名", D("0.9")),
    ("9.67", "亿元", "86400", "万元", D("9.67") * 10**4 / 86400),
    ("7.8", "万平方米", "80000", "平米", D("0.975")),
    ("2", "公里", "2500", "米", D("0.8")),
    ("36", "小时", "2", "天", D("0.75")),
    ("90", "百分比", "95", "%", D(90) / 95),
    ("60", "户", "50", "%", None),
    ("3", "亩", "2000", "平方米", None),
]


def _auditor(a, au, t, tu):
    p = pair(Indicator("指标", D(a), au, D(t), tu))
    return None if p is None else p.scaled / p.target


def _scorer(a, au, t, tu):
    row = TableRow(
        "产出指标", "数量指标", "指标", target=D(t), target_unit=tu, actual=D(a), actual_unit=au, weight=D(10)
    )
    result = score(SelfEvalTable(rows=[row], budget=D(1), spent=D(1)))
    if not result.rows:
        return None
    return result.rows[0].score


def _status(a, au, t, tu):
    j = status.judge(D(a), au, D(t), tu)
    return None if j.status == "incomparable" else j.completion / 100


@pytest.mark.parametrize("a, au, t, tu, ratio", PAIRS, ids=[f"{p[1]}-{p[3]}" for p in PAIRS])
def test_auditor_scorer_and_status_compare_every_pair_of_units_alike(a, au, t, tu, ratio):
    points = None if ratio is None else (10 * min(ratio, D(1))).quantize(D("0.01"))
    assert (_auditor(a, au, t, tu), _scorer(a, au, t, tu), _status(a, au, t, tu)) == (ratio, points, ratio)


@pytest.mark.parametrize(
    "actual, unit, target, target_unit, comparator, direction, expected",
    [
        ("9.67", "亿元", "8.64", "亿元", None, "positive", "met"),
        ("17.06", "亿元", "24", "亿元", None, "positive", "missed"),
        ("9.67", "亿元", "86400", "万元", None, "positive", "met"),  # SQL compared 9.67 with 86400 before
        ("3", "件", "5", "件", "<=", None, "met"),
        ("6", "件", "5", "件", None, "negative", "missed"),
        ("98", "%", "98", None, "=", "equal", "met"),
        (None, None, "90", "%", None, "positive", "no_actual"),
        ("10", "个", None, None, None, "positive", "no_target"),
        ("60", "户", "50", "%", None, "positive", "incomparable"),
    ],
)
def test_status_judges_against_the_stated_target_in_its_unit(
    actual, unit, target, target_unit, comparator, direction, expected
):
    j = status.judge(
        None if actual is None else D(actual),
        unit,
        None if target is None else D(target),
        target_unit,
        comparator,
        direction,
    )
    assert j.status == expected


def test_stored_statuses_read_by_sql_are_the_ones_python_judges(engine):
    from sqlalchemy.orm import Session

    from jixiao_core import db, queries
    from jixiao_core.facts import Report
    from jixiao_core.store.write import Origin, store_report

    inds = [
        Indicator("收入", D("9.67"), "亿元", D("86400"), "万元"),
        Indicator("投资", D("17.06"), "亿元", D("24"), "亿元"),
        Indicator("投诉", D("3"), "件", D("5"), "件", comparator="<="),
        Indicator("事故", D("6"), "起", D("5"), "起", direction="negative"),
        Indicator("满意率", None, None, D("90"), "%", rate=D("92")),
        Indicator("活动", D("10"), "场"),
        Indicator("就业", D("60"), "户", D("50"), "%"),
        Indicator("清运", D("500"), "公斤", D("1"), "吨"),
        Indicator("党员", D("171"), "名", D("170"), "人"),
    ]
    rep = Report(None, unit_name="甲街道", project_name="经费", year=2023, indicators=inds)
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        store_report(s, rep, Origin("report", "甲.txt", "ab" * 32, "document"))
    with engine.connect() as conn:
        got = queries.indicators_for(conn, "甲街道", 2023)
    python = [status.of(i) for i in inds]
    assert (
        list(got["status"])
        == [j.status for j in python]
        == [
            "met",
            "missed",
            "met",
            "missed",
            "no_actual",
            "no_target",
            "incomparable",
            "missed",
            "met",
        ]
    )
    assert [None if c != c else round(c, 4) for c in got["completion"]] == [
        None if j.completion is None else round(float(j.completion), 4) for j in python
    ]
