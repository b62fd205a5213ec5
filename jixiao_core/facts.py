"""Typed facts of one evaluation report: what the reader produces and the rest of the core trusts.

Values are `Decimal` so the printed precision survives (it sets the audit's rounding tolerance);
floats appear only at the JSON edge (`as_json`). Funds are in 元; indicator values stay in the unit
the report wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class SourceDoc:
    """The decoded document an import came from."""

    file_name: str
    sha256: str
    fmt: str  # txt / docx / pdf / xlsx / bundled
    encoding: str | None
    text: str
    # scanned pages: numbers (1-based) read by OCR, their character ranges in `text`, and those left unread
    # because the recognition was unsure (listed, never silently read)
    ocr_pages: tuple[int, ...] = ()
    ocr_spans: tuple[tuple[int, int], ...] = ()
    ocr_low_pages: tuple[int, ...] = ()

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass
class Funds:
    """Project funds in 元; None where the report does not say."""

    budget: Decimal | None = None  # 全年（调整）预算数
    budget_initial: Decimal | None = None  # 年初预算数
    arrived: Decimal | None = None  # 到位
    spent: Decimal | None = None  # 支出 / 执行数
    stated_arrival_rate: Decimal | None = None  # 到位率 as printed, percent
    stated_execution_rate: Decimal | None = None  # 执行率 as printed, percent
    text: str = ""  # the sentence(s) the amounts came from
    span: tuple[int, int] | None = None


@dataclass
class Community:
    name: str  # short name as the report lists it, e.g. 下庄
    kind: str | None = None  # 村改居社区 / 城市社区 / 村 ...


@dataclass
class Goal:
    seq: int  # 1-based, 一是 = 1
    text: str


@dataclass
class Area:
    seq: int  # 1-based, （一） = 1
    title: str
    key: str | None = None  # stable key for comparing one area across years
    span: tuple[int, int] | None = None


@dataclass
class Indicator:
    """One quantitative statement of the report."""

    name: str
    actual: Decimal | None
    unit: str | None
    target: Decimal | None = None
    target_unit: str | None = None
    comparator: str | None = None  # ">=", "<=", "=" or None
    rate: Decimal | None = None  # completion rate as stated, percent
    qualifier: str | None = None  # "approx" (约) / "more_than" (余, 多)
    community: str | None = None
    area_seq: int | None = None
    text: str = ""  # the sentence it came from
    span: tuple[int, int] | None = None  # offsets of `text` in the decoded document
    change: Decimal | None = None
    change_pct: Decimal | None = None
    change_direction: str | None = None  # "increase" / "decrease"
    # set by classification (rules table), overridable by a clerk
    level1: str | None = None
    level2: str | None = None
    level3: str | None = None
    direction: str | None = None  # positive / negative / equal / qualitative
    weight: Decimal | None = None
    target_text: str | None = None  # the 年度指标值 cell as written (达成预期指标, ≥98%), for workbook rows
    stated_score: Decimal | None = None  # the unit's own 得分, kept beside ours and never copied into it
    # where it came from when not a document span: "Sheet1!E12", or "bundled:LINE"
    locator: str | None = None
    ocr: bool = False  # its sentence lies on a scanned page read by OCR


@dataclass
class Finding:
    kind: str  # rate_mismatch, implausible_rate, target_missed, claim_contradicted, ...
    severity: str  # info / warning / error
    message: str  # Chinese, names the figures
    indicators: list[int] = field(default_factory=list)  # indexes into Report.indicators
    text: str = ""  # the sentence(s) it cites
    span: tuple[int, int] | None = None


@dataclass
class Problem:
    """A problem or suggestion the report states (存在的问题 / 意见建议), the seed of a 整改 item."""

    text: str  # the statement itself, one clause
    kind: str = "problem"  # problem / suggestion
    sentence: str = ""  # the sentence it came from
    span: tuple[int, int] | None = None  # offsets of `sentence` in the decoded document


@dataclass
class Report:
    """A parsed (or curated) evaluation report."""

    source: SourceDoc | None
    unit_name: str | None = None
    project_name: str | None = None
    year: int | None = None
    report_date: str | None = None  # ISO date of the signature
    district: str | None = None
    funds: Funds = field(default_factory=Funds)
    communities: list[Community] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)  # 内设机构
    overall_goal: str | None = None
    goals: list[Goal] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    # chapter texts keyed by: overview, method, process, analysis, conclusion, application, problems, other
    sections: dict[str, str] = field(default_factory=dict)
    # sentences claiming every target was met, with spans, for the auditor
    claims: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # chapter 七 (reader.problems)


def _num(v: Decimal | None) -> float | int | None:
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def indicator_json(ind: Indicator) -> dict[str, Any]:
    """Return one indicator as the CONTRACT.md `parse --json` object."""
    out: dict[str, Any] = {
        "area_seq": ind.area_seq,
        "name": ind.name,
        "actual": _num(ind.actual),
        "unit": ind.unit,
        "target": _num(ind.target),
        "target_unit": ind.target_unit,
        "comparator": ind.comparator,
        "rate": _num(ind.rate),
        "qualifier": ind.qualifier,
        "community": ind.community,
        "text": ind.text,
        "span": list(ind.span) if ind.span else None,
    }
    if ind.change is not None or ind.change_pct is not None:
        out["change"] = _num(ind.change)
        out["change_pct"] = _num(ind.change_pct)
        out["change_direction"] = ind.change_direction
    for key in ("level1", "level2", "level3", "direction"):
        if getattr(ind, key) is not None:
            out[key] = getattr(ind, key)
    if ind.ocr:
        out["ocr"] = True
    return out


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "severity": f.severity,
        "message": f.message,
        "indicators": list(f.indicators),
        "text": f.text,
        "span": list(f.span) if f.span else None,
    }


def report_json(rep: Report) -> dict[str, Any]:
    """Return the CONTRACT.md `parse --json` object (funds in 元 as floats)."""
    src = rep.source
    return {
        "source": (
            {"file": src.file_name, "sha256": src.sha256, "chars": src.chars, "encoding": src.encoding}
            if src
            else None
        ),
        "unit_name": rep.unit_name,
        "project_name": rep.project_name,
        "year": rep.year,
        "report_date": rep.report_date,
        "funds": {
            "budget": _float(rep.funds.budget),
            "arrived": _float(rep.funds.arrived),
            "spent": _float(rep.funds.spent),
            "budget_initial": _float(rep.funds.budget_initial),
        },
        "communities": [{"name": c.name, "kind": c.kind} for c in rep.communities],
        "bodies": list(rep.bodies),
        "overall_goal": rep.overall_goal,
        "goals": [{"seq": g.seq, "text": g.text} for g in rep.goals],
        "areas": [{"seq": a.seq, "title": a.title, "key": a.key} for a in rep.areas],
        "indicators": [indicator_json(i) for i in rep.indicators],
        "sections": dict(rep.sections),
        "findings": [finding_json(f) for f in rep.findings],
        "ocr_pages": list(src.ocr_pages) if src else [],
        "ocr_low_confidence_pages": list(src.ocr_low_pages) if src else [],
    }


def _float(v: Decimal | None) -> float | None:
    return None if v is None else float(v)
