"""The gate in front of the dashboard server: a pure-ASGI middleware, given to `st.App(middleware=[...])` by app.py.

Once an account exists, every request but Streamlit's static assets and health checks needs a live session: a page
request without one gets the sign-in form (and nothing of the app), the websocket (`/_stcore/stream`) is refused
before it opens (HTTP 403), and uploads, media and the other endpoints answer 401. The form posts to `/signin`,
which checks the password (argon2, in a worker thread), sets an HttpOnly, SameSite=Lax session cookie and returns
to the page that was asked for, so shared links survive signing in. While no account exists, everything passes.

Single sign-on (off by default): with `JIXIAO_AUTH_HEADER` set, a request from a trusted proxy
(`JIXIAO_TRUSTED_PROXIES`) naming an account in that header is signed in as it. The gate reads the proxy's
X-Forwarded-For and X-Forwarded-Proto itself, for trusted peers only (serve.py turns uvicorn's own reading off, so
the peer seen here is the real one).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, quote

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from jixiao_core import config, db
from jixiao_core.accounts import actor, sessions
from jixiao_core.errors import InputError
from ui import signin_page

FREE = {"favicon.png", "manifest.json", "_stcore/health", "_stcore/host-config"}  # no data in these
FREE_PREFIXES = ("static/",)  # the frontend's own bundles
DATA_PREFIXES = ("_stcore/", "media/", "component/", "app/static/", "auth/", "oauth2callback")
SIGNIN = "signin"
CSRF_COOKIE = "jixiao_signin"
MAX_FORM_BYTES = 8192
DATABASE_AWAY = "数据库暂时无法连接，请稍后再试"


@dataclass(frozen=True)
class Verdict:
    """What the gate decided for one request: let it through (maybe setting a cookie), or refuse it."""

    open: bool
    cookie: str | None = None  # a new session token to set
    message: str = ""  # why not, for the sign-in form
    stale: bool = False  # the request carried a dead session cookie: clear it
    away: bool = False  # the database did not answer


class Gate:
    """Pure ASGI middleware: sign-in form, session cookie, websocket check, trusted-header sign-on."""

    def __init__(self, app, base_url_path: str | None = None):
        self.app = app
        if base_url_path is None:
            from streamlit import config as st_config

            base_url_path = st_config.get_option("server.baseUrlPath") or ""
        self.base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
        self._accounts_seen: set[str] = set()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        settings = config.load()
        trusted = _forwarded(scope, settings.trusted_proxies)
        path = self._relative(scope["path"])
        if scope["type"] == "http" and (path in FREE or path.startswith(FREE_PREFIXES)):
            return await self.app(scope, receive, send)
        if scope["type"] == "http" and path == SIGNIN:
            return await self._signin(scope, receive, send)
        page = scope["type"] == "http" and not path.startswith(DATA_PREFIXES)
        verdict = await run_in_threadpool(self._verdict, scope, trusted, page)
        if verdict.open:
            extra = [self._session_cookie(verdict.cookie)] if verdict.cookie else []
            if page and not extra and (token := _cookies(scope).get(sessions.COOKIE)):
                extra = [self._session_cookie(token)]  # sliding: the cookie lives as long as the idle limit
            return await self.app(scope, receive, _with_headers(send, extra))
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
        if verdict.away:
            return await _respond(send, 503, signin_page.page(DATABASE_AWAY, form=False))
        if page and scope["method"] in ("GET", "HEAD"):
            return await self._form(send, scope, verdict.message, _target(scope), clear=verdict.stale)
        return await _respond(send, 401, "未登录或会话已结束".encode(), "text/plain; charset=utf-8")

    def _relative(self, path: str) -> str:
        if self.base and path.startswith(self.base):
            path = path[len(self.base) :]
        return path.lstrip("/")

    def _engine(self) -> Engine:
        return _engine_for(config.load().database_url)

    def _accounts_exist(self, s: Session) -> bool:
        url = config.load().database_url
        if url in self._accounts_seen:
            return True
        try:
            found = actor.accounts_exist(s)
        except (exc.OperationalError, exc.ProgrammingError):
            s.rollback()
            if db.has_schema(self._engine()):
                raise
            return False  # a database not yet initialised holds no account
        if found:
            self._accounts_seen.add(url)  # accounts are never deleted, only disabled
        return found

    def _verdict(self, scope, trusted: bool, page: bool) -> Verdict:
        known = config.load().database_url in self._accounts_seen
        try:
            with Session(self._engine()) as s, s.begin():
                if not self._accounts_exist(s):
                    return Verdict(True)
                return self._signed(s, scope, trusted, page)
        except (exc.SQLAlchemyError, InputError):  # InputError: DatabaseUnavailable (cannot be opened)
            # with accounts known to exist, no session can be checked: refuse. Not knowing, let the app say what
            # is wrong with its database: it reads nothing from it either, and checks the session on every run
            return Verdict(not known, away=known)

    def _signed(self, s: Session, scope, trusted: bool, page: bool) -> Verdict:
        token = _cookies(scope).get(sessions.COOKIE)
        who = sessions.resolve(s, token, touch=True)
        header = config.load().auth_header
        named = _header(scope, header) if header and trusted else None
        if named is None:
            return Verdict(who is not None, stale=bool(token) and who is None)
        if who is not None and who.name == named:
            return Verdict(True)
        if not page:  # the page request signs in; the websocket and the rest follow with its cookie
            return Verdict(False)
        outcome = sessions.sign_in_trusted(s, named, _source(scope))
        return Verdict(outcome.token is not None, outcome.token, outcome.message)

    async def _signin(self, scope, receive, send):
        target = self._safe(_target(scope))
        if scope["method"] != "POST":
            verdict = await run_in_threadpool(self._verdict, scope, False, True)
            if verdict.open:
                return await _redirect(send, target)
            return await self._form(send, scope, "", target, clear=verdict.stale)
        body = await _body(receive)
        if body is None:
            return await _respond(send, 413, "请求过大".encode(), "text/plain; charset=utf-8")
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), max_num_fields=8).items()}
        target = self._safe(fields.get("next", ""))
        expected = _cookies(scope).get(CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(expected, fields.get("csrf", "")):
            return await self._form(send, scope, "登录页面已过期，请重新输入", target)
        outcome = await run_in_threadpool(
            self._sign_in, fields.get("name", ""), fields.get("password", ""), scope
        )
        if outcome.token is None:
            return await self._form(send, scope, outcome.message, target)
        cookies = [self._session_cookie(outcome.token), self._cookie(CSRF_COOKIE, "", 0)]
        return await _redirect(send, target, cookies)

    def _sign_in(self, name: str, password: str, scope) -> sessions.Outcome:
        try:
            with Session(self._engine()) as s, s.begin():
                if not self._accounts_exist(s):
                    return sessions.Outcome(None, "尚无账号：单用户模式无需登录")
                return sessions.sign_in(s, name, password, _source(scope))
        except (exc.SQLAlchemyError, InputError):
            return sessions.Outcome(None, DATABASE_AWAY)

    async def _form(self, send, scope, message: str, target: str, clear: bool = False):
        # kept while the browser has one: its own side requests (a favicon) must not change the form's token
        csrf = _cookies(scope).get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        cookies = [self._cookie(CSRF_COOKIE, csrf, 3600, same_site="Strict")]
        if clear:
            cookies.append(self._cookie(sessions.COOKIE, "", 0))
        body = signin_page.page(message, form=True, action=f"{self.base}/{SIGNIN}", target=target, csrf=csrf)
        return await _respond(send, 200, body, cookies=cookies)

    def _safe(self, target: str) -> str:
        """Return `target` when it is a path of this app (never another site), else the app's root."""
        home = f"{self.base}/"
        if target.startswith(home) and not target.startswith("//") and "\\" not in target:
            return target
        return home

    def _session_cookie(self, token: str) -> str:
        return self._cookie(sessions.COOKIE, token, int(config.load().session_idle_hours * 3600))

    def _cookie(self, name: str, value: str, max_age: int, same_site: str = "Lax") -> str:
        secure = "; Secure" if config.load().cookie_secure else ""
        path = self.base or "/"
        return f"{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return db.make_engine(url)


def _cookies(scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                out.setdefault(key, val)
    return out


def _header(scope, name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", ()):
        if key == wanted:
            text = value.decode("utf-8", "replace").strip()
            return text or None
    return None


def _in(host: str | None, trusted: tuple[str, ...]) -> bool:
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(t, strict=False) for t in trusted)


def _forwarded(scope, trusted: tuple[str, ...]) -> bool:
    """Return whether the peer is a trusted proxy; if so, take the client and scheme it reports (as uvicorn would)."""
    client = scope.get("client")
    if not _in(client[0] if client else None, trusted):
        return False
    hops = ",".join(v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for")
    for hop in reversed([h.strip() for h in hops.split(",") if h.strip()]):
        if not _in(hop, trusted):
            scope["client"] = (hop, 0)
            break
    proto = _header(scope, "x-forwarded-proto")
    if proto in ("http", "https"):
        scope["scheme"] = proto.replace("http", "ws") if scope["type"] == "websocket" else proto
    return True


def _source(scope) -> str:
    client = scope.get("client")
    return f"网页 {client[0]}" if client else "网页"


def _target(scope) -> str:
    query = scope.get("query_string", b"").decode("latin-1")
    if scope["path"].rstrip("/").endswith(f"/{SIGNIN}"):
        return parse_qs(query).get("next", [""])[0]
    return scope["path"] + (f"?{query}" if query else "")


async def _body(receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES:
            return None
        if not message.get("more_body"):
            return body


def _with_headers(send, cookies: list[str]):
    if not cookies:
        return send

    async def sending(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            headers += [(b"set-cookie", c.encode("latin-1")) for c in cookies]
            message = {**message, "headers": headers}
        await send(message)

    return sending


async def _respond(send, status: int, body: bytes, content_type="text/html; charset=utf-8", cookies=()):
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        *((b"set-cookie", c.encode("latin-1")) for c in cookies),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send, target: str, cookies=()):
    headers = [(b"location", quote(target, safe="/?&=%#:+,;@!$'()*~.-_").encode("latin-1"))]
    headers += [(b"cache-control", b"no-store"), (b"content-length", b"0")]
    headers += [(b"set-cookie", c.encode("latin-1")) for c in cookies]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
