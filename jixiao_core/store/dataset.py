"""The bundled dataset: a hand-curated JSON Lines file read into a `facts.Report`.

One record per line keeps every error addressable by its line number, and keeps the file reviewable
in a diff. The record types and their fields are the table below; anything else is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao_core import facts
from jixiao_core.errors import InputError
from jixiao_core.reader import problems


@dataclass(frozen=True)
class RecordType:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


RECORD_TYPES = {
    r.name: r
    for r in (
        RecordType("dataset", ("name", "source_file", "source_sha256", "generated"), ("curated_by",)),
        RecordType("unit", ("name",), ("district", "city", "kind")),
        RecordType("community", ("name", "kind")),
        RecordType("body", ("seq", "name"), ("note",)),
        RecordType(
            "project",
            ("name", "year", "budget", "arrived", "spent"),
            ("report_date", "budget_initial", "funds_quote", "funds_span"),
        ),
        RecordType("overall_goal", ("text",)),
        RecordType("goal", ("seq", "text"), ("area_seq",)),
        RecordType("area", ("seq", "title"), ("key",)),
        RecordType(
            "indicator",
            ("area_seq", "name", "actual", "unit", "quote", "span"),
            (
                "target",
                "target_unit",
                "comparator",
                "rate",
                "qualifier",
                "community",
                "change",
                "change_pct",
                "change_direction",
            ),
        ),
        RecordType("claim", ("text", "span")),
        RecordType("section", ("key", "text")),
        RecordType("problem", ("seq", "text")),
    )
}
NUMBER_FIELDS = (
    "actual",
    "target",
    "rate",
    "change",
    "change_pct",
    "budget",
    "arrived",
    "spent",
    "budget_initial",
)
SENTENCE_ENDS = ("。", "；", "！", "？", "\n")
COMPARATORS = (None, ">=", "<=", "=")
QUALIFIERS = (None, "approx", "more_than")


@dataclass
class Dataset:
    """A curated report plus what the loader needs to store it."""

    report: facts.Report
    name: str
    sha256: str  # of the dataset file: the idempotency key for `init`
    generated: bool
    problems: list[str]
    goal_areas: dict[int, int]  # goal seq → area seq


def load(path: Path) -> Dataset:
    """Return the dataset in `path`; raise InputError naming the line of the first bad record."""
    try:
        raw = path.read_bytes()
        lines = raw.decode("utf-8").splitlines()
    except OSError as e:
        raise InputError(str(path), f"无法读取内置数据文件（{e.strerror}）") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "内置数据文件不是 UTF-8 编码") from None
    builder = _Builder(path)
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            builder.add(lineno, _parse_line(path, lineno, line))
    return builder.finish(hashlib.sha256(raw).hexdigest())


def _parse_line(path: Path, lineno: int, line: str) -> dict[str, Any]:
    where = f"{path.name} 第{lineno}行"
    try:
        rec = json.loads(line, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as e:
        raise InputError(where, f"不是合法的 JSON（第{e.colno}列：{e.msg}）") from None
    if not isinstance(rec, dict):
        raise InputError(where, "每行应是一个 JSON 对象")
    kind = rec.get("type")
    spec = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise InputError(where, f"未知的记录类型 {kind!r}")
    missing = [k for k in spec.required if k not in rec]
    if missing:
        raise InputError(where, f"{kind} 记录缺少字段：{'、'.join(missing)}")
    unknown = sorted(set(rec) - set(spec.required) - set(spec.optional) - {"type"})
    if unknown:
        raise InputError(where, f"{kind} 记录有未知字段：{'、'.join(unknown)}")
    for key in NUMBER_FIELDS:
        if rec.get(key) is not None and not isinstance(rec[key], Decimal):
            raise InputError(where, f"字段 {key} 应是数字，实际为 {rec[key]!r}")
    if rec.get("comparator") not in COMPARATORS or rec.get("qualifier") not in QUALIFIERS:
        raise InputError(where, "comparator 或 qualifier 的取值不在允许范围内")
    for key in ("seq", "area_seq", "year"):
        if key in rec and rec[key] is not None:
            rec[key] = _whole(where, key, rec[key])
    for key in ("span", "funds_span"):
        if rec.get(key) is not None:
            rec[key] = _span(where, key, rec[key])
    return rec


def _whole(where: str, key: str, v: Any) -> int:
    if not isinstance(v, Decimal) or v != v.to_integral_value():
        raise InputError(where, f"字段 {key} 应是整数，实际为 {v!r}")
    return int(v)


def _span(where: str, key: str, v: Any) -> tuple[int, int]:
    if not (isinstance(v, list) and len(v) == 2 and all(isinstance(x, Decimal) for x in v)):
        raise InputError(where, f"字段 {key} 应是 [起, 止] 两个整数")
    start, end = (_whole(where, key, x) for x in v)
    if not 0 <= start < end:
        raise InputError(where, f"字段 {key} 的起止位置无效：{start}–{end}")
    return start, end


class _Builder:
    """Accumulates records into a Report, checking references between them."""

    def __init__(self, path: Path):
        self.path = path
        self.report = facts.Report(source=None)
        self.meta: dict[str, Any] | None = None
        self.problems: list[str] = []
        self.goal_areas: dict[int, int] = {}
        self.area_seqs: set[int] = set()

    def add(self, lineno: int, rec: dict[str, Any]) -> None:
        where = f"{self.path.name} 第{lineno}行"
        getattr(self, "_" + rec["type"])(where, lineno, rec)

    def _dataset(self, where, lineno, rec):
        self.meta = rec
        src = self.path.parent / "sources" / rec["source_file"]
        if src.is_file():
            data = src.read_bytes()
            if hashlib.sha256(data).hexdigest() != rec["source_sha256"]:
                raise InputError(where, f"原始报告 {rec['source_file']} 的 sha256 与记录不符")
            text = data.decode("utf-8-sig")
            self.report.source = facts.SourceDoc(
                rec["source_file"], rec["source_sha256"], "txt", "utf-8", text
            )

    def _unit(self, where, lineno, rec):
        self.report.unit_name = rec["name"]
        self.report.district = rec.get("district")

    def _community(self, where, lineno, rec):
        self.report.communities.append(facts.Community(rec["name"], rec["kind"]))

    def _body(self, where, lineno, rec):
        self.report.bodies.append(rec["name"])

    def _project(self, where, lineno, rec):
        r = self.report
        r.project_name, r.year, r.report_date = rec["name"], rec["year"], rec.get("report_date")
        r.funds = facts.Funds(
            budget=rec["budget"],
            budget_initial=rec.get("budget_initial"),
            arrived=rec["arrived"],
            spent=rec["spent"],
            text=rec.get("funds_quote") or "",
            span=rec.get("funds_span"),
        )

    def _overall_goal(self, where, lineno, rec):
        self.report.overall_goal = rec["text"]

    def _goal(self, where, lineno, rec):
        self.report.goals.append(facts.Goal(rec["seq"], rec["text"]))
        if rec.get("area_seq"):
            self.goal_areas[rec["seq"]] = rec["area_seq"]

    def _area(self, where, lineno, rec):
        self.report.areas.append(facts.Area(rec["seq"], rec["title"], rec.get("key")))
        self.area_seqs.add(rec["seq"])

    def _indicator(self, where, lineno, rec):
        if rec["area_seq"] is not None and rec["area_seq"] not in self.area_seqs:
            raise InputError(where, f"指标引用了不存在的工作领域 {rec['area_seq']}")
        names = {c.name for c in self.report.communities}
        if rec.get("community") and rec["community"] not in names:
            raise InputError(where, f"指标引用了未列出的社区 {rec['community']!r}")
        self._check_quote(where, rec["quote"], rec["span"])
        text, span = self._sentence(rec["quote"], rec["span"])
        self.report.indicators.append(
            facts.Indicator(
                name=rec["name"],
                actual=rec["actual"],
                unit=rec["unit"],
                target=rec.get("target"),
                target_unit=rec.get("target_unit"),
                comparator=rec.get("comparator"),
                rate=rec.get("rate"),
                qualifier=rec.get("qualifier"),
                community=rec.get("community"),
                area_seq=rec["area_seq"],
                text=text,
                span=span,
                change=rec.get("change"),
                change_pct=rec.get("change_pct"),
                change_direction=rec.get("change_direction"),
                locator=f"{self.path.name}:{lineno}",
            )
        )

    def _sentence(self, quote: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
        """Widen a quote to its clause (between 。；！？ or line breaks), as the reader reports indicators."""
        src = self.report.source
        if src is None:
            return quote, span
        start = max(src.text.rfind(c, 0, span[0]) for c in SENTENCE_ENDS) + 1
        ends = [i for i in (src.text.find(c, span[1]) for c in SENTENCE_ENDS) if i >= 0]
        end = min(ends) if ends else len(src.text)
        return src.text[start:end], (start, end)

    def _claim(self, where, lineno, rec):
        self._check_quote(where, rec["text"], rec["span"])
        self.report.claims.append((rec["text"], rec["span"]))

    def _section(self, where, lineno, rec):
        self.report.sections[rec["key"]] = rec["text"]

    def _problem(self, where, lineno, rec):
        self.problems.append(rec["text"])

    def _check_quote(self, where: str, quote: str, span: tuple[int, int]) -> None:
        src = self.report.source
        if src is not None and src.text[span[0] : span[1]] != quote:
            raise InputError(where, f"引文与原始报告第 {span[0]}–{span[1]} 字不一致")

    def finish(self, sha256: str) -> Dataset:
        if self.meta is None:
            raise InputError(self.path.name, "缺少 dataset 记录（应在第1行）")
        if not (self.report.unit_name and self.report.project_name and self.report.year):
            raise InputError(self.path.name, "缺少 unit 或 project 记录")
        src = self.report.source
        self.report.problems = problems.located(
            self.problems, src.text if src else None, self.report.sections.get("problems", "")
        )
        return Dataset(
            self.report,
            self.meta["name"],
            sha256,
            bool(self.meta["generated"]),
            self.problems,
            self.goal_areas,
        )
