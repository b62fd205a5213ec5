"""Batch import: files and folders in one run, read in parallel worker processes and written by one writer.

Each file is its own transaction, and its outcome (stored / duplicate / replaced / refused + reason) is recorded in
`batch_file` inside that transaction, so a run killed at any moment leaves whole files or nothing. A run is keyed
by its paths and options: running the same command again resumes it, skipping what it already decided, and the
sha256 of every stored file keeps anything from being stored twice.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, exc, select
from sqlalchemy.orm import Session

from jixiao_core import config, db, workers
from jixiao_core import models as m
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.store import ingest
from jixiao_core.store.outcome import RESULTS, Outcome, Summary, outcome_of

__all__ = ["RESULTS", "Outcome", "Source", "Summary", "default_processes", "run", "run_key", "sources"]

SKIPPED = ("~$",)  # Office lock files beside an open document; hidden files (".…") and __MACOSX too


@dataclass(frozen=True)
class Source:
    """One file of a run: its place in the sorted list, where it is, and how it is shown (relative)."""

    seq: int
    path: Path
    shown: str


def sources(paths: Sequence[Path], root: Path | None = None) -> list[Source]:
    """Return the files under `paths` (folders recursively, symlinked folders not followed) in a stable order,
    shown relative to `root` (else to each path's parent); a path that does not exist is kept, to be refused."""
    found: dict[Path, str] = {}
    for given in paths:
        base = root or given.parent
        for path in _walk(given):
            key = path.resolve() if path.exists() else path
            found.setdefault(key, _shown(path, base))
    ordered = sorted(found.items(), key=lambda kv: kv[1])
    return [Source(i, path, shown) for i, (path, shown) in enumerate(ordered)]


def _walk(given: Path) -> Iterator[Path]:
    if not given.is_dir():
        yield given
        return
    for folder, dirs, files in os.walk(given):
        dirs[:] = [d for d in dirs if not _skipped(d)]
        yield from (Path(folder) / f for f in files if not _skipped(f))


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.startswith(SKIPPED) or name == "__MACOSX"


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def run_key(files: Sequence[Source], replace: bool) -> str:
    """Return the key of a run: its files (as given) and whether it replaces."""
    text = "\n".join(str(f.path.absolute()) for f in files) + f"\nreplace={replace}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def run(
    engine: Engine,
    paths: Sequence[Path],
    *,
    replace: bool = False,
    processes: int | None = None,
    root: Path | None = None,
    label: str | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Import every file under `paths` as whoever is acting; report each outcome to `on_file` as it is decided."""
    started = time.monotonic()
    engine = db.writer(engine)  # each write takes its turn behind other writers instead of failing "locked"
    files = sources(paths, root)
    if not files:
        raise InputError("、".join(str(p) for p in paths)[:200], "没有找到可导入的文件")
    with Session(engine) as s, s.begin():
        actor = require(s, "replace" if replace else "import")
        run_row, earlier = _open_run(s, run_key(files, replace), label or _label(paths), replace, actor.name)
        run_row.files = len(files)
        s.flush()
        run_id = run_row.id
    summary = Summary(run_id)
    if on_start:
        on_start(len(files))
    writer = _Writer(engine, run_id, replace)
    finished = False
    try:
        with workers.Pool(processes or default_processes()) as pool:
            for done in pool.results(_jobs(engine, files, earlier)):
                outcome = writer.write(done)
                summary.outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
        finished = True
    finally:
        _close_run(engine, run_id, "done" if finished else "interrupted")
        summary.seconds = time.monotonic() - started
    return summary


def default_processes() -> int:
    """Return the number of worker processes: the configured number, else one per core this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return config.load().workers or cores


def _label(paths: Sequence[Path]) -> str:
    return "、".join(str(p) for p in paths)


def _open_run(s: Session, key: str, label: str, replace: bool, user: str) -> tuple[m.BatchRun, dict]:
    """Return the unfinished run with this key (resumed) or a new one, and the outcomes already decided in it."""
    row = s.scalar(
        select(m.BatchRun)
        .where(m.BatchRun.key == key, m.BatchRun.status != "done")
        .order_by(m.BatchRun.id.desc())
    )
    if row is None:
        row = m.BatchRun(key=key, label=label, replace=replace, started_by=user, status="running", files=0)
        s.add(row)
        s.flush()
        return row, {}
    row.status = "running"
    earlier = s.scalars(select(m.BatchFile).where(m.BatchFile.run_id == row.id)).all()
    return row, {(f.path, f.sha256): outcome_of(f) for f in earlier}


def _close_run(engine: Engine, run_id: int, status: str) -> None:
    with Session(engine) as s, s.begin():
        row = s.get(m.BatchRun, run_id)
        row.status, row.finished_at = status, datetime.now()


def _jobs(engine: Engine, files: list[Source], earlier: dict) -> Iterator[tuple]:
    """Yield the pool's jobs: a file to read, or an outcome known without reading (resumed, duplicate, unreadable)."""
    for src in files:
        try:
            data = ingest.read_upload(src.path)
        except InputError as e:
            yield (src, None, None), src.shown, None, Outcome(src.seq, src.shown, "refused", e.message)
            continue
        key = (src, hashlib.sha256(data).hexdigest(), len(data))
        if (src.shown, key[1]) in earlier:
            yield key, src.shown, None, earlier[(src.shown, key[1])]
            continue
        with Session(engine) as s:
            duplicate = ingest.stored_sha(s, key[1])
        if duplicate:
            yield key, src.shown, None, Outcome(src.seq, src.shown, "duplicate", None)
        else:
            yield key, src.shown, ingest.read_bytes, (src.path.name, data)


@dataclass
class _Writer:
    """The one writer: stores each read file in its own transaction, with its outcome row."""

    engine: Engine
    run_id: int
    replace: bool
    claimed: dict[tuple, str] = field(default_factory=dict)  # (unit, project, year) → the file that holds it

    def write(self, done: workers.Done) -> Outcome:
        src, sha, size = done.key
        if isinstance(done.value, Outcome):  # decided without reading
            outcome = done.value
            if not outcome.resumed:
                self._record(outcome, sha, size)
            self._claim(outcome)
            return outcome
        if done.error is not None:
            return self._refuse(src, sha, size, done.error, done.seconds)
        parsed: ingest.Parsed = done.value
        rep = parsed.report
        outcome = Outcome(
            src.seq, src.shown, "refused", None, rep.unit_name, rep.project_name, rep.year,
            ocr_pages=tuple(rep.source.ocr_pages if rep.source else ()), seconds=done.seconds,
        )  # fmt: skip
        with Session(self.engine) as s:
            if ingest.stored_sha(s, sha):  # the same bytes earlier in this batch
                outcome.result = "duplicate"
                self._record(outcome, sha, size)
                return outcome
        holder = self.claimed.get((rep.unit_name, rep.project_name, rep.year))
        if holder is not None and rep.unit_name:
            outcome.reason = (
                f"与本批的 {holder} 是同一单位、项目、年度（{rep.unit_name} {rep.project_name} {rep.year}年）的报告；"
                "同一批内不合并也不替换，请核对后单独导入"
            )
            self._record(outcome, sha, size)
            return outcome
        try:
            with Session(self.engine) as s, s.begin():
                res = ingest.store_parsed(s, parsed, replace=self.replace)
                outcome.result, outcome.revision = res.status, res.revision
                outcome.indicators, outcome.findings = res.indicators, res.findings
                outcome.reason = _notes(rep)
                self._add_row(s, outcome, sha, size, res.project_year_id)
        except InputError as e:
            return self._refuse(src, sha, size, e, done.seconds, outcome)
        except (
            exc.IntegrityError,
            exc.DataError,
        ) as e:  # stored meanwhile by someone else, or a value too long
            with Session(self.engine) as s:
                if isinstance(e, exc.IntegrityError) and ingest.stored_sha(s, sha):
                    outcome.result = "duplicate"
                    self._record(outcome, sha, size)
                    return outcome
            return self._refuse(src, sha, size, _database_error(e), done.seconds, outcome)
        self._claim(outcome)
        return outcome

    def _claim(self, outcome: Outcome) -> None:
        if outcome.result in ("stored", "replaced") and outcome.unit:
            self.claimed.setdefault((outcome.unit, outcome.project, outcome.year), outcome.path)

    def _refuse(
        self, src, sha, size, error: Exception, seconds: float, base: Outcome | None = None
    ) -> Outcome:
        reason = error.message if isinstance(error, InputError) else f"内部错误：{error}"
        outcome = base or Outcome(src.seq, src.shown, "refused", seconds=seconds)
        outcome.result, outcome.reason, outcome.indicators, outcome.findings = "refused", reason, 0, 0
        self._record(outcome, sha, size)
        return outcome

    def _record(self, outcome: Outcome, sha: str | None, size: int | None) -> None:
        with Session(self.engine) as s, s.begin():
            self._add_row(s, outcome, sha, size, None)

    def _add_row(self, s: Session, o: Outcome, sha: str | None, size: int | None, py_id: int | None) -> None:
        batch_id = s.scalar(select(m.ImportBatch.id).where(m.ImportBatch.sha256 == sha)) if sha else None
        s.add(
            m.BatchFile(
                run_id=self.run_id, seq=o.seq, path=o.path[:1000], sha256=sha, size=size, outcome=o.result,
                reason=o.reason, unit=o.unit, project=o.project, year=o.year, indicators=o.indicators,
                findings=o.findings, ocr_pages=",".join(map(str, o.ocr_pages)) or None, import_batch_id=batch_id,
                seconds=round(o.seconds, 3),
            )
        )  # fmt: skip


def _notes(rep) -> str | None:
    """Return what the clerk should know about a stored file: scanned pages whose recognition was unsure."""
    low = rep.source.ocr_low_pages if rep.source else ()
    if not low:
        return None
    return f"第 {'、'.join(map(str, low))} 页文字识别置信度低，未读取其中的数字，请人工核对"


def _database_error(e: exc.SQLAlchemyError) -> InputError:
    if isinstance(e, exc.IntegrityError):
        return InputError(None, "写入时与同时进行的另一次导入冲突（可能是同一文件），请重新运行以确认")
    return InputError(None, "内容超出数据库字段长度，无法写入")
