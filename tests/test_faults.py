"""Unit: faults during a single-file import — the importer killed (SIGKILL) with its rows flushed, the PostgreSQL
server stopped mid-import, a read-only database, a full disk: a clear Chinese message where anyone is left to read
it, and nothing partial (every table's row count as before; the same file imports afterwards)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from jixiao_core import cli, db
from jixiao_core.store import ingest, write
from tests import pg_server
from tests.test_cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "reports" / "yuhua_2023.txt"
WORKBOOK = ROOT / "tests" / "fixtures" / "workbooks" / "clean_national.xlsx"
IMPORTED = "clean_national.xlsx：已导入（第 1 版），指标 9 条，核查发现 5 条\n"
PG_ONLY = pytest.mark.skipif(
    not os.environ.get("JIXIAO_TEST_DATABASE_URL") or pg_server.binaries() is None,
    reason="PostgreSQL run only (a throwaway server of its own, stopped by the test)",
)

# Runs `import FILE --db URL`, announcing on stdout when every row is flushed and the commit is all that is left.
FLUSHED_THEN_WAIT = """
import sys, time
from jixiao_core import cli
from jixiao_core.store import ingest
stored = ingest.store_report
def store_then_wait(*args, **kwargs):
    result = stored(*args, **kwargs)
    args[0].flush()
    print("FLUSHED", flush=True)
    time.sleep(60)
    return result
ingest.store_report = store_then_wait
sys.exit(cli.main(["import", sys.argv[1], "--db", sys.argv[2]]))
"""


def counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        with Session(engine) as s:
            return ingest.table_counts(s)
    finally:
        engine.dispose()


def test_an_import_killed_with_its_rows_flushed_leaves_nothing_and_the_file_imports_after(db_url, capsys):
    assert cli.main(["import", str(SEED), "--db", db_url]) == 0  # a finished import, which must survive
    before = counts(db_url)
    proc = subprocess.Popen(
        [sys.executable, "-c", FLUSHED_THEN_WAIT, str(WORKBOOK), db_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "FLUSHED\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    after_kill = counts(db_url)
    capsys.readouterr()
    again = cli.main(["import", str(WORKBOOK), "--db", db_url])
    assert (proc.returncode, after_kill, again, capsys.readouterr().out) == (
        -signal.SIGKILL,
        before,
        0,
        IMPORTED,
    )
    if db_url.startswith("sqlite"):
        engine = db.make_engine(db_url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        engine.dispose()


def test_an_import_into_a_database_opened_read_only_exits_2_and_changes_nothing(tmp_path, capsys):
    path = tmp_path / "ro.db"
    assert cli.main(["init", "--db", f"sqlite:///{path}"]) == 0
    before = counts(f"sqlite:///{path}")
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    capsys.readouterr()
    assert cli.main(["import", str(WORKBOOK), "--db", url]) == 2
    assert (capsys.readouterr().err, counts(f"sqlite:///{path}")) == (
        f"错误：{url}：数据库文件只读，无法写入；请检查文件权限\n",
        before,
    )


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs of our own (root with mount permission only)."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)):
        pytest.skip("mounting a small tmpfs needs root and mount permission")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_an_import_onto_a_read_only_filesystem_exits_2_and_changes_nothing(small_disk, capsys):
    url = f"sqlite:///{small_disk / 'j.db'}"
    assert run_cli("init", "--db", url).returncode == 0  # another process: no file of ours stays open
    before = counts(url)
    assert _mount("-o", "remount,ro", str(small_disk))
    capsys.readouterr()
    assert cli.main(["import", str(WORKBOOK), "--db", url]) == 2
    err = capsys.readouterr().err
    assert _mount("-o", "remount,rw", str(small_disk))  # to count the rows (WAL readers need to write -shm)
    assert (err, counts(url)) == (
        f"错误：{url}：数据库文件只读，无法写入；请检查文件权限\n",
        before,
    )


def test_an_import_onto_a_full_disk_exits_2_and_changes_nothing(small_disk, capsys):
    url = f"sqlite:///{small_disk / 'j.db'}"
    assert cli.main(["init", "--db", url]) == 0
    before = counts(url)
    with (small_disk / "filler").open("wb") as f:  # take every free byte
        try:
            while True:
                f.write(b"\0" * (1 << 16))
                f.flush()
        except OSError:
            pass
    capsys.readouterr()
    assert cli.main(["import", str(WORKBOOK), "--db", url]) == 2
    err = capsys.readouterr().err
    (small_disk / "filler").unlink()
    assert (err, counts(url)) == (f"错误：{url}：磁盘空间已满，无法写入数据库；本次未做任何更改\n", before)


def test_a_database_that_fills_up_half_way_through_an_import_keeps_nothing(tmp_path, capsys, monkeypatch):
    """Without a small disk to mount: SQLite's max_page_count makes the file full a few pages on (SQLITE_FULL)."""
    url = f"sqlite:///{tmp_path / 'full.db'}"
    assert cli.main(["init", "--db", url]) == 0
    before = counts(url)
    make = db.make_engine

    def nearly_full(*args, **kwargs):
        engine = make(*args, **kwargs)

        @event.listens_for(engine, "connect")
        def cap(dbapi_conn, _record):
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

        return engine

    monkeypatch.setattr(db, "make_engine", nearly_full)
    capsys.readouterr()
    assert cli.main(["import", str(SEED), "--db", url, "--replace"]) == 2
    assert (capsys.readouterr().err, counts(url)) == (
        f"错误：{url}：磁盘空间已满，无法写入数据库；本次未做任何更改\n",
        before,
    )


@pytest.fixture(scope="module")
def server():
    srv = pg_server.Server()
    yield srv
    srv.remove()


@pytest.mark.db
@PG_ONLY
def test_a_postgresql_server_stopped_mid_import_exits_2_and_keeps_nothing(server, capsys, monkeypatch):
    url = server.url.rsplit("/", 1)[0] + f"/fault_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(server.url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"'))
    admin.dispose()
    assert cli.main(["init", "--db", url]) == 0
    before = counts(url)
    stored = write.store_report

    def store_then_stop(*args, **kwargs):
        result = stored(*args, **kwargs)
        args[0].flush()
        server.stop()  # every row flushed, the commit not yet sent: the server goes away now
        return result

    monkeypatch.setattr(ingest, "store_report", store_then_stop)
    capsys.readouterr()
    try:
        status = cli.main(["import", str(WORKBOOK), "--db", url])
    finally:
        server.start()
    err = capsys.readouterr().err
    monkeypatch.undo()
    after = counts(url)
    again = cli.main(["import", str(WORKBOOK), "--db", url])
    assert (status, err, after, again) == (
        2,
        f"错误：{url}：与数据库的连接已中断，本次操作未完成，未保存任何更改；请稍后重试\n",
        before,
        0,
    )
