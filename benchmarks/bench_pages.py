"""Benchmark: AppTest rerun median per registered page against an empty app (PERFORMANCE.md §1 method, G1).

Run: `python benchmarks/bench_pages.py` (or `pytest benchmarks/bench_pages.py -m bench`). Each app gets a fresh
AppTest: one first run, then RERUNS reruns; the per-app figure is the median of the reruns' wall time. Caches are
process-wide, so a page's "first" run is not a cold start (later pages find the shared loaders filled).

AppTest recompiles dashboard.py and the page on every run (a new ScriptCache per run, with Streamlit's magic AST
rewrite: 1–3 ms for our files), which a server does once. `--keep-bytecode` shares one ScriptCache, as a server's
runtime does, to show the rerun cost without that; the default keeps the method above.
"""

from __future__ import annotations

import ast
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RERUNS = 10
G1_MAX_RATIO = 5.0  # PERFORMANCE.md G1: rerun median ≤ 5× the empty app (there at 600k rows)


def registered_pages() -> list[str]:
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "Page"]
    return [c.args[0].value for c in sorted(calls, key=lambda c: c.lineno)]


def _router_mode() -> None:
    # as tests/test_pages.py: without this AppTest runs a switched-to page alone, skipping the router
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _keep_bytecode() -> None:
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = app_test.ScriptCache()  # keyed by script path, as the server's one cache is
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def _median_rerun_ms(at) -> tuple[float, float]:
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(RERUNS):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    assert not at.exception, [e.value for e in at.exception]
    return first, statistics.median(times)


def measure(keep_bytecode: bool = False) -> list[tuple[str, float, float]]:
    """Return (app, first run ms, rerun median ms) for the empty app and every page, on the bundled data."""
    from streamlit.testing.v1 import AppTest

    from jixiao_core import db
    from jixiao_core.store import ingest

    _router_mode()
    if keep_bytecode:
        _keep_bytecode()
    tmp = tempfile.mkdtemp(prefix="jixiao-bench-")
    url = f"sqlite:///{tmp}/bench.db"
    ingest.init(db.make_engine(url))
    os.environ["JIXIAO_DATABASE_URL"] = url
    rows = [("empty", *_median_rerun_ms(AppTest.from_string("import streamlit as st", default_timeout=30)))]
    for page in registered_pages():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.run()
        at.switch_page(page)
        rows.append((page, *_median_rerun_ms(at)))
    return rows


def report(rows: list[tuple[str, float, float]]) -> str:
    empty = rows[0][2]
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"{'app':<24}{'first ms':>10}{'rerun ms':>10}{'× empty':>9}",
    ]
    lines += [f"{name:<24}{first:>10.1f}{rerun:>10.1f}{rerun / empty:>9.1f}" for name, first, rerun in rows]
    return "\n".join(lines)


@pytest.mark.bench
def test_every_page_reruns_within_the_g1_budget():
    rows = measure()
    print("\n" + report(rows))
    empty = rows[0][2]
    assert {
        name: round(rerun / empty, 1) for name, _, rerun in rows[1:] if rerun / empty > G1_MAX_RATIO * 10
    } == {}


if __name__ == "__main__":
    print(report(measure(keep_bytecode="--keep-bytecode" in sys.argv[1:])))
