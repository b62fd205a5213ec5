"""The 自评表 a score starts from: rebuilt from a parsed report (indicators with a numeric target become rows,
never invented), read from an uploaded file, or copied with what-if changes to 分值 and 年度指标值.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from jixiao_core.classify import Placement, classify
from jixiao_core.facts import Indicator, Report
from jixiao_core.labels import fmt_num as fmt
from jixiao_core.selfeval import SelfEvalTable, TableRow, Unscored
from jixiao_core.selfeval.cells import outcome_of
from jixiao_core.units import convert


def table_from_report(report: Report) -> SelfEvalTable:
    """Return a 自评表 rebuilt from a parsed report: indicators with a numeric target become rows, never invented."""
    f = report.funds
    table = SelfEvalTable(
        project_name=report.project_name,
        unit_name=report.unit_name,
        year=report.year,
        budget_initial=f.budget_initial,
        budget=f.budget if f.budget is not None else f.arrived,
        spent=f.spent,
        goal_expected=report.overall_goal,
        origin="report",
    )
    if f.budget is None and f.arrived is not None:
        table.notes.append("报告未给全年预算数，按到位资金计算执行率")
    for ind in report.indicators:
        reason = _report_reason(ind)
        if reason:
            table.unscored.append(Unscored(_name(ind), reason))
        else:
            table.rows.append(_report_row(ind))
    return table


def _report_reason(ind: Indicator) -> str:
    if ind.direction == "qualitative":  # a stored 自评表 row: its outcome wording is in `text`
        return "" if outcome_of(ind.text) else "无完成情况"
    # a stated rate implies a target (actual ÷ rate), but an implied target is not a 年度指标值
    if ind.target is None:
        return "无年度指标值"
    if ind.actual is None:
        return "无实际完成值"
    if convert(ind.actual, ind.unit, ind.target_unit) is None:
        return "单位不可比"
    return ""


def _name(ind: Indicator) -> str:
    return f"{ind.name}（{ind.community}）" if ind.community else ind.name


def _report_row(ind: Indicator) -> TableRow:
    # a clerk's (or the workbook's) placement wins over the rules table
    p = classify(ind)
    if ind.level1 and ind.level2 and ind.direction:
        p = Placement(ind.level1, ind.level2, ind.level3 or ind.name, ind.direction, "stored")
    sign = {">=": "≥", "<=": "≤", "=": "="}.get(ind.comparator or "", "")
    return TableRow(
        level1=p.level1,
        level2=p.level2,
        level3=_name(ind),
        target_text=ind.target_text
        or (f"{sign}{fmt(ind.target)}{ind.target_unit or ''}" if ind.target is not None else ""),
        target=ind.target,
        target_unit=ind.target_unit or ind.unit,
        comparator=ind.comparator,
        actual_text=f"{fmt(ind.actual)}{ind.unit or ''}" if ind.actual is not None else _outcome_text(ind),
        actual=ind.actual,
        actual_unit=ind.unit,
        weight=ind.weight,
        stated_score=ind.stated_score,
        direction=p.direction,
        outcome=outcome_of(ind.text) if p.direction == "qualitative" else None,
        cell=ind.locator,
    )


def _outcome_text(ind: Indicator) -> str:
    return ind.text if ind.direction == "qualitative" else ""


def what_if(
    table: SelfEvalTable,
    weights: dict[int, Decimal] | None = None,
    targets: dict[int, Decimal] | None = None,
) -> SelfEvalTable:
    """Return a copy of `table` with some rows' 分值 or 年度指标值 changed (by row index); the original is untouched."""
    rows = []
    for i, row in enumerate(table.rows):
        changes: dict[str, Any] = {}
        if weights and i in weights:
            changes["weight"] = weights[i]
        if targets and i in targets:
            changes["target"] = targets[i]
        rows.append(replace(row, **changes) if changes else row)
    return replace(table, rows=rows, notes=list(table.notes), unscored=list(table.unscored))
