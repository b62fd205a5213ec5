"""What the 整改跟踪 and 结果应用 pages ask for: items with the status they show today, counts by 责任科室 and by source,
an item's timeline and evidence, the follow-ups awaiting a clerk, and the 结果应用 brief; plus the item filters bound
to the URL. Item edits write history rows, so every key here also ends in the newest history id (`item_version`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import config, labels
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.meeting import application as briefing
from jixiao_core.meeting import application_export as brief_export
from jixiao_core.rectify import ledger
from ui.cache import VERSION_TTL, engine
from ui.data import View, keyed, loader, year_choices
from ui.selection import Filters

STATUS_CHOICES = {"all": "全部", **labels.ITEM_STATUS_FILTER_LABELS}


def today() -> date:
    """Return the day deadlines are judged on ($JIXIAO_TODAY, else the calendar date)."""
    return config.today()


_seen: dict[str, tuple[float, int]] = {}
_seen_lock = threading.Lock()


def item_version(f: Filters) -> tuple:
    """Return the data version plus the newest item-history id (re-read every few seconds, at once after a write)."""
    url = config.load().database_url
    now = time.monotonic()
    with _seen_lock:
        seen = _seen.get(url)
    if seen is None or now - seen[0] >= VERSION_TTL:
        with engine().connect() as conn:
            seen = (now, ledger.newest_event(conn))
        with _seen_lock:
            _seen[url] = seen
    return (*f.version, seen[1])


def forget_item_version() -> None:
    with _seen_lock:
        _seen.clear()


def _shown_items(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(body=df["body"].fillna(labels.NO_BODY), deadline=df["deadline"].fillna("未定"))


def _shown_counts(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(key=df["key"].fillna(labels.NO_BODY))


def _value_label(field, action, value):
    """Return a history value as shown: a state or a source by its Chinese name, anything else as written."""
    if field == "state":
        return labels.ITEM_STATUS_LABELS.get(value, value)
    return labels.ITEM_SOURCE_LABELS.get(value, value) if action == "created" else value


def _timeline(df: pd.DataFrame) -> pd.DataFrame:
    steps = list(zip(df["field"], df["action"], df["old_value"], df["new_value"], strict=True))
    return df.assign(
        action=[labels.ITEM_ACTION_LABELS.get(a, a) for a in df["action"]],
        field=[labels.ITEM_FIELD_LABELS.get(f, f) if isinstance(f, str) else "" for f in df["field"]],
        old_value=[_value_label(f, a, old) for f, a, old, _ in steps],
        new_value=[_value_label(f, a, new) for f, a, _, new in steps],
    )


_items = loader(ledger.items_for, _shown_items)
_by_body = loader(ledger.counts_by_body, _shown_counts)
_by_source = loader(ledger.counts_by_source)
_history = loader(ledger.history, _timeline)
_evidence = loader(ledger.evidence)
_proposals = loader(ledger.proposals_for)
_bodies = loader(ledger.bodies_for)
_indicators = loader(ledger.unit_indicators)


@dataclass(frozen=True)
class ItemFilter:
    status: str  # all / open / overdue / closed
    sources: tuple[str, ...]
    bodies: tuple[str, ...]


def item_filters(f: Filters) -> ItemFilter:
    """Render the item filters (status, source, 责任科室), bound to the URL; return the choice."""
    cols = st.columns([2, 2, 3])
    bound = {"bind": "query-params", "persist_state": "session"}  # the URL carries them: a shareable view
    status = cols[0].segmented_control(
        "状态",
        list(STATUS_CHOICES),
        format_func=STATUS_CHOICES.get,
        default="all",
        key="rect_status",
        required=True,
        **bound,
    )
    source_names = labels.ITEM_SOURCE_LABELS
    sources = cols[1].multiselect(
        "来源",
        list(source_names),
        format_func=source_names.get,
        key="rect_source",
        placeholder="全部来源",
        **bound,
    )
    names = [*body_names(f), labels.NO_BODY]
    bodies = cols[2].multiselect("责任科室", names, key="rect_body", placeholder="全部科室", **bound)
    return ItemFilter(status, tuple(sources), tuple(bodies))


def through(f: Filters) -> tuple[int, ...]:
    """Return the unit's years up to the one shown: an item raised earlier and still open is tracked there too."""
    return tuple(y for y, _ in year_choices(f.unit, f.version) if y <= f.year)


def items(f: Filters, pick: ItemFilter | None = None) -> View:
    """Return the items raised up to the year shown, with the status they show today, narrowed by the filters."""
    status = None if pick is None or pick.status == "all" else pick.status
    view = View(_items, (f.unit, through(f), today(), status, None, item_version(f)))
    return view if pick is None else view.only("source", pick.sources).only("body", pick.bodies)


def item_choices(rows: View) -> dict[int, str]:
    """Return item id → "#3 问题…" for the items shown (the picker's options)."""
    return {int(i): f"#{i} {p[:40]}" for i, p in zip(rows.column("id"), rows.column("problem"), strict=True)}


def item(rows: View, item_id: int) -> dict:
    """Return one shown item as a plain dict (the detail and the edit form read it)."""
    df = rows.frame
    return df[df["id"] == item_id].iloc[0].to_dict()


def item_counts(f: Filters, by: str) -> View:
    """Return open, overdue, closed and all items per 责任科室 (`by="body"`) or per source."""
    load = _by_body if by == "body" else _by_source
    return View(load, (f.unit, through(f), today(), item_version(f)))


def item_cards(f: Filters) -> list[tuple[str, str, str]]:
    """Return the KPI cards: unclosed, overdue, closed items and follow-ups awaiting a clerk."""
    rows = items(f).frame
    return [
        ("未完成", f"{int((rows['state'] != 'done').sum())} 项", "待整改和整改中，含逾期"),
        (
            "逾期",
            f"{int((rows['status'] == 'overdue').sum())} 项",
            f"期限早于 {today().isoformat()} 且未整改",
        ),
        ("已整改", f"{int((rows['state'] == 'done').sum())} 项", "已填写整改结果并确认"),
        ("待确认跟踪", f"{len(proposals(f))} 条", "下年度报告显示问题再次出现或已整改，待经办人确认"),
    ]


def history(f: Filters, item_id: int) -> View:
    return View(_history, (f.unit, item_id, item_version(f)))


def evidence(f: Filters, item_id: int) -> View:
    return View(_evidence, (f.unit, item_id, item_version(f)))


def proposals(f: Filters) -> View:
    return View(_proposals, (f.unit, through(f), item_version(f)))


def body_names(f: Filters) -> list[str]:
    return list(_bodies(f.unit, f.version)["name"])


def unit_indicator_choices(f: Filters) -> dict[int, str]:
    df = _indicators(f.unit, f.version)
    cells = zip(df["id"], df["year"], df["name"], df["actual_printed"], df["unit"], strict=True)
    return {int(i): f"{y}年 {n}：{v or '—'}{u or ''}" for i, y, n, v, u in cells}


def can_edit_items(f: Filters) -> bool:
    """Return whether the person acting may edit this unit's items (the core checks again on saving)."""
    with Session(engine()) as s:
        return actor.current(s).may("items", f.unit)


@keyed
def _application(unit: str, year: int, day: date, v: tuple) -> briefing.ApplicationBrief | None:
    try:
        with Session(engine()) as s:
            return briefing.application_brief(s, unit, year, day)
    except InputError:
        return None


def application(f: Filters) -> briefing.ApplicationBrief | None:
    """Return the 结果应用 brief of the unit-year (None when there is no single report to build it from)."""
    return _application(f.unit, f.year, today(), item_version(f))


def _missed_rows(b: briefing.ApplicationBrief) -> list[tuple]:
    def shown(v, unit) -> str:
        return f"{labels.fmt_num(v)}{unit or ''}"

    return [
        (t.name, shown(t.actual, t.unit), shown(t.target, t.target_unit or t.unit), float(t.rate))
        for t in b.meeting.missed
    ]


def _unscored_rows(b: briefing.ApplicationBrief) -> list[tuple]:
    return [(u.name, u.reason) for u in b.meeting.score.unscored]


def _item_rows(b: briefing.ApplicationBrief) -> list[tuple]:
    return [
        (i.id, i.year, i.problem, i.source, i.body or labels.NO_BODY, i.deadline or "未定", i.status)
        for i in b.items
    ]


BRIEF_PARTS = {
    "missed": (_missed_rows, ["name", "value", "target_value", "rate"]),
    "unscored": (_unscored_rows, ["name", "reason"]),
    "items": (_item_rows, ["id", "year", "problem", "source", "body", "deadline", "status"]),
}


@keyed
def _brief_part(unit: str, year: int, day: date, table: str, v: tuple) -> pd.DataFrame:
    b = _application(unit, year, day, v)
    rows, columns = BRIEF_PARTS[table]
    return pd.DataFrame(rows(b) if b else [], columns=columns)


def application_rows(f: Filters, part: str) -> View:
    """Return one table of the brief as a View: missed, unscored or items."""
    return View(_brief_part, (f.unit, f.year, today(), part, item_version(f)))


def application_cards(b: briefing.ApplicationBrief) -> list[tuple[str, str]]:
    """Return the brief's headline figures as KPI cards."""
    return briefing.headline(b)


def quality_lines(b: briefing.ApplicationBrief) -> tuple[str, ...]:
    return brief_export.quality_lines(b)


def brief_downloads(b: briefing.ApplicationBrief) -> None:
    """Render one download button per brief format; each file is built only when clicked."""
    for col, fmt in zip(st.columns(len(brief_export.FORMATS)), brief_export.FORMATS.values(), strict=True):
        col.download_button(
            f"下载{fmt.label}",
            data=lambda key=fmt.key: brief_export.render(b, key),
            file_name=brief_export.file_name(b, fmt.key),
            mime=fmt.mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"brief_download_{fmt.key}",
            width="stretch",
        )
