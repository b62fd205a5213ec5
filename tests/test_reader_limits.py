"""The reader's limits (issue 15 §1 and §3): a long list of duties reads in linear time, a stated rate of any length
ends as a value or the one named error, and damaged reports give a report or an InputError, never anything else."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from jixiao_core import reader, workers
from jixiao_core.audit import audit
from jixiao_core.errors import InputError
from tests.report_strategies import damaged_reports, read_and_audit

DUTIES = (
    "党建和群团、纪检和监察、组织人事、宣传统战、政法综治、城市管理、社会事务、经济发展、财政审计、安全生产、"
    "应急管理、信访维稳、民政优抚、卫生健康、文化体育、教育科技、人口计生、环境保护、规划建设、市场监管、退役军人"
)
REPORT = """某街道办事处2023年度街道工作经费绩效自评报告
一、基本情况
（一）项目概况
街道主要承担{duties}等工作。
二、绩效目标完成情况
（一）党建工作
开展主题党日活动12场，完成率{rate}%。
"""


@pytest.mark.parametrize("copies", [1, 3])
def test_a_list_of_21_or_63_duties_reads_inside_a_one_second_budget(copies):
    """The community-list pattern once backtracked on such a list (45 s at 21 items, doubling with each more). Read
    under the worker's budget, an exponential pattern would end in the timeout message instead of the report."""
    duties = "、".join([DUTIES] * copies)
    assert duties.count("、") + 1 == 21 * copies
    text = REPORT.format(duties=duties, rate="100")
    rep = workers.run("duties.txt", reader.parse_text, text, lim={"parse": 1.0, "ocr_page": 1.0})
    assert (rep.unit_name, [(i.name, i.actual, i.rate) for i in rep.indicators]) == (
        "某街道办事处",
        [("主题党日活动", Decimal(12), Decimal(100))],
    )


@pytest.mark.parametrize("digits", [26, 40, 300])
def test_a_stated_rate_of_many_digits_is_read_and_flagged_not_crashed_on(digits):
    """26 or more digits once raised decimal.InvalidOperation while the rate was quantized (exit 1)."""
    rep = reader.parse_text(REPORT.format(duties="党建和群团", rate="9" * digits))
    assert (
        [(i.name, i.actual, i.rate) for i in rep.indicators],
        [(f.kind, f.severity) for f in audit(rep)],
    ) == ([("主题党日活动", Decimal(12), Decimal("9" * digits))], [("implausible_rate", "warning")])


def test_the_command_line_reads_a_rate_of_300_digits_with_exit_0(tmp_path, capsys):
    from jixiao_core.cli import main

    path = tmp_path / "long_rate.txt"
    path.write_text(REPORT.format(duties=DUTIES, rate="9" * 300), encoding="utf-8")
    assert main(["audit", str(path)]) == 0
    assert not re.search(r"Traceback|InvalidOperation", capsys.readouterr().out)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(damaged_reports())
def test_a_damaged_report_gives_a_report_or_an_input_error(text):
    assert isinstance(read_and_audit(text), str)


def test_an_input_error_names_the_file():
    with pytest.raises(InputError) as err:
        reader.parse_text("一段与绩效无关的文字。", "随笔.txt")
    assert str(err.value).startswith("随笔.txt")
