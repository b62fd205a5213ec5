"""One function per user action on the write side: `init` the database, `import_file` a report or workbook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import jixiao_core.store.dataset as dataset
from jixiao_core import config, db, facts, workers
from jixiao_core import models as m
from jixiao_core.accounts import log
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.rectify.intake import after_import
from jixiao_core.store import bounds, scores
from jixiao_core.store.write import Origin, StoreResult, store_report

if TYPE_CHECKING:  # openpyxl is imported only by the commands that read a workbook
    from jixiao_core.selfeval import SelfEvalTable

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
        who = require(s, "init")
        for ds in sets:
            rep = enrich(ds.report)
            origin = Origin("bundled", ds.name, ds.sha256, "bundled", generated=ds.generated, user="init")
            res = store_report(s, rep, origin, problems=ds.problems, goal_areas=ds.goal_areas)
            loaded += res.status != "duplicate"
            if res.status != "duplicate":
                detail = f"载入内置数据集 {ds.name}"
                log.record(s, who.name, "init", unit=rep.unit_name, detail=detail, source=who.source)
            if res.project_year_id is not None:
                after_import(s, res.project_year_id, origin.user)
        scores.fill(s)  # years stored before scores were kept (migration 0007)
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
    low = rep.source.ocr_low_pages if rep.source else ()
    if low:  # listed with the report's findings, so the unread pages are not forgotten once it is stored
        pages = "、".join(map(str, low))
        message = f"第 {pages} 页为扫描页，文字识别置信度低，未读取其中的数字；请对照原件人工核对"
        rep.findings.append(facts.Finding("ocr_low_confidence", "warning", message))
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


def table_for_file(file_name: str, data: bytes) -> SelfEvalTable:
    """Return the 自评表 of a file: read as a workbook, or rebuilt from a prose report."""
    if is_workbook(data, file_name):
        from jixiao_core.selfeval import read_workbook

        return read_workbook(file_name, data)
    from jixiao_core.scoring.rebuild import table_from_report

    return table_from_report(enrich(parse_any(file_name, data)))


@dataclass(frozen=True)
class Parsed:
    """A file read (in a worker process) and ready for the one writer: its name, bytes' sha256 and facts."""

    file_name: str
    sha256: str
    report: facts.Report
    workbook: bool


def read_bytes(file_name: str, data: bytes) -> Parsed:
    """Return the classified, audited Report of a file's bytes (pure: runs in a worker, touches no database)."""
    report = enrich(parse_any(file_name, data))
    return Parsed(file_name, hashlib.sha256(data).hexdigest(), report, is_workbook(data, file_name))


def read_bounded(file_name: str, data: bytes) -> Parsed:
    """Return read_bytes(...) computed in a worker process, stopped with an InputError when it overruns its budget."""
    return workers.run(file_name, read_bytes, file_name, data)


def stored_sha(s: Session, sha: str) -> bool:
    """Return whether bytes with this sha256 were imported before."""
    return s.scalar(select(m.ImportBatch.id).where(m.ImportBatch.sha256 == sha)) is not None


IDENTITY = (("unit_name", "单位"), ("project_name", "项目名称"), ("year", "年度"))


def store_parsed(s: Session, parsed: Parsed, *, replace: bool = False) -> StoreResult:
    """Store a read file in the caller's transaction as whoever is acting, who must be allowed its unit."""
    rep = parsed.report
    missing = [label for attr, label in IDENTITY if not getattr(rep, attr)]
    if missing:  # the report itself names its unit, project and year; the file name is never used to guess
        raise InputError(parsed.file_name, f"报告中未写明{'、'.join(missing)}，无法确定归属，未导入")
    actor = require(s, "replace" if replace else "import", rep.unit_name)
    origin = Origin(
        "workbook" if parsed.workbook else "report",
        parsed.file_name,
        parsed.sha256,
        "cell" if parsed.workbook else "document",
        user=actor.name,
    )
    # the write starts only now: reading never keeps another writer waiting, and no one stores these bytes
    # between store_report's duplicate check and the rows after it
    db.take_turn(s)
    try:
        result = store_report(s, rep, origin, replace=replace)
    except (
        bounds.TooLarge
    ) as e:  # a value the database cannot hold: named with its file, before any row is kept
        raise InputError(parsed.file_name, e.message) from None
    if result.project_year_id is not None:
        after_import(s, result.project_year_id, actor.name)  # the report's problems become 整改 items
    if result.status != "duplicate":
        detail = f"{parsed.file_name}：{rep.year}年 {rep.project_name}，第 {result.revision} 版，指标 {result.indicators} 条"
        action = "replace" if result.status == "replaced" else "import"
        log.record(s, actor.name, action, unit=rep.unit_name, detail=detail, source=actor.source)
    return result


def import_file(s: Session, path: Path, *, replace: bool = False, name: str | None = None) -> StoreResult:
    """Parse, classify, audit and store one file in the caller's transaction as whoever is acting (who may import
    it, and records it); the same bytes twice store once. The reading runs in a worker under a time budget.
    `name`: the file's own name when `path` is a copy (an upload), used in messages and the import history."""
    name = name or path.name
    require(s, "replace" if replace else "import")  # refuse before reading a byte
    data = read_upload(path, name)
    if stored_sha(s, hashlib.sha256(data).hexdigest()):
        return StoreResult("duplicate", None, 0, 0, 0)
    return store_parsed(s, read_bounded(name, data), replace=replace)
