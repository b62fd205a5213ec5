"""Unit: demo — generated data is flagged, named as demo, deterministic and never mixed with real units."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import models as m
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
