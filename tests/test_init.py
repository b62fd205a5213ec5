"""Unit: ingest.init and the schema — migrations, idempotency, and the bundled 2023 dataset's totals."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core import models as m
from jixiao_core.store import ingest

# counted by hand from the seed report (tests/fixtures/expected/yuhua_2023_counts.md)
RESULTS_PER_AREA = {1: 9, 2: 7, 3: 7, 4: 10, 5: 7, 6: 26, 7: 24, 8: 4}


def test_migrations_create_every_model_table(engine):
    db.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(m.Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_schema_round_trip_keeps_exact_amounts_and_printed_precision(engine):
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        unit = m.Unit(name="测试街道办事处")
        s.add(unit)
        s.flush()
        batch = m.ImportBatch(kind="report", file_name="a.txt", sha256="0" * 64)
        proj = m.Project(unit_id=unit.id, name="街道工作经费")
        s.add_all([batch, proj])
        s.flush()
        py = m.ProjectYear(project_id=proj.id, year=2023, batch_id=batch.id, budget=Decimal("4500000.00"))
        s.add(py)
        s.flush()
        s.add(
            m.Indicator(
                project_year_id=py.id,
                seq=0,
                name="占地",
                actual=Decimal("8.4855"),
                actual_printed="8.4855",
                unit="亩",
                source_kind="document",
            )
        )
    with Session(engine) as s:
        py = s.scalar(select(m.ProjectYear))
        ind = s.scalar(select(m.Indicator))
        assert (py.budget, py.version, py.is_current, py.revision) == (Decimal("4500000.00"), 1, True, 1)
        assert (ind.actual, ind.actual_printed, ind.unit) == (Decimal("8.4855"), "8.4855", "亩")


def test_init_twice_gives_identical_row_counts(engine):
    first = ingest.init(engine)
    second = ingest.init(engine)
    assert (first.loaded, first.skipped) == (1, 0)
    assert (second.loaded, second.skipped) == (0, 1)
    assert first.counts == second.counts
    assert first.counts["import_batch"] == 1


def test_bundled_dataset_totals_match_the_hand_count(seeded_engine):
    with Session(seeded_engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Unit)) == 1
        kinds = s.execute(select(m.Community.kind, func.count()).group_by(m.Community.kind)).all()
        assert dict(kinds) == {"村改居社区": 3, "城市社区": 5}
        assert s.scalar(select(func.count()).select_from(m.InternalBody)) == 12
        py = s.scalar(select(m.ProjectYear))
        assert (py.year, py.budget, py.arrived, py.spent) == (2023, 4500000, 4500000, 4500000)
        assert py.report_date.isoformat() == "2024-02-18"
        assert s.scalar(select(func.count()).select_from(m.WorkArea)) == 8
        assert s.scalar(select(func.count()).select_from(m.Goal)) == 8
        per_area = s.execute(
            select(m.WorkArea.seq, func.count(m.Indicator.id))
            .join(m.Indicator, m.Indicator.area_id == m.WorkArea.id)
            .group_by(m.WorkArea.seq)
        ).all()
        assert dict(per_area) == RESULTS_PER_AREA
        with_target = s.scalar(select(func.count()).where(m.Indicator.target.is_not(None)))
        assert with_target == 7


def test_bundled_indicators_keep_their_provenance(seeded_engine):
    with Session(seeded_engine) as s:
        ind = s.scalar(select(m.Indicator).where(m.Indicator.name == "规模以上固定资产投资"))
        doc = s.get(m.SourceDocument, ind.source_document_id)
        assert doc.text[ind.span_start : ind.span_end] == ind.text
        assert ind.text == "规模以上固定资产投资完成17.06亿元，占任务数24亿元的71.07%"
        assert (ind.source_kind, ind.locator) == ("bundled", "yuhua_2023.jsonl:42")
        assert (ind.actual_printed, ind.target_printed, ind.rate_printed) == ("17.06", "24", "71.07")


def test_bundled_data_is_audited_with_the_findings_domain_expects(seeded_engine):
    with Session(seeded_engine) as s:
        names = dict(s.execute(select(m.Indicator.seq, m.Indicator.name)).all())
        found = s.execute(
            select(m.Finding.kind, m.Finding.severity, m.Finding.indicator_seqs, m.Finding.text)
        ).all()
    named = [(k, sev, [names[int(x)] for x in seqs.split(",")]) for k, sev, seqs, _ in found]
    assert sorted(x for x in named if x[0] != "claim_contradicted") == sorted(
        [
            ("rate_mismatch", "info", ["规模以上固定资产投资"]),
            ("target_missed", "warning", ["规模以上固定资产投资"]),
            ("target_missed", "warning", ["招商引资省外到位资金"]),
            ("implausible_rate", "warning", ["净增长经营主体"]),
            ("over_achievement", "info", ["个转企"]),
            ("target_missed", "info", ["重精患者在册在管"]),
            ("implausible_rate", "info", ["信访件接件", "信访满意率"]),
            ("target_missed", "info", ["区级问题清单化解"]),
            ("target_missed", "warning", ["强制垃圾分类示范小区建成"]),
        ]
    )
    claims = sorted(text for kind, _, _, text in found if kind == "claim_contradicted")
    assert claims == [
        "预期绩效目标已全部按期完成"
    ]  # 较好地完成 judges how well, it claims no target met (§10)
