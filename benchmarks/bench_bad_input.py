"""Benchmark: how long each kind of bad input takes to be refused (target ≤ 2 s each), end to end through the CLI path.

Run: .venv/bin/python benchmarks/bench_bad_input.py
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jixiao_core.errors import InputError  # noqa: E402
from jixiao_core.store import ingest

WORKBOOKS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "workbooks"


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    return buf.getvalue()


def _rows(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    for i in range(n):
        ws.append(["产出指标", "数量指标", f"指标{i}", 1, 1, 1, 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cases() -> list[tuple[str, str, bytes]]:
    return [
        ("empty file", "空.txt", b""),
        ("binary garbage", "乱码.txt", bytes(range(256)) * 400),
        (".doc renamed .docx", "旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096),
        ("zip bomb", "炸弹.docx", _zip_bomb()),
        ("50 MB of text", "超长.txt", ("绩效" * (25 * 1024 * 1024)).encode("utf-8")),
        ("no structure", "无结构.txt", ("今天天气很好，我们去公园散步。" * 200).encode("utf-8")),
        ("workbook: wrong layout", "wrong_layout.xlsx", (WORKBOOKS / "wrong_layout.xlsx").read_bytes()),
        ("workbook: formulas uncached", "f.xlsx", (WORKBOOKS / "formulas_uncached.xlsx").read_bytes()),
        ("workbook: text in numbers", "t.xlsx", (WORKBOOKS / "text_in_numbers.xlsx").read_bytes()),
        ("workbook: 100k rows", "大.xlsx", _rows(100_000)),
        ("workbook: not a zip", "假.xlsx", b"PK\x03\x04 not really a zip" * 10),
    ]


def main() -> None:
    worst = 0.0
    for label, name, data in cases():
        t0 = time.perf_counter()
        try:
            ingest.table_for_file(name, data) if name.endswith(".xlsx") else ingest.parse_any(name, data)
            outcome = "ACCEPTED (unexpected)"
        except InputError as e:
            outcome = str(e)[:60]
        ms = 1000 * (time.perf_counter() - t0)
        worst = max(worst, ms)
        print(f"{label:28s} {ms:8.1f} ms  {outcome}")
    print(f"worst case: {worst:.0f} ms (target ≤ 2000 ms)")


if __name__ == "__main__":
    main()
