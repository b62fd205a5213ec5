"""Benchmark: parse of the 15 KB seed report, bytes → Report (target: median of 50 runs ≤ 50 ms).

Run: .venv/bin/python benchmarks/bench_parse.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jixiao_core import reader as report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
TARGET_MS = 50.0


def median_ms(path: Path, runs: int = 50) -> float:
    """Return the median wall time (ms) of parsing one file's bytes."""
    data = path.read_bytes()
    report.parse_bytes(path.name, data)  # warm the regex caches and imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report.parse_bytes(path.name, data)
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> int:
    ms = median_ms(SEED)
    print(
        f"parse {SEED.name} ({SEED.stat().st_size / 1024:.1f} KB): median {ms:.1f} ms over 50 runs (target ≤ {TARGET_MS:.0f} ms)"
    )
    for path in sorted((ROOT / "tests" / "fixtures" / "reports").iterdir()):
        if path != SEED:
            print(f"  {path.name}: median {median_ms(path, 10):.1f} ms over 10 runs")
    return 0 if ms <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
