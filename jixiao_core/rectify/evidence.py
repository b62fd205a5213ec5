"""Evidence of a 整改结果: a note, an uploaded file (size-capped, kept in the database) or an indicator of the same
unit, each recorded in the item's history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.rectify import items, rules


def add_evidence(
    s: Session,
    item_id: int,
    *,
    note: str | None = None,
    file: tuple[str, bytes] | None = None,
    indicator_id: int | None = None,
) -> int:
    """Attach one piece of evidence to an item: a note, a file (name, bytes; size-capped) or an indicator of the
    same unit; return its id."""
    require(s, "items")
    item = items.item_of(s, item_id)
    actor = items.actor_for(s, item)
    given = [k for k, v in (("note", note), ("file", file), ("indicator", indicator_id)) if v]
    if len(given) != 1:
        raise InputError("整改佐证", "请给出一项佐证：说明、文件或指标，三选一")
    ev = m.RectifyEvidence(item_id=item.id, kind=given[0], added_by=actor.name)
    if note:
        ev.note = items.clean_text(items.Field("note", "text", "佐证说明"), note)
    elif file:
        ev.file_name, ev.content, ev.size = _file(*file)
    else:
        ev.indicator_id, ev.indicator_label = indicator_id, _indicator_label(s, item, indicator_id)
    s.add(ev)
    s.flush()
    items.record(
        s, item, actor.name, "evidence", ev.kind, None, ev.note or ev.file_name or ev.indicator_label
    )
    return ev.id


def _file(name: str, data: bytes) -> tuple[str, bytes, int]:
    if not data:
        raise InputError(name, "文件为空")
    if len(data) > rules.MAX_EVIDENCE_BYTES:
        limit = rules.MAX_EVIDENCE_BYTES // 1048576
        raise InputError(name, f"文件过大（{len(data) / 1048576:.1f} MB），佐证文件上限为 {limit} MB")
    return name[:255], data, len(data)


def _indicator_label(s: Session, item: m.RectifyItem, indicator_id: int) -> str:
    """Return "2024年 规模以上固定资产投资：25.3亿元" for an indicator of the item's unit; InputError otherwise."""
    row = s.execute(
        select(m.Indicator.name, m.Indicator.actual_printed, m.Indicator.unit, m.ProjectYear.year)
        .join(m.ProjectYear, m.ProjectYear.id == m.Indicator.project_year_id)
        .join(m.Project, m.Project.id == m.ProjectYear.project_id)
        .where(m.Indicator.id == indicator_id, m.Project.unit_id == item.unit_id)
    ).first()
    if row is None:
        raise InputError(f"指标 {indicator_id}", "不存在，或不属于本单位")
    name, printed, unit, year = row
    return f"{year}年 {name}：{printed or '—'}{unit or ''}"
