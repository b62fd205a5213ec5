"""Unit: the district view — every unit of a year ranked (queries.district), the indexes its heavy questions use
(query plans), and the 区县总览 page (filters in the URL, a click opens the unit's 总览)."""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from jixiao_core import config, db, queries, scoring
from jixiao_core.queries import plans
from jixiao_core.store import dataset, demo, ingest
from jixiao_core.store.write import Origin, store_report
from tests.test_pages import app, assert_clean, frame, metrics, router_mode  # noqa: F401  router_mode: autouse

REAL, TOWN = "雨花街道办事处", "乙镇人民政府"


def _town(base):
    """The bundled report again as another unit (a 镇) that spent 360 of its 450 万元."""
    rep = copy.deepcopy(base)
    rep.unit_name, rep.source, rep.claims = TOWN, None, []
    rep.funds.spent = D(3600000)
    return ingest.enrich(rep)


@pytest.fixture(scope="module")
def district_url(new_db_url):
    """The bundled unit, the same report as a 镇 with 80% 执行率, and three demo units (街道, 镇, 部门), 2022–2023."""
    url = new_db_url("district")
    engine = db.make_engine(url)
    ingest.init(engine)
    base = dataset.load(config.BUNDLED_DATASETS[0]).report
    with Session(engine) as s, s.begin():
        store_report(s, _town(base), Origin("report", "乙镇.txt", "b" * 64, "document"))
        demo.store_batch(s, (1, 11, 21), (2022, 2023))
    engine.dispose()
    return url


@pytest.fixture
def conn(district_url):
    engine = db.make_engine(district_url)
    with engine.connect() as c:
        yield c
    engine.dispose()


def _warnings(conn, unit: str, year: int) -> tuple[int, int]:
    counts = queries.finding_counts(conn, unit, year).set_index("severity")["findings"]
    return int(counts.sum()), int(counts.get("error", 0) + counts.get("warning", 0))


def test_ranking_gives_score_execution_share_met_and_warnings_per_unit(conn):
    base = dataset.load(config.BUNDLED_DATASETS[0]).report
    town_score = scoring.score_year(_town(base), "national").total
    got = queries.district_ranking(conn, 2023, kinds=("镇",)).set_index("unit_name")
    row = got.loc[TOWN]
    assert (row["kind"], row["score"], row["execution_rate"]) == ("镇", float(town_score), 80.0)
    assert (row["indicators"], row["with_target"], row["met"], round(row["met_share"], 4)) == (
        94,
        7,
        2,
        28.5714,
    )
    assert (row["findings"], row["warnings"]) == _warnings(conn, TOWN, 2023)
    real = queries.district_ranking(conn, 2023, units=(REAL,)).iloc[0]
    assert (real["rank"], real["score"], real["grade"], real["execution_rate"]) == (1, 90.74, "优", 100.0)
    assert (real["findings"], real["warnings"]) == _warnings(conn, REAL, 2023)


def test_ranking_orders_by_the_chosen_measure_with_shared_ranks(conn):
    by_score = queries.district_ranking(conn, 2023)
    assert list(by_score["score"]) == sorted(by_score["score"], reverse=True)
    assert list(by_score["rank"]) == [1, 2, 3, 4, 5]
    by_warnings = queries.district_ranking(conn, 2023, by="warnings")
    assert list(by_warnings["warnings"]) == sorted(by_warnings["warnings"])
    # ties share the rank of the first of them (SQL rank())
    expected = [1 + sum(w < x for w in by_warnings["warnings"]) for x in by_warnings["warnings"]]
    assert list(by_warnings["rank"]) == expected
    by_rate = queries.district_ranking(conn, 2023, by="execution_rate")
    assert list(by_rate["execution_rate"]) == sorted(by_rate["execution_rate"], reverse=True)


def test_ranking_filters_by_kind_and_by_the_units_in_scope(conn):
    kinds = queries.district_ranking(conn, 2022, kinds=("街道", "部门"))
    assert sorted(kinds["unit_name"]) == ["【演示】示例街道01", "【演示】示例部门21"]
    scoped = queries.district_ranking(conn, 2023, units=(TOWN, "【演示】示例镇11"), kinds=("镇",))
    assert sorted(scoped["unit_name"]) == ["【演示】示例镇11", TOWN]
    assert queries.district_ranking(conn, 2023, kinds=("乡",)).empty


def test_years_and_kinds_of_the_district(conn):
    assert queries.district_years(conn).values.tolist() == [[2022, 3], [2023, 5]]
    assert queries.district_years(conn, units=(REAL,)).values.tolist() == [[2023, 1]]
    assert queries.unit_kinds(conn, 2023).values.tolist() == [["街道", 2], ["镇", 2], ["部门", 1]]


HEAVY = [
    ("district_ranking", (2023,)),
    ("unit_kinds", (2023,)),
    ("unit_comparison", (2023,)),
    ("shared_indicators", (2023,)),
    ("year_over_year", ("【演示】示例街道01",)),
    ("indicators_for", (REAL, 2023)),
    ("achievement_by_area", (REAL, 2023)),
    ("goals_against_results", (REAL, 2023)),
    ("communities_for", (REAL, 2023)),
    ("findings_for", (REAL, 2023)),
]
BIG_TABLES = ("indicator", "finding", "work_area", "goal", "project_year")


@pytest.mark.parametrize("question, args", HEAVY, ids=[q for q, _ in HEAVY])
def test_heavy_questions_read_the_big_tables_through_indexes(conn, question, args):
    if conn.dialect.name == "postgresql":
        # tiny tables make a sequential scan cheapest; forbid it so the plan shows whether an index can serve
        conn.exec_driver_sql("SET enable_seqscan = off")
    lines = plans.plan(conn, getattr(queries, question), *args)
    assert plans.full_scans(lines, BIG_TABLES) == [], "\n".join(lines)


def test_the_scan_check_sees_a_full_scan():
    assert plans.full_scans(["SCAN indicator", "SEARCH finding USING INDEX x (a=?)"], ("indicator",)) == [
        "SCAN indicator"
    ]
    assert plans.full_scans(
        ["  ->  Seq Scan on finding f  (cost=1.00..2.00 rows=1 width=4)"], ("finding",)
    ) == ["Seq Scan on finding f  (cost=1.00..2.00 rows=1 width=4)"]


def test_migration_0007_creates_the_district_indexes(conn):
    names = {
        t: {i["name"] for i in inspect(conn).get_indexes(t)}
        for t in ("project_year", "indicator", "finding", "unit")
    }
    assert "ix_project_year_year" in names["project_year"]
    assert {"ix_indicator_py_status", "ix_indicator_area"} <= names["indicator"]
    assert "ix_finding_py_severity" in names["finding"]
    assert "ix_unit_kind" in names["unit"]


def test_district_page_ranks_every_unit_of_the_latest_year(monkeypatch, district_url, conn):
    at = app(monkeypatch, district_url, "pages/district.py")
    assert_clean(at)
    shown = frame(at, "district_table")
    expected = queries.district_ranking(conn, 2023)
    assert list(shown["单位"]) == list(expected["unit_name"])
    assert list(shown["排名"]) == [1, 2, 3, 4, 5]
    assert metrics(at)["单位"] == "5 个"
    assert metrics(at)["核查警示"] == f"{int(expected['warnings'].sum())} 条"
    assert "排名中含有演示数据（生成的示例单位），不能用于汇报或决策。" in [w.value for w in at.warning]


def test_district_page_takes_year_kind_and_measure_from_the_url(monkeypatch, district_url, conn):
    at = app(
        monkeypatch,
        district_url,
        "pages/district.py",
        district_year="2022",
        district_kind="镇",
        district_by="核查警示",  # bound widgets carry their shown label in the URL
    )
    assert_clean(at)
    assert list(frame(at, "district_table")["单位"]) == ["【演示】示例镇11"]
    assert at.selectbox(key="district_year").value == 2022
    assert at.segmented_control(key="district_by").value == "warnings"


def test_choosing_a_unit_opens_its_overview(monkeypatch, district_url):
    at = app(monkeypatch, district_url, "pages/district.py", district_year="2022")
    at.selectbox(key="district_open").set_value("【演示】示例部门21").run()
    assert_clean(at)
    assert [t.value for t in at.title] == ["总览"]
    assert at.selectbox(key="unit").value == "【演示】示例部门21"
    assert "【演示】示例部门21 · 2022年" in [c.value for c in at.caption]


def test_spread_chart_has_one_row_of_points_per_kind_and_the_median_line():
    import pandas as pd

    from jixiao_core import charts

    ranking = pd.DataFrame(
        {
            "unit_name": ["甲", "乙", "丙"],
            "kind": ["街道", "镇", "街道"],
            "score": [91.0, 85.5, 70.25],
        }
    )
    fig = charts.district_spread(ranking, "score")
    assert [t.name for t in fig.data] == ["街道（2）", "镇（1）"]
    assert [list(t.customdata) for t in fig.data] == [["甲", "丙"], ["乙"]]
    assert [list(t.x) for t in fig.data] == [[91.0, 70.25], [85.5]]
    assert [round(y) for y in fig.data[0].y] == [0, 0] and [round(y) for y in fig.data[1].y] == [1]
    assert (fig.layout.shapes[0].x0, fig.layout.xaxis.title.text) == (85.5, "得分")
    assert list(fig.layout.yaxis.ticktext) == ["街道", "镇"]


def test_kept_values_are_computed_once_per_key_and_the_least_recently_used_go_first():
    import threading

    from ui.cache import Kept

    calls = []
    kept = Kept(max_entries=2)

    def slow(x):
        calls.append(x)
        threading.Event().wait(0.05)  # long enough for the other threads to ask meanwhile
        return x * 10

    threads = [threading.Thread(target=kept, args=("a", slow, (1,))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (kept("a", slow, (1,)), calls) == (10, [1])
    kept("b", slow, (2,))
    kept("a", slow, (1,))  # a is now the most recently used
    kept("c", slow, (3,))
    assert (len(kept), calls) == (2, [1, 2, 3])
    assert kept("a", slow, (1,)) == 10 and kept("b", slow, (2,)) == 20  # b was dropped: computed again
    assert calls == [1, 2, 3, 2]
    kept.clear()
    assert len(kept) == 0


def test_postgresql_connections_cost_index_reads_as_on_ssd(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW random_page_cost").scalar() == "1.1"
