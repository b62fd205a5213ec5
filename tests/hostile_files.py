"""The hostile-file corpus, generated (never checked in): each file with the one Chinese message it must end in.

tests/test_hostile.py asserts the messages; benchmarks/bench_hostile.py times each refusal and measures its memory.
The builders keep to what a test can afford; `full=True` gives the sizes reported in issue 15 (a 99 MB shared-strings
part, 101 MB zip bomb) for the benchmark.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import docx
import xlsxwriter

MB = 1 << 20
DTD = b'<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
SPREADSHEET_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# a control character, a newline and an escape sequence, then HTML: the name a message must show as text
EVIL_NAME = "报告\x1b[2J\n<img src=x onerror=alert(1)>.txt"


def pack(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def workbook_parts() -> dict[str, bytes]:
    """Return the parts of a small 自评表-headed workbook with a shared-strings part (as Excel writes it)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    wb.add_worksheet("Sheet").write_row(
        0, 0, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    )
    wb.close()
    return unpack(buf.getvalue())


def docx_parts() -> dict[str, bytes]:
    document = docx.Document()
    document.add_paragraph("雨花街道办事处2023年度街道工作经费项目支出绩效评价报告")
    buf = io.BytesIO()
    document.save(buf)
    return unpack(buf.getvalue())


def with_dtd(parts: dict[str, bytes], part: str) -> bytes:
    """Return the archive with an entity-expansion DTD declared at the head of `part`."""
    data = parts[part]
    at = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
    return pack({**parts, part: data[:at] + DTD + data[at:]})


def shared_strings(body: bytes, count: int) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%s" count="%d" uniqueCount="%d">'
    return head % (SPREADSHEET_NS, count, count) + body + b"</sst>"


def high_ratio_strings(mb: int) -> bytes:
    """A workbook whose shared strings unpack to `mb` MB of one repeated tiny string (issue 15: 241 KB → 99 MB)."""
    n = mb * MB // 17
    return pack({**workbook_parts(), "xl/sharedStrings.xml": shared_strings(b"<si><t>a</t></si>" * n, n)})


def many_strings(n: int) -> bytes:
    """A workbook of `n` distinct shared strings, packed at an ordinary ratio."""
    body = b"".join(b"<si><t>%d</t></si>" % i for i in range(n))
    return pack({**workbook_parts(), "xl/sharedStrings.xml": shared_strings(body, n)})


def rows(n: int, prefix: bytes = b"") -> bytes:
    """A workbook whose one sheet holds `n` rows, its tags written with `prefix` (b"x:" → <x:row>), no <dimension>."""
    p = prefix
    xmlns = b'xmlns:%s="%s"' % (p[:-1], SPREADSHEET_NS) if p else b'xmlns="%s"' % SPREADSHEET_NS
    body = b"".join(
        b'<%srow r="%d"><%sc r="A%d"><%sv>%d</%sv></%sc></%srow>' % (p, i, p, i, p, i, p, p, p)
        for i in range(1, n + 1)
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><%sworksheet %s><%ssheetData>%s</%ssheetData></%sworksheet>'
    )
    return pack({**workbook_parts(), "xl/worksheets/sheet1.xml": sheet % (p, xmlns, p, body, p, p)})


def overlapping_merges(rows: int = 1000, merges: int = 5000) -> bytes:
    """A sheet whose merged ranges each cover the whole sheet, again and again (5,000 × 200,000 cells to fill)."""
    body = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, rows + 1))
    ranges = b'<mergeCell ref="A1:GR%d"/>' % rows * merges
    sheet = b'<worksheet xmlns="%s"><sheetData>%s</sheetData><mergeCells>%s</mergeCells></worksheet>'
    return pack({**workbook_parts(), "xl/worksheets/sheet1.xml": sheet % (SPREADSHEET_NS, body, ranges)})


def utf16_sheet() -> bytes:
    parts = workbook_parts()
    text = parts["xl/worksheets/sheet1.xml"].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return pack({**parts, "xl/worksheets/sheet1.xml": text.encode("utf-16")})


def zip_bomb(member: str, mb: int) -> bytes:
    """A zip whose `member` inflates to `mb` MB of zeros (declared sizes true, so only they give it away)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(member, "w", force_zip64=True) as out:
        chunk = b"\0" * MB
        for _ in range(mb):
            out.write(chunk)
    return buf.getvalue()


def many_members(n: int) -> bytes:
    """A zip of `n` empty members (each costs time to list, open and scan)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(f"xl/m{i}.xml", b"")
    return buf.getvalue()


def blank_pdf() -> bytes:
    """A one-page PDF with neither text nor image."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def long_text(mb: int) -> bytes:
    return ("绩效" * (mb * MB // 6)).encode("utf-8")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)


@dataclass(frozen=True)
class Hostile:
    """One hostile file: how to make it (small for tests, `full` for the benchmark) and the message it ends in."""

    key: str
    name: str
    build: Callable[[bool], bytes]
    message: str


CORPUS = (
    Hostile(
        "zip_bomb_xlsx",
        "炸弹.xlsx",
        lambda full: zip_bomb("xl/worksheets/sheet1.xml", 101),
        "解压后约 101 MB，超过 100 MB 上限（可能是压缩炸弹），拒绝读取",
    ),
    Hostile(
        "zip_bomb_docx",
        "炸弹.docx",
        lambda full: zip_bomb("word/document.xml", 101),
        "解压后约 101 MB，超过 100 MB 上限（可能是压缩炸弹），拒绝读取",
    ),
    Hostile(
        "high_ratio_shared_strings",
        "共享字符串.xlsx",
        lambda full: high_ratio_strings(99 if full else 5),
        "部件 xl/sharedStrings.xml 解压后约 {mb} MB，压缩比 {ratio} 倍，超过 100 倍上限（可能是压缩炸弹），拒绝读取",
    ),
    Hostile(
        "many_shared_strings",
        "字符串多.xlsx",
        lambda full: many_strings(200_001),
        "共享字符串超过 200000 条上限，拒绝读取",
    ),
    Hostile(
        "many_members",
        "部件多.xlsx",
        lambda full: many_members(150_000 if full else 50_000),
        "压缩包内部件过多（目录 {kb} KB），超过 10000 个部件的上限，拒绝读取",
    ),
    Hostile(
        "rows_300k", "三十万行.xlsx", lambda full: rows(300_000), "工作表“Sheet”超过 50000 行上限，拒绝读取"
    ),
    Hostile(
        "rows_300k_prefixed",
        "三十万行x.xlsx",
        lambda full: rows(300_000, b"x:"),
        "工作表“Sheet”超过 50000 行上限，拒绝读取",
    ),
    Hostile(
        "overlapping_merges",
        "合并.xlsx",
        lambda full: overlapping_merges(),
        "工作表“Sheet”的合并单元格相互重叠、覆盖的单元格过多，拒绝读取",
    ),
    Hostile(
        "entity_in_workbook_xml",
        "实体.xlsx",
        lambda full: with_dtd(workbook_parts(), "xl/workbook.xml"),
        "部件 xl/workbook.xml 含有 DTD 或实体声明（可能是 XML 实体炸弹），拒绝读取",
    ),
    Hostile(
        "utf16_sheet",
        "编码.xlsx",
        lambda full: utf16_sheet(),
        "部件 xl/worksheets/sheet1.xml 的 XML 编码不受支持（应为 UTF-8），请在 Office 中重新保存",
    ),
    Hostile("doc", "报告.doc", lambda full: OLE, "不是 .docx 文件，请在 Word 中另存为 .docx 后再导入"),
    Hostile("xls", "自评表.xlsx", lambda full: OLE, "是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"),
    Hostile(
        "gbk_text_named_xlsx",
        "自评表2023.xlsx",
        lambda full: "项目名称,三级指标,年度指标值\n街道工作经费,一般公共预算收入,8.64亿元\n".encode("gbk"),
        "不是有效的 .xlsx 工作簿（文件不是 zip 格式），请在 Excel 中另存为 .xlsx 后再导入",
    ),
    Hostile(
        "pdf_without_text",
        "空白.pdf",
        lambda full: blank_pdf(),
        "PDF 没有文字层（可能是扫描件），请提供带文字层的 PDF 或 .docx",
    ),
    Hostile("text_60mb", "超长.txt", lambda full: long_text(60), "文件过大（60.0 MB），上限为 20 MB"),
    Hostile(
        "name_with_control_characters_and_html",
        EVIL_NAME,
        lambda full: b"\x00" * 1024,
        "文件含有二进制数据（NUL 字节），不是文本文件，也不是 .docx 或 PDF",
    ),
)
BY_KEY = {h.key: h for h in CORPUS}
