"""One function per user action on the write side: `init` the database, `import_file` a report or workbook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import jixiao_core.store.dataset as dataset
from jixiao_core import config, db, facts
from jixiao_core import models as m
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.store import bounds
from jixiao_core.store.write import Origin, StoreResult, store_report

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class InitSummary:
    loaded: int  # datasets stored by this run
    skipped: int  # datasets already present
    counts: dict[str, int]  # rows per table after the run

    def line(self) -> str:
        c = self.counts
        return (
            f"数据库已就绪：新载入 {self.loaded} 个内置数据集，跳过已载入 {self.skipped} 个；"
            f"单位 {c['unit']}，社区 {c['community']}，项目年度 {c['project_year']}，"
            f"工作领域 {c['work_area']}，指标 {c['indicator']}，核查发现 {c['finding']}"
        )


def init(engine: Engine, paths: tuple[Path, ...] = config.BUNDLED_DATASETS) -> InitSummary:
    """Create or upgrade the schema and load the bundled datasets once; a second run changes nothing."""
    sets = [dataset.load(p) for p in paths]  # validate every file before touching the database
    db.check_writable(engine)
    db.upgrade(engine)
    loaded = 0
    with Session(db.writer(engine)) as s, s.begin():
        require(s, "init")
        for ds in sets:
            rep = enrich(ds.report)
            origin = Origin("bundled", ds.name, ds.sha256, "bundled", generated=ds.generated, user="init")
            res = store_report(s, rep, origin, problems=ds.problems, goal_areas=ds.goal_areas)
            loaded += res.status != "duplicate"
    with Session(engine) as s:
        counts = table_counts(s)
    return InitSummary(loaded, len(sets) - loaded, counts)


COUNTED = (m.Unit, m.Community, m.ProjectYear, m.WorkArea, m.Indicator, m.Finding, m.ImportBatch)


def table_counts(s: Session) -> dict[str, int]:
    """Return the row count of each main table."""
    return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in COUNTED}


def enrich(rep: facts.Report) -> facts.Report:
    """Classify indicators and attach audit findings (pure steps shared by every import path)."""
    from jixiao_core import audit, classify

    for ind in rep.indicators:
        if ind.level1 is None:
            p = classify.classify(ind)
            ind.level1, ind.level2, ind.level3, ind.direction = p.level1, p.level2, p.level3, p.direction
    rep.findings = audit.audit(rep)
    return rep


def read_upload(path: Path, name: str | None = None) -> bytes:
    """Return the bytes of `path` (called `name` in messages), refusing missing, unreadable and oversized files."""
    name = name or path.name
    if not path.exists():
        raise InputError(name, "文件不存在")
    if not path.is_file():
        raise InputError(name, "不是文件")
    size = path.stat().st_size
    limit = config.load().max_upload_bytes
    if size > limit:
        raise InputError(name, f"文件过大（{size / 1048576:.1f} MB），上限为 {limit // 1048576} MB")
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(name, f"无法读取文件（{e.strerror}）") from None


def is_workbook(data: bytes, file_name: str = "") -> bool:
    """Return whether the bytes (or, for a damaged file, its name) say 自评表 workbook rather than report."""
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        return True
    return data.startswith(XLSX_MAGIC) and b"xl/" in data[:4096]


def parse_any(file_name: str, data: bytes) -> facts.Report:
    """Return a Report from report bytes (.txt/.docx/.pdf) or a 自评表 workbook (.xlsx)."""
    if is_workbook(data, file_name):
        from jixiao_core import selfeval
        from jixiao_core.selfeval import as_report as tables

        return tables.report_from_table(selfeval.read_workbook(file_name, data), file_name, data)
    from jixiao_core import reader as report

    return report.parse_bytes(file_name, data)


def import_file(s: Session, path: Path, *, replace: bool = False, name: str | None = None) -> StoreResult:
    """Parse, classify, audit and store one file in the caller's transaction as whoever is acting (who may import
    it, and records it); the same bytes twice store once. `name`: the file's own name when `path` is a copy (an
    upload), used in messages and the import history."""
    name = name or path.name
    require(s, "replace" if replace else "import")  # refuse before reading a byte
    data = read_upload(path, name)
    sha = hashlib.sha256(data).hexdigest()
    rep = enrich(parse_any(name, data))
    # the write starts only now: parsing never keeps another writer waiting, and no one stores these bytes
    # between the duplicate check below and the rows after it
    db.take_turn(s)
    if s.scalar(select(m.ImportBatch.id).where(m.ImportBatch.sha256 == sha)) is not None:
        return StoreResult("duplicate", None, 0, 0, 0)
    actor = require(s, "replace" if replace else "import", rep.unit_name)  # now the unit is known
    workbook = is_workbook(data, name)
    origin = Origin(
        "workbook" if workbook else "report",
        name,
        sha,
        "cell" if workbook else "document",
        user=actor.name,
    )
    try:
        return store_report(s, rep, origin, replace=replace)
    except (
        bounds.TooLarge
    ) as e:  # a value the database cannot hold: named with its file, before any row is kept
        raise InputError(name, e.message) from None
