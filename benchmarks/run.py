"""The benchmark suite, one command: `python benchmarks/run.py` prints one table and writes it as JSON.

Measures (PERFORMANCE.md §9, issue 13):
- generate: the demo generator building each database size (CLI `demo`, whole process);
- sql: the heavy read-side questions at each size, timed, with their EXPLAIN (QUERY PLAN) lines in the JSON;
- apptest: every page's first render (fresh process, caches empty, modules imported) and rerun median at each size,
  beside an empty app in the same process, on SQLite and, given a PostgreSQL URL, on PostgreSQL; scripts are
  compiled once per process, as a server does (AppTest alone would compile them again on every run);
- e2e: rerun latency over the websocket, p50/p95, 1 and 10 sessions (closed loop, zero think time), for serve.py
  (as ./start.sh serves it), stock `streamlit run dashboard.py`, and nginx in front of two serve.py processes;
- rss: peak RSS of one serve.py process after 20 sessions opened pages at the largest size;
- io: parse, import, batch import (when the command line has it) and each export; cli: start-up and export as whole
  processes.

`--quick` runs every part at a small size (a check that the suite works, not a measurement). PostgreSQL: pass
`--postgres URL` (a server where the user may create databases), or run under `scripts/with_postgres.sh`.
Record the machine's load: figures taken while others use the CPU are not comparable (the JSON keeps loadavg).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import live, stream  # noqa: E402

YEARS = "2011-2023"
SIZES = {"15k": 12, "300k": 245, "600k": 500}  # demo units × 13 years × 94 indicators, plus the bundled 94
QUICK_SIZES = {"2k": 1}
SEED_REPORT = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
UNIT, YEAR = "雨花街道办事处", 2023
RESULTS: list[dict] = []


def record(part: str, name: str, value: float | None, unit: str, **extra) -> None:
    RESULTS.append({"part": part, "name": name, "value": value, "unit": unit, **extra})


def registered_pages() -> list[str]:
    import ast

    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "Page"]
    return [c.args[0].value for c in sorted(calls, key=lambda c: c.lineno)]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


# ---- databases ---------------------------------------------------------------------------------------------


def _cli(*args: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao_core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return time.perf_counter() - start, proc


def _pg_url(base: str, name: str) -> str:
    from sqlalchemy import create_engine, make_url, text

    url = make_url(base)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def database(backend: str, size: str, units: int, data_dir: Path, pg: str | None) -> str:
    """Return the URL of a database holding the bundled unit plus `units` demo units × 13 years; build it once."""
    url = (
        f"sqlite:///{data_dir / f'bench-{size}.db'}"
        if backend == "sqlite"
        else _pg_url(pg, f"jixiao_bench_{size}")
    )
    from sqlalchemy import func, select

    from jixiao_core import db
    from jixiao_core import models as m

    engine = db.make_engine(url)
    have = 0
    if db.has_schema(engine):
        with engine.connect() as conn:
            have = conn.scalar(select(func.count()).select_from(m.Indicator))
    engine.dispose()
    want = 94 * (1 + units * 13)
    if have != want:
        _cli("init", "--db", url)
        seconds, proc = _cli("demo", "--units", str(units), "--years", YEARS, "--db", url)
        if proc.returncode:
            raise RuntimeError(proc.stderr)
        record(
            "generate",
            f"demo --units {units} --years {YEARS}",
            seconds,
            "s",
            size=size,
            backend=backend,
            target="≤ 180 s at 600k",
            rows=want,
        )
    return url


# ---- AppTest -----------------------------------------------------------------------------------------------


def apptest_worker(url: str, page: str, reruns: int) -> dict:
    """In a fresh process: import the app, time the empty app, then `page`'s first run and reruns."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # as tests/test_pages.py: run every page through the router
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    # AppTest compiles the scripts again on every run; a server compiles them once (one ScriptCache): do the same
    shared = app_test.ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared

    os.environ["JIXIAO_DATABASE_URL"] = url
    start = time.perf_counter()
    import ui  # noqa: F401

    imports = time.perf_counter() - start

    def timed(at) -> tuple[float, float]:
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        runs = []
        for _ in range(reruns):
            t = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - t)
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        return first, statistics.median(runs)

    empty = timed(AppTest.from_string("import streamlit as st", default_timeout=60))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page(page)
    first, rerun = timed(at)
    return {
        "imports": imports,
        "empty_first": empty[0],
        "empty_rerun": empty[1],
        "first": first,
        "rerun": rerun,
    }


def apptest(url: str, size: str, backend: str, reruns: int) -> None:
    for page in registered_pages():
        proc = subprocess.run(
            [sys.executable, __file__, "--apptest-worker", url, page, str(reruns)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            record("apptest", page, None, "ms", size=size, backend=backend, error=proc.stderr[-500:])
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        ratio = r["rerun"] / r["empty_rerun"]
        common = {"size": size, "backend": backend}
        record(
            "apptest",
            f"{page} rerun",
            1000 * r["rerun"],
            "ms",
            **common,
            ratio=ratio,
            empty_ms=1000 * r["empty_rerun"],
            target="≤ 3× empty",
        )
        record(
            "apptest",
            f"{page} first render",
            r["first"],
            "s",
            **common,
            target="≤ 2 s",
            imports_s=r["imports"],
        )


# ---- SQL: the heavy questions, timed, with their plans ------------------------------------------------------


def sql(url: str, size: str, backend: str) -> None:
    from jixiao_core import db, queries
    from jixiao_core.queries import plans

    unit = "【演示】示例街道01"
    heavy = [
        ("district_ranking", (2023,)),
        ("unit_comparison", (2023,)),
        ("shared_indicators", (2023,)),
        ("year_over_year", (unit,)),
        ("units", ()),
        ("indicators_for", (unit, 2023)),
        ("achievement_by_area", (unit, 2023)),
        ("goals_against_results", (unit, 2023)),
    ]
    engine = db.make_engine(url)
    with engine.connect() as conn:
        for name, args in heavy:
            question = getattr(queries, name)
            question(conn, *args)  # warm the connection and the page cache
            times = []
            for _ in range(5):
                start = time.perf_counter()
                question(conn, *args)
                times.append(time.perf_counter() - start)
            lines = plans.plan(conn, question, *args)
            scans = plans.full_scans(lines, ("indicator", "finding", "work_area", "goal", "project_year"))
            record(
                "sql",
                name,
                1000 * statistics.median(times),
                "ms p50",
                size=size,
                backend=backend,
                note=f"{len(scans)} full scans of big tables",
                plan=lines,
            )
    engine.dispose()


# ---- over the websocket ------------------------------------------------------------------------------------


async def _closed_loop(
    base: str, sessions: int, runs: int, page: str, spread: bool
) -> tuple[list[float], int]:
    async def one(n: int) -> tuple[list[float], int]:
        cookies = {"jixiao_route": f"bench{n}"} if spread else {}
        s = await stream.Session(base, cookies).open()
        await s.run(page)  # the first run fills the caches; not timed
        times, size = [], 0
        for _ in range(runs):
            r = await s.run(page)
            times.append(r.seconds)
            size = r.received
        await s.close()
        return times, size

    results = await asyncio.gather(*(one(n) for n in range(sessions)))
    return [t for times, _ in results for t in times], max(size for _, size in results)


def e2e(url: str, size: str, runs: int, logs: Path) -> None:
    for page, label in (("", "总览"), ("district", "区县总览")):
        for launcher in ("serve", "stock"):
            with live.server(url, launcher, logs=logs) as srv:
                for sessions in (1, 10):
                    times, received = asyncio.run(_closed_loop(srv.base, sessions, runs, page, False))
                    _e2e_row(f"{launcher} {label}", size, sessions, times, received)
        ports = [live.free_port(), live.free_port()]
        with live.servers(url, ports, logs=logs), live.nginx(ports) as proxy:
            for sessions in (1, 10):
                times, received = asyncio.run(_closed_loop(proxy.base, sessions, runs, page, True))
                _e2e_row(f"nginx+2×serve {label}", size, sessions, times, received)


def _e2e_row(name: str, size: str, sessions: int, times: list[float], received: int) -> None:
    record(
        "e2e",
        f"{name}, {sessions} session(s)",
        1000 * statistics.median(times),
        "ms p50",
        size=size,
        sessions=sessions,
        p95_ms=1000 * pct(times, 0.95),
        runs=len(times),
        bytes_per_rerun=received,
    )


def rss(url: str, size: str, sessions: int, logs: Path) -> None:
    """Peak RSS of one serve.py process after `sessions` tabs each opened several pages on different units."""
    from sqlalchemy import select

    from jixiao_core import db
    from jixiao_core import models as m

    engine = db.make_engine(url)
    with engine.connect() as conn:
        names = list(conn.scalars(select(m.Unit.name).order_by(m.Unit.id).limit(sessions)))
    engine.dispose()
    pages = ("", "indicators", "funds", "compare", "district", "goals", "communities", "checks")

    async def tabs(base: str) -> None:
        async def one(n: int) -> None:
            from urllib.parse import urlencode

            s = await stream.Session(base).open()
            query = urlencode({"unit": names[n % len(names)]})
            for page in pages:
                await s.run(page, query=query)
            # left open: an idle tab keeps its session until it closes

        await asyncio.gather(*(one(n) for n in range(sessions)))

    with live.server(url, "serve", logs=logs) as srv:
        before = live.rss_kb(srv.pid)
        asyncio.run(tabs(srv.base))
        now, peak = live.rss_kb(srv.pid)
    record(
        "rss",
        f"serve.py, {sessions} sessions × {len(pages)} pages",
        peak / 1024,
        "MB peak",
        size=size,
        start_mb=before[0] / 1024,
        end_mb=now / 1024,
        target="≤ 600 MB",
    )


# ---- parse, import, export, start-up -----------------------------------------------------------------------


def io_parts(tmp: Path, quick: bool) -> None:
    from sqlalchemy.orm import Session

    from benchmarks import bench_exports, bench_parse
    from jixiao_core import db
    from jixiao_core.accounts import actor
    from jixiao_core.store import ingest

    record(
        "io",
        "parse seed report (15 KB)",
        bench_parse.median_ms(SEED_REPORT, 10 if quick else 50),
        "ms p50",
        target="≤ 50 ms",
    )
    engine = db.make_engine(f"sqlite:///{tmp / 'io.db'}")
    with actor.operating():
        ingest.init(engine)
        text = SEED_REPORT.read_text(encoding="utf-8")
        times = []
        for i in range(5 if quick else 20):
            path = tmp / SEED_REPORT.name
            path.write_text(text + "\n" * (i + 1), encoding="utf-8")
            start = time.perf_counter()
            with Session(engine) as s, s.begin():
                ingest.import_file(s, path, replace=True)
            times.append(time.perf_counter() - start)
        record("io", "import seed report", 1000 * statistics.median(times), "ms p50", target="≤ 50 ms")
        for fmt in ("xlsx", "pptx", "pdf"):
            bench_exports.timed(engine, fmt)
            seconds = statistics.median(bench_exports.timed(engine, fmt)[0] for _ in range(3))
            record("io", f"export {fmt} (in process)", seconds, "s", target="≤ 2 s")
    engine.dispose()
    batch_import(tmp, quick)


def batch_import(tmp: Path, quick: bool) -> None:
    """Import a folder of generated reports with the command line, when it takes folders (issue 12)."""
    _, helptext = _cli("import", "--help")
    if "PATH" not in helptext.stdout and "paths" not in helptext.stdout:
        record(
            "io", "batch import", None, "files/s", note="command line takes one file (issue 12 not merged)"
        )
        return
    folder = tmp / "batch"
    folder.mkdir(exist_ok=True)
    text = SEED_REPORT.read_text(encoding="utf-8")
    n = 10 if quick else 100
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(
            text.replace("雨花街道办事处", f"试验{i:03d}街道办事处"), "utf-8"
        )
    url = f"sqlite:///{tmp / 'batch.db'}"
    _cli("init", "--db", url)
    seconds, proc = _cli("import", str(folder), "--db", url)
    record("io", f"batch import {n} reports", n / seconds, "files/s", exit=proc.returncode)


def cli_parts(url: str) -> None:
    times = [_cli("--help")[0] for _ in range(5)]
    record("cli", "python -m jixiao_core --help", statistics.median(times), "s p50")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("xlsx", "pptx", "pdf"):
            out = str(Path(tmp) / f"x.{fmt}")
            args = ("export", "--unit", UNIT, "--year", str(YEAR), "--format", fmt, "-o", out, "--db", url)
            times = [_cli(*args)[0] for _ in range(3)]
            record("cli", f"export --format {fmt}", statistics.median(times), "s p50", target="≤ 2 s")


# ---- report ------------------------------------------------------------------------------------------------


def machine() -> dict:
    import streamlit

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "platform": platform.platform(),
        "loadavg": os.getloadavg(),
    }


def table(results: list[dict]) -> str:
    lines = [f"{'part':<9}{'measure':<58}{'size':<7}{'db':<7}{'value':>10}  {'unit':<9}note"]
    for r in results:
        value = (
            "—" if r["value"] is None else f"{r['value']:.1f}" if r["value"] >= 10 else f"{r['value']:.3f}"
        )
        note = []
        if "ratio" in r:
            note.append(f"{r['ratio']:.1f}× empty ({r['empty_ms']:.1f} ms)")
        if "p95_ms" in r:
            note.append(f"p95 {r['p95_ms']:.1f} ms, {r['bytes_per_rerun'] / 1024:.1f} KB/rerun")
        if "imports_s" in r:
            note.append(f"+ {r['imports_s']:.2f} s imports once per process")
        for k in ("target", "note", "error"):
            if k in r:
                note.append(str(r[k])[:80])
        size, backend = r.get("size", ""), r.get("backend", "")
        lines.append(
            f"{r['part']:<9}{r['name'][:57]:<58}{size:<7}{backend:<7}{value:>10}  {r['unit']:<9}{'; '.join(note)}"
        )
    return "\n".join(lines)


def speedups(results: list[dict]) -> list[str]:
    """Return the serve.py ÷ stock ratios of the websocket figures measured in this run."""
    out = []
    rows = {r["name"]: r for r in results if r["part"] == "e2e"}
    for name, r in rows.items():
        if name.startswith("serve "):
            stock = rows.get("stock " + name.removeprefix("serve "))
            if stock:
                out.append(
                    f"{name}: {stock['value'] / r['value']:.1f}× faster p50, {stock['p95_ms'] / r['p95_ms']:.1f}× p95"
                )
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="绩效看板 benchmark suite")
    p.add_argument("--quick", action="store_true", help="small sizes, few runs: check the suite works")
    p.add_argument("--sizes", help="comma-separated, of " + ",".join(SIZES))
    p.add_argument("--parts", default="generate,sql,apptest,e2e,rss,io,cli")
    p.add_argument("--postgres", default=os.environ.get("JIXIAO_TEST_DATABASE_URL"))
    p.add_argument(
        "--data", default=str(Path(tempfile.gettempdir()) / "jixiao-bench"), help="databases kept here"
    )
    p.add_argument("--json", default=str(ROOT / "benchmarks" / "results.json"))
    args = p.parse_args(argv)
    from jixiao_core.accounts import actor

    sizes = QUICK_SIZES if args.quick else {k: SIZES[k] for k in (args.sizes or ",".join(SIZES)).split(",")}
    parts = set(args.parts.split(","))
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite", *(["postgres"] if args.postgres else [])]
    info = {"machine_start": machine(), "quick": args.quick}
    reruns, e2e_runs = (3, 5) if args.quick else (10, 20)
    with actor.operating(), tempfile.TemporaryDirectory() as tmp:
        urls = {(b, s): database(b, s, n, data, args.postgres) for b in backends for s, n in sizes.items()}
        largest = list(sizes)[-1]
        if "sql" in parts:
            for (backend, size), url in urls.items():
                sql(url, size, backend)
        if "apptest" in parts:
            for (backend, size), url in urls.items():
                apptest(url, size, backend, reruns)
        if "e2e" in parts:
            e2e(urls[("sqlite", largest)], largest, e2e_runs, Path(tmp))
        if "rss" in parts:
            rss(urls[("sqlite", largest)], largest, 20, Path(tmp))
        if "io" in parts:
            io_parts(Path(tmp), args.quick)
        if "cli" in parts:
            cli_parts(urls[("sqlite", largest)])
    info["machine_end"] = machine()
    text = table(RESULTS)
    ratios = speedups(RESULTS)
    print(text)
    print("\n".join(["", "serve.py against stock streamlit run (same run):", *ratios]) if ratios else "")
    print(
        f"load average at start {info['machine_start']['loadavg']}, at end {info['machine_end']['loadavg']}"
    )
    Path(args.json).write_text(
        json.dumps({**info, "results": RESULTS, "speedups": ratios}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--apptest-worker"]:
        url, page, reruns = sys.argv[2], sys.argv[3], int(sys.argv[4])
        from jixiao_core.accounts import actor

        with actor.operating():
            print(json.dumps(apptest_worker(url, page, reruns)))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
