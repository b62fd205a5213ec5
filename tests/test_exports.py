"""Unit: exports (exports_pptx, exports_xlsx, exports_pdf, exports.build) and `python -m jixiao_core export`.

Every export is built from a database made by `ingest.init` (the seed, 2023) plus a stored 2022 variant
carrying hostile text, then reopened and checked cell by cell, series by series, line by line.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from sqlalchemy.orm import Session

from jixiao_core import config, db, facts
from jixiao_core.errors import InputError
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import exports
from jixiao_core.meeting import pdf as exports_pdf
from jixiao_core.meeting.workbook import safe_text
from jixiao_core.store import dataset, ingest
from jixiao_core.store.write import Origin, store_report

ROOT = Path(__file__).resolve().parent.parent
UNIT = "雨花街道办事处"
HOSTILE_NAME = "=1+2"
HOSTILE_FINDING = "＋cmd|' /C calc'!A0 <b>粗体</b>"
SLIDE_TITLES = [
    "雨花街道办事处 2023年度 街道工作经费",
    "核心指标一览",
    "项目资金",
    "分领域完成情况",
    "未完成目标与核查发现",
    "辖区社区",
    "自评得分",
    "存在问题与下一步",
]
MISSED = (
    "规模以上固定资产投资",
    "招商引资省外到位资金",
    "重精患者在册在管",
    "区级问题清单化解",
    "强制垃圾分类示范小区建成",
)


def _store_2022_variant(engine) -> None:
    """Store the seed again as 2022 with other funds, an indicator named =1+2 and a finding full of markup."""
    rep = dataset.load(config.BUNDLED_DATASETS[0]).report
    rep.year = 2022
    rep.funds = facts.Funds(budget=Decimal(4000000), arrived=Decimal(4000000), spent=Decimal(3600000))
    rep.indicators[0].name = HOSTILE_NAME
    rep.findings = [facts.Finding("claim_contradicted", "warning", HOSTILE_FINDING, [0])]
    with Session(engine) as s, s.begin():
        store_report(s, rep, Origin("report", "variant.txt", "f" * 64, "document"))


@pytest.fixture(scope="module")
def url(new_db_url) -> str:
    url = new_db_url("exports")
    engine = db.make_engine(url)
    ingest.init(engine)
    _store_2022_variant(engine)
    engine.dispose()
    return url


def _build(url: str, year: int, fmt: str) -> bytes:
    engine = db.make_engine(url)
    with Session(engine) as s:
        data = exports.build(s, UNIT, year, fmt)
    engine.dispose()
    return data


@pytest.fixture(scope="module")
def brief(url) -> briefing.Brief:
    engine = db.make_engine(url)
    with Session(engine) as s:
        return briefing.brief(s, UNIT, 2023)


@pytest.fixture(scope="module")
def deck(url):
    return Presentation(io.BytesIO(_build(url, 2023, "pptx")))


@pytest.fixture(scope="module")
def book(url):
    return openpyxl.load_workbook(io.BytesIO(_build(url, 2023, "xlsx")))


@pytest.fixture(scope="module")
def pdf_path(url, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "brief.pdf"
    path.write_bytes(_build(url, 2023, "pdf"))
    return path


def _charts(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def _values(chart) -> list[tuple]:
    return [tuple(s.values) for s in chart.plots[0].series]


def test_deck_has_the_eight_meeting_slides_in_order(deck):
    assert [s.shapes.title.text_frame.text for s in deck.slides] == SLIDE_TITLES
    assert (deck.slide_width, deck.slide_height) == (12191695, 6858000)  # 16:9


def test_each_slide_carries_its_native_chart_types(deck):
    types = [[c.chart_type for c in _charts(s)] for s in deck.slides]
    assert types == [
        [],
        [XL_CHART_TYPE.DOUGHNUT],
        [XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.LINE_MARKERS],
        [XL_CHART_TYPE.BAR_STACKED],
        [XL_CHART_TYPE.BAR_CLUSTERED],
        [XL_CHART_TYPE.PIE, XL_CHART_TYPE.COLUMN_CLUSTERED],
        [XL_CHART_TYPE.COLUMN_STACKED],
        [],
    ]


def test_funds_chart_shows_budget_arrived_and_spent_in_wan(deck):
    column, line = _charts(deck.slides[2])
    assert tuple(column.plots[0].categories) == ("全年预算", "到位资金", "实际支出")
    assert _values(column) == [(450.0, 450.0, 450.0)]
    assert tuple(line.plots[0].categories) == ("2022年", "2023年")
    assert _values(line) == [(400.0, 450.0), (360.0, 450.0)]


def test_area_chart_counts_met_missed_and_untargeted_per_area(deck):
    (chart,) = _charts(deck.slides[3])
    assert [s.name for s in chart.plots[0].series] == ["达标", "未达标", "未设目标"]
    met, missed, untargeted = _values(chart)
    assert met == (2, 0, 0, 0, 0, 0, 0, 0)
    assert missed == (2, 0, 0, 0, 1, 1, 1, 0)
    assert [m + x + u for m, x, u in zip(met, missed, untargeted, strict=True)] == [9, 7, 7, 10, 7, 26, 24, 4]


def test_bullet_chart_sets_each_missed_rate_against_a_100_target(deck):
    (chart,) = _charts(deck.slides[4])
    assert tuple(chart.plots[0].categories) == MISSED
    assert _values(chart) == [(100.0,) * 5, (71.07, 37.0, 98.15, 95.74, 50.0)]
    assert chart.plots[0].overlap == 100


def test_waterfall_stacks_each_part_on_an_invisible_base(deck, brief):
    (chart,) = _charts(deck.slides[6])
    base_series, parts_series = chart.plots[0].series
    base, parts = tuple(base_series.values), tuple(parts_series.values)
    assert (
        tuple(chart.plots[0].categories)[0] == "预算执行" and tuple(chart.plots[0].categories)[-1] == "总分"
    )
    assert base_series._element.find(qn("c:spPr")).find(qn("a:noFill")) is not None
    assert [round(b, 2) for b in base[:-1]] == [round(sum(parts[:i]), 2) for i in range(len(parts) - 1)]
    assert parts[-1] == float(brief.score.total) == round(sum(parts[:-1]), 2)


def test_every_run_and_chart_text_names_the_east_asian_font(deck):
    runs = [
        r
        for s in deck.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    assert {r.font._rPr.find(qn("a:ea")).get("typeface") for r in runs} == {"Noto Sans CJK SC"}
    for chart in (c for s in deck.slides for c in _charts(s)):
        eas = chart._chartSpace.xpath(".//a:ea")
        assert eas and {e.get("typeface") for e in eas} == {"Noto Sans CJK SC"}


def test_theme_falls_back_to_microsoft_yahei_for_simplified_chinese(deck):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = deck.slide_master.part.part_related_by(RT.THEME).blob.decode("utf-8")
    assert 'script="Hans" typeface="微软雅黑"' in theme


def test_self_eval_sheet_has_the_national_header_and_funds_block(book):
    ws = book["自评表"]
    assert book.sheetnames == ["自评表", "指标", "核查发现", "未评分指标"]
    assert [ws[c].value for c in ("A1", "A2", "A3", "B3", "A4", "B4", "E4", "F4")] == [
        "项目支出绩效自评表",
        "（2023年度）",
        "项目名称",
        "街道工作经费",
        "主管部门",
        UNIT,
        "实施单位",
        UNIT,
    ]
    assert [ws.cell(5, c).value for c in range(3, 9)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [ws.cell(6, c).value for c in range(2, 9)] == ["年度资金总额", None, 450, 450, 10, 1, 10]
    assert ws["G6"].number_format == "0.00%" and ws["D6"].data_type == "n"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:H1", "A2:H2", "B3:H3", "A5:A9", "A10:A11", "B10:E10", "F10:H10"} <= merged


def test_self_eval_indicator_block_lists_scored_rows_and_the_total(book, brief):
    ws = book["自评表"]
    assert [ws.cell(12, c).value for c in range(1, 9)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    rows = brief.score.table_rows()
    got = [tuple(ws.cell(13 + n, c).value for c in (3, 4, 5, 6, 7)) for n in range(len(rows))]
    assert got == [(r.level3, r.target_text, r.actual_text, float(r.weight), float(r.score)) for r in rows]
    assert sorted(r.level3 for r in rows) == sorted((*MISSED, "一般公共预算收入", "规上工业总产值增速"))
    total_row = 13 + len(rows)
    assert ws.cell(total_row, 1).value == "总分"
    assert ws.cell(total_row, 6).value == 100
    assert ws.cell(total_row, 7).value == float(brief.score.total)
    assert f"A{total_row}:E{total_row}" in {str(r) for r in ws.merged_cells.ranges}


def test_indicator_sheet_keeps_numbers_and_provenance(book, brief):
    ws = book["指标"]
    first = brief.report.indicators[0]
    row = [c.value for c in ws[2]]
    assert row[:9] == [
        1,
        "全力抓好经济指标各项工作",
        "一般公共预算收入",
        9.67,
        "亿元",
        8.64,
        "亿元",
        None,
        111.92,
    ]
    assert row[11] == "达标"
    assert row[15:] == [first.text, first.span[0], first.span[1], first.locator]
    assert ws.max_row == 1 + len(brief.report.indicators)


def test_findings_sheet_lists_every_finding_with_its_sentence(book, brief):
    ws = book["核查发现"]
    assert [c.value for c in ws[1]] == [
        "序号",
        "类型",
        "严重程度",
        "说明",
        "涉及指标",
        "原文",
        "原文起",
        "原文止",
    ]
    assert ws.max_row == 1 + len(brief.findings)
    assert [ws.cell(2 + n, 4).value for n in range(len(brief.findings))] == [
        f.message for f in brief.findings
    ]


def test_formula_like_text_is_written_as_escaped_text(url):
    wb = openpyxl.load_workbook(io.BytesIO(_build(url, 2022, "xlsx")))
    name = wb["指标"]["C2"]
    finding = wb["核查发现"]["D2"]
    assert (name.value, name.data_type) == ("'=1+2", "s")
    assert (finding.value, finding.data_type) == ("'" + HOSTILE_FINDING, "s")
    assert (wb["指标"]["D2"].value, wb["指标"]["D2"].data_type) == (9.67, "n")


@pytest.mark.parametrize(
    "text, written",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+2", "'＝1+2"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠A", "'＠A"),
        ("一般公共预算收入", "一般公共预算收入"),
        ("9.67亿元", "9.67亿元"),
    ],
)
def test_safe_text_prefixes_an_apostrophe_to_formula_leads(text, written):
    assert safe_text(text) == written


def test_workbook_reads_back_as_a_self_eval_table(url, brief):
    from jixiao_core import selfeval

    table = selfeval.read_workbook("export.xlsx", _build(url, 2023, "xlsx"))
    assert (table.project_name, table.unit_name, table.year) == ("街道工作经费", UNIT, 2023)
    assert (table.budget, table.spent) == (Decimal(4500000), Decimal(4500000))
    assert [r.level3 for r in table.rows] == [r.level3 for r in brief.score.table_rows()]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (apt-get install poppler-utils)")
    return path


def test_pdf_text_shows_the_unit_the_amounts_and_the_missed_targets(pdf_path):
    text = subprocess.run(
        [_tool("pdftotext"), str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (UNIT, "450.00", "100.00%", "一、项目资金", "六、存在问题与下一步", *MISSED):
        assert expected in text
    pages = subprocess.run(
        [_tool("pdfinfo"), str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert 1 <= int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) <= 3


def test_pdf_embeds_the_cjk_font(pdf_path):
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    fonts = [line.split() for line in out.splitlines()[2:]]
    assert any("Noto-Sans-CJK-SC" in f[0] for f in fonts)
    # columns from the right: object ID (2), uni, sub, emb
    assert {f[-5] for f in fonts} == {"yes"}


def test_pdf_html_escapes_report_text(url):
    engine = db.make_engine(url)
    with Session(engine) as s:
        html = exports_pdf.brief_html(briefing.brief(s, UNIT, 2022))
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html and "<b>粗体" not in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_pdf_fetcher_refuses_every_url():
    from weasyprint.urls import URLFetcher

    with pytest.raises(ValueError, match="外部资源已禁止"):
        exports_pdf._offline_fetcher(URLFetcher).fetch("https://example.com/font.woff2")


def test_pdf_without_weasyprint_names_the_packages_to_install(monkeypatch, brief):
    exports_pdf._renderer.cache_clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    try:
        with pytest.raises(InputError) as err:
            exports_pdf.build_pdf(brief)
    finally:
        exports_pdf._renderer.cache_clear()
    assert str(err.value) == exports_pdf.MISSING_DEPS


def test_a_report_with_no_figures_still_exports_every_format(db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    rep = facts.Report(source=None, unit_name="测试街道办事处", project_name="空项目", year=2024)
    with Session(engine) as s, s.begin():
        store_report(s, rep, Origin("report", "empty.txt", "e" * 64, "document"))
    with Session(engine) as s:
        deck = Presentation(io.BytesIO(exports.build(s, "测试街道办事处", 2024, "pptx")))
        book = openpyxl.load_workbook(io.BytesIO(exports.build(s, "测试街道办事处", 2024, "xlsx")))
        pdf = exports.build(s, "测试街道办事处", 2024, "pdf")
    engine.dispose()
    assert [len(_charts(slide)) for slide in deck.slides] == [0, 1, 1, 0, 0, 0, 1, 0]
    assert [book["自评表"].cell(6, c).value for c in (4, 5)] == [None, None]
    assert pdf.startswith(b"%PDF-")


def test_unknown_format_is_refused_in_chinese(url):
    with pytest.raises(InputError, match="不支持的导出格式 docx"):
        _build(url, 2023, "docx")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jixiao_core", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_cli_export_writes_a_deck_that_opens(url, tmp_path):
    out = tmp_path / "x.pptx"
    res = _cli("export", "--unit", UNIT, "--year", "2023", "--format", "pptx", "-o", str(out), "--db", url)
    assert res.returncode == 0, res.stderr
    assert len(Presentation(str(out)).slides) == 8


def test_cli_export_of_an_unknown_unit_exits_2_with_one_chinese_line(url, tmp_path):
    out = tmp_path / "x.pptx"
    res = _cli(
        "export", "--unit", "不存在街道", "--year", "2023", "--format", "pptx", "-o", str(out), "--db", url
    )
    assert res.returncode == 2
    assert res.stderr == "错误：不存在街道 2023年：数据库中没有该单位该年度的数据；请先导入报告\n"
    assert not out.exists()
