"""Unit: the launcher's sign-in duties — serve.py listens on the loopback address while no account exists, and runs
app.py, whose st.App puts the sign-in gate in front of dashboard.py."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import serve
from jixiao_core import config, db
from jixiao_core.accounts import users
from tests.browser_support import ROOT


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--server.port", "8501"], ["--server.port", "8501", "--server.address", "127.0.0.1"]),
        (
            ["--server.address", "0.0.0.0", "--server.port", "1"],
            ["--server.port", "1", "--server.address", "127.0.0.1"],
        ),
        (["--server.address=::"], ["--server.address", "127.0.0.1"]),
    ],
)
def test_with_no_account_the_server_listens_on_the_loopback_address_only(argv, expected):
    assert serve.single_user_address(argv, has_accounts=False) == expected


def test_once_an_account_exists_the_address_is_left_as_asked():
    argv = ["--server.address", "0.0.0.0"]
    assert serve.single_user_address(argv, has_accounts=True) == argv


def test_the_launcher_asks_the_configured_database_whether_accounts_exist(monkeypatch, engine, db_url):
    monkeypatch.setenv(config.ENV_DB, db_url)
    assert serve.accounts_exist() is False  # not even a schema yet: single-user
    db.upgrade(engine)
    assert serve.accounts_exist() is False
    with Session(engine) as s, s.begin():
        users.add(s, "管理员", "admin", password="admin-password-1")
    assert serve.accounts_exist() is True


def test_the_launcher_runs_the_gated_app_that_streamlit_run_discovers():
    from streamlit.web.server.app_discovery import discover_asgi_app

    import app
    from ui.gate import Gate

    found = discover_asgi_app(ROOT / "app.py")
    assert (serve.APP, found.is_asgi_app, found.import_string) == (ROOT / "app.py", True, "app:app")
    assert [m.cls for m in app.app._user_middleware] == [
        Gate
    ]  # the gate runs before Streamlit's own middleware
    assert app.app.script_path.name == "dashboard.py"
