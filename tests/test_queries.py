"""Unit: the read side (jixiao_core.queries, fund_queries, community_queries, comparisons) — each question's frame
on a tiny hand-made database (2 units, 2 years, 3 areas)."""

from datetime import datetime
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy.orm import Session

from jixiao_core import db, queries
from jixiao_core import models as m
from jixiao_core.store.write import judged

NAN = np.nan


def _indicator(py, area, seq, name, actual, unit, **kw):
    # rows are judged (status, completion) as every write path judges them
    return judged(
        m.Indicator(
            project_year_id=py.id,
            area_id=area.id if area else None,
            seq=seq,
            name=name,
            actual=D(actual),
            actual_printed=actual,
            unit=unit,
            target=D(kw["target"]) if "target" in kw else None,
            target_printed=kw.get("target"),
            target_unit=unit if "target" in kw else None,
            direction=kw.get("direction", "positive"),
            community_id=kw["community"].id if "community" in kw else None,
            text=kw.get("text", f"{name}{actual}{unit}"),
            source_kind="bundled",
            is_generated=kw.get("generated", False),
        )
    )


def _project_year(
    s, project, year, batch, budget, arrived, spent, *, current=True, revision=1, generated=False
):
    py = m.ProjectYear(
        project_id=project.id,
        year=year,
        revision=revision,
        is_current=current,
        batch_id=batch.id,
        budget=D(budget),
        arrived=D(arrived),
        spent=D(spent),
        is_generated=generated,
    )
    s.add(py)
    s.flush()
    return py


def _areas(s, py, *rows):
    areas = [m.WorkArea(project_year_id=py.id, seq=seq, title=title, key=key) for seq, title, key in rows]
    s.add_all(areas)
    s.flush()
    return areas


def _jia(s, batches):
    unit = m.Unit(name="甲街道", district="某区")
    s.add(unit)
    s.flush()
    east, west, south = (
        m.Community(unit_id=unit.id, seq=1, name="东社区", kind="城市社区"),
        m.Community(unit_id=unit.id, seq=2, name="西社区", kind="村改居社区"),
        m.Community(unit_id=unit.id, seq=3, name="南社区", kind=None),
    )
    s.add_all([east, west, south])
    project = m.Project(unit_id=unit.id, name="街道工作经费")
    s.add(project)
    s.flush()
    old = _project_year(
        s, project, 2023, batches[0], 9, 9, 9, current=False
    )  # a replaced revision: never shown
    s.add(_indicator(old, None, 0, "旧指标", "1", "个"))
    py22 = _project_year(s, project, 2022, batches[1], 1500000, 1500000, 1500000)
    econ22, safe22 = _areas(s, py22, (1, "抓经济", "economy"), (2, "保平安", "safety"))
    s.add_all(
        [
            _indicator(py22, econ22, 0, "收入", "8.00", "亿元", target="8.00"),
            _indicator(py22, econ22, 1, "投资", "20", "亿元"),
            _indicator(py22, safe22, 2, "化解", "40", "个"),
        ]
    )
    py = _project_year(s, project, 2023, batches[2], 2000000, 1800000, 1670000, revision=2)
    econ, safe, culture = _areas(
        s, py, (1, "抓经济", "economy"), (2, "保平安", "safety"), (3, "文化活动", None)
    )
    s.add_all(
        [
            _indicator(py, econ, 0, "收入", "9.67", "亿元", target="8.64"),
            _indicator(py, econ, 1, "投资", "17.06", "亿元", target="24"),
            _indicator(py, safe, 2, "化解", "45", "个", target="47"),
            _indicator(py, safe, 3, "投诉", "3", "件", target="5", direction="negative"),
            _indicator(py, safe, 4, "消杀社区", "3", "个", text="完成辖区3个社区全覆盖病媒消杀"),
            _indicator(py, culture, 5, "活动", "15", "场", community=east),
            _indicator(py, culture, 6, "活动", "12", "场", community=west),
            _indicator(py, None, 7, "其他", "1", "次"),
            m.Goal(project_year_id=py.id, seq=1, text="抓好经济", area_seq=1),
            m.Goal(project_year_id=py.id, seq=2, text="维护平安", area_seq=2),
            m.Goal(project_year_id=py.id, seq=3, text="其他工作", area_seq=None),
            m.Finding(
                project_year_id=py.id,
                kind="target_missed",
                severity="info",
                message="化解未达",
                indicator_seqs="2",
            ),
            m.Finding(
                project_year_id=py.id,
                kind="target_missed",
                severity="warning",
                message="投资未达",
                indicator_seqs="1",
            ),
            m.Finding(
                project_year_id=py.id,
                kind="rate_mismatch",
                severity="error",
                message="不符",
                indicator_seqs="0,12",
            ),
            m.Claim(project_year_id=py.id, text="目标已全部完成"),
            m.Section(project_year_id=py.id, key="conclusion", text="经费保障了工作开展。"),
            m.Section(project_year_id=py.id, key="problems", text="不是结论"),
            *(
                m.Disbursement(project_year_id=py.id, month=month, spent_to_date=D(spent))
                for month, spent in ((3, 500000), (7, 800000), (10, 900000))
            ),
        ]
    )


def _yi(s, batch):
    unit = m.Unit(name="乙街道", is_generated=True)
    s.add(unit)
    s.flush()
    project = m.Project(unit_id=unit.id, name="街道工作经费")
    s.add(project)
    s.flush()
    py = _project_year(s, project, 2023, batch, 1000000, 1000000, 800000, generated=True)
    (econ,) = _areas(s, py, (1, "经济", "economy"))
    s.add(_indicator(py, econ, 0, "收入", "5", "亿元", target="4", generated=True))


@pytest.fixture(scope="module")
def conn(new_db_url):
    engine = db.make_engine(new_db_url("queries"))
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        batches = [
            m.ImportBatch(kind=k, file_name=f"{n}.txt", sha256=str(n) * 64, imported_at=datetime(2024, 1, n))
            for n, k in ((1, "report"), (2, "report"), (3, "report"), (4, "generated"))
        ]
        batches[3].is_generated = True
        s.add_all(batches)
        s.flush()
        _jia(s, batches)
        _yi(s, batches[3])
    with engine.connect() as c:
        yield c


def frame(rows, columns, dtypes=None):
    df = pd.DataFrame(rows, columns=columns)
    return df.astype(dtypes) if dtypes else df


def test_data_version_is_the_newest_import_batch(conn):
    assert queries.data_version(conn) == 4


def test_units_lists_real_units_before_generated_ones(conn):
    expected = frame(
        [["甲街道", None, "某区", False, 2], ["乙街道", None, None, True, 1]],
        ["name", "kind", "district", "is_generated", "years"],
    )
    assert_frame_equal(queries.units(conn), expected)


def test_years_counts_only_current_revisions(conn):
    assert_frame_equal(
        queries.years(conn, "甲街道"), frame([[2022, False], [2023, False]], ["year", "is_generated"])
    )


def test_areas_for_a_year_range_match_areas_by_key_or_title(conn):
    expected = frame(
        [["economy", 1, "抓经济"], ["safety", 2, "保平安"], ["文化活动", 3, "文化活动"]],
        ["area_key", "area_seq", "area_title"],
    )
    assert_frame_equal(queries.areas_for(conn, "甲街道", 2022, 2023), expected)


FUNDS = [
    "year",
    "budget",
    "budget_initial",
    "arrived",
    "spent",
    "arrival_rate",
    "execution_rate",
    "execution_rate_arrived",
    "is_generated",
]


def test_funds_for_year_gives_both_execution_rate_denominators(conn):
    expected = frame([[2023, 2e6, NAN, 1.8e6, 1.67e6, 90.0, 83.5, 92.777778, False]], FUNDS)
    assert_frame_equal(queries.funds_for_year(conn, "甲街道", 2023), expected)


def test_funds_for_a_year_without_report_is_an_empty_typed_frame(conn):
    got = queries.funds_for_year(conn, "甲街道", 2021)
    assert (list(got.columns), len(got), str(got["budget"].dtype)) == (FUNDS, 0, "float64")


def test_funds_by_year_lists_each_current_year(conn):
    expected = frame(
        [
            [2022, 1.5e6, NAN, 1.5e6, 1.5e6, 100.0, 100.0, 100.0, False],
            [2023, 2e6, NAN, 1.8e6, 1.67e6, 90.0, 83.5, 92.777778, False],
        ],
        FUNDS,
    )
    assert_frame_equal(queries.funds_by_year(conn, "甲街道"), expected)


COMPLETION_COLUMNS = ["seq", "area_key", "community", "name", "completion", "status"]


def test_indicators_for_recompute_completion_and_status(conn):
    expected = frame(
        [
            [0, "economy", None, "收入", 111.921296, "met"],
            [1, "economy", None, "投资", 71.083333, "missed"],
            [2, "safety", None, "化解", 95.744681, "missed"],
            [3, "safety", None, "投诉", 166.666667, "met"],  # 反向: 5 ÷ 3
            [4, "safety", None, "消杀社区", NAN, "no_target"],
            [5, "文化活动", "东社区", "活动", NAN, "no_target"],
            [6, "文化活动", "西社区", "活动", NAN, "no_target"],
            [7, None, None, "其他", NAN, "no_target"],
        ],
        COMPLETION_COLUMNS,
    )
    got = queries.indicators_for(conn, "甲街道", 2023)
    assert_frame_equal(got[COMPLETION_COLUMNS], expected)


@pytest.mark.parametrize(
    "areas, communities, seqs",
    [
        (("economy",), (), [0, 1]),
        ((), ("东社区",), [5]),
        (("文化活动", "safety"), ("西社区",), [6]),
        (("nowhere",), (), []),
    ],
)
def test_indicators_for_filter_by_area_key_and_community(conn, areas, communities, seqs):
    assert list(queries.indicators_for(conn, "甲街道", 2023, areas, communities)["seq"]) == seqs


def test_indicator_summary_counts_targets_met_and_missed(conn):
    expected = frame([[8, 4, 2, 2]], ["indicators", "with_target", "met", "missed"])
    assert_frame_equal(queries.indicator_summary(conn, "甲街道", 2023), expected)


def test_achievement_by_area_aggregates_each_area(conn):
    expected = frame(
        [
            [1, "economy", "抓经济", 2, 2, 1, 1, 91.502315],
            [2, "safety", "保平安", 3, 2, 1, 1, 131.205674],
            [3, "文化活动", "文化活动", 2, 0, 0, 0, NAN],
        ],
        [
            "area_seq",
            "area_key",
            "area_title",
            "indicators",
            "with_target",
            "met",
            "missed",
            "mean_completion",
        ],
    )
    assert_frame_equal(queries.achievement_by_area(conn, "甲街道", 2023), expected)


def test_communities_for_count_the_facts_naming_each(conn):
    expected = frame(
        [
            [1, "东社区", "城市社区", 1, False],
            [2, "西社区", "村改居社区", 1, False],
            [3, "南社区", None, 0, False],
        ],
        ["seq", "name", "kind", "facts", "is_generated"],
    )
    assert_frame_equal(queries.communities_for(conn, "甲街道", 2023), expected)


def test_community_kinds_count_each_kind_including_unknown(conn):
    expected = frame([["城市社区", 1], ["村改居社区", 1], [None, 1]], ["kind", "communities"])
    assert_frame_equal(queries.community_kinds(conn, "甲街道"), expected)


def test_community_facts_and_values_list_community_level_figures(conn):
    facts = queries.community_facts(conn, "甲街道", 2023)
    assert facts[["community", "name", "actual_printed", "unit"]].values.tolist() == [
        ["东社区", "活动", "15", "场"],
        ["西社区", "活动", "12", "场"],
    ]
    expected = frame(
        [["活动", "场", "东社区", 15.0], ["活动", "场", "西社区", 12.0]],
        ["name", "unit", "community", "actual"],
    )
    assert_frame_equal(queries.community_values(conn, "甲街道", 2023), expected)


def test_area_wide_actions_are_found_by_their_coverage_wording(conn):
    got = queries.area_wide_actions(conn, "甲街道", 2023)
    assert got[["area_title", "name", "text"]].values.tolist() == [
        ["保平安", "消杀社区", "完成辖区3个社区全覆盖病媒消杀"]
    ]


def test_goals_against_results_map_goals_to_area_counts(conn):
    expected = frame(
        [
            [1, "抓好经济", 1, "economy", "抓经济", 2, 2, 1, 1],
            [2, "维护平安", 2, "safety", "保平安", 3, 2, 1, 1],
            [3, "其他工作", pd.NA, None, None, 0, 0, 0, 0],
        ],
        [
            "goal_seq",
            "goal",
            "area_seq",
            "area_key",
            "area_title",
            "indicators",
            "with_target",
            "met",
            "missed",
        ],
    ).astype({"area_seq": "Int64"})
    assert_frame_equal(queries.goals_against_results(conn, "甲街道", 2023), expected)


def test_findings_come_most_severe_first(conn):
    got = queries.findings_for(conn, "甲街道", 2023)
    assert got[["severity", "kind", "indicator_seqs"]].values.tolist() == [
        ["error", "rate_mismatch", "0,12"],
        ["warning", "target_missed", "1"],
        ["info", "target_missed", "2"],
    ]
    expected = frame([["error", 1], ["warning", 1], ["info", 1]], ["severity", "findings"])
    assert_frame_equal(queries.finding_counts(conn, "甲街道", 2023), expected)


@pytest.mark.parametrize("seq, messages", [(0, ["不符"]), (1, ["投资未达"]), (2, ["化解未达"]), (3, [])])
def test_findings_for_indicator_match_whole_seq_numbers(conn, seq, messages):
    ids = queries.indicators_for(conn, "甲街道", 2023).set_index("seq")["id"]
    assert list(queries.findings_for_indicator(conn, "甲街道", int(ids[seq]))["message"]) == messages


def test_report_conclusion_gives_claims_then_the_conclusion_chapter(conn):
    expected = frame(
        [["claim", "目标已全部完成"], ["conclusion", "经费保障了工作开展。"]], ["source", "text"]
    )
    assert_frame_equal(queries.report_conclusion(conn, "甲街道", 2023), expected)


def test_import_history_is_newest_first(conn):
    got = queries.import_history(conn)
    assert got[["id", "kind", "file_name", "is_generated"]].values.tolist() == [
        [4, "generated", "4.txt", True],
        [3, "report", "3.txt", False],
        [2, "report", "2.txt", False],
        [1, "report", "1.txt", False],
    ]
    assert got["imported_at"].iloc[0] == pd.Timestamp("2024-01-04")
    assert list(queries.import_history(conn, limit=2)["id"]) == [4, 3]


def test_monthly_progress_gives_the_warning_value_and_its_traffic_light(conn):
    expected = frame(
        [
            [3, 5e5, 2e6, 25.0, 25.0, 100.0, "green"],
            [7, 8e5, 2e6, 40.0, 58.333333, 68.571429, "yellow"],
            [10, 9e5, 2e6, 45.0, 83.333333, 54.0, "red"],
        ],
        ["month", "spent_to_date", "budget", "execution_progress", "time_progress", "warning_value", "light"],
    )
    assert_frame_equal(queries.monthly_progress(conn, "甲街道", 2023), expected)


def test_year_over_year_matches_name_and_area_key(conn):
    expected = frame(
        [
            ["economy", "抓经济", "收入", "亿元", 2023, 9.67, 2022, 8.0, 1.67, 20.875],
            ["economy", "抓经济", "投资", "亿元", 2023, 17.06, 2022, 20.0, -2.94, -14.7],
            ["safety", "保平安", "化解", "个", 2023, 45.0, 2022, 40.0, 5.0, 12.5],
        ],
        [
            "area_key",
            "area_title",
            "name",
            "unit",
            "year",
            "actual",
            "previous_year",
            "previous_actual",
            "change",
            "change_pct",
        ],
    )
    assert_frame_equal(queries.year_over_year(conn, "甲街道"), expected)


def test_unit_comparison_puts_units_side_by_side(conn):
    expected = frame(
        [
            ["甲街道", False, 2e6, 1.8e6, 1.67e6, 83.5, 8, 4, 2, 2],
            ["乙街道", True, 1e6, 1e6, 8e5, 80.0, 1, 1, 1, 0],
        ],
        [
            "unit_name",
            "is_generated",
            "budget",
            "arrived",
            "spent",
            "execution_rate",
            "indicators",
            "with_target",
            "met",
            "missed",
        ],
    )
    assert_frame_equal(queries.unit_comparison(conn, 2023), expected)


def test_shared_indicators_are_those_reported_by_two_units_one_row_each(conn):
    expected = frame(
        [["economy", "抓经济", "收入", "亿元", 2, 5.0, 7.335, 9.67, True]],
        ["area_key", "area_title", "name", "unit", "units", "min_actual", "mean_actual", "max_actual"]
        + ["is_generated"],
    )
    assert_frame_equal(queries.shared_indicators(conn, 2023), expected)


def test_multi_unit_questions_narrow_to_the_units_given(conn):
    only = ("甲街道",)
    assert list(queries.units(conn, only)["name"]) == ["甲街道"]
    assert list(queries.unit_comparison(conn, 2023, only)["unit_name"]) == ["甲街道"]
    assert list(queries.import_history(conn, only)["file_name"]) == ["3.txt", "2.txt", "1.txt"]
    assert list(queries.import_history(conn, ("乙街道",))["file_name"]) == ["4.txt"]
    # shared with another unit means: another unit among those given
    assert queries.shared_indicators(conn, 2023, only).empty


def test_an_indicators_findings_are_asked_within_its_unit(conn):
    ids = queries.indicators_for(conn, "甲街道", 2023).set_index("seq")["id"]
    assert list(queries.findings_for_indicator(conn, "乙街道", int(ids[1]))["message"]) == []
    assert len(queries.shared_indicators(conn, 2023, units=("甲街道",))) == 0


def test_unit_comparison_keeps_to_the_units_in_scope(conn):
    assert list(queries.unit_comparison(conn, 2023, units=("乙街道",))["unit_name"]) == ["乙街道"]
