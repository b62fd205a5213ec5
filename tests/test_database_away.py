"""Unit: the database away — every command exits 2 with one Chinese line and the password masked; the dashboard
says "数据库暂时无法连接" and comes back by itself when the database answers again (no restart, nothing cached)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from jixiao_core import cli, config, db, troubles
from jixiao_core.errors import mask_password
from jixiao_core.store import ingest
from tests import pg_server
from ui import cache

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
UNIT = "雨花街道办事处"
STOPPED = "postgresql+psycopg://jixiao:s3cret@127.0.0.1:9/jixiao"  # port 9 (discard): nothing listens
SHOWN = "postgresql+psycopg://jixiao:***@127.0.0.1:9/jixiao"
REFUSED = "无法连接数据库服务器；请检查地址、端口和服务是否已启动"
PG_ONLY = pytest.mark.skipif(
    not os.environ.get("JIXIAO_TEST_DATABASE_URL") or pg_server.binaries() is None,
    reason="PostgreSQL run only (a throwaway server of its own, stopped and started by the test)",
)

COMMANDS = {
    "init": ["init"],
    "import": ["import", str(SEED)],
    "demo": ["demo", "--units", "1"],
    "audit": ["audit", "--unit", UNIT, "--year", "2023"],
    "score": ["score", "--unit", UNIT, "--year", "2023"],
    "export": ["export", "--unit", UNIT, "--year", "2023", "--format", "xlsx", "-o", "/dev/null"],
}


def run(capsys, *args: str) -> tuple[int, str]:
    status = cli.main(list(args))
    return status, capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_against_a_stopped_server_exits_2_with_one_masked_chinese_line(capsys, command):
    assert run(capsys, *COMMANDS[command], "--db", STOPPED) == (2, f"错误：{SHOWN}：{REFUSED}\n")


@pytest.mark.parametrize("command", ["init", "audit"])
def test_a_database_type_without_its_driver_never_prints_the_password(capsys, command):
    status, err = run(capsys, *COMMANDS[command], "--db", "mysql://clerk:pa55word@127.0.0.1/jixiao")
    assert (status, err) == (
        2,
        "错误：mysql://clerk:***@127.0.0.1/jixiao：不支持的数据库类型（No module named 'MySQLdb'）\n",
    )


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://u:p@h/db", "postgresql://u:***@h/db"),
        ("mysql://u:p@ss/w@rd@host:3306/db", "mysql://u:***@host:3306/db"),
        (
            "postgresql://u@h/db?password=p&sslmode=require",
            "postgresql://u@h/db?password=***&sslmode=require",
        ),
        ("sqlite:////srv/jixiao.db", "sqlite:////srv/jixiao.db"),
        ("not a url :: p@x", "not a url :: p@x"),
    ],
)
def test_a_database_url_is_shown_without_its_password(url, shown):
    assert mask_password(url) == shown


def test_a_file_that_is_not_a_database_exits_2(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    url = f"sqlite:///{path}"
    assert run(capsys, *COMMANDS["audit"], "--db", url) == (
        2,
        f"错误：{url}：不是 SQLite 数据库文件；请检查数据库地址\n",
    )


def test_reading_a_database_never_initialised_says_to_run_init(db_url, capsys):
    shown = mask_password(db_url)
    assert run(capsys, *COMMANDS["score"], "--db", db_url) == (
        2,
        f"错误：{shown}：数据库尚未初始化（缺少数据表）；请先运行 init\n",
    )


def test_a_driver_error_is_told_in_chinese_and_anything_unknown_keeps_its_first_line():
    cases = [
        sqlite3.OperationalError("database is locked"),
        sqlite3.OperationalError("attempt to write a readonly database"),
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.DatabaseError("database disk image is malformed"),
        sqlite3.OperationalError("something new\nsecond line"),
    ]
    assert [(troubles.explain(e).message, troubles.explain(e).busy) for e in cases] == [
        ("数据库正忙（其他写入尚未完成），本次未做任何更改；请稍后重试", True),
        ("数据库文件只读，无法写入；请检查文件权限", False),
        ("磁盘空间已满，无法写入数据库；本次未做任何更改", False),
        ("数据库文件已损坏；请从备份恢复", False),
        ("数据库无法使用（something new）", False),
    ]


@pytest.fixture
def router_mode(monkeypatch):
    """Run AppTest through dashboard.py's router (as tests/test_pages.py does)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def dashboard(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv(config.ENV_DB, url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    return at


def shown(at: AppTest) -> tuple[list, list, list]:
    return [e.value for e in at.exception], [e.value for e in at.error], [m.value for m in at.metric][:1]


def test_the_dashboard_says_the_database_is_away_and_comes_back_by_itself(monkeypatch, router_mode, tmp_path):
    folder = tmp_path / "later"
    at = dashboard(monkeypatch, f"sqlite:///{folder / 'jixiao.db'}")
    assert shown(at) == (
        [],
        [f"数据库暂时无法连接：数据库所在目录不存在：{folder}。恢复后本页会自动重新载入，无需重启。"],
        [],
    )
    folder.mkdir()  # the database comes back: the same session's next run finds it, nothing broken was kept
    at.run()
    assert shown(at)[:2] == ([], []) and at.metric[0].label == "全年预算"


@pytest.fixture(scope="module")
def server():
    srv = pg_server.Server()
    ingest.init(db.make_engine(srv.url))
    yield srv
    srv.remove()


@pytest.mark.db
@PG_ONLY
def test_the_dashboard_on_a_stopped_postgresql_server_recovers_when_it_starts(
    monkeypatch, router_mode, server
):
    monkeypatch.setattr(
        cache, "VERSION_TTL", 0.0
    )  # every run asks the database (else it serves what it kept)
    at = dashboard(monkeypatch, server.url)
    assert (shown(at)[:2], at.metric[0].label) == (([], []), "全年预算")
    server.stop()
    try:
        at.run()
        assert shown(at) == ([], [f"数据库暂时无法连接：{REFUSED}。恢复后本页会自动重新载入，无需重启。"], [])
    finally:
        server.start()
    at.run()
    assert (shown(at)[:2], at.metric[0].label) == (([], []), "全年预算")
