"""A workbook sheet as a grid of values: pre-parse guards, then merged cells filled in."""

from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from defusedxml.ElementTree import iterparse

from jixiao_core import archive
from jixiao_core.errors import InputError
from jixiao_core.labels import fmt_num

MAX_ROWS = 50_000
MAX_COLS = 200  # columns beyond this are ignored, never read
MAX_STRINGS = 200_000  # openpyxl reads every shared string up front (~15 µs each)
_ROW_OR_STRING = archive.tags_pattern("row", "si")  # <row>, <x:row r="1">, <si>: whatever the prefix
# openpyxl warns on stderr about parts of a damaged file; the user gets one InputError line instead (CONTRACT.md)
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Grid:
    """One sheet's values (0-based rows and columns), every merged range filled with its top-left value."""

    title: str
    rows: list[list[Any]]
    uncached: list[str] = field(default_factory=list)  # refs of formulas saved without a value

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def text(self, r: int, c: int) -> str:
        """Return the cell as folded text without any whitespace (for matching labels)."""
        return norm(self.value(r, c))

    def ref(self, r: int, c: int) -> str:
        from openpyxl.utils import get_column_letter  # openpyxl (and numpy) load only when a workbook is read

        return f"{self.title}!{get_column_letter(c + 1)}{r + 1}"


def norm(value: Any) -> str:
    """Return a cell value as NFKC text with all whitespace removed (≧ → ≥)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt_num(value)
    text = unicodedata.normalize("NFKC", str(value)).replace("≧", "≥").replace("≦", "≤")
    return re.sub(r"\s+", "", text)


def check_archive(file_name: str, data: bytes) -> None:
    """Raise InputError unless `data` is a zip that passes every pre-parse guard (archive.XLSX limits, at most
    50,000 rows a sheet and 200,000 shared strings), checked from declared sizes and streamed bytes, never parsed."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError(file_name, "是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(
            file_name, "不是有效的 .xlsx 工作簿（文件不是 zip 格式），请在 Excel 中另存为 .xlsx 后再导入"
        )
    archive.check_directory(file_name, data, archive.XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_members(file_name, zf)
    except archive.DAMAGED as exc:
        raise InputError(file_name, f"工作簿已损坏，无法读取（{type(exc).__name__}）") from None


def _check_members(file_name: str, zf: zipfile.ZipFile) -> None:
    tags = archive.scan(file_name, zf, archive.XLSX, _ROW_OR_STRING, {b"row": MAX_ROWS, b"si": MAX_STRINGS})
    sheets = _sheet_parts(zf)  # parsed only now that no member declares a DTD
    # rows and shared strings are counted in every member, not only where the names say they are
    for part, count in tags.items():
        _check_rows(file_name, sheets.get(part, part), count[b"row"])
    if sum(c[b"si"] for c in tags.values()) > MAX_STRINGS:
        raise InputError(file_name, f"共享字符串超过 {MAX_STRINGS} 条上限，拒绝读取")


def read_grids(file_name: str, data: bytes) -> Iterator[Grid]:
    """Yield each worksheet as a Grid (after check_archive, which refuses what would be slow to read)."""
    from openpyxl import load_workbook  # openpyxl (and numpy) load only when a workbook is read

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, InvalidFileException ... on broken files
        raise InputError(
            file_name, f"无法作为 Excel 工作簿打开（{type(exc).__name__}），请在 Excel 中另存为 .xlsx"
        ) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for ws in wb.worksheets:
                yield _grid(file_name, ws, zf)
    finally:
        wb.close()


def _grid(file_name: str, ws: Any, zf: zipfile.ZipFile) -> Grid:
    """Return one read-only worksheet as a Grid; a damaged sheet becomes an InputError naming it."""
    _check_rows(file_name, ws.title, ws.max_row)
    try:
        # openpyxl 3.1 (pinned) keeps the part name here; read-only sheets expose no merged cells
        merges, uncached = _scan_sheet_xml(file_name, ws.title, zf, ws._worksheet_path)
        rows = _values(ws)
    except InputError:
        raise
    except Exception as exc:  # ParseError, defusedxml's EntitiesForbidden, KeyError for a missing part ...
        raise InputError(file_name, f"工作表“{ws.title}”已损坏，无法读取（{type(exc).__name__}）") from exc
    _fill_merges(file_name, ws.title, rows, merges)
    return Grid(ws.title, rows, uncached)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Return zip part → sheet title for each worksheet, from xl/workbook.xml and its relationships (none when
    they are missing or broken: load_workbook then reports the damaged file with its own message)."""
    try:
        rels = {
            el.get("Id"): el.get("Target", "")
            for _, el in iterparse(zf.open("xl/_rels/workbook.xml.rels"))
            if el.tag.endswith("Relationship")
        }
        out = {}
        for _, el in iterparse(zf.open("xl/workbook.xml")):
            if el.tag.endswith("}sheet"):
                rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
                target = rels.get(rid, "").lstrip("/")
                out[target if target.startswith("xl/") else f"xl/{target}"] = el.get("name", "")
        return out
    except (KeyError, SyntaxError):
        return {}


def _check_rows(file_name: str, title: str, rows: int | None) -> None:
    if rows is not None and rows > MAX_ROWS:
        raise InputError(file_name, f"工作表“{title}”超过 {MAX_ROWS} 行上限，拒绝读取")


def _scan_sheet_xml(
    file_name: str, title: str, zf: zipfile.ZipFile, part: str
) -> tuple[list[str], list[str]]:
    """Return the sheet's merged ranges and the refs of formulas without a cached value (streamed)."""
    merges: list[str] = []
    uncached: list[str] = []
    rows = 0
    with zf.open(part) as src:
        for _, elem in iterparse(src, events=("end",)):
            tag = elem.tag
            if tag == _NS + "c":
                if elem.find(_NS + "f") is not None and _no_cached_value(elem):
                    uncached.append(elem.get("r", "?"))
                elem.clear()
            elif tag == _NS + "row":
                rows += 1
                _check_rows(file_name, title, rows)
                elem.clear()
            elif tag == _NS + "mergeCell":
                merges.append(elem.get("ref", ""))
    return merges, uncached


def _no_cached_value(cell: Any) -> bool:
    """Return True for a formula cell saved without its result (openpyxl writes an empty <v/>; Excel a value)."""
    v = cell.find(_NS + "v")
    # an empty <v/> is a real result only for a formula that returned the empty string
    return v is None or (not v.text and cell.get("t") != "str")


def _values(ws: Any) -> list[list[Any]]:
    """Return the sheet's values row by row: numbers as Decimal, percent-formatted numbers as "98%" text."""
    max_col = min(ws.max_column or MAX_COLS, MAX_COLS)
    return [[_cell_value(c) for c in row] for row in ws.iter_rows(max_col=max_col)]


def _cell_value(cell: Any) -> Any:
    v = cell.value
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        if not math.isfinite(v):
            return str(v)
        d = Decimal(str(v))
        # a cell showing 83.5% holds 0.835: keep what the clerk saw
        return f"{fmt_num(d * 100)}%" if "%" in (getattr(cell, "number_format", "") or "") else d
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    return str(v)


def _fill_merges(file_name: str, title: str, rows: list[list[Any]], merges: list[str]) -> None:
    """Fill every merged range with its top-left value; refuse merges covering more cells than the sheet holds
    (ranges that overlap again and again would otherwise fill the same cells millions of times)."""
    budget = max(len(rows), 1) * MAX_COLS
    for ref in merges:
        try:
            from openpyxl.utils import range_boundaries

            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        last_row, last_col = min(max_row, len(rows)), min(max_col, MAX_COLS)
        budget -= max(last_row - min_row + 1, 0) * max(last_col - min_col + 1, 0)
        if budget < 0:
            raise InputError(file_name, f"工作表“{title}”的合并单元格相互重叠、覆盖的单元格过多，拒绝读取")
        for r in range(min_row - 1, last_row):
            row = rows[r]
            for c in range(min_col - 1, last_col):
                if c >= len(row):
                    row.extend([None] * (c + 1 - len(row)))
                row[c] = value
