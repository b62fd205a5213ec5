"""Unit: the command line (CONTRACT.md) — exit codes, one Chinese stderr line, no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("JIXIAO_DATABASE_URL", None) if env is None else None
    return subprocess.run(
        [sys.executable, "-m", "jixiao_core", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        cwd=cwd,
    )


def assert_one_chinese_line(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for frag in fragments:
        assert frag in lines[0]


def test_init_prints_one_summary_line_and_twice_changes_nothing(db_url):
    first = run_cli("init", "--db", db_url)
    second = run_cli("init", "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "数据库已就绪：新载入 1 个内置数据集，跳过已载入 0 个；单位 1，社区 8，项目年度 1，工作领域 8，指标 94，核查发现 10"
    )
    assert second.stdout.strip() == (
        "数据库已就绪：新载入 0 个内置数据集，跳过已载入 1 个；单位 1，社区 8，项目年度 1，工作领域 8，指标 94，核查发现 10"
    )


def test_init_reads_the_database_url_from_the_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    proc = run_cli("init", env={"JIXIAO_DATABASE_URL": url})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "env.db").is_file()


def test_init_against_an_unreachable_server_exits_2_with_one_chinese_line():
    proc = run_cli("init", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert_one_chinese_line(proc, "无法连接数据库服务器")


def test_init_against_a_read_only_database_exits_2_with_one_chinese_line(tmp_path):
    path = tmp_path / "ro.db"
    sqlite3.connect(path).close()
    proc = run_cli("init", "--db", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert_one_chinese_line(proc, "只读")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions; the mode=ro case covers it")
def test_init_against_a_read_only_file_exits_2(tmp_path):
    path = tmp_path / "ro.db"
    sqlite3.connect(path).close()
    path.chmod(0o444)
    assert_one_chinese_line(run_cli("init", "--db", f"sqlite:///{path}"), "只读")


def test_init_into_a_missing_folder_exits_2():
    proc = run_cli("init", "--db", "sqlite:////nonexistent-folder/x.db")
    assert_one_chinese_line(proc, "数据库所在目录不存在")


def test_a_malformed_bundled_file_names_its_line_and_writes_nothing(tmp_path):
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "jixiao_core", root / "jixiao_core")
    shutil.copytree(ROOT / "migrations", root / "migrations")
    shutil.copytree(ROOT / "data" / "sources", root / "data" / "sources")
    lines = (ROOT / "data" / "yuhua_2023.jsonl").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6][:-1]
    (root / "data" / "yuhua_2023.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = tmp_path / "x.db"
    proc = run_cli("init", "--db", f"sqlite:///{db_path}", cwd=root)
    assert_one_chinese_line(proc, "yuhua_2023.jsonl 第7行", "不是合法的 JSON")
    assert not db_path.exists() or sqlite3.connect(db_path).execute(
        "select count(*) from sqlite_master"
    ).fetchone() == (0,)


def test_unknown_command_exits_2_in_chinese():
    assert_one_chinese_line(run_cli("frobnicate"), "参数有误")


def test_parse_of_a_missing_file_exits_2():
    assert_one_chinese_line(run_cli("parse", "/nonexistent/报告.txt", "--json"), "报告.txt：文件不存在")
