"""Unit: writers take turns (db.writer, db.take_turn) — while another write holds the database, a writer says it is
waiting and then goes on, instead of failing with "database is locked"; past JIXIAO_WRITE_WAIT it gives up with a
Chinese message and writes nothing. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jixiao_core import cli, db
from jixiao_core.accounts import actor
from jixiao_core.errors import DatabaseBusy, mask_password
from jixiao_core.store import ingest

FIXTURES = Path(__file__).parent / "fixtures"
WORKBOOK = FIXTURES / "workbooks" / "clean_national.xlsx"


class Holder(threading.Thread):
    """A write transaction that takes the turn and keeps it until `release` is set (never, unless told)."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.held, self.release = engine, threading.Event(), threading.Event()

    def run(self) -> None:
        with Session(db.writer(self.engine)) as s, s.begin():
            db.take_turn(s)
            self.held.set()
            self.release.wait(timeout=60)

    def __enter__(self):
        self.start()
        assert self.held.wait(timeout=30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.join(timeout=30)


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return ingest.table_counts(s)


def import_workbook(engine) -> str:
    with actor.operating(role="clerk", name="张三"), Session(db.writer(engine)) as s, s.begin():
        return ingest.import_file(s, WORKBOOK).status


def test_a_writer_waits_its_turn_behind_another_write_and_says_so(engine):
    db.upgrade(engine)
    told: list[str] = []
    with Holder(engine) as holder:

        def tell(notice: str) -> None:  # the waiting writer's notice is what lets the other write finish
            told.append(notice)
            holder.release.set()

        with db.notices(tell):
            status = import_workbook(engine)
    assert (status, told, counts(engine)["project_year"]) == ("stored", ["数据库正忙，等待其他写入完成…"], 1)


def test_a_writer_gives_up_after_its_wait_and_writes_nothing(db_url):
    engine = db.make_engine(db_url, write_wait=1)
    db.upgrade(engine)
    before = counts(engine)
    with Holder(engine), pytest.raises(DatabaseBusy) as err:
        import_workbook(engine)
    assert (
        str(err.value)
        == f"{mask_password(db_url)}：数据库正忙：等待其他写入超过 1 秒，本次未做任何更改；请稍后重试"
    )
    assert counts(engine) == before
    engine.dispose()


def test_a_writer_alone_takes_its_turn_without_a_word(engine):
    db.upgrade(engine)
    told: list[str] = []
    with db.notices(told.append):
        status = import_workbook(engine)
    assert (status, told) == ("stored", [])


def test_the_command_line_prints_the_notice_once_on_stderr_and_imports(db_url, capsys, monkeypatch):
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    with Holder(engine) as holder:
        printing = cli._once_to_stderr()

        def tell(notice: str) -> None:
            printing(notice)
            holder.release.set()

        monkeypatch.setattr(cli, "_once_to_stderr", lambda: tell)
        status = cli.main(["import", str(WORKBOOK), "--db", db_url])
    out, err = capsys.readouterr()
    assert (status, out, err) == (
        0,
        "clean_national.xlsx：已导入（第 1 版），指标 9 条，核查发现 5 条\n",
        "数据库正忙，等待其他写入完成…\n",
    )
    engine.dispose()


def test_reads_never_wait_for_a_writer(engine):
    ingest.init(engine)
    with Holder(engine), Session(engine) as s:  # a plain Session reads beside the held write turn
        assert ingest.table_counts(s)["project_year"] == 1
