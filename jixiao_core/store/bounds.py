"""What a column can hold, checked before every flush on both databases: a String(n) at most n characters, a
Numeric(p, s) less than 10^(p−s) in size. PostgreSQL refuses either with an English driver error half way through
a write (SQLite keeps both), so a value over a bound becomes one Chinese message before anything is written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Float, Numeric, String, event, inspect
from sqlalchemy.orm import Session

from jixiao_core.errors import InputError

# "table.column" → what the user calls it; other columns are named by table and column
LABELS = {
    "unit.name": "单位名称",
    "community.name": "社区名称",
    "internal_body.name": "内设机构名称",
    "project.name": "项目名称",
    "indicator.name": "指标名称",
    "work_area.key": "工作领域代码",
    "import_batch.sha256": "文件摘要",
    "source_document.sha256": "文件摘要",
    "source_document.encoding": "文件编码",
    "indicator.actual": "完成值",
    "indicator.target": "目标值",
    "indicator.rate": "报告所述完成率",
    "indicator.change": "变化值",
    "indicator.change_pct": "变化率",
    "indicator.weight": "分值",
    "indicator.stated_score": "得分",
    "project_year.budget_initial": "年初预算数",
    "project_year.budget": "全年预算数",
    "project_year.arrived": "到位资金",
    "project_year.spent": "支出",
    "disbursement.spent_to_date": "累计支出",
    # accounts, batches and 整改: a person's name, a unit, a file, an address or a digest
    "account_unit.unit": "单位名称",
    "audit_log.person": "账号名",
    "audit_log.unit": "单位名称",
    "audit_log.source": "来源地址",
    "signin_failure.name": "账号名",
    "signin_session.source": "来源地址",
    "signin_session.token_hash": "会话摘要",
    "batch_run.key": "批次摘要",
    "batch_run.started_by": "账号名",
    "batch_file.path": "文件路径",
    "batch_file.sha256": "文件摘要",
    "batch_file.unit": "单位名称",
    "batch_file.project": "项目名称",
    "rectify_item.indicator_name": "指标名称",
    "rectify_item.confirmed_by": "账号名",
    "rectify_item.created_by": "账号名",
    "rectify_event.actor": "账号名",
    "rectify_evidence.file_name": "文件名",
    "rectify_evidence.indicator_label": "指标名称",
    "rectify_evidence.added_by": "账号名",
    "rectify_proposal.decided_by": "账号名",
}
PREVIEW = 20  # characters of an over-long value shown in the message


class TooLarge(InputError):
    """A value over its column's bound; ingest names the file when it re-raises it."""

    def __init__(self, message: str):
        super().__init__(None, message)


def check(obj) -> None:
    """Raise TooLarge when one of the object's values is over its column's bound."""
    state = inspect(obj)
    table = state.mapper.local_table.name
    for prop in state.mapper.column_attrs:
        value = state.dict.get(prop.key)  # only values set or loaded: never a query inside a flush
        column = prop.columns[0]
        if value is None:
            continue
        label = LABELS.get(f"{table}.{column.name}", f"{table}.{column.name}")
        problem = _problem(column.type, value)
        if problem:
            raise TooLarge(f"{label}{problem}")


def _problem(kind, value) -> str | None:
    if isinstance(kind, String) and kind.length and isinstance(value, str) and len(value) > kind.length:
        more = "…" if len(value) > PREVIEW else ""
        return f"过长（{len(value)} 字，上限 {kind.length} 字）：“{value[:PREVIEW]}{more}”"
    if (
        isinstance(kind, Numeric)
        and not isinstance(kind, Float)
        and kind.precision
        and kind.scale is not None
    ):
        try:
            number = Decimal(str(value))
            limit = Decimal(10) ** (kind.precision - kind.scale)
            if not number.is_finite():
                return f"不是有限的数值（{value}）"
            if abs(number) >= limit - Decimal(10) ** -kind.scale:
                return f"数值 {number.normalize():E} 超出可存储范围（绝对值须小于 10^{kind.precision - kind.scale}）"
        except (InvalidOperation, ValueError):
            return f"不是数值（{str(value)[:PREVIEW]}）"
    return None


@event.listens_for(Session, "before_flush")
def _check_pending(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        check(obj)
