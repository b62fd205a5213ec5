"""Unit: signing in, in a real browser (Playwright + /usr/bin/chromium) against `python serve.py`: sign in, reload
and a second tab stay signed in, sign out, a wrong password, the lockout, a viewer of one unit who never sees
another by selector or by URL, the websocket refused without a live session cookie, and single-user mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core.accounts import actor, users
from jixiao_core.store import ingest
from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, dashboard

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is absent (apt-get install chromium); CI installs it", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
ws_client = pytest.importorskip("websockets.sync.client")

A, B = "雨花街道办事处", "珊湖区民政局"
PASSWORDS = {"管理员": "admin-password-1", "雨花领导": "viewer-password-1", "锁定测试": "locked-password-1"}
WRONG = "账号或密码不正确"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('auth_browser') / 't.db'}"
    engine = db.make_engine(url)
    with actor.operating(role="admin"):
        ingest.init(engine)
        with Session(engine) as s, s.begin():
            ingest.import_file(s, Path(__file__).parent / "fixtures" / "reports" / "shanhu_2023.txt")
        with Session(engine) as s, s.begin():
            users.add(s, "管理员", "admin", password=PASSWORDS["管理员"])
            users.add(s, "雨花领导", "viewer", (A,), password=PASSWORDS["雨花领导"])
            users.add(s, "锁定测试", "viewer", password=PASSWORDS["锁定测试"])
    engine.dispose()
    with dashboard(url) as base:
        SERVED[base] = url
        yield base


SERVED: dict[str, str] = {}  # base URL → its database URL


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile (no cookies) per test."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    yield ctx
    ctx.close()


def settle(page, ready: str = "h1") -> None:
    page.wait_for_selector(ready, timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(500)


def sign_in(page, base: str, name: str, password: str, path: str = "/") -> None:
    page.goto(base + path)
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def heading(page) -> str:
    settle(page)
    return page.inner_text("h1")


def session_cookie(context) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == "jixiao_session"]
    return cookie


def test_signing_in_opens_the_page_asked_for_and_reload_and_a_second_tab_stay_signed_in(server, context):
    page = context.new_page()
    page.goto(f"{server}/funds")
    assert (page.title(), page.locator("#password").count()) == ("登录 · 绩效看板", 1)
    sign_in(page, server, "管理员", PASSWORDS["管理员"], "/funds")
    assert (heading(page), page.url) == ("资金", f"{server}/funds")
    cookie = session_cookie(context)
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")
    page.reload()
    assert heading(page) == "资金"
    second = context.new_page()
    second.goto(f"{server}/indicators")  # a shared link, opened in another tab
    assert heading(second) == "指标"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signed_in_funds.png"))


def test_signing_out_ends_the_session_on_the_server(server, context):
    page = context.new_page()
    sign_in(page, server, "管理员", PASSWORDS["管理员"])
    assert heading(page) == "总览"
    token = session_cookie(context)["value"]
    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("已退出登录。").wait_for(timeout=30000)
    page.reload()
    assert page.locator("#password").count() == 1
    refused = _websocket(server, f"jixiao_session={token}")  # the old cookie no longer opens anything
    assert refused == 403


def test_a_wrong_password_shows_the_form_again(server, context):
    page = context.new_page()
    sign_in(page, server, "管理员", "not-the-password")
    assert (page.inner_text("p.error"), page.locator("#password").count()) == (WRONG, 1)
    page.screenshot(path=str(ARTIFACTS / "signin_wrong_password.png"))


def test_five_failures_lock_the_account_even_against_the_right_password(server, context):
    page = context.new_page()
    answers = []
    for _ in range(5):
        sign_in(page, server, "锁定测试", "not-the-password")
        answers.append(page.inner_text("p.error"))
    sign_in(page, server, "锁定测试", PASSWORDS["锁定测试"])
    locked = "登录失败次数过多，已暂时锁定，请 15 分钟后再试"
    assert (answers, page.inner_text("p.error")) == ([WRONG] * 4 + [locked], locked)


def _body(page) -> str:
    return page.inner_text("body")


def test_a_viewer_of_one_unit_never_sees_another_by_selector_or_by_url(server, context):
    page = context.new_page()
    sign_in(page, server, "雨花领导", PASSWORDS["雨花领导"])
    assert heading(page) == "总览"
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert (options, B in _body(page)) == ([A], False)
    page.goto(f"{server}/?unit={B}")
    settle(page, "text=无权查看该单位")
    assert (B in _body(page), page.locator('[data-testid="stMetricValue"]').count()) == (False, 0)
    page.screenshot(path=str(ARTIFACTS / "signin_other_unit_refused.png"))
    page.goto(f"{server}/compare")
    assert heading(page) == "对比"
    assert B not in _body(page)


def _websocket(server: str, cookie: str | None):
    """Return "open", or the HTTP status that refused the websocket handshake."""
    headers = {"Cookie": cookie} if cookie else {}
    try:
        with ws_client.connect(server.replace("http", "ws") + "/_stcore/stream", additional_headers=headers):
            return "open"
    except Exception as e:  # noqa: BLE001 - websockets.exceptions.InvalidStatus carries the refusal
        return e.response.status_code


def test_the_websocket_refuses_a_session_without_a_valid_cookie(server, context):
    assert (_websocket(server, None), _websocket(server, "jixiao_session=forged")) == (403, 403)
    page = context.new_page()
    sign_in(page, server, "管理员", PASSWORDS["管理员"])
    heading(page)
    assert _websocket(server, f"jixiao_session={session_cookie(context)['value']}") == "open"


def test_a_download_is_recorded_in_the_log_under_the_account_name(server, context):
    from jixiao_core.accounts import log

    page = context.new_page()
    sign_in(page, server, "管理员", PASSWORDS["管理员"], f"/meeting?unit={A}&slide=2")
    page.get_by_text("核心指标一览").first.wait_for(timeout=30000)
    with page.expect_download(timeout=30000) as download:
        page.get_by_role("button", name="下载自评表Excel").click()
    assert download.value.suggested_filename == "雨花街道办事处_2023年_绩效汇报.xlsx"
    with db.make_engine(SERVED[server]).connect() as conn:
        exported = log.entries(conn, action="export")
    assert exported[["person", "unit", "source"]].values.tolist()[0] == ["管理员", A, "网页 127.0.0.1"]


def _listening_addresses(port: int) -> set[str]:
    """Return the local addresses listening on `port` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_with_no_account_the_dashboard_opens_on_the_overview_on_the_loopback_address_only(tmp_path, browser):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    ingest.init(db.make_engine(url))  # as start.sh does on a fresh clone
    with dashboard(url, address=None) as base:
        page = browser.new_page(locale="zh-CN")
        page.goto(base)
        assert (heading(page), page.locator("#password").count()) == ("总览", 0)
        page.close()
        port = int(base.rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0 or ::
