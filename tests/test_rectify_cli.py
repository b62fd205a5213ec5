"""Unit: `python -m jixiao_core items` and `brief` (CONTRACT.md additions), the 结果应用 brief reopened as PDF text and
workbook cells, and the weekly cron line exactly as the README gives it."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from jixiao_core import cli, db
from jixiao_core.accounts import actor
from jixiao_core.rectify import items
from jixiao_core.store import ingest
from tests.test_cli import assert_one_chinese_line, run_cli

ROOT = Path(__file__).resolve().parent.parent
UNIT = "雨花街道办事处"
SEED_PROBLEMS = [
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系",
    "部分成果无法用指标方式表示",
    "在绩效考评指标的设计上流于形式，有待完善",
]
SEED_SENTENCE = (
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系；部分成果无法用指标方式表示；"
    "在绩效考评指标的设计上流于形式，有待完善。"
)
MISSED = (
    "规模以上固定资产投资",
    "招商引资省外到位资金",
    "重精患者在册在管",
    "区级问题清单化解",
    "强制垃圾分类示范小区建成",
)


@pytest.fixture(scope="module")
def tracked(new_db_url) -> str:
    """The bundled data after `init`; item 2 is due 2024-06-30 with its 责任科室, item 3 is closed."""
    url = new_db_url("rectify_cli")
    engine = db.make_engine(url)
    ingest.init(engine)
    with actor.operating(role="clerk", name="张三"), Session(engine) as s, s.begin():
        items.edit(s, 2, {"body": "经济发展办公室", "deadline": "2024-06-30"}, expected_version=1)
        items.edit(s, 3, {"result": "已修订绩效目标表", "state": "done"}, expected_version=1)
    engine.dispose()
    return url


def _json(*args: str) -> dict:
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _main(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (the subprocess tests above show it behaves the same from a shell)."""
    status = cli.main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_items_json_after_init_lists_the_seeds_problems_with_their_sentences(db_url):
    assert run_cli("init", "--db", db_url).returncode == 0
    out = _json("items", "--unit", UNIT, "--year", "2023", "--json", "--db", db_url)
    assert [(i["problem"], i["source_text"], i["source"], i["status"]) for i in out["items"]] == [
        (text, SEED_SENTENCE, "report", "pending") for text in SEED_PROBLEMS
    ]
    assert {k for i in out["items"] for k in i} >= {"id", "problem", "source", "body", "deadline", "status"}


@pytest.mark.parametrize(
    "status, today, expected",
    [
        (None, "2024-07-01", [(1, "pending"), (2, "overdue"), (3, "done")]),
        ("open", "2024-07-01", [(1, "pending"), (2, "overdue")]),
        ("overdue", "2024-07-01", [(2, "overdue")]),
        ("overdue", "2024-06-30", []),  # due that day: not late yet
        ("closed", "2024-07-01", [(3, "done")]),
    ],
)
def test_items_status_filter_judges_overdue_on_the_day_given(capsys, tracked, status, today, expected):
    args = ["items", "--unit", UNIT, "--year", "2023", "--json", "--db", tracked, "--today", today]
    code, out, _ = _main(capsys, *args, *(["--status", status] if status else []))
    assert (code, [(i["id"], i["status"]) for i in json.loads(out)["items"]]) == (0, expected)


def test_items_without_json_prints_a_line_per_item_and_a_count(capsys, tracked):
    _, out, _ = _main(
        capsys, "items", "--unit", UNIT, "--year", "2023", "--db", tracked, "--today", "2024-07-01"
    )
    assert out.splitlines() == [
        f"#1 [待整改] 2023年 报告自述问题｜{SEED_PROBLEMS[0]}｜责任科室 未指定｜期限 未定",
        f"#2 [逾期] 2023年 报告自述问题｜{SEED_PROBLEMS[1]}｜责任科室 经济发展办公室｜期限 2024-06-30",
        f"#3 [已整改] 2023年 报告自述问题｜{SEED_PROBLEMS[2]}｜责任科室 未指定｜期限 未定",
        "共 3 项整改事项（2024-07-01）",
    ]


@pytest.mark.parametrize(
    "args, fragments",
    [
        (
            ["items", "--unit", "不存在街道", "--year", "2023"],
            ("不存在街道 2023年", "没有该单位该年度的数据"),
        ),
        (["items", "--unit", UNIT, "--year", "2023", "--status", "late"], ("参数有误",)),
        (["items", "--unit", UNIT, "--year", "2023", "--today", "明天"], ("--today", "日期格式不正确")),
        (["brief", "--unit", UNIT, "--year", "2023", "--format", "docx", "-o", "x.docx"], ("参数有误",)),
    ],
)
def test_bad_items_and_brief_arguments_exit_2_with_one_chinese_line(capsys, tracked, args, fragments):
    code, out, err = _main(capsys, *args, "--db", tracked)
    assert (code, out, len(err.strip().splitlines())) == (2, "", 1)
    assert all(fragment in err for fragment in fragments)


def test_a_bad_brief_argument_from_a_shell_exits_2_with_one_chinese_line(tracked):
    proc = run_cli(
        "brief", "--unit", "不存在街道", "--year", "2023", "--format", "pdf", "-o", "x.pdf", "--db", tracked
    )
    assert_one_chinese_line(proc, "不存在街道 2023年", "没有该单位该年度的数据")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def brief_pdf(tracked, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("brief") / "brief.pdf"
    args = ("brief", "--unit", UNIT, "--year", "2023", "--format", "pdf", "-o", str(out))
    proc = run_cli(*args, "--db", tracked, "--today", "2024-07-01")
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_brief_pdf_says_what_the_evaluation_means_for_next_years_budget(brief_pdf):
    text = re.sub(r"\s+", "", _pdf_text(brief_pdf))  # lines wrap anywhere in Chinese
    for expected in (
        "雨花街道办事处2023年度街道工作经费绩效评价结果应用简报",
        "截至2024-07-01",
        "评价等级为优：下年度预算可按需保障，优先安排",
        "5项指标未达年度目标",
        "87项成果没有年度指标值，无法评分",
        "1项整改事项已逾期",
        "报告自身的应用建议：为下一年年度预算提供依据。",
        "450.00万元",
        "100.00%",
        "90.74（优）",
        *MISSED,
        "四、无法评分的成果（共87项，无年度指标值等）",
        "有年度指标值7/94（7.45%）",
        "六、整改事项（未完成2项，其中逾期1项；已整改1项）",
        SEED_PROBLEMS[0],
        SEED_PROBLEMS[1],
        "经济发展办公室",
    ):
        assert expected in text, expected
    assert SEED_PROBLEMS[2] not in text  # closed: counted, not listed
    pages = subprocess.run(
        [_tool("pdfinfo"), str(brief_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")) == "1"


def test_the_brief_workbook_holds_the_same_content_cell_by_cell(tracked, tmp_path):
    out = tmp_path / "brief.xlsx"
    args = ("brief", "--unit", UNIT, "--year", "2023", "--format", "xlsx", "-o", str(out))
    assert run_cli(*args, "--db", tracked, "--today", "2024-07-01").returncode == 0
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["结果应用", "未达标指标", "无法评分", "指标质量", "整改事项"]
    summary = {r[0]: r[1] for r in wb["结果应用"].iter_rows(min_row=2, values_only=True)}
    assert {
        k: summary[k] for k in ("执行率", "得分（等级）", "未达标指标", "无法评分的成果", "其中逾期")
    } == {
        "执行率": "100.00%",
        "得分（等级）": "90.74（优）",
        "未达标指标": "5 项",
        "无法评分的成果": "87 项",
        "其中逾期": "1 项",
    }
    assert summary["意见1"] == "评价等级为优：下年度预算可按需保障，优先安排"
    missed = list(wb["未达标指标"].iter_rows(min_row=2, values_only=True))
    assert missed[0] == ("规模以上固定资产投资", "17.06亿元", "24亿元", "71.07%")
    assert [r[0] for r in missed] == list(MISSED)
    assert wb["无法评分"].max_row == 1 + 87
    assert wb["指标质量"]["A2"].value == "有年度指标值 7/94（7.45%）"
    assert list(wb["整改事项"].iter_rows(min_row=2, values_only=True)) == [
        (2, 2023, SEED_PROBLEMS[1], "报告自述问题", "经济发展办公室", "2024-06-30", "逾期"),
        (1, 2023, SEED_PROBLEMS[0], "报告自述问题", "未指定", "未定", "待整改"),
    ]


def _cron_line() -> str:
    """Return the cron line of the README's ```cron block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```cron\n(.*?)```", readme, re.S)
    (line,) = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    return line


def test_the_readme_cron_line_writes_the_weekly_brief_and_open_items_into_the_shared_folder(
    tracked, tmp_path
):
    line = _cron_line()
    schedule, command = line.split()[:5], " ".join(line.split()[5:])
    assert schedule == ["0", "7", "*", "*", "1"]  # Mondays at 07:00, as the timer
    share = tmp_path / "共享"
    command = command.replace("/opt/jixiao", shlex.quote(str(ROOT))).replace(
        "/srv/share/jixiao", shlex.quote(str(share))
    )
    env = {
        **os.environ,
        "JIXIAO_DATABASE_URL": tracked,
        "JIXIAO_PYTHON": sys.executable,
        "JIXIAO_TODAY": "2024-07-01",
    }
    proc = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    stem = f"{UNIT}_2023年"
    assert sorted(p.name for p in share.iterdir()) == sorted(
        [f"{stem}_未完成整改事项.json", f"{stem}_结果应用简报.pdf", f"{stem}_结果应用简报.xlsx"]
    )
    listed = json.loads((share / f"{stem}_未完成整改事项.json").read_text(encoding="utf-8"))
    assert [(i["id"], i["status"]) for i in listed["items"]] == [(1, "pending"), (2, "overdue")]
    assert UNIT in _pdf_text(share / f"{stem}_结果应用简报.pdf")


def test_the_systemd_units_run_the_same_script_weekly():
    service = (ROOT / "deploy" / "jixiao-brief.service").read_text(encoding="utf-8")
    timer = (ROOT / "deploy" / "jixiao-brief.timer").read_text(encoding="utf-8")
    assert "ExecStart=/opt/jixiao/deploy/weekly-brief.sh" in service.splitlines()
    assert _cron_line().endswith("/opt/jixiao/deploy/weekly-brief.sh")
    env = dict(
        ln.removeprefix("Environment=").split("=", 1)
        for ln in service.splitlines()
        if ln.startswith("Environment=")
    )
    assert sorted(env) == ["JIXIAO_BRIEF_UNIT", "JIXIAO_BRIEF_YEAR", "JIXIAO_SHARE_DIR"]
    assert ("OnCalendar=Mon *-*-* 07:00:00", "Unit=jixiao-brief.service") == tuple(
        ln for ln in timer.splitlines() if ln.startswith(("OnCalendar=", "Unit="))
    )
