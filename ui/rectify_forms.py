"""The widgets that change 整改 items: the item form (整改要求, 责任科室, 期限, 状态, 整改结果), evidence, a new item, a
finding turned into an item, and the clerk's answer to a follow-up. Each saves in one short transaction through the
core, which checks who is acting; a refusal (a stale row, a missing 整改结果) is shown, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from jixiao_core import db, labels
from jixiao_core.errors import InputError
from jixiao_core.rectify import decisions, evidence, ledger, rules
from jixiao_core.rectify import items as edits
from ui.cache import ask, clear_caches, engine
from ui.forms import flash
from ui.rectify import body_names, forget_item_version, items, unit_indicator_choices
from ui.render import quotes
from ui.selection import Filters


def save(action: Callable[[Session], object], done: str) -> None:
    """Run one write in its own transaction; on success clear the caches and show `done` after the rerun."""
    try:
        with Session(db.writer(engine())) as s, s.begin():
            action(s)
    except InputError as e:
        st.error(str(e))
        return
    clear_caches()
    forget_item_version()
    flash("success", done)


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def item_form(f: Filters, item: pd.Series, key: str) -> None:
    """Render the edit form of one item; save the changed fields with history (stale rows refused)."""
    bodies = ["", *body_names(f)]
    body_now = "" if item["body"] == labels.NO_BODY else item["body"]
    deadline_now = None if item["deadline"] == "未定" else date.fromisoformat(item["deadline"])
    states = list(rules.STATES)
    with st.form(key):
        requirement = st.text_area("整改要求", value=_text(item["requirement"]))
        left, mid, right = st.columns(3)
        at = bodies.index(body_now) if body_now in bodies else 0
        body = left.selectbox("责任科室", bodies, index=at, format_func=lambda b: b or labels.NO_BODY)
        deadline = mid.date_input("整改期限", value=deadline_now, format="YYYY-MM-DD")
        state = right.selectbox(
            "状态", states, index=states.index(item["state"]), format_func=labels.ITEM_STATUS_LABELS.get
        )
        result = st.text_area("整改结果（确认已整改时必填）", value=_text(item["result"]))
        submitted = st.form_submit_button("保存")
    if not submitted:
        return
    now = {"requirement": _text(item["requirement"]), "body": body_now, "deadline": deadline_now}
    now |= {"state": item["state"], "result": _text(item["result"])}
    wanted = {"requirement": requirement.strip(), "body": body, "deadline": deadline}
    wanted |= {"state": state, "result": result.strip()}
    changes = {k: v for k, v in wanted.items() if v != now[k]}
    names = "、".join(labels.ITEM_FIELD_LABELS[k] for k in changes) or "无变化"
    version = int(item["version"])
    save(lambda s: edits.edit(s, int(item["id"]), changes, expected_version=version), f"已保存：{names}")


def evidence_form(f: Filters, item_id: int, key: str) -> None:
    """Render the evidence form: a note, a file (≤ 5 MB) or an indicator of the unit."""
    choices = unit_indicator_choices(f)
    with st.form(key, clear_on_submit=True):
        kind = st.radio(
            "佐证类型",
            list(rules.EVIDENCE_KINDS),
            format_func=labels.EVIDENCE_KIND_LABELS.get,
            horizontal=True,
        )
        note = st.text_area("说明")
        limit = rules.MAX_EVIDENCE_BYTES // 1048576
        upload = st.file_uploader(f"文件（不超过 {limit} MB）", max_upload_size=limit)
        indicator = st.selectbox(
            "指标", list(choices), index=None, format_func=choices.get, placeholder="选择指标"
        )
        submitted = st.form_submit_button("添加佐证")
    if not submitted:
        return
    given = {
        "note": {"note": note.strip() or None},
        "file": {"file": (upload.name, upload.getvalue()) if upload else None},
        "indicator": {"indicator_id": indicator},
    }[kind]
    save(lambda s: evidence.add_evidence(s, item_id, **given), "已添加佐证")


def evidence_downloads(rows: pd.DataFrame, key: str) -> None:
    """Offer each uploaded file of evidence for download (read only when clicked)."""
    for evidence_id, name in zip(rows["id"], rows["file_name"], strict=True):
        if isinstance(name, str):
            st.download_button(
                f"下载 {name}",
                data=lambda i=int(evidence_id): ask(ledger.evidence_file, i)[1],
                file_name=name,
                on_click="ignore",
                key=f"{key}_{evidence_id}",
            )


def new_item_form(f: Filters, key: str) -> None:
    """Render the form for an item a person writes down for the unit-year."""
    with st.form(key, clear_on_submit=True):
        problem = st.text_area("问题（如：巡查发现的问题、审计或财政评价指出的问题）")
        submitted = st.form_submit_button("新增整改事项")
    if submitted:
        save(lambda s: edits.add(s, f.unit, f.year, problem), "已新增整改事项")


def finding_items(f: Filters) -> dict[tuple[str, str], int]:
    """Return (finding kind, message) → id of the items already made from findings of the selected years."""
    rows = items(f).frame
    mine = rows[rows["source"] == "finding"]
    return {(k, p): int(i) for k, p, i in zip(mine["finding_kind"], mine["problem"], mine["id"], strict=True)}


def finding_button(finding_id: int, made: int | None, key: str) -> None:
    """Render the finding card's one action: turn it into a 整改 item (or say which item it already is)."""
    if made is not None:
        st.caption(f"已转为整改事项 #{made}")
    elif st.button("转为整改事项", key=key, icon=":material/assignment_add:"):
        save(lambda s: edits.from_finding(s, finding_id), "已转为整改事项，可在整改跟踪页指定责任科室和期限")


def proposal_cards(f: Filters, rows: pd.DataFrame, editable: bool) -> None:
    """Render each follow-up awaiting a clerk, with 确认 and 否决 for those who may edit."""
    for r in rows.itertuples():
        with st.container(border=True):
            kind = labels.PROPOSAL_KIND_LABELS[r.kind]
            st.markdown(f"**{kind}**　事项 #{r.item_id}（{r.item_year}年）：{labels.md_escape(r.problem)}")
            st.markdown(labels.md_escape(r.message))
            if r.evidence:
                quotes([r.evidence])
            if editable:
                yes, no = st.columns(2)
                if yes.button("确认", key=f"rect_yes_{r.id}", width="stretch"):
                    _decide(int(r.id), True, int(r.version))
                if no.button("否决", key=f"rect_no_{r.id}", width="stretch"):
                    _decide(int(r.id), False, int(r.version))


def _decide(proposal_id: int, accept: bool, version: int) -> None:
    done = "已确认跟踪结果" if accept else "已否决该跟踪建议"
    save(lambda s: decisions.decide(s, proposal_id, accept, expected_version=version), done)
