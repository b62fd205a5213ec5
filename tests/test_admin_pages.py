"""Unit: the admin pages under AppTest — 账号管理 (the first admin on a single-user install, then add, reset a
password, disable, change units) and 操作日志 (filtered by person and action)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

import ui
from jixiao_core import config, db
from jixiao_core.accounts import actor, sessions, users
from jixiao_core.store import ingest
from tests.test_pages import ROOT, assert_clean, router_mode  # noqa: F401  router_mode: autouse fixture

ADMIN_PW = "admin-password-1"


@pytest.fixture
def fresh(monkeypatch, db_url):
    """The bundled data and no account yet (single-user mode)."""
    monkeypatch.setenv(config.ENV_DB, db_url)
    ingest.init(db.make_engine(db_url))
    return db_url


@pytest.fixture
def shared(fresh):
    """The bundled data and an admin account: everyone signs in."""
    with Session(db.make_engine(fresh)) as s, s.begin():
        users.add(s, "管理员", "admin", password=ADMIN_PW)
    return fresh


def run_as(
    monkeypatch, url: str, page: str, name: str | None = "管理员", password: str = ADMIN_PW
) -> AppTest:
    token = None
    if name:
        with Session(db.make_engine(url)) as s, s.begin():
            token = sessions.sign_in(s, name, password).token
    monkeypatch.setattr(ui.auth, "browser_token", lambda: token)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.run()
    at.switch_page(page).run()
    return at


def submit(at: AppTest, label: str) -> AppTest:
    (button,) = [b for b in at.button if b.label == label]
    return button.click().run()


def accounts_of(url: str) -> list[list]:
    with db.make_engine(url).connect() as conn:
        return users.listing(conn)[["name", "role", "units", "is_active"]].values.tolist()


def test_a_single_user_install_creates_its_first_admin_on_the_page(monkeypatch, fresh):
    at = run_as(monkeypatch, fresh, "pages/accounts.py", name=None)
    assert_clean(at)
    role = at.selectbox[0]
    assert (role.value, role.disabled) == ("admin", True)  # the first account must be an admin
    at.text_input[0].set_value("管理员")
    submit(at, "新建账号")
    assert [x.value for x in at.error] == ["请为第一个管理员账号设置密码：创建后所有人（包括本机）都需要登录"]
    at.text_input[0].set_value("管理员")
    at.text_input[1].set_value(ADMIN_PW)
    submit(at, "新建账号")
    assert accounts_of(fresh) == [["管理员", "admin", "全部单位", True]]
    # from now on everyone signs in: this browser has no session, so this run shows the way to sign in
    assert ([x.value for x in at.title], [x.value for x in at.success]) == (
        ["绩效看板"],
        ["已创建管理员账号 管理员：从现在起所有人都需要登录。"],
    )
    with Session(db.make_engine(fresh)) as s, s.begin():
        assert sessions.sign_in(s, "管理员", ADMIN_PW).token is not None


def test_an_admin_adds_an_account_limited_to_a_unit_with_a_chosen_password(monkeypatch, shared):
    at = run_as(monkeypatch, shared, "pages/accounts.py")
    at.text_input[0].set_value("雨花领导")
    at.selectbox[0].set_value("viewer")
    at.multiselect[0].set_value(["雨花街道办事处"])
    at.text_input[1].set_value("viewer-password-1")
    submit(at, "新建账号")
    assert_clean(at)
    assert ["雨花领导", "viewer", "雨花街道办事处", True] in accounts_of(shared)
    assert ([x.value for x in at.success], at.warning.len) == (["已创建账号 雨花领导"], 0)


def test_a_short_password_on_the_page_is_refused_in_chinese(monkeypatch, shared):
    at = run_as(monkeypatch, shared, "pages/accounts.py")
    at.text_input[0].set_value("张三")
    at.text_input[1].set_value("short")
    submit(at, "新建账号")
    assert [x.value for x in at.error] == ["密码：至少需要 10 个字符（现为 5 个）"]
    assert accounts_of(shared) == [["管理员", "admin", "全部单位", True]]


def test_an_admin_disables_resets_and_limits_another_account(monkeypatch, shared):
    with actor.operating(role="admin"), Session(db.make_engine(shared)) as s, s.begin():
        users.add(s, "张三", "clerk", password="clerk-password-1")
        users.add(s, "李四", "viewer", password="viewer-password-1")
    at = run_as(monkeypatch, shared, "pages/accounts.py")
    at.selectbox(key="acc_edit_name").set_value("张三").run()
    at.button(key="acc_edit_toggle").click().run()
    assert accounts_of(shared)[0] == ["张三", "clerk", "全部单位", False]
    at.selectbox(key="acc_edit_name").set_value("李四").run()
    at.button(key="acc_edit_reset").click().run()
    assert at.warning[0].value.startswith("李四 的初始密码（只显示这一次，请转交本人）：")
    at.selectbox(key="acc_edit_name").set_value("李四").run()
    (units,) = [m for m in at.multiselect if m.label.startswith("可查看的单位（不选则为全部单位）")]
    units.set_value(["雨花街道办事处"])
    submit(at, "保存单位和角色")
    assert_clean(at)
    assert accounts_of(shared)[1] == ["李四", "viewer", "雨花街道办事处", True]


def test_the_log_page_filters_by_person_and_action(monkeypatch, shared):
    with Session(db.make_engine(shared)) as s, s.begin():
        sessions.sign_in(s, "管理员", "wrong-password")
    at = run_as(monkeypatch, shared, "pages/audit_log.py")
    assert_clean(at)
    at.selectbox(key="log_action").set_value("signin_failed").run()
    table = at.get_by_key("log_table").dataframe[0].value
    assert table[["账号", "操作", "内容"]].values.tolist() == [["管理员", "登录失败", "连续第 1 次失败"]]
    at.selectbox(key="log_action").set_value(None)
    at.selectbox(key="log_person").set_value("管理员").run()
    table = at.get_by_key("log_table").dataframe[0].value
    assert list(table["操作"]) == ["登录", "登录失败"]


def test_the_admin_pages_are_not_offered_to_a_viewer(monkeypatch, shared):
    with actor.operating(role="admin"), Session(db.make_engine(shared)) as s, s.begin():
        users.add(s, "李四", "viewer", password="viewer-password-1")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        run_as(monkeypatch, shared, "pages/accounts.py", "李四", "viewer-password-1")
