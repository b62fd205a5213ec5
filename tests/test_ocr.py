"""Unit: scanned PDF pages read by OCR (reader.ocr, reader.ocr_layout, decode) — values, spans, unsure pages."""

from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path

import pdfplumber
import pytest

from jixiao_core import facts
from jixiao_core import reader as report
from jixiao_core.errors import InputError
from jixiao_core.reader import decode, ocr
from jixiao_core.reader.ocr_layout import Box, confidence, page_text
from jixiao_core.store import ingest
from tests.scan_support import image_pdf, layout, scanned_page

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "reports" / "yuhua_2023.txt"


def _flat(text: str) -> str:
    return "".join(text.split())


def _key(actual, unit) -> tuple:
    return (None if actual is None else float(actual), unit)


@pytest.fixture(scope="module")
def seed_page():
    """Page 2 of the seed report as a degraded scan: its text as laid out, and the report read back by OCR."""
    pdf, text = scanned_page(SEED.read_text(encoding="utf-8"), page=2)
    return text, ingest.read_bytes("雨花_扫描.pdf", pdf).report


@pytest.mark.slow
def test_ocr_of_a_scanned_seed_page_reads_nine_in_ten_of_its_indicators_with_value_and_unit(seed_page):
    text, rep = seed_page
    curated = json.loads((FIXTURES / "expected" / "yuhua_2023.json").read_text())["indicators"]
    on_page = [_key(e["actual"], e["unit"]) for e in curated if _flat(e["quote"]) in _flat(text)]
    unread = [_key(i.actual, i.unit) for i in rep.indicators]
    found = 0
    for key in on_page:
        if key in unread:
            unread.remove(key)
            found += 1
    assert len(on_page) == 34
    assert found >= math.ceil(0.9 * len(on_page)), (found, len(on_page))


@pytest.mark.slow
def test_every_indicator_of_a_scanned_page_is_marked_and_keeps_its_span_in_the_ocr_text(seed_page):
    _text, rep = seed_page
    out = facts.report_json(rep)
    assert (out["ocr_pages"], out["ocr_low_confidence_pages"]) == ([1], [])
    assert {i.get("ocr") for i in out["indicators"]} == {True}
    assert all(rep.source.text[i.span[0] : i.span[1]] == i.text for i in rep.indicators)
    assert rep.source.ocr_spans == ((0, len(rep.source.text)),)


def _boxes(*rows: tuple[float, float, str], score: float = 0.99) -> list[Box]:
    """Boxes one character high (20 px), 20 px per character, from (x, y, text)."""
    return [Box(x, y, x + 20 * len(t), y + 20, t, score) for x, y, t in rows]


def test_wrapped_rows_are_glued_and_an_indented_row_starts_a_paragraph():
    boxes = _boxes(
        (40, 0, "一、基本情况"),
        (40, 30, "（一）项目概况。完成征地拆迁20"),
        (0, 60, "86户，培训8000余人次。"),
        (40, 90, "二、绩效目标"),
    )
    # the first row stops short of the right margin, so the heading stays a paragraph of its own
    assert (
        page_text(boxes)[0]
        == "一、基本情况\n（一）项目概况。完成征地拆迁2086户，培训8000余人次。\n二、绩效目标"
    )


def test_fullwidth_figures_become_ascii_and_a_centred_page_number_is_left_out():
    boxes = _boxes((0, 0, "收入９．６７亿元，完成率１１１．９２％，全部完成任务"), (200, 60, "- 3 -"))
    text, _conf, rows = page_text(boxes)
    assert text == "收入9.67亿元，完成率111.92%，全部完成任务"
    assert rows[-1] == "- 3 -"


def test_page_confidence_weighs_each_box_by_its_characters_and_counts_empty_boxes():
    boxes = [Box(0, 0, 200, 20, "一二三四五六七八九十", 1.0), Box(0, 30, 200, 50, "", 0.0)]
    assert confidence(boxes) == 0.5  # the unreadable box is as wide as ten characters


def _two_scanned_pages() -> bytes:
    from PIL import Image

    return image_pdf([Image.new("L", (120, 170), 255), Image.new("L", (120, 170), 255)], dpi=20)


def test_an_unsure_page_is_listed_and_left_unread_while_the_sure_one_is_read(monkeypatch):
    read = [
        ocr.PageText(1, SEED.read_text(encoding="utf-8")[:3000], 0.99),
        ocr.PageText(2, "收入9.87亿元", 0.80),
    ]
    monkeypatch.setattr(ocr, "missing", lambda: None)
    monkeypatch.setattr(ocr, "read_pages", lambda data, pages: read)
    doc = decode.decode("扫描.pdf", _two_scanned_pages())
    assert (doc.ocr_pages, doc.ocr_low_pages, doc.ocr_spans) == ((1,), (2,), ((0, 3000),))
    assert "9.87" not in doc.text
    rep = ingest.enrich(report.parse_source(doc))
    assert [(f.kind, f.message) for f in rep.findings if f.kind == "ocr_low_confidence"] == [
        ("ocr_low_confidence", "第 2 页为扫描页，文字识别置信度低，未读取其中的数字；请对照原件人工核对")
    ]


def test_a_scan_whose_every_page_is_unsure_is_refused_with_the_page_numbers(monkeypatch):
    monkeypatch.setattr(ocr, "missing", lambda: None)
    monkeypatch.setattr(ocr, "read_pages", lambda data, pages: [ocr.PageText(p, "模糊", 0.6) for p in pages])
    with pytest.raises(InputError) as err:
        decode.decode("模糊.pdf", _two_scanned_pages())
    assert err.value.message == (
        "扫描件文字识别置信度低（第 1、2 页），未读取；请提供更清晰的扫描件（建议 300 dpi）或带文字层的 PDF"
    )


def test_without_the_ocr_engine_a_scan_is_refused_saying_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(InputError) as err:
        decode.decode("扫描.pdf", _two_scanned_pages())
    assert err.value.message == (
        f"PDF 没有文字层（扫描件，第 1、2 页）；{ocr.INSTALL_HINT}（未安装 rapidocr_onnxruntime）"
    )
    assert "pip install --no-deps rapidocr-onnxruntime==1.4.4" in err.value.message


def test_the_test_scan_has_no_text_layer_and_holds_the_laid_out_page():
    pages, texts = layout("一、基本情况\n" + "完成征地拆迁2086户。" * 3)
    assert len(pages) == len(texts) == 1
    assert texts[0].splitlines()[0] == "一、基本情况"
    with pdfplumber.open(io.BytesIO(image_pdf(pages))) as pdf:
        assert (pdf.pages[0].extract_text(), len(pdf.pages[0].images)) == ("", 1)
