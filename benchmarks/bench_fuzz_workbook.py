"""Soak benchmark: the 自评表 workbook reader fuzzed with tests/workbook_strategies.py for 10,000+ cases.

Each case is read as an import and as `score FILE` does. Counted: cases, crashes (any exception but InputError),
hangs (a case still running after 10 s is stopped by SIGALRM), the slowest case and how many took over 2 s.

Run: .venv/bin/python benchmarks/bench_fuzz_workbook.py [cases]   (default 10,000; half built, half mutated)
"""

from __future__ import annotations

import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.workbook_strategies import built_workbooks, mutated_workbooks, read_and_score  # noqa: E402

HANG_SECONDS = 10
SLOW_SECONDS = 2.0


class Hang(BaseException):
    """Raised by the alarm in a case that ran past HANG_SECONDS (BaseException: no except clause swallows it)."""


def _alarm(_signum, _frame):
    raise Hang


def soak(strategy, cases: int, stats: Counter, times: list, crashes: list) -> None:
    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def case(data: bytes) -> None:
        signal.alarm(HANG_SECONDS)
        t0 = time.perf_counter()
        try:
            outcome = read_and_score(data)
            stats["table" if outcome == "ok" else "input_error"] += 1
        except Hang:
            stats["hang"] += 1
        except Exception:  # noqa: BLE001 - counted, then the soak goes on
            stats["crash"] += 1
            crashes.append(traceback.format_exc(limit=3))
        finally:
            signal.alarm(0)
            times.append(time.perf_counter() - t0)
        stats["cases"] += 1

    case()


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    signal.signal(signal.SIGALRM, _alarm)
    stats: Counter = Counter()
    times: list[float] = []
    crashes: list[str] = []
    started = time.perf_counter()
    for strategy in (built_workbooks(), mutated_workbooks()):
        soak(strategy, total // 2, stats, times, crashes)
    times.sort()
    print(
        f"cases {stats['cases']} in {time.perf_counter() - started:.0f} s: tables {stats['table']}, "
        f"InputError {stats['input_error']}, crashes {stats['crash']}, hangs {stats['hang']}"
    )
    p = lambda q: 1000 * times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    print(
        f"per case: p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, p99 {p(0.99):.0f} ms, max {1000 * times[-1]:.0f} ms; "
        f"over {SLOW_SECONDS:.0f} s: {sum(t > SLOW_SECONDS for t in times)}"
    )
    for tb in Counter(crashes).most_common(5):
        print("--- crash ×", tb[1], "\n", tb[0])


if __name__ == "__main__":
    main()
