"""Unit: column sizes (models, migration 0006, store.bounds) — what the size limits let in is stored whole on SQLite
and PostgreSQL alike; what no column can hold (a 101-character unit name, 10^30) is refused with a Chinese message
naming the file, before any row is written."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.store import bounds, ingest
from jixiao_core.store.write import Origin, store_report
from tests.fixtures.workbooks import make_workbooks

SEED = Path(__file__).parent / "fixtures" / "reports" / "yuhua_2023.txt"
LONG = "长" * 5000


def import_bytes(engine, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    with actor.operating(role="clerk", name="张三"), Session(db.writer(engine)) as s, s.begin():
        return ingest.import_file(s, path)


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return ingest.table_counts(s)


def test_a_long_report_imports_whole_on_both_databases(engine, tmp_path):
    """Twenty copies of the seed report: one finding lists 437 characters of indicator numbers (was String(400))."""
    db.upgrade(engine)
    result = import_bytes(engine, tmp_path, "长报告.txt", SEED.read_bytes() * 20)
    with Session(engine) as s:
        longest = s.scalar(select(func.max(func.length(m.Finding.indicator_seqs))))
        chars = s.scalar(select(m.SourceDocument.chars))
    assert (result.status, result.indicators, longest, chars) == ("stored", 1918, 437, 112200)


def test_document_text_of_any_length_is_stored_whole(engine):
    db.upgrade(engine)
    rep = ingest.enrich(ingest.parse_any(SEED.name, SEED.read_bytes()))
    rep.district = rep.areas[0].title = LONG
    first = rep.indicators[0]
    first.level1, first.level3, first.target_text, first.unit, first.locator = (LONG,) * 5
    rep.findings[0].indicators = list(range(2000))
    origin = Origin("report", "名" * 300 + ".txt", "f" * 64, "document", user="经办人" * 100)
    with actor.operating(role="clerk"), Session(db.writer(engine)) as s, s.begin():
        store_report(s, rep, origin)
    with Session(engine) as s:
        ind = s.scalar(select(m.Indicator).where(m.Indicator.seq == 0))
        stored = (
            s.scalar(select(m.Unit.district)),
            s.scalar(select(m.WorkArea.title).where(m.WorkArea.seq == 1)),
            (ind.level1, ind.level3, ind.target_text, ind.unit, ind.locator),
            s.scalar(select(m.ImportBatch.file_name)),
            s.scalar(select(m.ImportBatch.imported_by)),
            max(len(x) for x in s.scalars(select(m.Finding.indicator_seqs))),
        )
    assert stored == (LONG, LONG, (LONG,) * 5, "名" * 300 + ".txt", "经办人" * 100, 8889)


def workbook(cell: str, value) -> bytes:
    wb = make_workbooks.clean_national()
    wb.active[cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "cell, value, message",
    [
        (
            "G4",
            "街" * 101,
            "实施.xlsx：单位名称过长（101 字，上限 100 字）：“街街街街街街街街街街街街街街街街街街街街…”",
        ),
        (
            "B3",
            "项" * 201,
            "实施.xlsx：项目名称过长（201 字，上限 200 字）：“项项项项项项项项项项项项项项项项项项项项…”",
        ),
        (
            "D13",
            "指" * 201,
            "实施.xlsx：指标名称过长（201 字，上限 200 字）：“指指指指指指指指指指指指指指指指指指指指…”",
        ),
        (
            "F13",
            1e30,
            "实施.xlsx：工作表“Sheet1”第13行 F 列（Sheet1!F13）：数值 1E+30 过大，超出可处理的范围（绝对值须小于 10^15）",
        ),
        ("E6", 1e13, "实施.xlsx：全年预算数数值 1E+17 超出可存储范围（绝对值须小于 10^16）"),
    ],
)
def test_a_value_no_column_can_hold_is_refused_naming_the_file_and_nothing_is_written(
    engine, tmp_path, cell, value, message
):
    db.upgrade(engine)
    before = counts(engine)
    with pytest.raises(InputError) as err:
        import_bytes(engine, tmp_path, "实施.xlsx", workbook(cell, value))
    assert (str(err.value), counts(engine)) == (message, before)


def test_every_bounded_column_left_is_a_name_a_code_or_a_digest():
    """Text a document or a person writes is Text; the String(n) left are named in bounds.LABELS or are our codes."""
    codes = {
        "kind",
        "severity",
        "comparator",
        "qualifier",
        "change_direction",
        "direction",
        "status",
        "source_kind",
        "fmt",
        "key",
        "entity",
        "field",
        "role",
        "password_hash",
        "state",
        "outcome",
        "action",
        "source",
        "rule",
        "source_key",
        "finding_kind",
        "grade",
    }
    bounded = {
        f"{t.name}.{c.name}"
        for t in m.Base.metadata.sorted_tables
        for c in t.columns
        if getattr(c.type, "length", None)
        and f"{t.name}.{c.name}" not in bounds.LABELS
        and c.name not in codes
    }
    assert bounded == {"app_user.name"}


def test_numbers_at_the_edge_of_a_column_are_told_apart():
    value = m.Indicator.__table__.c.actual.type
    assert [bounds._problem(value, Decimal(x)) for x in ("999999999999999999.99", "1E+18", "NaN")] == [
        None,
        "数值 1E+18 超出可存储范围（绝对值须小于 10^18）",
        "不是有限的数值（NaN）",
    ]


def test_migration_0006_widens_the_columns_of_a_filled_database_and_goes_back(engine):
    cfg = db.alembic_config(engine)
    command.upgrade(cfg, "0002")
    ingest.init(engine)  # the bundled dataset, written into the old String(n) columns
    before = counts(engine)
    command.upgrade(cfg, "head")
    widened = {c["name"]: type(c["type"]).__name__ for c in inspect(engine).get_columns("finding")}
    command.downgrade(cfg, "0002")
    narrowed = {c["name"]: getattr(c["type"], "length", None) for c in inspect(engine).get_columns("finding")}
    command.upgrade(cfg, "head")
    assert (widened["indicator_seqs"], narrowed["indicator_seqs"], counts(engine)) == ("TEXT", 400, before)
