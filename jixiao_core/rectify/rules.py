"""The rules of a 整改 item, as tables: states and the moves between them, where items come from, the evidence kinds,
the status filters of the command line, and when a state shows as 逾期 (overdue)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class State:
    key: str
    closed: bool
    needs_result: bool = False  # entering it needs a 整改结果, and records who confirmed it


STATES = {
    s.key: s
    for s in (
        State("pending", closed=False),  # 待整改
        State("in_progress", closed=False),  # 整改中
        State("done", closed=True, needs_result=True),  # 已整改 (confirmed)
    )
}
OVERDUE = "overdue"  # 逾期: shown for an unclosed item past its deadline, never stored
# the moves a person may make; reopening a closed item goes back to 整改中
MOVES = frozenset(
    {
        ("pending", "in_progress"),
        ("pending", "done"),
        ("in_progress", "done"),
        ("in_progress", "pending"),
        ("done", "in_progress"),
    }
)


@dataclass(frozen=True)
class Source:
    key: str
    automatic: bool  # made by an import rather than by a person's action


SOURCES = {
    s.key: s
    for s in (
        Source("report", automatic=True),  # 报告自述问题 (chapter 七)
        Source("suggestion", automatic=True),  # 报告意见建议, when the report states no problem
        Source("finding", automatic=False),  # 核查发现, one action on the 数据核查 card
        Source("manual", automatic=False),  # 人工录入
    )
}
EVIDENCE_KINDS = ("note", "file", "indicator")
MAX_EVIDENCE_BYTES = (
    5 * 1024 * 1024
)  # an uploaded file of evidence (a scan, a notice); larger ones are refused
MAX_TEXT_CHARS = 2000


@dataclass(frozen=True)
class StatusFilter:
    """A `--status` value of `items`: which states it keeps, and whether only those past their deadline."""

    key: str
    closed: bool
    overdue_only: bool = False


STATUS_FILTERS = {
    f.key: f
    for f in (
        StatusFilter("open", closed=False),  # every unclosed item, overdue ones included
        StatusFilter("overdue", closed=False, overdue_only=True),
        StatusFilter("closed", closed=True),
    )
}


def shown_status(state: str, deadline: date | None, today: date) -> str:
    """Return the status an item shows on `today`: its state, or overdue when unclosed past its deadline."""
    if not STATES[state].closed and deadline is not None and deadline < today:
        return OVERDUE
    return state


def source_key(source: str, text: str) -> str:
    """Return the key that keeps one stated problem (or one finding) from becoming two items of a project-year."""
    return f"{source}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:24]}"
