"""Tests for jixiao_core.selfeval (workbook, grid, cells): reading 自评表 workbooks and their cell texts."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook

from jixiao_core.errors import InputError
from jixiao_core.selfeval import read_workbook
from jixiao_core.selfeval.cells import CellValue, cell_value, number_cell, outcome_of
from tests.fixtures.workbooks import make_workbooks

WORKBOOKS = Path(__file__).parent / "fixtures" / "workbooks"


def read(name: str):
    return read_workbook(f"{name}.xlsx", (WORKBOOKS / f"{name}.xlsx").read_bytes())


def error_of(file_name: str, data: bytes) -> str:
    """Return the InputError text for bad bytes (speed is measured by benchmarks/bench_bad_input.py)."""
    with pytest.raises(InputError) as info:
        read_workbook(file_name, data)
    return str(info.value)


def test_clean_workbook_header_and_funds_in_yuan():
    t = read("clean_national")
    assert (t.project_name, t.department, t.unit_name, t.year) == (
        "社区环境整治经费",
        "示例区城市管理局",
        "示例街道办事处",
        2023,
    )
    assert (t.budget_initial, t.budget, t.spent) == (D(1800000), D(2000000), D(1670000))
    assert (t.execution_weight, t.execution_stated_rate, t.execution_stated_score) == (
        D(10),
        D("83.5"),
        D("8.35"),
    )
    assert (t.stated_total, t.notes) == (D("98.35"), [])


def test_clean_workbook_goals_and_source_cells():
    t = read("clean_national")
    assert t.goal_expected == "完成年度整治任务，改善社区人居环境，居民满意度达到90%以上。"
    assert t.goal_actual == "完成大部分整治任务，部分项目因管网改造顺延。"
    assert t.cells == {
        "project_name": "Sheet1!B3",
        "department": "Sheet1!B4",
        "unit_name": "Sheet1!G4",
        "budget_initial": "Sheet1!D6",
        "budget": "Sheet1!E6",
        "spent": "Sheet1!F6",
    }


def test_clean_workbook_rows_take_merged_level_labels():
    rows = read("clean_national").rows
    assert [(r.level1, r.level2, r.level3, r.weight) for r in rows[:3]] == [
        ("产出指标", "数量指标", "整治背街小巷数量", D(15)),
        ("产出指标", "数量指标", "新增垃圾分类投放点", D(10)),
        ("产出指标", "质量指标", "工程验收合格率", D(10)),
    ]
    assert (rows[0].deviation_note, rows[0].cell, rows[-1].cell) == (
        "部分小巷因管网改造延期，顺延至下年",
        "Sheet1!D13",
        "Sheet1!D21",
    )


def test_clean_workbook_cost_row_is_reverse_by_its_name():
    assert [r.level3 for r in read("clean_national").rows if r.direction == "negative"] == ["单位改造成本"]


def test_messy_workbook_reads_spaced_labels_and_the_two_line_header():
    t = read("messy")
    assert (t.project_name, t.department, t.unit_name, t.year) == (
        "口袋公园建设及绿化养护",
        "示例区住房和城乡建设局",
        "示例街道办事处",
        2023,
    )
    assert [r.level3 for r in t.rows] == [
        "新建口袋公园",
        "绿化养护达标率",
        "问题整改时限",
        "养护费用",
        "群众投诉办结率",
        "空气质量改善情况",
        "长效管护机制",
        "群众知晓率",
        "带动就业人数",
    ]


def test_messy_workbook_uses_the_sub_rows_when_the_total_row_is_zero():
    t = read("messy")
    assert (t.budget_initial, t.budget, t.spent) == (D(1200000), D(1800000), D(1500000))
    assert t.notes == ["年度资金总额行为空或0，按其中分项合计计算（全年预算数180万元，全年执行数150万元）"]


def test_messy_workbook_level_labels_lose_their_points_annotation():
    assert {r.level1 for r in read("messy").rows} == {"产出指标", "效益指标"}


def test_messy_workbook_cells_with_comparators_and_units():
    got = [
        (r.target, r.target_unit, r.comparator, r.actual, r.actual_unit, r.direction, r.outcome)
        for r in read("messy").rows
    ]
    assert got == [
        (D(3), "个", ">=", D(3), "个", "positive", None),
        (D(90), "%", ">=", D("87.3"), "%", "positive", None),
        (D(2), "天", "<=", D(3), "天", "negative", None),
        (D(90), "万元", "<=", D(100), "万元", "negative", None),
        (D(100), None, "=", D(100), None, "equal", None),
        (None, None, None, None, None, "qualitative", "部分达成"),
        (None, None, None, None, None, "qualitative", "达成"),
        (D(100), "%", ">=", D(96), "%", "positive", None),
        (D(50), "人", ">=", D(60), "户", "positive", None),
    ]


def test_percent_formatted_rate_cell_reads_as_percent():
    assert read("jiangxi").execution_stated_rate == D(95)


@pytest.mark.parametrize("name", ["clean_national", "messy", "hubei", "jiangxi"])
def test_generator_still_produces_the_committed_workbook(name):
    buf = io.BytesIO()
    make_workbooks.BUILDERS[name]().save(buf)
    assert read_workbook(f"{name}.xlsx", buf.getvalue()) == read(name)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("≥98%", CellValue("≥98%", D(98), "%", ">=")),
        ("≧90%", CellValue("≥90%", D(90), "%", ">=")),
        ("≤90万元", CellValue("≤90万元", D(90), "万元", "<=")),
        ("=100", CellValue("=100", D(100), None, "=")),
        ("2天以内", CellValue("2天以内", D(2), "天", "<=")),
        ("≥100百分比", CellValue("≥100百分比", D(100), "%", ">=")),
        ("不少于42小时", CellValue("不少于42小时", D(42), "小时", ">=")),
        ("95%以上", CellValue("95%以上", D(95), "%", ">=")),
        ("＞＝1,200 元", CellValue(">=1,200元", D(1200), "元", ">=")),
        ("约60亩", CellValue("约60亩", D(60), "亩", None)),
        ("8000余人", CellValue("8000余人", D(8000), "人", None)),
        ("达成预期指标", CellValue("达成预期指标")),
        ("2023年12月底前完成", CellValue("2023年12月底前完成")),
        ("—", CellValue("—")),
        (D("17.06"), CellValue("17.06", D("17.06"))),
    ],
)
def test_target_cell_texts(text, expected):
    assert cell_value(text) == expected


@pytest.mark.parametrize(
    "value, expected", [("10", D(10)), (" 8.5 分", D("8.5")), ("—", None), (None, None), (D(3), D(3))]
)
def test_number_cells(value, expected):
    assert number_cell(value) == expected


def test_number_cell_refuses_words():
    with pytest.raises(ValueError):
        number_cell("见附表")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("达成预期指标", "达成"),
        ("效果明显", "达成"),
        ("在项目计划完成时间内完成", "达成"),
        ("部分达成", "部分达成"),
        ("基本完成", "部分达成"),
        ("未达成", "未达成"),
        ("未完成", "未达成"),
        ("良好", None),
    ],
)
def test_qualitative_outcomes(text, expected):
    assert outcome_of(text) == expected


def test_uncached_formulas_are_refused_with_the_cell_named():
    message = error_of("f.xlsx", (WORKBOOKS / "formulas_uncached.xlsx").read_bytes())
    assert message == "f.xlsx：工作表“Sheet1”第6行 D 列（Sheet1!D6）：公式未计算，请在 Excel 中打开并保存"


def test_text_in_a_number_cell_is_refused_with_sheet_row_and_column():
    message = error_of("t.xlsx", (WORKBOOKS / "text_in_numbers.xlsx").read_bytes())
    assert message == "t.xlsx：工作表“Sheet1”第16行 G 列（Sheet1!G16）：“分值”应为数字，实为“见附表”"


def test_wrong_layout_is_refused():
    message = error_of("w.xlsx", (WORKBOOKS / "wrong_layout.xlsx").read_bytes())
    assert (
        message
        == "w.xlsx：工作表“部门整体”中未找到“三级指标”表头，不是项目支出绩效自评表（财预〔2020〕10号 附件1）格式"
    )


def test_header_without_an_actual_column_is_refused():
    wb = Workbook()
    wb.active.append(["一级指标", "二级指标", "三级指标", "年度指标值", "分值"])
    buf = io.BytesIO()
    wb.save(buf)
    message = error_of("h.xlsx", buf.getvalue())
    assert message == "h.xlsx：工作表“Sheet”第1行的指标表头缺少“实际完成值”列"


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes("项目名称,三级指标\n".encode())
    message = error_of(path.name, path.read_bytes())
    assert (
        message
        == "fake.xlsx：不是有效的 .xlsx 工作簿（文件不是 zip 格式），请在 Excel 中另存为 .xlsx 后再导入"
    )


def test_a_legacy_xls_file_is_refused():
    message = error_of("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert message == "old.xlsx：是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    message = error_of("z.xlsx", buf.getvalue())
    assert message == "z.xlsx：无法作为 Excel 工作簿打开（KeyError），请在 Excel 中另存为 .xlsx"


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        chunk = b"0" * 2**20
        for _ in range(101):
            member.write(chunk)
    message = error_of(path.name, path.read_bytes())
    assert message == "bomb.xlsx：解压后约 101 MB，超过 100 MB 上限（可能是压缩炸弹），拒绝读取"


def test_a_sheet_declaring_100k_rows_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Sheet1")
    for i in range(100_000):
        ws.write_number(i, 0, i)
    wb.close()
    message = error_of(path.name, path.read_bytes())
    assert message == "big.xlsx：工作表“Sheet1”超过 50000 行上限，拒绝读取"


def test_a_sheet_without_a_dimension_is_stopped_at_50001_rows(tmp_path):
    wb = Workbook(write_only=True)  # openpyxl's write-only mode writes no <dimension>
    ws = wb.create_sheet("Sheet1")
    for i in range(50_001):
        ws.append([i])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    message = error_of(path.name, path.read_bytes())
    assert message == "long.xlsx：工作表“Sheet1”超过 50000 行上限，拒绝读取"


def test_amounts_stay_in_yuan_when_the_caption_says_yuan():
    wb = make_workbooks.clean_national()
    wb.active["A5"] = "项目资金（元）"
    buf = io.BytesIO()
    wb.save(buf)
    t = read_workbook("y.xlsx", buf.getvalue())
    assert (t.budget, t.spent) == (D(200), D(167))
