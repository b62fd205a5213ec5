"""Unit: roles and the actor — every write function asks who is acting (jixiao_core.accounts.actor) and refuses a
viewer; the command line acts as its configured operator."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import db, roles
from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.store import corrections, demo, ingest
from tests.test_cli import run_cli

REPORTS = Path(__file__).parent / "fixtures" / "reports"
SEED = REPORTS / "yuhua_2023.txt"


def _import(engine):
    with Session(engine) as s, s.begin():
        ingest.import_file(s, REPORTS / "shanhu_2023.txt")  # a unit the bundled data does not hold


def _replace(engine):
    with Session(engine) as s, s.begin():
        ingest.import_file(s, SEED, replace=True)


def _correct(engine):
    with Session(engine) as s, s.begin():
        first = s.scalar(select(m.Indicator.id).order_by(m.Indicator.id))
        corrections.correct_indicator(s, first, {"actual": "1"}, expected_version=1, reason="测试")


def _demo(engine):
    with Session(engine) as s, s.begin():
        demo.generate(s, 1, (2023,))


def _init(engine):
    ingest.init(engine)


# every write function of the core, and the action it asks for
WRITES = [("import", _import), ("replace", _replace), ("correct", _correct), ("demo", _demo), ("init", _init)]


@pytest.mark.parametrize("action, write", WRITES, ids=[a for a, _ in WRITES])
def test_a_viewer_is_refused_by_every_write_function(engine, action, write):
    with actor.operating(role="admin"):
        ingest.init(engine)
    before = _rows(engine)
    with actor.operating(role="viewer", name="评审"), pytest.raises(InputError) as err:
        write(engine)
    label = roles.PERMISSIONS[action].label
    assert (str(err.value), _rows(engine)) == (f"评审：权限不足：{label}需要经办人、管理员权限", before)


@pytest.mark.parametrize("action, write", WRITES, ids=[a for a, _ in WRITES])
def test_a_clerk_may_take_every_write_action(engine, action, write):
    with actor.operating(role="admin"):
        ingest.init(engine)
    with actor.operating(role="clerk", name="经办人"):
        write(engine)  # no refusal


def _rows(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return s.scalar(select(func.count(m.ImportBatch.id))), s.scalar(select(func.count(m.Correction.id)))


def test_an_actor_limited_to_one_unit_may_not_write_another(engine):
    db.upgrade(engine)
    limited = actor.Actor("甲街道经办人", "clerk", units=("甲街道",))
    assert (
        limited.may("import", "甲街道"),
        limited.may("import", "雨花街道办事处"),
        limited.may("import"),
    ) == (
        True,
        False,
        True,
    )


def test_without_accounts_and_without_a_credential_the_configured_operator_acts(engine, monkeypatch):
    db.upgrade(engine)
    monkeypatch.setenv("JIXIAO_ROLE", "viewer")
    monkeypatch.setenv("JIXIAO_USER", "区财政局")
    with Session(engine) as s:
        assert actor.current(s) == actor.Actor("区财政局", "viewer")


def test_once_an_account_exists_nobody_writes_without_signing_in(engine):
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        s.add(m.AppUser(name="admin", role="admin"))
    with Session(engine) as s:
        assert actor.current(s) == actor.NOBODY
        with pytest.raises(InputError, match="权限不足：导入数据需要经办人、管理员权限"):
            actor.require(s, "import")


@pytest.mark.parametrize("command", [["init"], ["demo", "--units", "1", "--years", "2023"]])
def test_init_and_demo_from_the_command_line_as_a_viewer_exit_2(db_url, command):
    proc = run_cli(*command, "--db", db_url, env={"JIXIAO_ROLE": "viewer"})
    assert (proc.returncode, proc.stderr.count("\n"), "权限不足" in proc.stderr) == (2, 1, True)
