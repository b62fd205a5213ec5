"""Soak benchmark: the 自评表 workbook reader fuzzed with tests/workbook_strategies.py for 10,000+ cases.

Each case is read as an import and as `score FILE` does. Counted: cases, crashes (any exception but InputError),
hangs (a case that ran 10 s or more; one still running after 60 s is stopped by SIGALRM), the slowest case and
how many took over 2 s. Cases over 2 s are kept in $TMPDIR/jixiao-slow-*.xlsx to be read again.

Run: .venv/bin/python benchmarks/bench_fuzz_workbook.py [cases] [seed]   (default 10,000; half built, half mutated)
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.workbook_strategies import built_workbooks, mutated_workbooks, read_and_score  # noqa: E402

HANG_SECONDS = 10
STOP_SECONDS = 60
SLOW_SECONDS = 2.0


class Hang(BaseException):
    """Raised by the alarm in a case that ran past HANG_SECONDS (BaseException: no except clause swallows it)."""


def _alarm(_signum, _frame):
    raise Hang


def soak(
    strategy, cases: int, run_seed: int, stats: Counter, times: list, crashes: list, read=None, suffix=".xlsx"
) -> None:
    """Run `cases` cases of `strategy` through `read` (default: read_and_score), counting outcomes into `stats`."""
    read = read or read_and_score

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(run_seed)
    @given(strategy)
    def case(data) -> None:
        signal.alarm(STOP_SECONDS)
        t0 = time.perf_counter()
        try:
            outcome = read(data)
            stats["table" if outcome == "ok" else "input_error"] += 1
        except Hang:
            stats["stopped"] += 1
        except Exception:  # noqa: BLE001 - counted, then the soak goes on
            stats["crash"] += 1
            crashes.append(traceback.format_exc(limit=3))
        finally:
            signal.alarm(0)
            took = time.perf_counter() - t0
            times.append(took)
        stats["hang"] += took >= HANG_SECONDS
        if took > SLOW_SECONDS:
            slow = Path(tempfile.gettempdir(), f"jixiao-slow-{len(times)}-{took:.0f}s{suffix}")
            slow.write_bytes(data) if isinstance(data, bytes) else slow.write_text(data, encoding="utf-8")
        stats["cases"] += 1

    case()


def main() -> None:
    warnings.simplefilter("ignore")  # openpyxl's warnings about damaged parts; the product filters its own
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    run_seed = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    signal.signal(signal.SIGALRM, _alarm)
    stats: Counter = Counter()
    times: list[float] = []
    crashes: list[str] = []
    started = time.perf_counter()
    for strategy in (built_workbooks(), mutated_workbooks()):
        soak(strategy, total // 2, run_seed, stats, times, crashes)
    report(stats, times, crashes, started, "tables")


def report(stats: Counter, times: list[float], crashes: list[str], started: float, ok: str) -> None:
    """Print the soak's two lines (and up to five crash tracebacks)."""
    times.sort()
    print(
        f"cases {stats['cases']} in {time.perf_counter() - started:.0f} s: {ok} {stats['table']}, "
        f"InputError {stats['input_error']}, crashes {stats['crash']}, hangs {stats['hang']} "
        f"(stopped after {STOP_SECONDS} s: {stats['stopped']})"
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
