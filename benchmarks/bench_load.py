"""Load benchmark (PERFORMANCE.md G11): 8 reader processes loop over the dashboard's questions while 1 importer
imports report after report through the product's own write path, for 60 s, on SQLite and on PostgreSQL.

Counted: reads and their p50/p95; imports, the write's p50/p95 (from asking for the write turn to the commit done,
so any wait is in it) and the whole import's (parse included); "database is locked" and every other error; rows
lost (imports that said "stored" whose unit or indicators are not in the database afterwards).

Run: .venv/bin/python benchmarks/bench_load.py [seconds] [sqlite|postgresql|both] [importers, default 1]
PostgreSQL: a throwaway server (tests/pg_server.py) unless $JIXIAO_BENCH_POSTGRES_URL names an empty database.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READERS = 8
SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
UNIT = "雨花街道办事处"


def _questions():
    from jixiao_core import queries

    return (
        lambda c: queries.units(c),
        lambda c: queries.funds_for_year(c, UNIT, 2023),
        lambda c: queries.indicators_for(c, UNIT, 2023),
        lambda c: queries.achievement_by_area(c, UNIT, 2023),
        lambda c: queries.findings_for(c, UNIT, 2023),
        lambda c: queries.community_values(c, UNIT, 2023),
        lambda c: queries.unit_comparison(c, 2023),
        lambda c: queries.data_version(c),
    )


def reader(url: str, seconds: float, out: mp.Queue) -> None:
    from jixiao_core import db

    engine = db.make_engine(url)
    questions, times, errors = _questions(), [], []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        t0 = time.perf_counter()
        try:
            with engine.connect() as conn:
                questions[i % len(questions)](conn)
            times.append(time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001 - counted, the loop goes on
            errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
        i += 1
    out.put(("read", times, errors))


def importer(url: str, seconds: float, folder: str, out: mp.Queue) -> None:
    from sqlalchemy.orm import Session

    from jixiao_core import db
    from jixiao_core.accounts import actor
    from jixiao_core.store import ingest

    engine = db.make_engine(url)
    asked: list[float] = []
    take_turn = db.take_turn

    def timed_turn(target):  # the write starts when it asks for its turn
        asked.append(time.perf_counter())
        take_turn(target)

    db.take_turn = timed_turn
    text = SEED.read_text(encoding="utf-8")
    writes, imports, errors, stored = [], [], [], []
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        unit = f"压测{os.getpid()}号{n:05d}街道办事处"
        path = Path(folder) / f"load_{os.getpid()}_{n:05d}.txt"
        path.write_text(text.replace(UNIT, unit), encoding="utf-8")
        t0 = time.perf_counter()
        try:
            with actor.operating(role="clerk", name="压测"), Session(db.writer(engine)) as s, s.begin():
                result = ingest.import_file(s, path)
            done = time.perf_counter()
            imports.append(done - t0)
            writes.append(done - asked[-1])
            stored.append((unit, result.indicators))
        except Exception as e:  # noqa: BLE001 - counted, the loop goes on
            errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:160]}")
        n += 1
    out.put(("write", (writes, imports, stored), errors))


def lost_rows(url: str, stored: list[tuple[str, int]]) -> int:
    """Return how many indicators of imports that said "stored" are missing from the database."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from jixiao_core import db
    from jixiao_core import models as m

    engine = db.make_engine(url)
    with Session(engine) as s:
        have = dict(
            s.execute(
                select(m.Unit.name, func.count(m.Indicator.id))
                .join(m.Project, m.Project.unit_id == m.Unit.id)
                .join(m.ProjectYear, m.ProjectYear.project_id == m.Project.id)
                .join(m.Indicator, m.Indicator.project_year_id == m.ProjectYear.id)
                .where(m.Unit.name.like("压测%"))
                .group_by(m.Unit.name)
            ).all()
        )
    engine.dispose()
    return sum(max(n - have.get(unit, 0), 0) for unit, n in stored)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def run(label: str, url: str, seconds: float, importers: int = 1) -> None:
    from jixiao_core import db
    from jixiao_core.store import ingest

    with actor_operating():
        ingest.init(db.make_engine(url))
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    with tempfile.TemporaryDirectory() as folder:
        procs = [ctx.Process(target=reader, args=(url, seconds, out)) for _ in range(READERS)]
        procs += [ctx.Process(target=importer, args=(url, seconds, folder, out)) for _ in range(importers)]
        for p in procs:
            p.start()
        results = [out.get(timeout=seconds + 300) for _ in procs]
        for p in procs:
            p.join()
    reads = [t for kind, times, _ in results if kind == "read" for t in times]
    done = [data for kind, data, _ in results if kind == "write"]
    writes, imports, stored = ([x for d in done for x in d[i]] for i in range(3))
    errors = [e for _, _, errs in results for e in errs]
    locked = sum("locked" in e.lower() or "DatabaseBusy" in e for e in errors)
    print(
        f"{label}: {READERS} readers + {importers} importer(s), {seconds:.0f} s\n"
        f"  reads {len(reads)} ({len(reads) / seconds:.0f}/s), p50 {pct(reads, 0.5):.0f} ms, p95 {pct(reads, 0.95):.0f} ms\n"
        f"  imports stored {len(stored)}; write (turn → commit) p50 {pct(writes, 0.5):.0f} ms, "
        f"p95 {pct(writes, 0.95):.0f} ms; whole import p50 {pct(imports, 0.5):.0f} ms, p95 {pct(imports, 0.95):.0f} ms\n"
        f"  'database is locked' {locked}; other errors {len(errors) - locked}; rows lost {lost_rows(url, stored)}"
    )
    for e in sorted(set(errors))[:5]:
        print("   ", e)


def actor_operating():
    from jixiao_core.accounts import actor

    return actor.operating(role="clerk", name="压测")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    which = sys.argv[2] if len(sys.argv) > 2 else "both"
    importers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if which in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as d:
            run("SQLite (WAL)", f"sqlite:///{Path(d) / 'load.db'}", seconds, importers)
    if which in ("postgresql", "both"):
        url = os.environ.get("JIXIAO_BENCH_POSTGRES_URL")
        if url:
            run("PostgreSQL", url, seconds, importers)
            return
        from tests import pg_server

        server = pg_server.Server()
        try:
            run("PostgreSQL (throwaway server, fsync off)", server.url, seconds, importers)
        finally:
            server.remove()


if __name__ == "__main__":
    main()
