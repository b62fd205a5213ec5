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


YUHUA, SHANHU = "雨花街道办事处", "珊湖区民政局"


def _signed_in_as(engine, name: str, role: str, units: tuple[str, ...]) -> str:
    """Return the session token of a new account `name` (made by the first admin, as on a real server)."""
    from jixiao_core.accounts import sessions, users

    with Session(engine) as s, s.begin():
        if not actor.accounts_exist(s):
            users.add(s, "管理员", "admin", password="admin-password-1")
    with actor.operating(role="admin"), Session(engine) as s, s.begin():
        users.add(s, name, role, units, password="their-password-1")
    with Session(engine) as s, s.begin():
        return sessions.sign_in(s, name, "their-password-1").token


def test_a_clerk_limited_to_one_unit_cannot_import_a_report_of_another(engine):
    with actor.operating(role="admin"):
        ingest.init(engine)
    token = _signed_in_as(engine, "雨花经办人", "clerk", (YUHUA,))
    before = _rows(engine)
    with actor.signed_in(token), pytest.raises(InputError) as err:
        _import(engine)
    assert (str(err.value), _rows(engine)) == (
        f"雨花经办人：权限不足：无权导入数据（{SHANHU}不在本账号的单位范围内）",
        before,
    )
    with actor.signed_in(token):
        _replace(engine)  # a report of their own unit: allowed
    with Session(engine) as s:
        batch = s.scalars(select(m.ImportBatch).order_by(m.ImportBatch.id.desc())).first()
    assert (batch.file_name, batch.imported_by) == ("yuhua_2023.txt", "雨花经办人")  # the account's name


def test_a_clerk_limited_to_one_unit_cannot_correct_another_units_figures(engine):
    with actor.operating(role="admin"):
        ingest.init(engine)
    token = _signed_in_as(engine, "珊湖经办人", "clerk", (SHANHU,))
    with actor.signed_in(token), pytest.raises(InputError) as err:
        _correct(engine)
    assert str(err.value) == f"珊湖经办人：权限不足：无权更正数据（{YUHUA}不在本账号的单位范围内）"


@pytest.mark.parametrize("role", ["viewer", "clerk"])
def test_only_an_admin_manages_accounts_once_one_exists(engine, role):
    from jixiao_core.accounts import users

    db.upgrade(engine)
    token = _signed_in_as(engine, "某人", role, ())
    changes = [
        lambda s: users.add(s, "王五", "viewer"),
        lambda s: users.set_password(s, "某人"),
        lambda s: users.set_active(s, "管理员", False),
        lambda s: users.set_units(s, "某人", ()),
        lambda s: users.set_role(s, "某人", "admin"),
    ]
    refused = []
    for change in changes:
        with actor.signed_in(token), Session(engine) as s, pytest.raises(InputError) as err:
            change(s)
        refused.append(str(err.value))
    assert refused == ["某人：权限不足：管理账号需要管理员权限"] * 5


def test_a_viewer_limited_to_one_unit_cannot_export_another(engine):
    from jixiao_core.meeting import exports

    with actor.operating(role="admin"):
        ingest.init(engine)
    token = _signed_in_as(engine, "珊湖领导", "viewer", (SHANHU,))
    with actor.signed_in(token), Session(engine) as s, pytest.raises(InputError) as err:
        exports.build(s, YUHUA, 2023, "xlsx")
    assert str(err.value) == "无权查看该单位"


def test_nobody_signed_in_reads_nothing_once_accounts_exist(engine):
    from jixiao_core.meeting import exports

    with actor.operating(role="admin"):
        ingest.init(engine)
    _signed_in_as(engine, "某人", "viewer", ())
    with actor.signed_in(None), Session(engine) as s, pytest.raises(InputError) as err:
        exports.build(s, YUHUA, 2023, "xlsx")
    assert str(err.value) == "请先登录"
