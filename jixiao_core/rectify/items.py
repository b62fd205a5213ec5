"""The life of a 整改 item on the write side: made from a report's stated problems (on import), from an audit finding
or by a person; edited field by field with history; closed by a confirmation naming who and when.

Every function takes the caller's Session, may flush and never commits. Who is acting comes from
`accounts.actor.require(s, "items", unit)`; an edited row carries a version, and a stale one is refused with
"已被他人修改，请刷新后重试" rather than overwriting someone else's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jixiao_core import models as m
from jixiao_core.accounts.actor import Actor, require
from jixiao_core.errors import InputError
from jixiao_core.rectify import followup, rules

STALE = "已被他人修改，请刷新后重试"
# the kinds of finding that are about one indicator (the first it cites); a contradicted claim is about the report
ONE_INDICATOR_KINDS = frozenset({"target_missed", "implausible_rate", "rate_mismatch", "over_achievement"})


@dataclass(frozen=True)
class Field:
    """A field a person may edit: its kind (text / body / date / state) and the Chinese name errors use."""

    name: str
    kind: str
    label: str
    manual_only: bool = False  # a problem the report or the audit stated is kept as stated


FIELDS = {
    f.name: f
    for f in (
        Field("problem", "text", "问题", manual_only=True),
        Field("requirement", "text", "整改要求"),
        Field("body", "body", "责任科室"),
        Field("deadline", "date", "整改期限"),
        Field("result", "text", "整改结果"),
        Field("state", "state", "状态"),
    )
}


COLUMN = {"body": "body_id"}  # fields whose column has another name


def item_of(s: Session, item_id: int) -> m.RectifyItem:
    item = s.get(m.RectifyItem, item_id)
    if item is None:
        raise InputError(f"整改事项 {item_id}", "不存在（可能已被删除）")
    return item


def _unit_name(s: Session, unit_id: int) -> str:
    return s.scalar(select(m.Unit.name).where(m.Unit.id == unit_id))


def actor_for(s: Session, item: m.RectifyItem) -> Actor:
    return require(s, "items", _unit_name(s, item.unit_id))


def record(s: Session, item: m.RectifyItem, actor: str, action: str, field=None, old=None, new=None) -> None:
    s.add(
        m.RectifyEvent(
            item_id=item.id,
            actor=actor,
            action=action,
            field=field,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def clean_text(field: Field, raw: Any) -> str | None:
    text = "" if raw is None else str(raw).strip()
    if len(text) > rules.MAX_TEXT_CHARS:
        raise InputError(field.label, f"不超过 {rules.MAX_TEXT_CHARS} 字（现为 {len(text)} 字）")
    return text or None


def _date(field: Field, raw: Any) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InputError(field.label, f"应为日期（如 2025-06-30），实为“{raw}”") from None


def _body(s: Session, item: m.RectifyItem, raw: Any) -> int | None:
    """Return the id of the unit's 内设机构 named `raw` (None clears it); InputError for any other name."""
    if raw is None or raw == "":
        return None
    stmt = select(m.InternalBody.id).where(m.InternalBody.unit_id == item.unit_id, m.InternalBody.name == raw)
    body_id = s.scalar(stmt)
    if body_id is None:
        names = s.scalars(
            select(m.InternalBody.name)
            .where(m.InternalBody.unit_id == item.unit_id)
            .order_by(m.InternalBody.seq, m.InternalBody.id)
        )
        listed = "、".join(names) or "（本单位尚无内设机构记录）"
        raise InputError("责任科室", f"“{raw}”不是本单位的内设机构；可选：{listed}")
    return body_id


def body_name(s: Session, body_id: int | None) -> str | None:
    return (
        None if body_id is None else s.scalar(select(m.InternalBody.name).where(m.InternalBody.id == body_id))
    )


def new_item(s: Session, **fields) -> m.RectifyItem:
    """Add one item (state 待整改) with its `created` event; flushes."""
    item = m.RectifyItem(state="pending", **fields)
    s.add(item)
    s.flush()
    record(s, item, item.created_by, "created", new=item.source)
    return item


def from_report(s: Session, project_year_id: int, user: str) -> list[int]:
    """Make one 待整改 item per problem the stored report states (its suggestions, when it states no problem);
    return the new item ids. A problem already an item of the project-year is left alone (a re-import)."""
    py = s.get(m.ProjectYear, project_year_id)
    unit_id = s.scalar(select(m.Project.unit_id).where(m.Project.id == py.project_id))
    stated = list(
        s.scalars(select(m.Problem).where(m.Problem.project_year_id == py.id).order_by(m.Problem.seq))
    )
    chosen = [p for p in stated if p.kind == "problem"] or stated
    made = []
    for p in chosen:
        source = "report" if p.kind == "problem" else "suggestion"
        key = rules.source_key(source, p.text)
        if _exists(s, py.project_id, py.year, key):
            continue
        item = new_item(
            s,
            unit_id=unit_id,
            project_id=py.project_id,
            year=py.year,
            source=source,
            source_key=key,
            problem=p.text,
            source_text=p.sentence or p.text,
            span_start=p.span_start,
            span_end=p.span_end,
            created_by=user,
        )
        made.append(item.id)
    return made


def _exists(s: Session, project_id: int, year: int, key: str) -> int | None:
    stmt = select(m.RectifyItem.id).where(
        m.RectifyItem.project_id == project_id, m.RectifyItem.year == year, m.RectifyItem.source_key == key
    )
    return s.scalar(stmt)


def from_finding(s: Session, finding_id: int) -> int:
    """Make a 待整改 item of one audit finding (the 数据核查 card's one action); return its id."""
    finding = s.get(m.Finding, finding_id)
    if finding is None:
        raise InputError(f"核查发现 {finding_id}", "不存在（数据已更新，请刷新后重试）")
    py = s.get(m.ProjectYear, finding.project_year_id)
    project = s.get(m.Project, py.project_id)
    actor = require(s, "items", _unit_name(s, project.unit_id))
    key = rules.source_key("finding", f"{finding.kind}|{finding.message}")
    existing = _exists(s, py.project_id, py.year, key)
    if existing is not None:
        raise InputError("核查发现", f"已转为整改事项（编号 {existing}），不再重复添加")
    item = new_item(
        s,
        unit_id=project.unit_id,
        project_id=py.project_id,
        year=py.year,
        source="finding",
        source_key=key,
        problem=finding.message,
        source_text=finding.text or None,
        span_start=finding.span_start,
        span_end=finding.span_end,
        finding_kind=finding.kind,
        indicator_name=_cited_indicator(s, finding),
        created_by=actor.name,
    )
    followup.propose(s, py.project_id)  # a later report may already be stored
    return item.id


def _cited_indicator(s: Session, finding: m.Finding) -> str | None:
    """Return the name of the indicator a one-indicator finding is about (its first cited), else None."""
    seqs = [int(x) for x in finding.indicator_seqs.split(",") if x]
    if finding.kind not in ONE_INDICATOR_KINDS or not seqs:
        return None
    stmt = select(m.Indicator.name).where(
        m.Indicator.project_year_id == finding.project_year_id, m.Indicator.seq == seqs[0]
    )
    return s.scalar(stmt)


def add(s: Session, unit: str, year: int, problem: str, project: str | None = None) -> int:
    """Make a 待整改 item a person writes down for a unit's project-year; return its id."""
    actor = require(s, "items", unit)
    text = clean_text(FIELDS["problem"], problem)
    if not text:
        raise InputError("问题", "请填写问题")
    stmt = (
        select(m.ProjectYear)
        .join(m.Project, m.Project.id == m.ProjectYear.project_id)
        .join(m.Unit, m.Unit.id == m.Project.unit_id)
        .where(m.Unit.name == unit, m.ProjectYear.year == year, m.ProjectYear.is_current)
    )
    if project:
        stmt = stmt.where(m.Project.name == project)
    rows = list(s.scalars(stmt))
    if len(rows) != 1:
        what = "没有该单位该年度的数据" if not rows else "该单位该年度有多个项目，请指定项目"
        raise InputError(f"{unit} {year}年", what)
    project_id = rows[0].project_id
    unit_id = s.scalar(select(m.Project.unit_id).where(m.Project.id == project_id))
    fields = dict(unit_id=unit_id, project_id=project_id, year=year, source="manual", problem=text)
    item = new_item(s, **fields, created_by=actor.name)
    followup.propose(s, project_id)  # a later report may already be stored
    return item.id


def edit(s: Session, item_id: int, changes: dict[str, Any], *, expected_version: int) -> int:
    """Apply `changes` (field → value; body by name, deadline as a date or ISO text, state by key) to one item as
    whoever is acting, each change in its history; return the new version. Closing needs a 整改结果 and records who
    confirmed it and when; reopening clears that."""
    require(s, "items")  # refuse before reading the row
    item = item_of(s, item_id)
    actor = actor_for(s, item)
    if item.version != expected_version:
        raise InputError(item.problem[:30], STALE)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InputError("整改事项", f"这些字段不能修改：{'、'.join(unknown)}")
    new = _parsed(s, item, changes)
    _check_move(item, new)
    before = item.state
    changed = [
        (n, v, getattr(item, COLUMN.get(n, n)))
        for n, v in new.items()
        if getattr(item, COLUMN.get(n, n)) != v
    ]
    shown = [
        (n, _shown(s, n, old), _shown(s, n, v)) for n, v, old in changed
    ]  # reads before any write: one flush
    for (name, value, _), (_, shown_old, shown_new) in zip(changed, shown, strict=True):
        setattr(item, COLUMN.get(name, name), value)
        record(s, item, actor.name, "state" if name == "state" else "edit", name, shown_old, shown_new)
    if item.state != before:
        _confirm(item, actor.name, rules.STATES[item.state].closed)
    label = item.problem[:30]  # read before the flush: a failed flush expires the row
    try:
        s.flush()
    except StaleDataError:
        raise InputError(label, STALE) from None
    return item.version


def _parsed(s: Session, item: m.RectifyItem, changes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, raw in changes.items():
        field = FIELDS[name]
        if field.manual_only and item.source != "manual":
            raise InputError(field.label, "报告或核查发现所述的问题保持原文，不能修改")
        if field.kind == "text":
            out[name] = clean_text(field, raw)
        elif field.kind == "date":
            out[name] = _date(field, raw)
        elif field.kind == "body":
            out[name] = _body(s, item, raw)
        elif raw not in rules.STATES:
            raise InputError(field.label, f"未知状态 {raw!r}")
        else:
            out[name] = raw
    if "problem" in out and not out["problem"]:
        raise InputError("问题", "不能为空")
    return out


def _check_move(item: m.RectifyItem, new: dict[str, Any]) -> None:
    target = new.get("state", item.state)
    if target != item.state and (item.state, target) not in rules.MOVES:
        raise InputError("状态", f"不能从“{item.state}”直接改为“{target}”")
    result = new.get("result", item.result)
    if rules.STATES[target].needs_result and not result:
        raise InputError("整改结果", "确认已整改前，请先填写整改结果")


def _confirm(item: m.RectifyItem, actor: str, closed: bool) -> None:
    """Record who confirmed the 整改结果 and when (on closing); clear it on reopening."""
    item.confirmed_by, item.confirmed_at = (actor, datetime.now()) if closed else (None, None)


def _shown(s: Session, name: str, value: Any) -> Any:
    if name == "body":
        return body_name(s, value)
    return value.isoformat() if isinstance(value, date) else value
