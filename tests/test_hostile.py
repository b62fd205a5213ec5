"""Unit: hostile files (tests/hostile_files.py) — each refused with its one Chinese message, before any parser
reads it; the memory bound proven under RLIMIT_AS (times and peak memory: benchmarks/bench_hostile.py)."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from jixiao_core import archive, cli
from jixiao_core.errors import InputError, printable
from jixiao_core.selfeval import read_workbook
from jixiao_core.selfeval.grid import check_archive
from jixiao_core.store import ingest
from tests import hostile_files as H

ROOT = Path(__file__).resolve().parent.parent
XLSX_PARTS = sorted(H.workbook_parts())
DOCX_XML_PARTS = sorted(p for p in H.docx_parts() if p.endswith((".xml", ".rels")))


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(InputError) as err:
        ingest.parse_any(name, data)
    return str(err.value)


def expected(h: H.Hostile, data: bytes) -> str:
    message = h.message
    if h.key == "high_ratio_shared_strings":  # its ratio is whatever deflate made of it
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("xl/sharedStrings.xml")
        message = message.format(mb=info.file_size >> 20, ratio=info.file_size // info.compress_size)
    if h.key == "many_members":  # 50,000 entries of 46 bytes and a name of 10 to 14
        message = message.format(kb=archive.directory_size(data) // 1024)
    return f"{printable(h.name)}：{message}"


@pytest.mark.parametrize("h", H.CORPUS, ids=lambda h: h.key)
def test_hostile_file_is_refused_with_its_message(h):
    data = h.build(False)
    assert refusal(h.name, data) == expected(h, data)


@pytest.mark.parametrize("part", XLSX_PARTS)
def test_an_entity_declaration_in_any_workbook_part_is_refused_before_parsing(part):
    message = refusal("实体.xlsx", H.with_dtd(H.workbook_parts(), part))
    assert message == f"实体.xlsx：部件 {part} 含有 DTD 或实体声明（可能是 XML 实体炸弹），拒绝读取"


@pytest.mark.parametrize("part", DOCX_XML_PARTS)
def test_an_entity_declaration_in_any_docx_part_is_refused_before_parsing(part):
    message = refusal("实体.docx", H.with_dtd(H.docx_parts(), part))
    assert message == f"实体.docx：部件 {part} 含有 DTD 或实体声明（可能是 XML 实体炸弹），拒绝读取"


def test_the_generated_parts_read_as_a_workbook_and_a_document_before_the_dtd_goes_in():
    """The corpus's base files are sound: what refuses them is the hostile change alone."""
    table = read_workbook("好.xlsx", H.pack(H.workbook_parts()))
    report = ingest.parse_any("好.docx", H.pack(H.docx_parts()))
    assert (table.rows, report.unit_name, report.project_name, report.year) == (
        [],
        "雨花街道办事处",
        "街道工作经费",
        2023,
    )


def test_rows_are_counted_whatever_the_prefix_of_their_tags():
    for prefix in (b"", b"x:", b"ns0:", b"spreadsheet-ml:"):
        assert refusal("a.xlsx", H.rows(50_001, prefix)) == "a.xlsx：工作表“Sheet”超过 50000 行上限，拒绝读取"
    assert check_archive("b.xlsx", H.rows(50_000, b"x:")) is None  # 50,000 rows pass the guard


def test_a_sheet_of_too_many_elements_is_refused_before_parsing():
    parts = H.workbook_parts()
    sheet = b'<worksheet xmlns="%s"><sheetData><row r="1">%s</row></sheetData></worksheet>'
    wide = sheet % (H.SPREADSHEET_NS, b"<c/>" * 3_000_001)
    data = H.pack({**parts, "xl/worksheets/sheet1.xml": wide}, zipfile.ZIP_STORED)  # no ratio to give it away
    assert refusal("宽.xlsx", data) == (
        "宽.xlsx：XML 元素超过 3,000,000 个（在部件 xl/worksheets/sheet1.xml 中），内容过多，拒绝读取"
    )


def test_a_name_with_control_characters_is_shown_escaped_on_one_line():
    assert printable(H.EVIL_NAME) == "报告\\x1b[2J\\x0a<img src=x onerror=alert(1)>.txt"


def test_the_command_line_names_a_hostile_file_on_one_escaped_line(tmp_path, capsys):
    path = tmp_path / H.EVIL_NAME
    path.write_bytes(b"\x00" * 1024)
    assert cli.main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "错误：报告\\x1b[2J\\x0a<img src=x onerror=alert(1)>.txt："
        "文件含有二进制数据（NUL 字节），不是文本文件，也不是 .docx 或 PDF\n"
    )


def test_a_zip_of_more_members_than_allowed_is_refused_from_its_listing():
    data = H.many_members(10_001)  # a directory small enough to list, a member too many
    assert refusal("部件.xlsx", data) == "部件.xlsx：压缩包内有 10001 个部件，超过 10000 个上限，拒绝读取"
    assert archive.directory_size(data) == 10_001 * 46 + sum(len(f"xl/m{i}.xml") for i in range(10_001))


def test_a_60_mb_file_is_refused_from_its_size_without_being_read(tmp_path, capsys):
    path = tmp_path / "超长.txt"
    with path.open("wb") as f:
        f.truncate(60 * H.MB)  # sparse: nothing to read, so only the size can refuse it
    assert cli.main(["parse", str(path)]) == 2
    assert capsys.readouterr().err == "错误：超长.txt：文件过大（60.0 MB），上限为 20 MB\n"


LIMIT_AS = 200 * H.MB
REFUSE = "import sys; from jixiao_core.store import ingest\ntry:\n    ingest.parse_any(sys.argv[1], open(sys.argv[2], 'rb').read())\nexcept Exception as e:\n    print(type(e).__name__, e)"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


@pytest.mark.parametrize("key", ["zip_bomb_docx", "rows_300k_prefixed", "many_shared_strings"])
def test_a_refusal_fits_in_200_mb_of_address_space(tmp_path, key):
    h = H.BY_KEY[key]
    path = tmp_path / "hostile"
    path.write_bytes(h.build(False))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}
    proc = subprocess.run(
        [sys.executable, "-c", REFUSE, h.name, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        preexec_fn=_limited,
        timeout=120,
    )
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (0, f"InputError {h.name}：{h.message}", "")
