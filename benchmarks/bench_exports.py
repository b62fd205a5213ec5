"""Benchmark: each meeting export of the seed year, brief included (target: ≤ 2 s each; first call and median).

The first call pays the imports (python-pptx, XlsxWriter, WeasyPrint and its fonts); later calls are what a
second click on the download button costs. Run: .venv/bin/python benchmarks/bench_exports.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jixiao_core import db
from jixiao_core.meeting import exports
from jixiao_core.store import ingest  # noqa: E402

UNIT, YEAR = "雨花街道办事处", 2023
TARGET_S = 2.0


def timed(engine, fmt: str) -> tuple[float, int]:
    """Return the wall time (s) and size (bytes) of one export built from the database."""
    start = time.perf_counter()
    with Session(engine) as s:
        data = exports.build(s, UNIT, YEAR, fmt)
    return time.perf_counter() - start, len(data)


def main(runs: int = 5) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{tmp}/bench.db")
        ingest.init(engine)
        slow = []
        for fmt in exports.FORMATS:
            first, size = timed(engine, fmt)
            rest = [timed(engine, fmt)[0] for _ in range(runs)]
            median = statistics.median(rest)
            print(f"{fmt}: first {first:.2f} s, median {median:.2f} s over {runs} runs, {size / 1024:.0f} KB")
            if max(first, median) > TARGET_S:
                slow.append(fmt)
        engine.dispose()
    print("all within 2 s" if not slow else f"over {TARGET_S} s: {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
