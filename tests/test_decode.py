"""Unit: jixiao_core.decode (encodings, .docx, .pdf, and every bad input refused with a Chinese message)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_core.errors import InputError
from jixiao_core.reader import decode

TEXT = "雨花街道2023年项目资金450万元，完成率100%。\n二、项目单位绩效报告情况"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        ((TEXT + "𠀀").encode("gb18030"), "gb18030"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_text_in_each_encoding_decodes_and_records_it(data, encoding):
    doc = decode.decode("r.txt", data)
    assert (doc.fmt, doc.encoding) == ("txt", encoding)
    assert doc.text.startswith(TEXT)


def test_utf16_without_bom_is_recognised_by_its_clean_decoding():
    doc = decode.decode("r.txt", TEXT.encode("utf-16-le"))
    assert (doc.encoding, doc.text) == ("utf-16-le", TEXT)


def test_windows_newlines_become_unix_newlines():
    assert decode.decode("r.txt", "一\r\n二\r三".encode()).text == "一\n二\n三"


def test_sha256_is_of_the_bytes():
    assert (
        decode.decode("r.txt", b"abc").sha256
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(InputError) as err:
        decode.decode(name, data)
    assert err.value.file == name
    return err.value.message


def test_empty_file_is_refused():
    assert _refused("a.txt", b"") == "文件为空"


def test_binary_garbage_is_refused():
    assert "二进制" in _refused("a.txt", bytes(range(256)) * 40)


def test_text_with_replacement_characters_is_refused():
    assert "U+FFFD" in _refused("a.txt", "项目资金\ufffd\ufffd万元".encode())


def test_legacy_word_file_renamed_docx_is_refused_with_save_as_hint():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    assert _refused("雨花2023.docx", ole) == "不是 .docx 文件，请在 Word 中另存为 .docx 后再导入"


def test_image_renamed_txt_is_refused():
    assert "图片" in _refused("a.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def test_file_over_twenty_megabytes_is_refused_before_reading():
    assert "文件过大" in _refused("big.txt", b"a" * (50 * 1024 * 1024))


def test_zip_without_word_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "word/document.xml" in _refused("a.docx", buf.getvalue())


def test_broken_zip_is_refused():
    assert "压缩结构" in _refused("a.docx", b"PK\x03\x04" + b"\x00" * 100)


def test_zip_bomb_is_refused_from_its_declared_sizes():
    buf = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(101):
                member.write(chunk)
    assert len(buf.getvalue()) < 1024 * 1024
    assert "压缩炸弹" in _refused("bomb.docx", buf.getvalue())


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_tables_are_rows_with_merged_cells_written_once(tmp_path):
    def build(d):
        d.add_paragraph("一、基本情况")
        t = d.add_table(rows=3, cols=3)
        for k, text in enumerate(["指标", "年度目标", "完成值"]):
            t.cell(0, k).text = text
        t.cell(1, 0).merge(t.cell(2, 0)).text = "产出指标"
        t.cell(1, 1).merge(t.cell(1, 2)).text = "≥3000亩"
        t.cell(2, 1).text = "420户"
        t.cell(2, 2).text = "398户"

    path = tmp_path / "r.docx"
    path.write_bytes(_docx_bytes(build))
    doc = decode.decode("r.docx", path.read_bytes())
    assert doc.fmt == "docx"
    assert doc.text == "一、基本情况\n指标\t年度目标\t完成值\n产出指标\t≥3000亩\n\t420户\t398户"


def test_docx_nested_table_follows_its_row():
    def build(d):
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "外"
        t.cell(0, 1).add_table(rows=1, cols=2).cell(0, 0).text = "内"

    assert decode.decode("r.docx", _docx_bytes(build)).text == "外\t\n内\t"


def test_docx_automatic_numbering_is_rendered():
    def build(d):
        d.add_paragraph("第一项", style="List Number")
        d.add_paragraph("第二项", style="List Number")

    assert decode.decode("r.docx", _docx_bytes(build)).text == "1.第一项\n2.第二项"


def _pdf(content: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read():
    doc = decode.decode("r.pdf", _pdf(b"BT /F1 12 Tf 20 100 Td (Budget 450 wan yuan) Tj ET"))
    assert (doc.fmt, doc.text) == ("pdf", "Budget 450 wan yuan")


def test_pdf_ruled_table_becomes_tab_separated_rows_in_reading_order():
    grid = b"0 0 0 RG 1 w 20 150 m 220 150 l S 20 120 m 220 120 l S 20 90 m 220 90 l S "
    grid += b"20 150 m 20 90 l S 120 150 m 120 90 l S 220 150 m 220 90 l S "
    words = [
        (20, 170, b"Table 1"),
        (25, 130, b"Target"),
        (125, 130, b"Actual"),
        (25, 100, b"90"),
        (125, 100, b"95"),
    ]
    words.append((20, 60, b"Done"))
    text = b" ".join(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % w for w in words)
    assert decode.decode("t.pdf", _pdf(grid + text)).text == "Table 1\nTarget\tActual\n90\t95\nDone"


def test_scanned_pdf_without_text_is_refused():
    message = _refused("scan.pdf", _pdf(b"0 0 1 rg 10 10 100 100 re f"))
    assert message == "PDF 没有文字层（可能是扫描件），请提供带文字层的 PDF 或 .docx"


def test_broken_pdf_is_refused():
    assert "PDF" in _refused("r.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50)


def test_unwrap_joins_full_pdf_lines_but_not_headings():
    page = "（一）项目概况\n项目资金实际到位2856.4万元，实际支出2740.5\n万元，预算执行率95.94%。\n（二）项目绩效目标"
    assert decode.unwrap(page) == (
        "（一）项目概况\n项目资金实际到位2856.4万元，实际支出2740.5万元，预算执行率95.94%。\n（二）项目绩效目标"
    )


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0"]),
    st.binary(max_size=600),
)
def test_arbitrary_bytes_give_a_document_or_an_input_error(prefix, body):
    try:
        doc = decode.decode("x", prefix + body)
    except InputError:
        return
    assert isinstance(doc.text, str)
