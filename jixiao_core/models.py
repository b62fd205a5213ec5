"""The database schema: units, projects by year, their areas, indicators with provenance, findings, history.

Amounts are 元 in Numeric columns. Indicator values keep their printed form beside the Numeric value,
because the printed precision sets the audit's rounding tolerance. Rows that people edit carry a
`version` column used for optimistic locking. `is_generated` marks demo or benchmark data, which the
interface must always label and never mix silently with real data.

Text a document or a person writes is `Text`, which both databases store at any length (PostgreSQL refuses a
value longer than a `String(n)`; SQLite keeps it). `String(n)` is left only on names that identify a row and are
indexed, and on codes of our own; store/bounds.py checks both before every flush, as it checks Numeric ranges.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

Money = Numeric(18, 2)
Value = Numeric(24, 6)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """A budget unit such as a 街道办事处."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str | None] = mapped_column(Text, index=True)  # kinds.kind_of: 街道 / 镇 / 乡 / 部门
    district: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Unit({self.id}, {self.name!r})"


class Community(Base):
    __tablename__ = "community"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str | None] = mapped_column(Text)
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"Community({self.id}, {self.name!r})"


class InternalBody(Base):
    """A 内设机构 of a unit."""

    __tablename__ = "internal_body"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class ImportBatch(Base):
    """One import: a report, a workbook, the bundled dataset or generated data."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # bundled / report / workbook / generated
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    imported_by: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)


class SourceDocument(Base):
    """The decoded text of an imported document; indicator spans point into `text`."""

    __tablename__ = "source_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    fmt: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer)


class Project(Base):
    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class ProjectYear(Base):
    """One evaluated year of a project, as one revision of its report; one revision per year is current."""

    __tablename__ = "project_year"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "revision"),
        Index("ix_project_year_current", "project_id", "year", "is_current"),
        Index(
            "ix_project_year_year", "year", "is_current", "project_id"
        ),  # the district view: one year, all units
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("source_document.id"))
    report_date: Mapped[date | None] = mapped_column(Date)
    budget_initial: Mapped[Decimal | None] = mapped_column(Money)  # 年初预算数
    budget: Mapped[Decimal | None] = mapped_column(Money)  # 全年（调整）预算数
    arrived: Mapped[Decimal | None] = mapped_column(Money)
    spent: Mapped[Decimal | None] = mapped_column(Money)
    funds_text: Mapped[str | None] = mapped_column(Text)
    overall_goal: Mapped[str | None] = mapped_column(Text)
    # the rebuilt 自评表's total and grade under the national rules, written with the rows (store.write) and after
    # every correction, so the district view ranks hundreds of units without scoring each on every view
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    grade: Mapped[str | None] = mapped_column(String(4))
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    areas: Mapped[list[WorkArea]] = relationship(cascade="all, delete-orphan", order_by="WorkArea.seq")

    def __repr__(self) -> str:
        return f"ProjectYear({self.id}, project={self.project_id}, {self.year}, rev {self.revision})"


class Disbursement(Base):
    """Cumulative spending at the end of a month, for the time-progress monitor (双监控)."""

    __tablename__ = "disbursement"
    __table_args__ = (UniqueConstraint("project_year_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    month: Mapped[int] = mapped_column(Integer)
    spent_to_date: Mapped[Decimal] = mapped_column(Money)
    locator: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Goal(Base):
    """A staged goal (一是…); seq is 1-based."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("project_year_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    area_seq: Mapped[int | None] = mapped_column(Integer)


class WorkArea(Base):
    """A numbered work area of one project-year; `key` matches the same area across years."""

    __tablename__ = "work_area"
    __table_args__ = (UniqueConstraint("project_year_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(String(40), index=True)


class Indicator(Base):
    """One quantitative result with its provenance: a document span, a workbook cell, or a person's edit."""

    __tablename__ = "indicator"
    __table_args__ = (
        Index("ix_indicator_py_area", "project_year_id", "area_id"),
        Index("ix_indicator_name", "name"),
        # covering index of the per-unit counts (met, missed, with a target): no table row is read
        Index("ix_indicator_py_status", "project_year_id", "status"),
        Index("ix_indicator_area", "area_id"),  # results per work area (总览, 目标对照) join on it
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("work_area.id", ondelete="SET NULL"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id", ondelete="SET NULL"))
    # order in the report, 0-based, as Finding.indicators refer to it
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    actual: Mapped[Decimal | None] = mapped_column(Value)
    actual_printed: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    target: Mapped[Decimal | None] = mapped_column(Value)
    target_printed: Mapped[str | None] = mapped_column(Text)
    target_unit: Mapped[str | None] = mapped_column(Text)
    comparator: Mapped[str | None] = mapped_column(String(2))
    rate: Mapped[Decimal | None] = mapped_column(Value)
    rate_printed: Mapped[str | None] = mapped_column(Text)
    qualifier: Mapped[str | None] = mapped_column(String(12))
    change: Mapped[Decimal | None] = mapped_column(Value)
    change_pct: Mapped[Decimal | None] = mapped_column(Value)
    change_direction: Mapped[str | None] = mapped_column(String(10))
    level1: Mapped[str | None] = mapped_column(Text)
    level2: Mapped[str | None] = mapped_column(Text)
    level3: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(String(12))
    # status.judge of the row, written by every write path so SQL counts what Python counts
    status: Mapped[str] = mapped_column(String(12), default="no_target")
    completion: Mapped[float | None] = mapped_column(Float)  # percent; ≥ 100 means met
    weight: Mapped[Decimal | None] = mapped_column(Value)
    target_text: Mapped[str | None] = mapped_column(Text)
    stated_score: Mapped[Decimal | None] = mapped_column(Value)
    text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    source_kind: Mapped[str] = mapped_column(String(10))  # document / ocr / cell / edit / bundled / generated
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("source_document.id"))
    locator: Mapped[str | None] = mapped_column(Text)  # "Sheet1!E12" or "yuhua_2023.jsonl:57"
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"Indicator({self.id}, {self.name!r}, {self.actual_printed}{self.unit or ''})"


class Finding(Base):
    """An audit finding; `indicator_seqs` lists Indicator.seq values, comma-separated."""

    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_py_severity", "project_year_id", "severity"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(
        ForeignKey("project_year.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    indicator_seqs: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class Section(Base):
    """A chapter text of the report: method, process, conclusion, application, problems, other."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("project_year_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class Claim(Base):
    """A sentence claiming that every target was met, which the auditor checks against the figures."""

    __tablename__ = "claim"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(
        ForeignKey("project_year.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class Problem(Base):
    """A problem (or suggestion) the report states (chapter 七), with its sentence; the seed of a 整改 item."""

    __tablename__ = "problem"
    __table_args__ = (UniqueConstraint("project_year_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12), default="problem")  # problem / suggestion
    sentence: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Correction(Base):
    """One field changed by a person: the history behind every edited value."""

    __tablename__ = "correction"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))  # table name
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    __table_args__ = (Index("ix_correction_entity", "entity", "entity_id"),)


class AppUser(Base):
    """An account; role is viewer, clerk or admin (enforced in the core, not by hiding widgets)."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None: sign-in by header only
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"AppUser({self.id}, {self.name!r}, {self.role})"


class BatchRun(Base):
    """One batch import of many files; `key` names its paths and options, so a rerun resumes it."""

    __tablename__ = "batch_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(Text)  # the paths given, or the uploaded file names
    replace: Mapped[bool] = mapped_column(Boolean, default=False)
    started_by: Mapped[str | None] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")  # running / done / interrupted
    files: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"BatchRun({self.id}, {self.status}, {self.files} files)"


class BatchFile(Base):
    """The outcome of one file of a batch run, written in the transaction that stored it (or alone, if refused)."""

    __tablename__ = "batch_file"
    __table_args__ = (Index("ix_batch_file_run_path", "run_id", "path"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("batch_run.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)  # 0-based position in the run's sorted file list
    path: Mapped[str] = mapped_column(String(1000))  # relative to the folder given
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(12))  # stored / duplicate / replaced / refused
    reason: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(100))
    project: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    indicators: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    ocr_pages: Mapped[str | None] = mapped_column(Text)  # page numbers read by OCR, comma-separated
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    seconds: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    def __repr__(self) -> str:
        return f"BatchFile({self.id}, {self.path!r}, {self.outcome})"


class AccountUnit(Base):
    """A unit an account may see and change; an account without any sees every unit (admins always do)."""

    __tablename__ = "account_unit"
    __table_args__ = (UniqueConstraint("account_id", "unit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(100))  # Unit.name; may name a unit not imported yet


class SigninSession(Base):
    """A browser's sign-in: the SHA-256 of its cookie token (never the token), ended by sign-out or idleness."""

    __tablename__ = "signin_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, as every time below
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(80))  # how the person reached us: "网页 10.0.0.5"


class SigninFailure(Base):
    """Failed sign-ins in a row under one typed name, existing or not, so a lockout never says which names exist."""

    __tablename__ = "signin_failure"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One line of the append-only log of who did what (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_person", "person"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    person: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(80))  # "命令行", or "网页 <address>"


class RectifyItem(Base):
    """A 整改 item: a problem of one project-year, who fixes it by when, and what was done.

    `state` is pending, in_progress or done; 逾期 (overdue) is never stored, it follows from `deadline` and the day.
    `source_key` keeps an import or a finding from making the same item twice.
    """

    __tablename__ = "rectify_item"
    __table_args__ = (
        UniqueConstraint("project_id", "year", "source_key"),
        Index("ix_rectify_item_project_year", "project_id", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)  # the evaluated year whose report or audit raised it
    source: Mapped[str] = mapped_column(String(12))  # report / suggestion / finding / manual
    source_key: Mapped[str | None] = mapped_column(String(80))
    problem: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str | None] = mapped_column(Text)  # the sentence it came from
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    finding_kind: Mapped[str | None] = mapped_column(String(30))
    indicator_name: Mapped[str | None] = mapped_column(String(200))  # the indicator a finding item is about
    requirement: Mapped[str | None] = mapped_column(Text)  # 整改要求
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("internal_body.id", ondelete="SET NULL")
    )  # 责任科室
    deadline: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    result: Mapped[str | None] = mapped_column(Text)  # 整改结果
    confirmed_by: Mapped[str | None] = mapped_column(String(60))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"RectifyItem({self.id}, {self.year}, {self.state}, {self.problem[:20]!r})"


class RectifyEvent(Base):
    """One step in an item's history: created, a field changed, evidence added, a follow-up decided."""

    __tablename__ = "rectify_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rectify_item.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(30))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class RectifyEvidence(Base):
    """Evidence of a 整改结果: a note, an uploaded file (bytes kept here, size-capped), or an indicator."""

    __tablename__ = "rectify_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rectify_item.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # note / file / indicator
    note: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="SET NULL"))
    indicator_label: Mapped[str | None] = mapped_column(String(300))  # kept when the indicator is replaced
    added_by: Mapped[str] = mapped_column(String(60))
    added_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class RectifyProposal(Base):
    """A follow-up the matcher proposes from a later report: the item's problem recurs, or it is fixed.

    A clerk confirms or rejects it; nothing changes an item's state by itself.
    """

    __tablename__ = "rectify_proposal"
    __table_args__ = (UniqueConstraint("item_id", "project_year_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rectify_item.id", ondelete="CASCADE"), index=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # recurs / fixed
    rule: Mapped[str] = mapped_column(String(30))
    score: Mapped[float | None] = mapped_column(Float)  # text similarity, for the text rule
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")  # the later report's sentence
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default="proposed")  # proposed / confirmed / rejected
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
