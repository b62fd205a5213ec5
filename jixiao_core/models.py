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
    kind: Mapped[str | None] = mapped_column(Text)
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
    source_kind: Mapped[str] = mapped_column(String(10))  # document / cell / edit / bundled / generated
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
    """A problem the report admits (chapter 七); the seed of a 整改 item."""

    __tablename__ = "problem"
    __table_args__ = (UniqueConstraint("project_year_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_year_id: Mapped[int] = mapped_column(ForeignKey("project_year.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
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
    password_hash: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # None: every unit
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
