"""Unit: demo — generated data is flagged, named as demo, deterministic and never mixed with real units."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core import models as m
from jixiao_core.errors import InputError
from jixiao_core.store import demo, ingest
from tests.test_cli import run_cli


def test_generated_units_are_flagged_and_named_and_the_real_unit_is_untouched(engine):
    ingest.init(engine)
    with Session(engine) as s, s.begin():
        first = demo.generate(s, 2, (2022, 2023))
    with Session(engine) as s, s.begin():
        again = demo.generate(s, 2, (2022, 2023))
    assert [r.status for r in first] == ["stored"] * 4
    assert [r.status for r in again] == ["duplicate"] * 4
    with Session(engine) as s:
        units = s.execute(select(m.Unit.name, m.Unit.is_generated).order_by(m.Unit.id)).all()
        assert [tuple(u) for u in units] == [
            ("雨花街道办事处", False),
            ("【演示】示例街道01", True),
            ("【演示】示例街道02", True),
        ]
        generated = s.scalar(select(func.count()).where(m.Indicator.is_generated))
        real = s.scalar(select(func.count()).where(m.Indicator.is_generated.is_(False)))
        assert (generated, real) == (94 * 4, 94)
        kinds = set(s.scalars(select(m.Indicator.source_kind).where(m.Indicator.is_generated)))
        assert kinds == {"generated"}


def test_demo_command_reports_what_it_generated(db_url):
    proc = run_cli("demo", "--units", "1", "--years", "2022,2023", "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "已生成演示数据 2 个项目年度（已存在 0 个），均标记为生成数据"
    bad = run_cli("demo", "--years", "二〇二二", "--db", db_url)
    assert (bad.returncode, bad.stderr.strip()) == (
        2,
        "错误：--years：年度格式不正确：'二〇二二'（应如 2021-2023 或 2022,2023）",
    )


def _rows(s: Session, model, py_id: int, skip=("id", "project_year_id", "area_id", "community_id")) -> list:
    cols = [c for c in model.__table__.columns if c.name not in skip]
    stmt = select(*cols).where(model.__table__.c.project_year_id == py_id).order_by(model.__table__.c.id)
    return [tuple(r) for r in s.execute(stmt)]


def _placed(s: Session, py_id: int) -> list:
    """Return (work area title, community name) of each indicator of a project-year, in report order."""
    stmt = (
        select(m.WorkArea.title, m.Community.name)
        .select_from(m.Indicator)
        .outerjoin(m.WorkArea, m.WorkArea.id == m.Indicator.area_id)
        .outerjoin(m.Community, m.Community.id == m.Indicator.community_id)
        .where(m.Indicator.project_year_id == py_id)
        .order_by(m.Indicator.seq)
    )
    return [tuple(r) for r in s.execute(stmt)]


def test_bulk_generated_rows_equal_what_the_row_by_row_store_writes(engine, new_db_url):
    from jixiao_core.store.write import Origin, store_report

    ingest.init(engine)
    with Session(engine) as s, s.begin():
        (bulk,) = demo.store_batch(s, [3], (2019,))
    other = db.make_engine(new_db_url("row_by_row"))
    ingest.init(other)
    rep = demo._report(demo._base().report, 7, 3, 2019)
    with Session(other) as s, s.begin():
        origin = Origin("generated", "demo-03-2019", "x" * 64, "generated", generated=True, user="demo")
        single = store_report(s, rep, origin, goal_areas=demo._base().goal_areas)
    assert (bulk.status, bulk.indicators, bulk.findings) == ("stored", 94, single.findings)
    with Session(engine) as a, Session(other) as b:
        for model in (m.Indicator, m.Finding, m.Goal, m.Section):
            assert _rows(a, model, bulk.project_year_id) == _rows(b, model, single.project_year_id), model
        titles = [_placed(x, py) for x, py in ((a, bulk.project_year_id), (b, single.project_year_id))]
        assert titles[0] == titles[1]
        scores = [
            tuple(
                x.execute(
                    select(m.ProjectYear.score, m.ProjectYear.grade).where(m.ProjectYear.id == py)
                ).one()
            )
            for x, py in ((a, bulk.project_year_id), (b, single.project_year_id))
        ]
        assert scores[0] == scores[1]
    other.dispose()


def test_stored_score_is_the_score_of_the_report_read_back(engine):
    from jixiao_core import scoring
    from jixiao_core.store import read

    ingest.init(engine)
    with Session(engine) as s, s.begin():
        demo.store_batch(s, [1, 12, 25], (2020,))
    with Session(engine) as s:
        for name in ("雨花街道办事处", demo.demo_unit_name(12)):
            year = 2023 if name == "雨花街道办事处" else 2020
            py = read.current_project_year(s, name, year)
            result = scoring.score_year(read.report_of(s, py), "national")
            assert (py.score, py.grade) == (result.total, result.grade)
        kinds = dict(s.execute(select(m.Unit.name, m.Unit.kind)).all())
    assert kinds == {
        "雨花街道办事处": "街道",
        "【演示】示例街道01": "街道",
        "【演示】示例镇12": "镇",
        "【演示】示例部门25": "部门",
    }


def test_units_are_written_in_batches_of_ten_and_again_change_nothing(engine):
    assert demo.batches(25) == [range(1, 11), range(11, 21), range(21, 26)]
    ingest.init(engine)
    with Session(engine) as s, s.begin():
        first = demo.store_batch(s, range(1, 3), (2022, 2023))
    with Session(engine) as s, s.begin():
        again = demo.store_batch(s, range(1, 4), (2023,))
    assert [r.status for r in first] == ["stored"] * 4
    assert [r.status for r in again] == ["duplicate", "duplicate", "stored"]


def test_generated_data_refuses_a_unit_year_taken_by_another_seed(engine):
    ingest.init(engine)
    with Session(engine) as s, s.begin():
        demo.store_batch(s, [1], (2022,), seed=7)
    with pytest.raises(InputError, match="2022 年度已有数据"), Session(engine) as s, s.begin():
        demo.store_batch(s, [1], (2022,), seed=8)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("雨花街道办事处", "街道"),
        ("呈贡区吴家营街道", "街道"),
        ("大渔镇人民政府", "镇"),
        ("七甸乡", "乡"),
        ("呈贡区教育体育局", "部门"),
        ("【演示】示例街道07", "街道"),
        ("【演示】示例部门120", "部门"),
    ],
)
def test_unit_kind_is_read_from_the_name(name, kind):
    from jixiao_core import kinds

    assert kinds.kind_of(name) == kind


def test_demo_command_commits_each_batch_of_ten_units_on_its_own(engine, db_url):
    import copy

    from jixiao_core import config
    from jixiao_core.store import dataset
    from jixiao_core.store.write import Origin, store_report

    ingest.init(engine)
    rep = copy.deepcopy(dataset.load(config.BUNDLED_DATASETS[0]).report)
    rep.unit_name, rep.source = (
        demo.demo_unit_name(12),
        None,
    )  # a real unit under a demo name: batch 2 refuses
    with Session(engine) as s, s.begin():
        store_report(s, ingest.enrich(rep), Origin("report", "x.txt", "c" * 64, "document"))
    proc = run_cli("demo", "--units", "15", "--years", "2023", "--db", db_url)
    assert (proc.returncode, proc.stderr.strip()) == (
        2,
        "错误：【演示】示例镇12：该单位已有真实数据，不能混入",
    )
    with Session(engine) as s:
        generated = s.scalars(select(m.Unit.name).where(m.Unit.is_generated).order_by(m.Unit.id)).all()
    assert generated == [demo.demo_unit_name(n) for n in range(1, 11)]  # the first batch stays committed
