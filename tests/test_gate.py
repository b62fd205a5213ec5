"""Unit: ui.gate, the pure-ASGI middleware in front of the server — the sign-in form instead of the app, the
session cookie, the websocket refused without a live session, the single sign-on header from trusted proxies only."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy.orm import Session

from jixiao_core import config, db
from jixiao_core.accounts import actor, sessions, users
from ui.gate import Gate

PASSWORD = "clerk-password-1"


class Inner:
    """The app behind the gate: answers 200 "app" and remembers what reached it."""

    def __init__(self):
        self.seen: list[dict] = []

    async def __call__(self, scope, receive, send):
        self.seen.append(scope)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.accept"})
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": b"app"})


def request(gate, path, *, kind="http", method="GET", cookies=None, headers=(), body=b"", peer="10.0.0.5"):
    """Run one request through the gate; return (status or close code, headers, body)."""
    raw = [(k.lower().encode(), v.encode()) for k, v in headers]
    if cookies:
        raw.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    scope = {"type": kind, "path": path.split("?")[0], "query_string": path.partition("?")[2].encode()}
    scope |= {"headers": raw, "client": (peer, 50000), "scheme": "http", "method": method}
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(gate(scope, receive, send))
    start = sent[0]
    if start["type"] == "websocket.close":
        return start["code"], {}, b""
    if start["type"] == "websocket.accept":
        return "open", {}, b""
    found: dict[str, list[str]] = {}
    for k, v in start["headers"]:
        found.setdefault(k.decode(), []).append(v.decode("latin-1"))
    return start["status"], found, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def url(monkeypatch, engine, db_url):
    monkeypatch.setenv(config.ENV_DB, db_url)
    db.upgrade(engine)
    return db_url


@pytest.fixture
def accounts(url, engine):
    with Session(engine) as s, s.begin():
        users.add(s, "管理员", "admin", password="admin-password-1")
    with actor.operating(role="admin"), Session(engine) as s, s.begin():
        users.add(s, "张三", "clerk", password=PASSWORD)
    return engine


def token_of(engine, name="张三") -> str:
    with Session(engine) as s, s.begin():
        return sessions.sign_in(s, name, PASSWORD if name == "张三" else "admin-password-1").token


def csrf_of(body: bytes) -> str:
    return re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()


def test_without_accounts_everything_passes(url):
    inner = Inner()
    gate = Gate(inner, "")
    assert request(gate, "/funds")[0] == 200
    assert request(gate, "/_stcore/stream", kind="websocket")[0] == "open"
    assert len(inner.seen) == 2


def test_a_page_without_a_session_gets_the_sign_in_form_and_nothing_of_the_app(accounts):
    inner = Inner()
    status, headers, body = request(Gate(inner, ""), "/funds?unit=%E9%9B%A8")
    text = body.decode()
    assert (status, inner.seen) == (200, [])
    assert ('name="password"' in text, 'value="/funds?unit=%E9%9B%A8"' in text, "雨花" in text) == (
        True,
        True,
        False,
    )
    (csrf,) = headers["set-cookie"]
    assert re.fullmatch(r"jixiao_signin=[\w-]+; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict", csrf)


@pytest.mark.parametrize("cookie", [None, "nonsense"])
def test_the_websocket_is_refused_before_it_opens_without_a_live_session(accounts, cookie):
    inner = Inner()
    cookies = {sessions.COOKIE: cookie} if cookie else None
    assert request(Gate(inner, ""), "/_stcore/stream", kind="websocket", cookies=cookies)[0] == 1008
    assert inner.seen == []


def test_the_websocket_opens_with_a_live_session(accounts):
    inner = Inner()
    cookies = {sessions.COOKIE: token_of(accounts)}
    assert request(Gate(inner, ""), "/_stcore/stream", kind="websocket", cookies=cookies)[0] == "open"


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/static/js/index.js", 200),
        ("GET", "/_stcore/health", 200),
        ("GET", "/favicon.png", 200),
        ("PUT", "/_stcore/upload_file/s/f", 401),
        ("GET", "/media/abc.png", 401),
        ("GET", "/_stcore/metrics", 401),
        ("POST", "/_stcore/agent/interact", 401),
    ],
)
def test_only_static_assets_and_health_checks_answer_without_a_session(accounts, method, path, status):
    assert request(Gate(Inner(), ""), path, method=method)[0] == status


def _sign_in(gate, name, password, target="/funds?unit=x", csrf_cookie=None):
    _, _, body = request(gate, "/signin")
    csrf = csrf_of(body)
    form = f"name={name}&password={password}&csrf={csrf}&next={target}".encode()
    cookies = {"jixiao_signin": csrf_cookie if csrf_cookie is not None else csrf}
    return request(gate, "/signin", method="POST", body=form, cookies=cookies)


def test_signing_in_sets_an_httponly_samesite_session_cookie_and_returns_to_the_page(accounts):
    status, headers, _ = _sign_in(Gate(Inner(), ""), "张三", PASSWORD, "/funds%3Funit%3Dx")
    session_cookie, cleared = headers["set-cookie"]
    assert (status, headers["location"]) == (303, ["/funds?unit=x"])
    assert re.fullmatch(
        r"jixiao_session=[\w-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax", session_cookie
    )
    assert cleared == "jixiao_signin=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"


def test_behind_https_the_cookie_is_secure(accounts, monkeypatch):
    monkeypatch.setenv("JIXIAO_COOKIE_SECURE", "1")
    _, headers, _ = _sign_in(Gate(Inner(), ""), "张三", PASSWORD)
    assert headers["set-cookie"][0].endswith("; SameSite=Lax; Secure")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_signing_in_never_returns_to_another_site(accounts, target):
    _, headers, _ = _sign_in(Gate(Inner(), ""), "张三", PASSWORD, target)
    assert headers["location"] == ["/"]


def test_a_wrong_password_shows_the_form_again_with_the_same_answer_as_an_unknown_name(accounts):
    for name in ("张三", "没有这个人"):
        status, headers, body = _sign_in(Gate(Inner(), ""), name, "wrong-password")
        assert (status, "账号或密码不正确" in body.decode(), "jixiao_session=" in str(headers)) == (
            200,
            True,
            False,
        )


def test_a_form_posted_without_its_token_is_refused(accounts):
    status, _, body = _sign_in(Gate(Inner(), ""), "张三", PASSWORD, csrf_cookie="another")
    assert (status, "登录页面已过期，请重新输入" in body.decode()) == (200, True)


def test_a_live_session_reaches_the_app_and_its_cookie_slides(accounts):
    inner = Inner()
    token = token_of(accounts)
    status, headers, body = request(Gate(inner, ""), "/funds", cookies={sessions.COOKIE: token})
    assert (status, body, len(inner.seen)) == (200, b"app", 1)
    assert headers["set-cookie"] == [f"jixiao_session={token}; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax"]


def test_a_disabled_accounts_session_ends_at_its_next_request_and_its_cookie_is_cleared(accounts):
    token = token_of(accounts)
    with actor.operating(role="admin"), Session(accounts) as s, s.begin():
        users.set_active(s, "张三", False)
    inner = Inner()
    status, headers, body = request(Gate(inner, ""), "/", cookies={sessions.COOKIE: token})
    assert (status, inner.seen, 'name="password"' in body.decode()) == (200, [], True)
    assert "jixiao_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" in headers["set-cookie"]


def test_under_a_base_path_the_form_posts_to_it_and_its_assets_are_free(accounts):
    gate = Gate(Inner(), "kpi")
    assert request(gate, "/kpi/static/js/index.js")[0] == 200
    _, _, body = request(gate, "/kpi/funds")
    assert 'action="/kpi/signin"' in body.decode()


@pytest.fixture
def header_mode(accounts, monkeypatch):
    monkeypatch.setenv("JIXIAO_AUTH_HEADER", "X-Remote-User")
    monkeypatch.setenv("JIXIAO_TRUSTED_PROXIES", "127.0.0.1,10.1.0.0/16")
    return accounts


def test_a_trusted_proxy_naming_an_account_signs_it_in(header_mode):
    inner = Inner()
    hops = [("X-Remote-User", "张三"), ("X-Forwarded-For", "10.0.0.8")]
    status, headers, _ = request(Gate(inner, ""), "/funds", headers=hops, peer="10.1.2.3")
    assert (status, len(inner.seen), inner.seen[0]["client"]) == (200, 1, ("10.0.0.8", 0))
    token = headers["set-cookie"][0].split(";")[0].removeprefix("jixiao_session=")
    with Session(header_mode) as s:
        who = sessions.resolve(s, token)
    assert (who.name, who.source) == ("张三", "网页 10.0.0.8")
    ws = request(Gate(inner, ""), "/_stcore/stream", kind="websocket", headers=hops, peer="127.0.0.1",
                 cookies={sessions.COOKIE: token})  # fmt: skip
    assert ws[0] == "open"


def test_the_header_from_an_untrusted_peer_is_ignored(header_mode):
    inner = Inner()
    status, _, body = request(
        Gate(inner, ""), "/funds", headers=[("X-Remote-User", "管理员")], peer="10.9.9.9"
    )
    assert (status, inner.seen, 'name="password"' in body.decode()) == (200, [], True)


def test_a_header_naming_no_account_says_so_on_the_form(header_mode):
    status, _, body = request(Gate(Inner(), ""), "/", headers=[("X-Remote-User", "某某")], peer="127.0.0.1")
    assert (status, "单点登录账号“某某”未在本系统开通或已停用，请联系管理员" in body.decode()) == (200, True)


def test_the_websocket_needs_the_cookie_even_with_a_trusted_header(header_mode):
    hops = [("X-Remote-User", "张三")]
    assert (
        request(Gate(Inner(), ""), "/_stcore/stream", kind="websocket", headers=hops, peer="127.0.0.1")[0]
        == 1008
    )


def test_header_mode_is_off_by_default(accounts):
    inner = Inner()
    request(Gate(inner, ""), "/", headers=[("X-Remote-User", "张三")], peer="127.0.0.1")
    assert inner.seen == []


def test_a_database_that_does_not_answer_is_said_so(accounts, monkeypatch):
    gate = Gate(Inner(), "")
    token = token_of(accounts)
    away = "postgresql+psycopg://nobody@127.0.0.1:9/none"  # nothing listens on port 9
    monkeypatch.setenv(config.ENV_DB, away)
    gate._accounts_seen.add(away)  # as if it had answered before
    status, _, body = request(gate, "/", cookies={sessions.COOKIE: token})
    assert (status, "数据库暂时无法连接，请稍后再试" in body.decode()) == (503, True)
    assert request(gate, "/_stcore/stream", kind="websocket", cookies={sessions.COOKIE: token})[0] == 1008


def test_a_database_that_cannot_be_opened_before_any_account_was_seen_is_left_to_the_app(
    monkeypatch, tmp_path
):
    monkeypatch.setenv(config.ENV_DB, f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")
    inner = Inner()
    # the app says what is wrong with its database (and reads nothing from it); no server error here
    assert (request(Gate(inner, ""), "/")[0], len(inner.seen)) == (200, 1)
