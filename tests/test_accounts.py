"""Unit: accounts — passwords, account management, sign-in sessions (idle end, sign-out, disabled accounts),
the lockout that never says whether a name exists, and the append-only log of who did what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core import models as m
from jixiao_core.accounts import actor, log, passwords, sessions, users
from jixiao_core.errors import InputError

ADMIN_PW, CLERK_PW = "admin-password-1", "clerk-password-1"


@pytest.fixture
def accounts(engine):
    """An admin, a clerk limited to 甲街道 and 乙街道, and an unlimited viewer; made as the first admin bootstraps."""
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        users.add(s, "管理员", "admin", password=ADMIN_PW)
    with actor.operating(role="admin", name="管理员"), Session(engine) as s, s.begin():
        users.add(s, "张三", "clerk", ("乙街道", "甲街道"), password=CLERK_PW)
        users.add(s, "李四", "viewer", password="viewer-password-1")
    return engine


def sign_in(engine, name: str, password: str) -> sessions.Outcome:
    with Session(engine) as s, s.begin():
        return sessions.sign_in(s, name, password, "网页 10.0.0.5")


def resolve(engine, token):
    with Session(engine) as s:
        return sessions.resolve(s, token)


def log_lines(engine) -> list[tuple]:
    with engine.connect() as conn:
        df = log.entries(conn)
    return list(df[["person", "action", "unit", "detail", "source"]].itertuples(index=False, name=None))[::-1]


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "密码：至少需要 10 个字符（现为 5 个）"),
        ("123456789", "密码：至少需要 10 个字符（现为 9 个）"),
        ("x" * 201, "密码：不能超过 200 个字符"),
        ("line\nbreak-x", "密码：不能含有换行或控制字符"),
    ],
)
def test_a_password_outside_the_rules_is_refused_in_chinese(password, message):
    with pytest.raises(InputError) as err:
        passwords.hashed(password)
    assert str(err.value) == message


def test_passwords_are_stored_as_argon2id_hashes_that_verify():
    stored = passwords.hashed("ten-chars!")
    assert (stored.startswith("$argon2id$"), passwords.matches(stored, "ten-chars!")) == (True, True)
    assert (passwords.matches(stored, "ten-chars?"), passwords.matches(None, "ten-chars!")) == (False, False)


def test_the_first_account_must_be_an_admin_and_may_be_made_by_anyone(engine):
    db.upgrade(engine)
    with actor.operating(role="viewer", name="某人"), Session(engine) as s, s.begin():
        with pytest.raises(InputError, match="第一个账号必须是管理员"):
            users.add(s, "张三", "clerk", password=CLERK_PW)
        added = users.add(s, "管理员", "admin")
    assert (added.name, len(added.password)) == ("管理员", 16)  # a random password, shown once
    assert sign_in(engine, "管理员", added.password).token is not None


def test_once_an_account_exists_only_an_admin_manages_accounts(accounts):
    with (
        actor.operating(role="clerk", name="经办人"),
        Session(accounts) as s,
        pytest.raises(InputError) as err,
    ):
        users.add(s, "王五", "viewer")
    assert str(err.value) == "经办人：权限不足：管理账号需要管理员权限"


def test_account_listing_shows_role_units_and_state(accounts):
    with accounts.connect() as conn:
        df = users.listing(conn)
    assert df[["name", "role", "units", "is_active"]].values.tolist() == [
        ["张三", "clerk", "乙街道、甲街道", True],
        ["李四", "viewer", "全部单位", True],
        ["管理员", "admin", "全部单位", True],
    ]


def test_a_duplicate_name_and_an_unknown_role_are_refused(accounts):
    with actor.operating(role="admin"), Session(accounts) as s:
        with pytest.raises(InputError, match="张三：账号已存在"):
            users.add(s, "张三", "viewer")
        with pytest.raises(InputError, match="角色：应为 viewer、clerk、admin 之一"):
            users.add(s, "王五", "boss")


def test_signing_in_opens_a_session_that_names_the_account_and_its_units(accounts):
    outcome = sign_in(accounts, "张三", CLERK_PW)
    who = resolve(accounts, outcome.token)
    assert (who.name, who.role, who.units, who.source) == (
        "张三",
        "clerk",
        ("乙街道", "甲街道"),
        "网页 10.0.0.5",
    )
    with Session(accounts) as s:
        stored = s.scalars(select(m.SigninSession.token_hash)).all()
    assert stored == [sessions.token_hash(outcome.token)]  # the token itself is never stored


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(accounts):
    assert sign_in(accounts, "张三", "wrong-password") == sessions.Outcome(None, "账号或密码不正确")
    assert sign_in(accounts, "没有这个人", "wrong-password") == sessions.Outcome(None, "账号或密码不正确")


def test_five_failures_lock_any_name_for_fifteen_minutes_even_with_the_right_password(accounts):
    locked = "登录失败次数过多，已暂时锁定，请 15 分钟后再试"
    for name in ("张三", "没有这个人"):
        answers = [sign_in(accounts, name, "wrong-password").message for _ in range(5)]
        assert answers == ["账号或密码不正确"] * 4 + [locked]
    assert sign_in(accounts, "张三", CLERK_PW) == sessions.Outcome(None, locked)
    with Session(accounts) as s:
        lock = s.get(m.SigninFailure, "张三").locked_until - s.get(m.SigninFailure, "张三").last_at
    assert lock == timedelta(minutes=15)


def test_a_lock_ends_after_its_time_and_the_count_starts_again(accounts):
    for _ in range(5):
        sign_in(accounts, "张三", "wrong-password")
    with Session(accounts) as s, s.begin():
        s.execute(update(m.SigninFailure).values(locked_until=log.now() - timedelta(seconds=1)))
    assert sign_in(accounts, "张三", "wrong-password").message == "账号或密码不正确"
    assert sign_in(accounts, "张三", CLERK_PW).token is not None
    with Session(accounts) as s:
        assert s.get(m.SigninFailure, "张三") is None  # a success clears the count


def test_lockout_thresholds_come_from_the_settings(accounts, monkeypatch):
    monkeypatch.setenv("JIXIAO_SIGNIN_MAX_FAILURES", "2")
    monkeypatch.setenv("JIXIAO_SIGNIN_LOCKOUT_MINUTES", "30")
    answers = [sign_in(accounts, "张三", "wrong-password").message for _ in range(2)]
    assert answers == ["账号或密码不正确", "登录失败次数过多，已暂时锁定，请 30 分钟后再试"]


def test_a_session_ends_after_the_idle_limit(accounts, monkeypatch):
    token = sign_in(accounts, "李四", "viewer-password-1").token
    with Session(accounts) as s, s.begin():
        s.execute(update(m.SigninSession).values(last_seen=log.now() - timedelta(hours=7, minutes=59)))
    assert resolve(accounts, token).name == "李四"
    monkeypatch.setenv("JIXIAO_SESSION_IDLE_HOURS", "7.5")
    assert resolve(accounts, token) is None


def test_a_request_marks_the_session_seen_at_most_once_a_minute(accounts):
    token = sign_in(accounts, "李四", "viewer-password-1").token
    earlier = log.now() - timedelta(seconds=30)
    with Session(accounts) as s, s.begin():
        s.execute(update(m.SigninSession).values(last_seen=earlier))
        sessions.resolve(s, token, touch=True)
    with Session(accounts) as s:
        assert s.scalar(select(m.SigninSession.last_seen)) == earlier
    with Session(accounts) as s, s.begin():
        s.execute(update(m.SigninSession).values(last_seen=earlier - timedelta(minutes=1)))
        sessions.resolve(s, token, touch=True)
    with Session(accounts) as s:
        assert s.scalar(select(m.SigninSession.last_seen)) > earlier


def test_signing_out_ends_the_session_on_the_server(accounts):
    token = sign_in(accounts, "李四", "viewer-password-1").token
    with Session(accounts) as s, s.begin():
        assert sessions.sign_out(s, token) is True
    assert (resolve(accounts, token), log_lines(accounts)[-1][:2]) == (None, ("李四", "signout"))


def test_disabling_an_account_ends_its_open_sessions_and_refuses_its_password(accounts):
    token = sign_in(accounts, "张三", CLERK_PW).token
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        users.set_active(s, "张三", False)
    assert (resolve(accounts, token), sign_in(accounts, "张三", CLERK_PW).message) == (
        None,
        "账号或密码不正确",
    )
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        users.set_active(s, "张三", True)
    assert resolve(accounts, token) is None  # ended, not merely paused
    assert sign_in(accounts, "张三", CLERK_PW).token is not None


def test_a_disabled_account_is_refused_even_if_its_session_was_never_ended(accounts):
    token = sign_in(accounts, "张三", CLERK_PW).token
    with Session(accounts) as s, s.begin():
        s.execute(update(m.AppUser).where(m.AppUser.name == "张三").values(is_active=False))
    assert resolve(accounts, token) is None


def test_resetting_a_password_ends_the_sessions_and_the_old_password(accounts):
    token = sign_in(accounts, "张三", CLERK_PW).token
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        new = users.set_password(s, "张三")
    assert resolve(accounts, token) is None
    assert (sign_in(accounts, "张三", CLERK_PW).token, sign_in(accounts, "张三", new).token is not None) == (
        None,
        True,
    )


def test_the_last_enabled_admin_can_be_neither_disabled_nor_demoted(accounts):
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s:
        for change in (
            lambda: users.set_active(s, "管理员", False),
            lambda: users.set_role(s, "管理员", "clerk"),
        ):
            with pytest.raises(InputError, match="这是唯一启用的管理员账号"):
                change()


def test_changing_units_and_role_takes_effect_at_the_next_request(accounts):
    token = sign_in(accounts, "李四", "viewer-password-1").token
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        users.set_units(s, "李四", ("甲街道",))
        users.set_role(s, "李四", "clerk")
    who = resolve(accounts, token)
    assert (who.role, who.units) == ("clerk", ("甲街道",))


def test_every_account_change_and_sign_in_is_in_the_log(accounts):
    sign_in(accounts, "张三", "wrong-password")
    token = sign_in(accounts, "张三", CLERK_PW).token
    with actor.signed_in(token), Session(accounts) as s, s.begin():
        sessions.sign_out(s, token)
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        users.set_units(s, "李四", ("甲街道",))
        users.set_role(s, "李四", "clerk")
        users.set_password(s, "李四", "another-password")
        users.set_active(s, "李四", False)
        users.set_active(s, "李四", True)
    web, cli = "网页 10.0.0.5", "命令行"
    assert log_lines(accounts) == [
        ("经办人", "account_add", None, "新建账号 管理员（角色：管理员；单位：全部单位）", cli),
        ("管理员", "account_add", None, "新建账号 张三（角色：经办人；单位：乙街道、甲街道）", cli),
        ("管理员", "account_add", None, "新建账号 李四（角色：查看；单位：全部单位）", cli),
        ("张三", "signin_failed", None, "连续第 1 次失败", web),
        ("张三", "signin", None, "密码", web),
        ("张三", "signout", None, "", web),
        ("管理员", "account_units", None, "李四 的单位：甲街道", cli),
        ("管理员", "account_role", None, "李四：查看 → 经办人", cli),
        ("管理员", "account_password", None, "重设 李四 的密码，结束其会话 0 个", cli),
        ("管理员", "account_disable", None, "停用账号 李四，结束其会话 0 个", cli),
        ("管理员", "account_enable", None, "启用账号 李四", cli),
    ]


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET person = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_or_delete_log_lines(accounts, statement):
    with pytest.raises(Exception, match="操作日志只能追加，不能修改或删除"):
        with accounts.begin() as conn:
            conn.execute(text(statement))
    assert len(log_lines(accounts)) == 3


def test_the_log_filters_by_person_and_action(accounts):
    sign_in(accounts, "张三", "wrong-password")
    with accounts.connect() as conn:
        mine = log.entries(conn, person="管理员")
        failed = log.entries(conn, action="signin_failed")
        people = log.people(conn)
    assert (list(mine["action"]), list(failed["person"]), people) == (
        ["account_add", "account_add"],
        ["张三"],
        ("张三", "管理员", "经办人"),
    )


def test_migration_0003_moves_an_accounts_unit_into_its_unit_list(engine):
    from alembic import command

    command.upgrade(db.alembic_config(engine), "0002")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO unit (id, name, is_generated, version) VALUES (1, '甲街道', false, 1)")
        )
        conn.execute(
            text(
                "INSERT INTO app_user (id, name, role, unit_id, is_active, version) "
                "VALUES (1, '张三', 'clerk', 1, true, 1), (2, '李四', 'viewer', NULL, true, 1)"
            )
        )
    db.upgrade(engine)
    with engine.connect() as conn:
        assert users.listing(conn)[["name", "units"]].values.tolist() == [
            ["张三", "甲街道"],
            ["李四", "全部单位"],
        ]


def test_imports_corrections_and_exports_are_logged_with_the_account_name(accounts):
    from pathlib import Path

    from jixiao_core.meeting import exports
    from jixiao_core.store import corrections, ingest

    with actor.operating(role="admin", name="部署"):
        ingest.init(accounts)
    token = sign_in(accounts, "李四", "viewer-password-1").token  # an unlimited viewer, made a clerk below
    with actor.operating(role="admin", name="管理员"), Session(accounts) as s, s.begin():
        users.set_role(s, "李四", "clerk")
    report = Path(__file__).parent / "fixtures" / "reports" / "shanhu_2023.txt"
    with actor.signed_in(token), Session(accounts) as s, s.begin():
        ingest.import_file(s, report)
        first = s.scalar(select(m.Indicator.id).order_by(m.Indicator.id))
        corrections.correct_indicator(s, first, {"actual": "10"}, expected_version=1, reason="核对原件")
        exports.build(s, "珊湖区民政局", 2023, "xlsx")
    with Session(accounts) as s:
        who = s.scalars(select(m.ImportBatch.imported_by).order_by(m.ImportBatch.id)).all()
        fixed_by = s.scalar(select(m.Correction.user_name))
    assert (who, fixed_by) == (["init", "李四"], "李四")
    web = "网页 10.0.0.5"
    assert [line for line in log_lines(accounts) if line[1] in ("init", "import", "correct", "export")] == [
        (
            "部署",
            "init",
            "雨花街道办事处",
            "载入内置数据集 雨花街道办事处 2023年 街道工作经费 绩效评价报告",
            "命令行",
        ),
        (
            "李四",
            "import",
            "珊湖区民政局",
            "shanhu_2023.txt：2023年 居家和社区养老服务提升，第 1 版，指标 31 条",
            web,
        ),
        (
            "李四",
            "correct",
            "雨花街道办事处",
            "指标 1“一般公共预算收入”：actual：9.67 → 10（原因：核对原件）",
            web,
        ),
        ("李四", "export", "珊湖区民政局", log_lines(accounts)[-1][3], web),
    ]
    assert log_lines(accounts)[-1][3].startswith("珊湖区民政局_2023年_绩效汇报.xlsx（")
