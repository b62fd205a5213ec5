"""Unit: meeting.brief (the meeting brief, data only), meeting.slides (slides built from it), figures and svg (their drawings)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from jixiao_core import facts
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import figures as slide_figures
from jixiao_core.meeting import svg as svg_charts
from jixiao_core.meeting.slides import ChartSpec, Series, build_slides

UNIT = "雨花街道办事处"


@pytest.fixture(scope="module")
def brief(seeded_url) -> briefing.Brief:
    from jixiao_core import db

    engine = db.make_engine(seeded_url)
    with Session(engine) as s:
        b = briefing.brief(s, UNIT, 2023)
    engine.dispose()
    return b


@pytest.mark.parametrize(
    "actual, target, comparator, direction, rate, status",
    [
        ("9.67", "8.64", None, "positive", None, "met"),
        ("17.06", "24", None, "positive", "71.07", "missed"),
        ("5", "3", "<=", "negative", None, "missed"),
        ("2", "3", "<=", "negative", None, "met"),
        ("10", None, None, "positive", "100", "untargeted"),
        ("93", None, None, "positive", None, "untargeted"),
        ("1", None, None, "positive", "95", "untargeted"),
    ],
)
def test_status_compares_actual_with_the_stated_target_only(
    actual, target, comparator, direction, rate, status
):
    ind = facts.Indicator(
        "x",
        Decimal(actual),
        "个",
        target=Decimal(target) if target else None,
        comparator=comparator,
        direction=direction,
        rate=Decimal(rate) if rate else None,
    )
    assert briefing.status_of(ind) == status


def test_pct_rounds_half_up_and_refuses_a_zero_denominator():
    assert briefing.pct(Decimal(53), Decimal(54)) == Decimal("98.15")
    assert briefing.pct(Decimal(1), Decimal(0)) is None
    assert briefing.pct(None, Decimal(1)) is None


def test_brief_reads_funds_and_rates_from_the_stored_report(brief):
    assert (brief.unit, brief.year, brief.project) == (UNIT, 2023, "街道工作经费")
    assert (brief.funds.budget, brief.funds.arrived, brief.funds.spent) == (Decimal(4500000),) * 3
    assert (brief.arrival_rate, brief.execution_rate, brief.execution_rate_arrived) == (
        Decimal("100.00"),
    ) * 3
    assert brief.funds_by_year == ((2023, Decimal(4500000), Decimal(4500000)),)


def test_brief_counts_met_missed_and_untargeted_per_area(brief):
    assert [(a.seq, a.met, a.missed, a.untargeted) for a in brief.areas] == [
        (1, 2, 2, 5),
        (2, 0, 0, 7),
        (3, 0, 0, 7),
        (4, 0, 0, 10),
        (5, 0, 1, 6),
        (6, 0, 1, 25),
        (7, 0, 1, 23),
        (8, 0, 0, 4),
    ]
    assert (brief.count("met"), brief.count("missed"), brief.count("untargeted")) == (2, 5, 87)


def test_missed_targets_use_the_stated_rate_else_actual_over_target(brief):
    assert [(t.name, t.rate) for t in brief.missed] == [
        ("规模以上固定资产投资", Decimal("71.07")),
        ("招商引资省外到位资金", Decimal("37")),
        ("重精患者在册在管", Decimal("98.15")),
        ("区级问题清单化解", Decimal("95.74")),
        ("强制垃圾分类示范小区建成", Decimal("50.00")),
    ]


def test_communities_problems_and_next_steps_come_from_the_report(brief):
    assert [(c.name, c.facts) for c in brief.communities if c.facts] == [("雨花", 1), ("颐明园", 2)]
    assert len(brief.communities) == 8
    assert brief.problems == (
        "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系",
        "部分成果无法用指标方式表示",
        "在绩效考评指标的设计上流于形式，有待完善",
    )
    assert brief.next_steps[0] == "规模以上固定资产投资：完成率 71.07%，说明偏差原因并制定整改措施"
    assert brief.next_steps[-1] == "评价结果应用：为下一年年度预算提供依据。"


def test_findings_are_ordered_by_severity(brief):
    order = {"error": 0, "warning": 1, "info": 2}
    ranks = [order[f.severity] for f in brief.findings]
    assert ranks == sorted(ranks) and len(brief.findings) == len(brief.report.findings)


def test_slides_are_the_eight_meeting_views(brief):
    assert [s.key for s in build_slides(brief)] == [
        "title",
        "kpis",
        "funds",
        "areas",
        "issues",
        "communities",
        "score",
        "next",
    ]
    kpis = {k.label: k.value for k in build_slides(brief)[1].kpis}
    assert (
        kpis["全年预算"] == "450.00万元"
        and kpis["预算执行率"] == "100.00%"
        and kpis["有目标指标达标"] == "2 / 7"
    )


WATERFALL = ChartSpec(
    "waterfall",
    "得分构成",
    ("预算执行", "产出指标", "总分"),
    (Series("基数", (0.0, 10.0, 0.0), hidden=True), Series("得分", (10.0, 50.0, 60.0))),
)


@pytest.mark.parametrize(
    "kind, trace_types",
    [
        ("column", ["bar"]),
        ("line", ["scatter"]),
        ("pie", ["pie"]),
        ("doughnut", ["pie"]),
        ("bullet", ["bar", "bar"]),
    ],
)
def test_slide_figure_draws_each_kind_with_its_trace(kind, trace_types):
    spec = ChartSpec(
        kind, "t", ("a", "b"), tuple(Series(f"s{n}", (1.0, 2.0)) for n in range(len(trace_types)))
    )
    assert [t.type for t in slide_figures.figure(spec).data] == trace_types


def test_slide_figure_waterfall_hides_its_base():
    fig = slide_figures.figure(WATERFALL)
    assert fig.layout.barmode == "stack"
    assert fig.data[0].marker.color == "rgba(0,0,0,0)" and fig.data[0].showlegend is False
    assert tuple(fig.data[1].y) == (10.0, 50.0, 60.0)


def test_svg_waterfall_offsets_each_bar_by_its_base():
    svg = svg_charts.bar_svg(WATERFALL)
    # scale: 60 points over 640 − 150 − 70 = 420 px → 7 px per point
    assert svg.count("<rect") == 3
    assert '<rect x="150.0" y="4.0" width="70.0"' in svg
    assert '<rect x="220.0" y="28.0" width="350.0"' in svg


def test_svg_escapes_category_labels():
    spec = ChartSpec("bar", "<t>", ("<script>",), (Series("s", (1.0,)),))
    svg = svg_charts.bar_svg(spec)
    assert "&lt;script&gt;" in svg and "<script>" not in svg
