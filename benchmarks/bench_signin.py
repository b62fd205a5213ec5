"""Benchmark: what signing in costs — argon2 (the real profile), a sign-in through the gate, and the per-request
checks every page request, websocket and script run pays once accounts exist (SQLite, in-process).

Run: `python benchmarks/bench_signin.py`. Prints medians in ms; nothing is asserted.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from jixiao_core import config, db  # noqa: E402
from jixiao_core.accounts import actor, passwords, sessions, users  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def _noop_app(scope, receive, send):
    if scope["type"] == "websocket":
        return await send({"type": "websocket.accept"})
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def through_gate(gate, path: str, kind="http", cookie: str | None = None, body=b"", method="GET"):
    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": kind, "path": path, "query_string": b"", "headers": headers, "client": ("10.0.0.5", 1)}
    scope |= {"scheme": "http", "method": method}

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        pass

    await gate(scope, receive, send)


async def amedian_ms(make, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from ui.gate import Gate

    tmp = tempfile.mkdtemp()
    url = f"sqlite:///{tmp}/bench.db"
    os.environ[config.ENV_DB] = url
    engine = db.make_engine(url)
    db.upgrade(engine)
    print(
        f"argon2 profile: t={passwords.HASHER.time_cost}, m={passwords.HASHER.memory_cost} KiB, p={passwords.HASHER.parallelism}"
    )
    stored = passwords.hashed("bench-password-1")
    print(f"argon2 hash   median {median_ms(lambda: passwords.hashed('bench-password-1'), 5):7.1f} ms")
    print(
        f"argon2 verify median {median_ms(lambda: passwords.matches(stored, 'bench-password-1'), 5):7.1f} ms"
    )

    single = median_ms(lambda: _current(engine, None), 200)
    with Session(engine) as s, s.begin():
        users.add(s, "管理员", "admin", password="bench-password-1")
    with actor.operating(role="admin"), Session(engine) as s, s.begin():
        users.add(s, "甲", "viewer", ("雨花街道办事处",), password="bench-password-1")
    with Session(engine) as s, s.begin():
        token = sessions.sign_in(s, "甲", "bench-password-1").token
    print(
        f"who acts, per script run: single-user {single:.3f} ms; signed in {median_ms(lambda: _current(engine, token), 200):.3f} ms"
    )

    asyncio.run(_gate_figures(Gate(_noop_app, ""), f"{sessions.COOKIE}={token}"))


async def _gate_figures(gate, cookie: str) -> None:
    # one event loop for every request, as a server has
    await through_gate(gate, "/")  # warm: the gate's engine, its memo that accounts exist
    cases = [
        ("page with a live session", lambda: through_gate(gate, "/funds", cookie=cookie)),
        ("websocket with a session", lambda: through_gate(gate, "/_stcore/stream", "websocket", cookie)),
        ("page without (the form)", lambda: through_gate(gate, "/funds")),
        ("static asset", lambda: through_gate(gate, "/static/js/x.js")),
    ]
    for label, make in cases:
        print(f"gate, {label:<28} {await amedian_ms(make, 200):.3f} ms")
    form = b"name=%E7%94%B2&password=bench-password-1&csrf=t&next=/"
    post = lambda: through_gate(gate, "/signin", cookie="jixiao_signin=t", body=form, method="POST")  # noqa: E731
    print(f"gate, sign-in POST (argon2 included) {await amedian_ms(post, 5):.1f} ms")


def _current(engine, token):
    with actor.signed_in(token), Session(engine) as s, s.begin():
        return actor.current(s, touch=True)


if __name__ == "__main__":
    main()
