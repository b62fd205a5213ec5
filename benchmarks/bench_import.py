"""Benchmark: init, and parse + classify + audit + commit of the 15 KB seed report (G6: p50 ≤ 50 ms).

Run: .venv/bin/python benchmarks/bench_import.py
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
from jixiao_core.store import ingest  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"


def main(runs: int = 30) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{tmp}/bench.db")
        t0 = time.perf_counter()
        ingest.init(engine)
        print(f"init (schema + bundled dataset): {1000 * (time.perf_counter() - t0):.0f} ms")
        times = []
        text = SEED.read_text(encoding="utf-8")
        for i in range(runs):
            path = Path(tmp) / SEED.name
            path.write_text(text + "\n" * (i + 1), encoding="utf-8")  # new bytes, so not a duplicate
            t0 = time.perf_counter()
            with Session(engine) as s, s.begin():
                ingest.import_file(s, path, replace=True)
            times.append(1000 * (time.perf_counter() - t0))
        print(
            f"import seed report: p50 {statistics.median(times):.1f} ms, max {max(times):.1f} ms over {runs} runs"
        )


if __name__ == "__main__":
    main()
