"""Unit: the batch import on the 数据管理 page (ui.batch) and the .zip guard behind it (store.archive)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.store import archive, ingest
from tests.test_batch import SEED, variant
from tests.test_pages import app, assert_clean, frame, router_mode  # noqa: F401 - router_mode is a fixture


def _zip(members: dict[str, bytes], flags: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.flag_bits |= flags
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _has(at, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def _wait_for_outcomes(at, key: str, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        at.run()
        if _has(at, key):
            return at
        time.sleep(0.5)
    raise AssertionError("the batch did not finish")


def test_data_admin_imports_a_zip_and_a_loose_file_in_the_background_and_lists_each_outcome(
    monkeypatch, db_url
):
    at = app(monkeypatch, db_url, "pages/data_admin.py")
    folder = _zip({"街道/第5街道.txt": variant(5).encode(), "街道/第6街道.txt": variant(6).encode("gb18030")})
    at.file_uploader(key="admin_batch_files").set_value(
        [("区里的报告.zip", folder, "application/zip"), ("空.txt", b"", "text/plain")]
    )
    at.run()
    at.button(key="admin_batch_start").click().run()
    _wait_for_outcomes(at, "admin_batch_outcomes")

    assert_clean_but_warning(at)
    table = frame(at, "admin_batch_outcomes")
    assert table[["文件", "单位", "年度", "结果", "原因"]].astype(object).where(
        table.notna(), None
    ).values.tolist() == [
        ["区里的报告/街道/第5街道.txt", "第5街道办事处", 2023, "已导入", None],
        ["区里的报告/街道/第6街道.txt", "第6街道办事处", 2023, "已导入", None],
        ["空.txt", None, None, "未导入", "文件为空"],
    ]
    (summary,) = [w.value for w in at.warning]
    assert summary.startswith("共 3 个文件：新导入 2，已存在 0，替换 0，未导入 1；指标 188 条")
    assert _has(at, "admin_batch_download")
    runs = frame(at, "admin_batches")
    assert runs[["文件或文件夹", "状态", "文件数", "新导入", "已存在", "替换", "未导入"]].values.tolist() == [
        ["区里的报告.zip、空.txt", "已完成", 3, 2, 0, 0, 1]
    ]
    history = frame(at, "admin_history")
    assert {"第5街道.txt", "第6街道.txt"} <= set(history["文件名"])


def assert_clean_but_warning(at) -> None:
    """No exception and no error box (the summary is a warning because one file was refused)."""
    assert ([e.value for e in at.exception], [e.value for e in at.error]) == ([], [])


def test_data_admin_refuses_a_zip_that_climbs_out_of_its_folder(monkeypatch, db_url):
    at = app(monkeypatch, db_url, "pages/data_admin.py")
    at.file_uploader(key="admin_batch_files").set_value(
        [("坏.zip", _zip({"../逃逸.txt": b"x"}), "application/zip")]
    )
    at.run()
    at.button(key="admin_batch_start").click().run()
    assert [e.value for e in at.error] == ["坏.zip：压缩包内的路径不安全（'../逃逸.txt'），已拒绝"]
    assert not _has(at, "admin_batch_outcomes")


@pytest.mark.parametrize(
    "members, message",
    [
        ({"/etc/x.txt": b"x"}, "压缩包内的路径不安全（'/etc/x.txt'），已拒绝"),
        ({"a/../../x.txt": b"x"}, "压缩包内的路径不安全（'a/../../x.txt'），已拒绝"),
        ({"C:\\x.txt": b"x"}, "压缩包内的路径不安全（'C:/x.txt'），已拒绝"),
        ({"炸弹.txt": b"0" * (3 * 1024 * 1024)}, "压缩包内的 炸弹.txt 压缩比异常（疑似压缩炸弹），已拒绝"),
    ],
)
def test_a_zip_with_unsafe_paths_or_a_bomb_is_refused_before_anything_is_written(tmp_path, members, message):
    with pytest.raises(InputError) as err:
        archive.unpack("a.zip", _zip(members), tmp_path / "a")
    assert err.value.message == message
    assert list(tmp_path.iterdir()) == []


def test_a_zip_with_too_many_files_or_a_link_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 2)
    with pytest.raises(InputError, match="压缩包内文件过多（3 个），上限为 2 个"):
        archive.unpack("a.zip", _zip({f"{n}.txt": b"x" for n in range(3)}), tmp_path / "a")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = 0o120777 << 16  # a symbolic link
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(InputError, match="压缩包内含符号链接（link.txt），已拒绝"):
        archive.unpack("b.zip", buf.getvalue(), tmp_path / "b")


def test_a_zip_keeps_its_folders_and_reads_gbk_names_from_chinese_windows(tmp_path):
    gbk = "街道/河西.txt".encode("gbk")
    placeholder = (
        b"A" * 4 + b"/" + b"B" * 4 + b".txt"
    )  # as long as the GBK name, and plain ASCII (no UTF-8 flag)
    raw = _zip({"报告/雨花.txt": b"a", placeholder.decode(): b"b"}).replace(placeholder, gbk)
    folder = archive.unpack("区县.zip", raw, tmp_path / "区县")
    found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert found == ["报告/雨花.txt", "街道/河西.txt"]


def test_a_damaged_zip_is_refused(tmp_path):
    with pytest.raises(InputError, match="压缩包已损坏或不是 .zip 文件"):
        archive.unpack("a.zip", b"PK\x03\x04 not really", tmp_path / "a")


def test_indicator_tables_badge_the_figures_read_from_a_scanned_page(monkeypatch, db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    parsed = ingest.read_bytes("雨花_扫描.pdf", SEED.read_bytes())
    parsed.report.indicators[0].ocr = True  # as if its page had been a scan: the badge follows the flag
    with actor.operating(role="clerk"), Session(engine) as s, s.begin():
        ingest.store_parsed(s, parsed)
    at = app(monkeypatch, db_url, "pages/indicators.py")
    assert_clean(at)
    targets = frame(at, "ind_targets")
    assert targets[["指标", "完成值"]].values.tolist()[:2] == [
        ["一般公共预算收入", "9.67亿元 〔OCR〕"],
        ["规模以上固定资产投资", "17.06亿元"],
    ]
