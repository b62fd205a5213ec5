"""Corrections by people: an indicator's fields edited with full history, roles checked and optimistic locking.

Every edit writes one `Correction` row per changed field (old and new value, who, why), bumps the row's
`version`, and re-runs the audit of its project-year so findings follow the corrected figures. Two people
editing the same row: the second save is refused ("已被他人修改") instead of silently overwriting the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import jixiao_core.store.read as stored
from jixiao_core import audit
from jixiao_core import models as m
from jixiao_core.accounts import log
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.store import scores
from jixiao_core.store.write import finding_row, judged


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # number / text / choice
    choices: tuple[str | None, ...] = ()


FIELDS = {
    f.name: f
    for f in (
        Field("name", "text"),
        Field("actual", "number"),
        Field("unit", "text"),
        Field("target", "number"),
        Field("target_unit", "text"),
        Field("rate", "number"),
        Field("weight", "number"),
        Field("comparator", "choice", (None, ">=", "<=", "=")),
        Field("qualifier", "choice", (None, "approx", "more_than")),
        Field("level1", "choice", ("产出指标", "效益指标", "满意度指标")),
        Field(
            "level2",
            "choice",
            (
                "数量指标",
                "质量指标",
                "时效指标",
                "成本指标",
                "经济效益指标",
                "社会效益指标",
                "生态效益指标",
                "可持续影响指标",
                "服务对象满意度指标",
            ),
        ),
        Field("level3", "text"),
        Field("direction", "choice", ("positive", "negative", "equal", "qualitative")),
    )
}
PRINTED = {"actual": "actual_printed", "target": "target_printed", "rate": "rate_printed"}


def _value(field: Field, raw: Any) -> Any:
    """Return the stored form of an edited value; raise InputError naming the field when it is not valid."""
    if raw is None or raw == "":
        if field.kind == "choice" and None not in field.choices:
            raise InputError(field.name, "不能为空")
        return None
    if field.kind == "number":
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise InputError(field.name, f"应为数字，实为“{raw}”") from None
        if not value.is_finite() or value < 0:
            raise InputError(field.name, f"应为非负数，实为“{raw}”")
        return value
    if field.kind == "choice" and raw not in field.choices:
        raise InputError(
            field.name, f"取值“{raw}”不在允许范围内：{'、'.join(str(c) for c in field.choices if c)}"
        )
    text = str(raw).strip()
    if not text or len(text) > 200:
        raise InputError(field.name, "文字不能为空，且不超过 200 字")
    return text


def correct_indicator(
    s: Session,
    indicator_id: int,
    changes: dict[str, Any],
    *,
    expected_version: int,
    reason: str | None = None,
) -> int:
    """Apply `changes` to one indicator as whoever is acting, with history; return its new version. Flushes,
    never commits."""
    require(s, "correct")  # refuse before reading the row
    ind = s.get(m.Indicator, indicator_id)
    if ind is None:
        raise InputError(f"指标 {indicator_id}", "不存在（可能已被替换为新版本）")
    unit = unit_of(s, ind)
    who = require(s, "correct", unit)
    user = who.name
    if ind.version != expected_version:
        raise InputError(ind.name, "已被他人修改，请刷新后重试")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InputError(ind.name, f"这些字段不能更正：{'、'.join(unknown)}")
    parsed = {k: _value(FIELDS[k], v) for k, v in changes.items()}
    changed = {k: v for k, v in parsed.items() if getattr(ind, k) != v}
    said = []
    for key, value in changed.items():
        old = getattr(ind, PRINTED.get(key, key))
        said.append(f"{key}：{'—' if old is None else old} → {'—' if value is None else value}")
        s.add(
            m.Correction(
                entity="indicator",
                entity_id=ind.id,
                field=key,
                old_value=None if old is None else str(old),
                new_value=None if value is None else str(value),
                user_name=user,
                reason=reason,
            )
        )
        setattr(ind, key, value)
        if key in PRINTED:
            setattr(ind, PRINTED[key], None if value is None else str(value))
    if not changed:
        return ind.version
    judged(ind)
    name = ind.name  # read before the flush: a failed flush expires the row
    try:
        s.flush()
    except StaleDataError:
        raise InputError(name, "已被他人修改，请刷新后重试") from None
    detail = f"指标 {ind.id}“{name}”：{'；'.join(said)}" + (f"（原因：{reason}）" if reason else "")
    log.record(s, user, "correct", unit=unit, detail=detail, source=who.source)
    refresh_findings(s, ind.project_year_id)
    return ind.version


def unit_of(s: Session, ind: m.Indicator) -> str:
    """Return the name of the unit an indicator belongs to."""
    stmt = (
        select(m.Unit.name)
        .join(m.Project, m.Project.unit_id == m.Unit.id)
        .join(m.ProjectYear, m.ProjectYear.project_id == m.Project.id)
        .where(m.ProjectYear.id == ind.project_year_id)
    )
    return s.scalar(stmt)


def refresh_findings(s: Session, project_year_id: int) -> int:
    """Re-run the audit (and the stored score) of one project-year after an edit; return the number of findings
    now stored."""
    py = s.get(m.ProjectYear, project_year_id)
    rep = stored.report_of(s, py)
    scores.rescore(py, rep)
    s.execute(delete(m.Finding).where(m.Finding.project_year_id == project_year_id))
    found = audit.audit(rep)
    for f in found:
        s.add(finding_row(py, f))
    s.flush()
    return len(found)


def corrections_for(conn: Connection, unit: str, indicator_id: int) -> pd.DataFrame:
    """Return the edit history of one indicator of `unit`, oldest first: at, user_name, field, old_value,
    new_value, reason."""
    stmt = (
        select(
            m.Correction.at,
            m.Correction.user_name,
            m.Correction.field,
            m.Correction.old_value,
            m.Correction.new_value,
            m.Correction.reason,
        )
        .join(m.Indicator, m.Indicator.id == m.Correction.entity_id)
        .join(m.ProjectYear, m.ProjectYear.id == m.Indicator.project_year_id)
        .join(m.Project, m.Project.id == m.ProjectYear.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(
            m.Correction.entity == "indicator", m.Correction.entity_id == indicator_id, m.Unit.name == unit
        )
        .order_by(m.Correction.id)
    )
    return pd.read_sql(stmt, conn)
