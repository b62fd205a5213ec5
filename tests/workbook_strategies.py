"""Hypothesis strategies for 自评表 workbooks: built from the form's own words and cell kinds, and real workbooks
mutated part by part. Shared by tests/test_fuzz_workbook.py (a few hundred cases) and the soak benchmark."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import xlsxwriter
from hypothesis import assume
from hypothesis import strategies as st

from jixiao_core.errors import InputError
from jixiao_core.scoring import score
from jixiao_core.scoring.rules import rule_set
from jixiao_core.store import ingest
from tests import hostile_files as H

WORKBOOKS = Path(__file__).parent / "fixtures" / "workbooks"
SEEDS = {p.name: p.read_bytes() for p in sorted(WORKBOOKS.glob("*.xlsx"))}

LABELS = (
    "项目名称",
    "主管部门",
    "实施单位",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "项目资金（万元）",
    "项目资金（元）",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
    "资金总额",
    "其中：财政拨款",
    "上年结转资金",
    "其他资金",
    "合计",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "偏差原因分析及改进措施",
    "产出指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "效益指标",
    "社会效益指标",
    "满意度指标",
    "服务对象满意度指标",
    "总分",
    "自评等级",
    "指标值",
    "完成值",
    "权重",
)
VALUE_TEXTS = (
    "≥98%",
    "≤90万元",
    "=100",
    "2天以内",
    "达成预期指标",
    "部分达成",
    "未达成",
    "100%",
    "98.5%",
    "≥95",
    "＞90%",
    "不少于42小时",
    "3个",
    "12户",
    "—",
    "/",
    "无",
    "约45",
    "1,234.5万元",
    "１２３",
    "九十六点七",
    "百分之九十五",
    "2023年12月底前",
    "1e309",
    "-0",
    "NaN",
    "∞",
    "≥",
    "%",
    "万元",
    "≥-5%",
    "(1,234)",
    "=SUM(A1:A3)",
    "0.835",
)
TEXT = st.text(
    alphabet=st.sampled_from("0123456789.,%≥≤=<>万亿元个户人次天以内约余多达成未部分（）() -—/\n\t０１２"),
    max_size=24,
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(float),
)
CELL = st.one_of(
    st.sampled_from(LABELS), st.sampled_from(VALUE_TEXTS), TEXT, NUMBERS, st.booleans(), st.none()
)


@st.composite
def built_workbooks(draw) -> bytes:
    """Return an .xlsx written cell by cell: the form's labels, value texts and numbers at random places, some as
    percent-formatted numbers, formulas or merged ranges, on one or two sheets."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True}
    )
    percent = wb.add_format({"num_format": "0.00%"})
    for s in range(draw(st.integers(1, 2))):
        ws = wb.add_worksheet(draw(st.sampled_from(["Sheet1", "自评表", "附件1", "表 1", f"S{s}"])) + str(s))
        if draw(st.booleans()):  # the form's own skeleton, so most cases reach the cells and the scorer
            _skeleton(draw, ws)
        for _ in range(draw(st.integers(0, 40))):
            r, c = draw(st.integers(0, 30)), draw(st.integers(0, 9))
            value = draw(CELL)
            kind = draw(st.sampled_from(["plain", "plain", "plain", "percent", "percent", "formula"]))
            if kind == "formula":  # with the cached value Excel would have saved (a string, a number or none)
                cached = value if isinstance(value, str | float | int) and not isinstance(value, bool) else ""
                ws.write_formula(r, c, f"=A{r + 2}*2", None, cached)
            elif isinstance(value, float | int) and not isinstance(value, bool) and kind == "percent":
                ws.write_number(r, c, float(value), percent)
            else:
                ws.write(r, c, value)
        merged: set[tuple[int, int]] = set()
        for _ in range(draw(st.integers(0, 4))):
            r, c = draw(st.integers(0, 30)), draw(st.integers(0, 8))
            h, w = draw(st.integers(1, 3)), draw(st.integers(1, 3))
            cells = {(r + i, c + j) for i in range(h) for j in range(w)}
            if len(cells) > 1 and not cells & merged:
                merged |= cells
                ws.merge_range(r, c, r + h - 1, c + w - 1, draw(st.sampled_from(LABELS)))
    wb.close()
    return buf.getvalue()


HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
FUNDS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")


def _skeleton(draw, ws) -> None:
    """Write the 自评表's labels in place (funds block, indicator header) and rows of drawn cells under them."""
    ws.write_row(
        0, 0, ["项目名称", draw(st.sampled_from(["街道工作经费", "", "项目"])), "实施单位", "雨花街道办事处"]
    )
    ws.write_row(2, 0, ["项目资金（万元）", *FUNDS])
    ws.write_row(3, 0, ["资金总额", *(draw(NUMBERS | st.sampled_from(VALUE_TEXTS)) for _ in FUNDS)])
    header = list(HEADER) if draw(st.booleans()) else draw(st.permutations(HEADER))
    ws.write_row(5, 0, header)
    for r in range(6, 6 + draw(st.integers(0, 12))):
        ws.write_row(r, 0, [draw(CELL) for _ in header])
    if draw(st.booleans()):
        ws.write_row(6 + 13, 0, ["总分", None, None, None, None, 100, draw(NUMBERS)])


SNIPPETS = (
    H.DTD,
    b'<x:row r="1" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    b'<c r="A1" t="s"><v>99999</v></c>',
    b'<c r="XFD1048576" t="n"><v>1e400</v></c>',
    b'<c r="A0" t="e"><v>#DIV/0!</v></c>',
    b'<mergeCell ref="A1:XFD1048576"/>',
    b'<mergeCell ref="B2"/>',
    b'<dimension ref="A1:B999999"/>',
    b'<c r="B2" t="inlineStr"><is><t>\xe4\xb8\x89\xe7\xba\xa7\xe6\x8c\x87\xe6\xa0\x87</t></is></c>',
    b"<f>SUM(A1:A2)</f>",
    b"<v/>",
    b"\x00",
    b"\xff\xfe",
    b"</",
    b"<![CDATA[",
    b"&amp;&lt;&#0;&#xD800;",
)


@st.composite
def mutated_workbooks(draw) -> bytes:
    """Return a real 自评表 workbook with one or more parts damaged: bytes flipped, cut, spliced with hostile
    snippets, or a part dropped; sometimes the zip itself is damaged instead."""
    seed = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
    if draw(st.integers(0, 9)) == 0:  # the archive's own bytes
        data = bytearray(seed)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    parts = H.unpack(seed)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(parts)))
        data = parts[name]
        how = draw(st.sampled_from(["flip", "cut", "splice", "splice", "drop", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "flip" and data:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif how == "cut":
            data = data[:at]
        elif how == "splice":
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        elif how == "duplicate":
            data = (
                data[:at] + data[at : at + draw(st.integers(1, 400))] * draw(st.integers(2, 50)) + data[at:]
            )
        if how == "drop":
            parts.pop(name)
            if not parts:
                break
        else:
            parts[name] = data
    assume(parts)
    return H.pack(parts, draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])))


WORKBOOK = st.one_of(built_workbooks(), mutated_workbooks())


def read_and_score(data: bytes) -> str:
    """Read `data` as an imported 自评表 and as `score FILE` does; return "ok" or the InputError's text. Any other
    exception escapes."""
    try:
        ingest.parse_any("fuzz.xlsx", data)
        score(ingest.table_for_file("fuzz.xlsx", data), rule_set("national"))
    except InputError as e:
        return str(e)
    return "ok"
