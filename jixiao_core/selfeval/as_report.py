"""A 自评表 workbook as storable facts: each row becomes an indicator whose provenance is its cell."""

from __future__ import annotations

import hashlib

from jixiao_core import facts
from jixiao_core.errors import InputError
from jixiao_core.selfeval.workbook import SelfEvalTable, TableRow

SEP = "｜"


def _line(r: TableRow) -> str:
    return SEP.join((r.level1, r.level2, r.level3, r.target_text, str(r.weight or ""), r.actual_text))


def _indicator(r: TableRow, start: int) -> facts.Indicator:
    line = _line(r)
    span = (start, start + len(line))
    text = line
    if r.direction == "qualitative":
        # the outcome wording (部分达成 …) is what the scorer reads, so the text is just that cell's words
        text = r.actual_text
        span = (span[1] - len(text), span[1])
    return facts.Indicator(
        name=r.level3,
        actual=r.actual,
        unit=r.actual_unit or r.target_unit,
        target=r.target,
        target_unit=r.target_unit or r.actual_unit,
        comparator=r.comparator,
        level1=r.level1,
        level2=r.level2,
        level3=r.level3,
        direction=r.direction,
        weight=r.weight,
        target_text=r.target_text or None,
        stated_score=r.stated_score,
        text=text,
        span=span,
        locator=r.cell,
    )


def report_from_table(table: SelfEvalTable, file_name: str, data: bytes) -> facts.Report:
    """Return the workbook as a Report (funds in 元, rows as indicators with cell locators)."""
    if not table.unit_name or not table.project_name:
        raise InputError(file_name, "自评表缺少“项目名称”或“实施单位”，无法入库")
    if table.year is None:
        raise InputError(file_name, "自评表中未找到年度（如“2023年度”），无法入库")
    head = f"项目名称：{table.project_name}\n实施单位：{table.unit_name}\n"
    inds, pos = [], len(head)
    for r in table.rows:
        inds.append(_indicator(r, pos))
        pos += len(_line(r)) + 1
    text = head + "\n".join(_line(r) for r in table.rows)
    return facts.Report(
        source=facts.SourceDoc(file_name, hashlib.sha256(data).hexdigest(), "xlsx", None, text),
        unit_name=table.unit_name,
        project_name=table.project_name,
        year=table.year,
        funds=facts.Funds(budget=table.budget, budget_initial=table.budget_initial, spent=table.spent),
        overall_goal=table.goal_expected,
        indicators=inds,
        sections={"conclusion": table.goal_actual} if table.goal_actual else {},
    )
