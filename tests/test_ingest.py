"""Unit: ingest.import_file and the import/score/parse commands — idempotent, all-or-nothing, revisions kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import db, scoring
from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.scoring import rebuild
from jixiao_core.selfeval import read_workbook
from jixiao_core.store import ingest
from jixiao_core.store import read as stored
from jixiao_core.store import write as store
from tests.test_cli import run_cli

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "reports" / "yuhua_2023.txt"
WORKBOOKS = FIXTURES / "workbooks"


def import_as(role: str, s, path, *, replace: bool = False, user: str = "经办人"):
    """Import as the operator `user` with `role` (the core asks who is acting; nobody passes a role in)."""
    with actor.operating(role=role, name=user):
        return ingest.import_file(s, path, replace=replace)


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return ingest.table_counts(s)


def test_importing_the_same_bytes_twice_stores_them_once(engine):
    db.upgrade(engine)
    with Session(engine) as s, s.begin():
        first = import_as("clerk", s, SEED)
    before = counts(engine)
    with Session(engine) as s, s.begin():
        second = import_as("clerk", s, SEED)
    assert (first.status, first.revision, first.indicators) == ("stored", 1, 94)
    assert (second.status, second.project_year_id) == ("duplicate", None)
    assert counts(engine) == before
    assert before["indicator"] == 94 and before["import_batch"] == 1


def test_a_new_version_replaces_the_current_one_only_when_asked(engine, tmp_path):
    ingest.init(engine)
    with pytest.raises(InputError) as err, Session(engine) as s, s.begin():
        import_as("clerk", s, SEED)
    assert err.value.message.startswith("该单位该项目 2023 年度已有数据（第 1 版）")
    with Session(engine) as s, s.begin():
        res = import_as("clerk", s, SEED, replace=True, user="党政综合办")
    assert (res.status, res.revision) == ("replaced", 2)
    with Session(engine) as s:
        revisions = s.execute(
            select(m.ProjectYear.revision, m.ProjectYear.is_current).order_by("revision")
        ).all()
        assert [tuple(r) for r in revisions] == [(1, False), (2, True)]
        current = stored.load_report(s, "雨花街道办事处", 2023)
        assert current.source.file_name == "yuhua_2023.txt"
        assert s.scalar(select(func.count()).select_from(m.Indicator)) == 94 * 2  # the old revision stays


def test_a_failure_half_way_writes_nothing(engine, monkeypatch):
    db.upgrade(engine)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "finding_row", broken)
    with pytest.raises(RuntimeError), Session(engine) as s, s.begin():
        import_as("clerk", s, SEED)
    assert counts(engine) == dict.fromkeys(counts(engine), 0)


@pytest.mark.parametrize(
    "name, unit, total, grade",
    [("clean_national", "示例街道办事处", "92.90", "优"), ("messy", "示例街道办事处", "88.09", "良")],
)
def test_an_imported_workbook_scores_the_same_from_the_database(engine, name, unit, total, grade):
    db.upgrade(engine)
    path = WORKBOOKS / f"{name}.xlsx"
    with Session(engine) as s, s.begin():
        res = import_as("clerk", s, path)
    assert res.status == "stored"
    with Session(engine) as s:
        rep = stored.load_report(s, unit, 2023)
        result = scoring.score(rebuild.table_from_report(rep))
        assert (str(result.total), result.grade) == (total, grade)
        cells = s.scalars(select(m.Indicator.locator).order_by(m.Indicator.seq)).all()
        table = read_workbook(path.name, path.read_bytes())
        assert cells == [r.cell for r in table.rows]
        kinds = s.scalars(select(m.Indicator.source_kind).distinct()).all()
        assert kinds == ["cell"]


def test_cli_import_prints_one_line_then_says_duplicate(db_url):
    first = run_cli("import", str(SEED), "--db", db_url)
    second = run_cli("import", str(SEED), "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("yuhua_2023.txt：已导入（第 1 版），指标 94 条，核查发现 ")
    assert second.stdout.strip() == "yuhua_2023.txt：相同内容已导入过，未做任何更改"


def test_cli_import_of_a_renamed_doc_exits_2_and_writes_nothing(db_url, tmp_path):
    fake = tmp_path / "报告.docx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    proc = run_cli("import", str(fake), "--db", db_url)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "错误：报告.docx：不是 .docx 文件，请在 Word 中另存为 .docx 后再导入"
    assert counts(db.make_engine(db_url))["import_batch"] == 0


def test_cli_parse_json_has_the_contract_shape():
    proc = run_cli("parse", str(SEED), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["source"]["file"] == "yuhua_2023.txt"
    assert out["source"]["chars"] == len(SEED.read_text(encoding="utf-8"))
    assert (out["unit_name"], out["project_name"], out["year"]) == ("雨花街道办事处", "街道工作经费", 2023)
    assert {k: out["funds"][k] for k in ("budget", "arrived", "spent")} == dict.fromkeys(
        ("budget", "arrived", "spent"), 4500000.0
    )
    first = out["indicators"][0]
    assert {k: first[k] for k in ("area_seq", "name", "actual", "unit", "target", "target_unit", "rate")} == {
        "area_seq": 1,
        "name": "一般公共预算收入",
        "actual": 9.67,
        "unit": "亿元",
        "target": 8.64,
        "target_unit": "亿元",
        "rate": 111.92,
    }
    assert len(out["indicators"]) == 94
    kinds = sorted({f["kind"] for f in out["findings"]})
    assert kinds == [
        "claim_contradicted",
        "implausible_rate",
        "over_achievement",
        "rate_mismatch",
        "target_missed",
    ]


def test_cli_score_of_a_workbook_prints_total_and_grade():
    proc = run_cli("score", str(WORKBOOKS / "jiangxi.xlsx"), "--rules", "jiangxi", "--json")
    out = json.loads(proc.stdout)
    assert (out["rules"], out["total"], out["grade"]) == ("jiangxi", 87.85, "良")
    assert out["execution"]["score"] == 7.0


def test_a_viewer_cannot_import(engine):
    db.upgrade(engine)
    with pytest.raises(InputError) as err, Session(engine) as s, s.begin():
        import_as("viewer", s, SEED, user="区财政局评审")
    assert str(err.value) == "区财政局评审：权限不足：导入数据需要经办人、管理员权限"
    assert counts(engine)["import_batch"] == 0


def test_cli_import_as_a_viewer_exits_2(db_url):
    proc = run_cli("import", str(SEED), "--db", db_url, env={"JIXIAO_ROLE": "viewer"})
    assert (proc.returncode, proc.stderr.strip()) == (
        2,
        "错误：经办人：权限不足：导入数据需要经办人、管理员权限",
    )
