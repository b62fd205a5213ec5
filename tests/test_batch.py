"""Unit: batch import (store.batch, `import PATH [PATH ...]`) — every file's outcome, one writer, resumable."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao_core import db, workers
from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.store import batch
from tests.scan_support import scanned_page
from tests.test_cli import ROOT, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"
SEED = REPORTS / "yuhua_2023.txt"
SUMMARY = re.compile(r"^共 \d+ 个文件：.*用时 [\d.]+ 秒")


def variant(n: int) -> str:
    """Return the seed report as written by another 街道 (its own unit name, so its own project-year)."""
    return SEED.read_text(encoding="utf-8").replace("雨花街道", f"第{n}街道")


def generated_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{n:03d}.txt").write_text(variant(n), encoding="utf-8")
    return folder


def outcomes_by_path(summary: batch.Summary) -> dict[str, tuple[str, str | None]]:
    return {o.path: (o.result, o.reason) for o in summary.outcomes}


def run_batch(engine, *paths, **kwargs) -> batch.Summary:
    db.upgrade(engine)
    with actor.operating(role="clerk", name="张三"):
        return batch.run(engine, [Path(p) for p in paths], processes=2, **kwargs)


@pytest.mark.slow
def test_a_folder_of_mixed_files_stores_the_reports_and_refuses_the_rest_with_reasons(
    engine, tmp_path, monkeypatch
):
    monkeypatch.setenv("JIXIAO_OCR_PAGE_SECONDS", "900")  # a loaded CI machine is slow, not stuck
    folder = tmp_path / "区财政局"
    (folder / "街道").mkdir(parents=True)
    (folder / "街道" / "雨花.txt").write_bytes(SEED.read_bytes())
    (folder / "街道" / "河西_bom.txt").write_bytes((REPORTS / "hexi_2021_utf8bom.txt").read_bytes())
    (folder / "城关_gbk.txt").write_bytes((REPORTS / "chengguan_2022_gbk.txt").read_bytes())
    (folder / "凤岭_gb18030.txt").write_bytes((FIXTURES / "holdout" / "h2_2022_gb18030.txt").read_bytes())
    (folder / "新桥.docx").write_bytes((REPORTS / "xinqiao_2024.docx").read_bytes())
    (folder / "金沙.pdf").write_bytes((REPORTS / "jinsha_2020.pdf").read_bytes())
    shanhu = (REPORTS / "shanhu_2023.txt").read_text(encoding="utf-8")
    (folder / "珊湖_扫描.pdf").write_bytes(scanned_page(shanhu, page=1)[0])  # a page of a report, image only
    (folder / "自评表.xlsx").write_bytes((FIXTURES / "workbooks" / "clean_national.xlsx").read_bytes())
    (folder / "雨花_副本.txt").write_bytes(SEED.read_bytes())
    (folder / "空.txt").write_bytes(b"")
    (folder / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    (folder / "照片.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")

    summary = run_batch(engine, folder)

    got = outcomes_by_path(summary)
    assert got == {
        "区财政局/街道/雨花.txt": ("stored", None),
        "区财政局/街道/河西_bom.txt": ("stored", None),
        "区财政局/城关_gbk.txt": ("stored", None),
        "区财政局/凤岭_gb18030.txt": ("stored", None),
        "区财政局/新桥.docx": ("stored", None),
        "区财政局/金沙.pdf": ("stored", None),
        "区财政局/珊湖_扫描.pdf": ("stored", None),
        "区财政局/自评表.xlsx": ("stored", None),
        "区财政局/雨花_副本.txt": ("duplicate", None),
        "区财政局/空.txt": ("refused", "文件为空"),
        "区财政局/旧格式.doc": ("refused", "不是 .docx 文件，请在 Word 中另存为 .docx 后再导入"),
        "区财政局/照片.pdf": ("refused", "这是图片文件，请提供报告的 .docx、带文字层的 PDF 或文本文件"),
    }
    counts = [summary.count(r) for r in batch.RESULTS]
    assert (len(summary.outcomes), *counts, summary.exit_status) == (12, 8, 1, 0, 3, 2)
    scan = next(o for o in summary.outcomes if o.path.endswith("珊湖_扫描.pdf"))
    assert (scan.unit, scan.year, scan.ocr_pages) == ("珊湖区民政局", 2023, (1,))
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.ProjectYear)) == 8
        kinds = s.execute(
            select(m.SourceDocument.file_name, m.Indicator.source_kind, func.count())
            .join(m.Indicator, m.Indicator.source_document_id == m.SourceDocument.id)
            .where(m.SourceDocument.file_name == "珊湖_扫描.pdf")
            .group_by(m.SourceDocument.file_name, m.Indicator.source_kind)
        ).all()
        assert [(name, kind) for name, kind, _n in kinds] == [("珊湖_扫描.pdf", "ocr")]
        rows = s.execute(select(m.BatchFile.path, m.BatchFile.outcome).order_by(m.BatchFile.seq)).all()
        run = s.scalar(select(m.BatchRun))
    assert {p: o for p, o in rows} == {p: r for p, (r, _) in got.items()}
    assert (run.status, run.files, run.started_by) == ("done", 12, "张三")


def test_the_summary_line_counts_files_indicators_and_findings(engine, tmp_path):
    folder = generated_folder(tmp_path / "in", 2)
    (folder / "空.txt").write_bytes(b"")
    summary = run_batch(engine, folder)
    line = re.sub(r"用时 [\d.]+ 秒", "用时 X 秒", summary.line())
    findings = sum(o.findings for o in summary.outcomes)
    assert (
        line
        == f"共 3 个文件：新导入 2，已存在 0，替换 0，未导入 1；指标 188 条，核查发现 {findings} 条；用时 X 秒"
    )
    assert findings == 20  # the seed's 10 findings (DOMAIN §10) in each of two reports


def test_two_reports_of_one_unit_project_and_year_in_a_batch_are_not_merged(engine, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(variant(1), encoding="utf-8")
    (folder / "b.txt").write_text(variant(1) + "\n（修订稿）\n", encoding="utf-8")
    summary = run_batch(engine, folder, replace=True)
    assert outcomes_by_path(summary) == {
        "in/a.txt": ("stored", None),
        "in/b.txt": (
            "refused",
            "与本批的 in/a.txt 是同一单位、项目、年度（第1街道办事处 街道工作经费 2023年）的报告；"
            "同一批内不合并也不替换，请核对后单独导入",
        ),
    }


def test_a_report_that_does_not_say_its_year_is_refused_not_guessed_from_its_name(engine, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = re.sub(r"20\d\d年(度)?", "", variant(2)).replace("2023", "")
    (folder / "第2街道_2023.txt").write_text(text, encoding="utf-8")
    summary = run_batch(engine, folder)
    assert outcomes_by_path(summary) == {
        "in/第2街道_2023.txt": ("refused", "报告中未写明年度，无法确定归属，未导入")
    }


def test_a_report_already_in_the_database_is_refused_unless_replacing(engine, tmp_path):
    folder = generated_folder(tmp_path / "in", 1)
    run_batch(engine, folder)
    (folder / "000.txt").write_text(variant(0) + "\n（修订稿）\n", encoding="utf-8")
    kept = run_batch(engine, folder)
    replaced = run_batch(engine, folder, replace=True)
    assert kept.outcomes[0].result == "refused"
    assert kept.outcomes[0].reason.startswith("该单位该项目 2023 年度已有数据（第 1 版）")
    assert (replaced.outcomes[0].result, replaced.outcomes[0].revision) == ("replaced", 2)


def test_a_viewer_may_not_start_a_batch(engine, tmp_path):
    folder = generated_folder(tmp_path / "in", 1)
    db.upgrade(engine)
    with pytest.raises(InputError, match="权限不足"), actor.operating(role="viewer"):
        batch.run(engine, [folder], processes=1)


def test_files_are_listed_recursively_in_name_order_without_hidden_files(tmp_path):
    for rel in ("b/2.txt", "b/1.txt", "a.txt", ".hidden/x.txt", "b/~$lock.docx", "__MACOSX/a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = batch.sources([tmp_path / "b", tmp_path / "a.txt", tmp_path / "missing.txt"], root=tmp_path)
    assert [(s.seq, s.shown) for s in found] == [
        (0, "a.txt"),
        (1, "b/1.txt"),
        (2, "b/2.txt"),
        (3, "missing.txt"),
    ]


def test_a_read_that_overruns_its_budget_is_stopped_and_the_others_still_answer():
    jobs = [(n, f"{n}.txt", time.sleep, (seconds,)) for n, seconds in enumerate((0, 60, 0))]
    started = time.monotonic()
    with workers.Pool(2, {"parse": 2.0, "ocr_page": 2.0}) as pool:
        done = [(d.key, d.value, str(d.error) if d.error else None) for d in pool.results(jobs)]
    assert done == [
        (0, None, None),
        (1, None, "1.txt：报告过于复杂，解析超时（超过 2 秒），已停止读取"),
        (2, None, None),
    ]
    assert time.monotonic() - started < 60  # the sleeper was killed, not waited for


def test_a_worker_that_raises_reports_an_internal_error_for_its_file_only():
    jobs = [(0, "a", int, ("x",)), (1, "b", int, ("7",))]
    with workers.Pool(1) as pool:
        done = [(d.key, d.value, type(d.error).__name__, str(d.error)) for d in pool.results(jobs)]
    assert done == [
        (0, None, "WorkerFailed", "ValueError：invalid literal for int() with base 10: 'x'"),
        (1, 7, "NoneType", "None"),
    ]


def test_cli_import_of_a_folder_prints_a_line_per_file_and_exits_2_when_one_is_refused(db_url, tmp_path):
    folder = generated_folder(tmp_path / "in", 2)
    (folder / "空.txt").write_bytes(b"")
    proc = run_cli("import", str(folder), "--db", db_url, "--workers", "2")
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 2, proc.stderr
    assert lines[:3] == [
        "[1/3] in/000.txt：已导入 第0街道办事处 2023年 街道工作经费（第 1 版），指标 94 条，核查发现 10 条",
        "[2/3] in/001.txt：已导入 第1街道办事处 2023年 街道工作经费（第 1 版），指标 94 条，核查发现 10 条",
        "[3/3] in/空.txt：未导入：文件为空",
    ]
    assert SUMMARY.match(lines[3]) and len(lines) == 4
    again = run_cli("import", str(folder / "000.txt"), str(folder / "001.txt"), "--db", db_url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[:2] == [
        "[1/2] 000.txt：相同内容已导入过，未做任何更改",
        "[2/2] 001.txt：相同内容已导入过，未做任何更改",
    ]


def test_cli_single_file_parse_over_its_budget_exits_2_saying_it_is_too_complex():
    proc = run_cli("parse", str(SEED), env={"JIXIAO_PARSE_SECONDS": "0.001"})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == "错误：yuhua_2023.txt：报告过于复杂，解析超时（超过 0.001 秒），已停止读取"


@pytest.mark.slow
def test_a_batch_killed_midway_and_run_again_stores_every_file_once(db_url, tmp_path):
    folder = generated_folder(tmp_path / "in", 40)
    args = [sys.executable, "-m", "jixiao_core", "import", str(folder), "--db", db_url, "--workers", "2"]
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DATABASE_URL"}
    first = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    seen = [first.stdout.readline() for _ in range(6)]  # six files decided, the rest in flight
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert all(line.startswith("[") for line in seen), seen

    second = run_cli("import", str(folder), "--db", db_url, "--workers", "2")

    assert second.returncode == 0, second.stderr
    lines = second.stdout.strip().splitlines()
    assert len(lines) == 41 and SUMMARY.match(lines[-1]) and "续上次中断的批次" in lines[-1]
    resumed = [line for line in lines if line.endswith("（上次运行已处理）")]
    assert 6 <= len(resumed) < 40
    engine = db.make_engine(db_url)
    with Session(engine) as s:
        per_unit = s.execute(
            select(m.Unit.name, func.count(m.Indicator.id))
            .join(m.Project, m.Project.unit_id == m.Unit.id)
            .join(m.ProjectYear, m.ProjectYear.project_id == m.Project.id)
            .join(m.Indicator, m.Indicator.project_year_id == m.ProjectYear.id)
            .group_by(m.Unit.name)
        ).all()
        assert sorted(per_unit) == sorted((f"第{n}街道办事处", 94) for n in range(40))
        assert s.scalar(select(func.count()).select_from(m.ImportBatch)) == 40
        files = s.execute(select(m.BatchFile.path, func.count()).group_by(m.BatchFile.path)).all()
        assert sorted(files) == [(f"in/{n:03d}.txt", 1) for n in range(40)]
        assert s.scalar(select(m.BatchRun.status)) == "done"
    engine.dispose()
