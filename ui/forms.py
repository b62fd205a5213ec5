"""The widgets that change something: the custom rule-set form, the what-if editor, the clerk's correction
form and the file import, with the message shown after the rerun they trigger.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core.errors import InputError
from jixiao_core.scoring.rules import CUSTOM_SETTINGS, RULE_SETS, custom_rule_name, rule_set, settings_of
from jixiao_core.store import corrections, ingest
from jixiao_core.store.write import StoreResult
from ui.auth import credential, who
from ui.cache import clear_caches, engine, kept
from ui.data import View

FLASH_STATE = "_jx_flash"


def custom_rules_form(key: str) -> str:
    """Render the user-defined rule set (分值 and grade lines, national by default); return its rule-set name."""
    national = settings_of(RULE_SETS["national"])
    state = f"{key}_values"  # the form's own key names the form widget, so values live beside it
    saved = st.session_state.get(state, national)
    with st.form(key):
        cols = st.columns(len(CUSTOM_SETTINGS))
        values = {
            s.key: col.number_input(s.label, float(s.low), float(s.high), float(saved[s.key]), step=1.0)
            for col, s in zip(cols, CUSTOM_SETTINGS, strict=True)
        }
        if st.form_submit_button("按自定义规则计分"):
            st.session_state[state] = saved = {k: _plain(v) for k, v in values.items()}
    name = custom_rule_name(saved)
    try:
        rule_set(name)
    except InputError as e:
        st.error(f"{e}；暂按全国通用规则计分")
        return "national"
    return name


def can_edit(unit: str | None = None) -> bool:
    """Return whether the person acting may correct data (of `unit`); the core checks again on saving."""
    return who().may("correct", unit)


# (field, label, the column holding its current value as printed)
CORRECTABLE = (
    ("actual", "实际完成值", "actual_printed"),
    ("target", "年度指标值", "target_printed"),
    ("unit", "单位", "unit"),
    ("weight", "分值", "weight"),
)


def correction_form(picked: pd.Series, key: str) -> None:
    """Render the clerk's correction form for one indicator; save with history, or show why not."""
    with st.form(key):
        before = {field: _plain(picked.get(col)) for field, _, col in CORRECTABLE}
        values = {field: st.text_input(label, value=before[field]) for field, label, _ in CORRECTABLE}
        level1 = st.selectbox(
            "一级指标", ("产出指标", "效益指标", "满意度指标"), index=_index(picked, "level1")
        )
        reason = st.text_input("更正原因（必填）")
        submitted = st.form_submit_button("保存更正")
    if not submitted:
        return
    changes = {k: v for k, v in values.items() if v != before[k]}
    if level1 != picked.get("level1"):
        changes["level1"] = level1
    if not reason.strip():
        st.error("请填写更正原因")
        return
    try:
        with writing() as s:
            corrections.correct_indicator(
                s,
                int(picked["id"]),
                changes,
                expected_version=int(picked["version"]),
                reason=reason.strip(),
            )
    except InputError as e:
        st.error(str(e))
        return
    clear_caches()
    flash("success", f"已保存更正：{'、'.join(changes) or '无变化'}")


def _plain(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _index(picked: pd.Series, field: str) -> int:
    options = ("产出指标", "效益指标", "满意度指标")
    return options.index(picked.get(field)) if picked.get(field) in options else 0


def whatif_editor(base: View, key: str) -> dict:
    """Render 分值 and 年度指标值 of the scorecard rows `base` as editable cells; return the changed ones by row
    index (nothing is saved)."""
    rows = base.frame
    out = st.data_editor(
        kept(f"whatif|{base.key}", _whatif_view, (rows,)),  # data_editor edits a copy, never this frame
        key=key,
        hide_index=True,
        num_rows="fixed",
        disabled=["三级指标"],
        column_config={
            "分值": st.column_config.NumberColumn(min_value=0, max_value=100, format="%.2f"),
            "年度指标值": st.column_config.NumberColumn(min_value=0),
        },
    )
    weights = tuple(
        (i, float(a)) for i, (a, b) in enumerate(zip(out["分值"], rows["weight"], strict=True)) if a != b
    )
    targets = tuple(
        (i, float(a))
        for i, (a, b) in enumerate(zip(out["年度指标值"], rows["target"], strict=True))
        if a != b and pd.notna(a)
    )
    return {"weights": weights, "targets": targets}


def _whatif_view(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[["level3", "weight", "target"]].rename(
        columns={"level3": "三级指标", "weight": "分值", "target": "年度指标值"}
    )


def flash(kind: str, text: str) -> None:
    """Keep a message for the next run, then rerun so the sidebar and every loader see the new data."""
    st.session_state[FLASH_STATE] = (kind, text)
    st.rerun()


def show_flash() -> None:
    kind, text = st.session_state.pop(FLASH_STATE, (None, None))
    if kind:
        getattr(st, kind)(text)


@contextmanager
def writing() -> Iterator[Session]:
    """Yield a Session in one write transaction that waits its turn behind another write, saying so on the page."""
    waiting = st.empty()
    with credential(), db.notices(lambda notice: waiting.info(notice, icon=":material/hourglass_top:")):
        with Session(db.writer(engine())) as s, s.begin():
            yield s
    waiting.empty()


def import_upload(uploaded, replace: bool) -> StoreResult:
    """Import one uploaded file in one transaction, under its original name; raise InputError on bad input."""
    with tempfile.TemporaryDirectory() as tmp:
        # the browser's name may hold anything (a NUL, "..", 300 bytes): it names the import, never a file here
        path = Path(tmp) / "upload"
        path.write_bytes(uploaded.getvalue())
        with writing() as s:
            result = ingest.import_file(s, path, replace=replace, name=uploaded.name)
    clear_caches()
    return result
