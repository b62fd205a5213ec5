"""Benchmark: batch import of 200 generated reports, one worker against all cores; OCR seconds per scanned page.

Run: .venv/bin/python benchmarks/bench_batch.py [--files 200] [--ocr-pages 2]
Each report is the seed written by another 街道 (its own unit name), so every file is stored. The read-only line
(workers parse, nobody writes) shows how much of a batch the one writer takes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jixiao_core import db, workers  # noqa: E402
from jixiao_core.accounts import actor  # noqa: E402
from jixiao_core.reader import ocr  # noqa: E402
from jixiao_core.store import batch, ingest  # noqa: E402
from tests.scan_support import scanned_page  # noqa: E402

SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"


def generate(folder: Path, count: int) -> list[Path]:
    text = SEED.read_text(encoding="utf-8")
    folder.mkdir()
    paths = [folder / f"{n:03d}.txt" for n in range(count)]
    for n, path in enumerate(paths):
        path.write_text(text.replace("雨花街道", f"第{n}街道"), encoding="utf-8")
    return paths


def import_rate(tmp: Path, folder: Path, processes: int) -> float:
    engine = db.make_engine(f"sqlite:///{tmp / f'bench_{processes}.db'}")
    db.upgrade(engine)
    started = time.perf_counter()
    with actor.operating(role="clerk", name="bench"):
        summary = batch.run(engine, [folder], processes=processes)
    seconds = time.perf_counter() - started
    assert summary.count("stored") == len(summary.outcomes), summary.line()
    engine.dispose()
    return len(summary.outcomes) / seconds


def read_rate(paths: list[Path], processes: int) -> float:
    jobs = [(p, p.name, ingest.read_bytes, (p.name, p.read_bytes())) for p in paths]
    started = time.perf_counter()
    with workers.Pool(processes) as pool:
        done = list(pool.results(jobs))
    assert all(d.error is None for d in done)
    return len(done) / (time.perf_counter() - started)


def ocr_seconds(pages: int) -> list[float]:
    text = SEED.read_text(encoding="utf-8")
    times = []
    for n in range(1, pages + 1):
        pdf, _ = scanned_page(text, page=n + 1)
        started = time.perf_counter()
        ocr.read_pages(pdf, [1])
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--ocr-pages", type=int, default=2)
    args = ap.parse_args()
    cores = batch.default_processes()
    print(f"cores: {cores}; load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp) / "reports", args.files)
        for processes in sorted({1, cores}):
            rate = import_rate(Path(tmp), Path(tmp) / "reports", processes)
            print(f"import {args.files} reports, {processes} worker(s): {rate:.1f} files/s")
        for processes in sorted({1, cores}):
            print(f"read only (no writer), {processes} worker(s): {read_rate(paths, processes):.1f} files/s")
    if args.ocr_pages:
        times = ocr_seconds(args.ocr_pages)
        shown = ", ".join(f"{t:.1f}" for t in times)
        print(f"OCR, one A4 page at {ocr.DPI} dpi: {shown} s (the first includes loading the models)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
