"""Unit: corrections — edits with history, role checks, optimistic locking, and findings that follow the edit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.scoring import rebuild
from jixiao_core.store import corrections, ingest
from jixiao_core.store import read as stored

UNIT = "雨花街道办事处"


def correct(s, indicator_id, changes, *, user, role, **kw):
    """Correct as the operator `user` with `role` (the core asks who is acting; nobody passes a role in)."""
    with actor.operating(role=role, name=user):
        return corrections.correct_indicator(s, indicator_id, changes, **kw)


@pytest.fixture
def loaded(engine):
    ingest.init(engine)
    return engine


def _fixed(s: Session) -> m.Indicator:
    return s.scalar(select(m.Indicator).where(m.Indicator.name == "规模以上固定资产投资"))


def _missed(s: Session) -> list[str]:
    rows = s.scalars(select(m.Finding.indicator_seqs).where(m.Finding.kind == "target_missed")).all()
    names = dict(s.execute(select(m.Indicator.seq, m.Indicator.name)).all())
    return sorted(names[int(x)] for seqs in rows for x in seqs.split(","))


def test_a_clerk_correction_is_recorded_and_the_audit_follows_it(loaded):
    with Session(loaded) as s, s.begin():
        ind = _fixed(s)
        version = correct(
            s, ind.id, {"actual": "24"}, user="张三", role="clerk", expected_version=1, reason="统计局终审数"
        )
    assert version == 2
    with Session(loaded) as s:
        ind = _fixed(s)
        assert (ind.actual, ind.actual_printed, ind.version) == (Decimal("24"), "24", 2)
        assert (ind.status, ind.completion) == ("met", 100.0)  # judged again, as the queries read it
        assert "规模以上固定资产投资" not in _missed(s)
        assert _missed(s) == [
            "区级问题清单化解",
            "强制垃圾分类示范小区建成",
            "招商引资省外到位资金",
            "重精患者在册在管",
        ]
    with loaded.connect() as conn:
        history = corrections.corrections_for(conn, UNIT, ind.id)
    assert history[["user_name", "field", "old_value", "new_value", "reason"]].values.tolist() == [
        ["张三", "actual", "17.06", "24", "统计局终审数"]
    ]


def test_a_viewer_cannot_correct(loaded):
    with Session(loaded) as s, s.begin():
        ind = _fixed(s)
        with pytest.raises(InputError) as err:
            correct(s, ind.id, {"actual": "24"}, user="李四", role="viewer", expected_version=1)
    assert str(err.value) == "李四：权限不足：更正数据需要经办人、管理员权限"


def test_an_edit_from_a_stale_page_is_refused(loaded):
    with Session(loaded) as s, s.begin():
        ind = _fixed(s)
        correct(s, ind.id, {"target": "25"}, user="张三", role="clerk", expected_version=1)
    with Session(loaded) as s, s.begin(), pytest.raises(InputError, match="已被他人修改，请刷新后重试"):
        correct(s, _fixed(s).id, {"target": "26"}, user="王五", role="admin", expected_version=1)


def test_two_concurrent_saves_keep_the_first_and_refuse_the_second(loaded):
    first, second = Session(loaded), Session(loaded)
    try:
        a, b = _fixed(first), _fixed(second)
        correct(first, a.id, {"actual": "18"}, user="甲", role="clerk", expected_version=1)
        first.commit()
        with pytest.raises(InputError, match="已被他人修改"):
            correct(second, b.id, {"actual": "19"}, user="乙", role="clerk", expected_version=1)
        second.rollback()
    finally:
        first.close()
        second.close()
    with Session(loaded) as s:
        assert _fixed(s).actual == Decimal("18")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"actual": "十七"}, "actual：应为数字，实为“十七”"),
        ({"actual": "-1"}, "actual：应为非负数，实为“-1”"),
        ({"direction": "up"}, "direction：取值“up”不在允许范围内：positive、negative、equal、qualitative"),
        ({"text": "x"}, "规模以上固定资产投资：这些字段不能更正：text"),
    ],
)
def test_bad_edits_are_refused_and_nothing_is_written(loaded, changes, message):
    with Session(loaded) as s, s.begin(), pytest.raises(InputError) as err:
        correct(s, _fixed(s).id, changes, user="张三", role="clerk", expected_version=1)
    assert str(err.value) == message
    with Session(loaded) as s:
        assert (_fixed(s).version, s.scalar(select(m.Correction.id))) == (1, None)


def test_a_placement_override_is_what_the_scorer_uses(loaded):
    with Session(loaded) as s, s.begin():
        ind = s.scalar(select(m.Indicator).where(m.Indicator.name == "强制垃圾分类示范小区建成"))
        changes = {"level1": "产出指标", "level2": "数量指标"}
        correct(s, ind.id, changes, user="张三", role="clerk", expected_version=1)
    with Session(loaded) as s:
        table = rebuild.table_from_report(stored.load_report(s, UNIT, 2023))
    row = next(r for r in table.rows if r.level3 == "强制垃圾分类示范小区建成")
    assert (row.level1, row.level2) == ("产出指标", "数量指标")
