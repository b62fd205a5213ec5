"""Soak benchmark: the report reader and the auditor fuzzed with tests/report_strategies.py for 10,000+ cases.

Each case is a run of a fixture report's lines, some dropped, repeated, cut or given noise (long digit runs, long
lists of duties, half-width marks, control characters), read as `parse` and `audit` do. Counted as in
bench_fuzz_workbook.py: cases, reports, InputError, crashes, hangs (10 s; stopped at 60 s), slowest cases (over
2 s kept in $TMPDIR/jixiao-slow-*.txt).

Run: .venv/bin/python benchmarks/bench_fuzz_report.py [cases] [seed]   (default 10,000)
"""

from __future__ import annotations

import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_fuzz_workbook import _alarm, report, soak  # noqa: E402
from tests.report_strategies import damaged_reports, read_and_audit  # noqa: E402


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    run_seed = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    signal.signal(signal.SIGALRM, _alarm)
    stats: Counter = Counter()
    times: list[float] = []
    crashes: list[str] = []
    started = time.perf_counter()
    soak(damaged_reports(), total, run_seed, stats, times, crashes, read=read_and_audit, suffix=".txt")
    report(stats, times, crashes, started, "reports")


if __name__ == "__main__":
    main()
