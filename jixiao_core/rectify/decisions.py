"""A clerk's answer to a follow-up proposal: confirm it or reject it. Confirming a fix closes the item with the
later report as its 整改结果 (and the indicator as evidence); confirming a recurrence records it in the item's
history and leaves the item open; rejecting records why nothing changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jixiao_core import models as m
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.rectify import evidence, rules
from jixiao_core.rectify import items as edits


def decide(s: Session, proposal_id: int, accept: bool, *, expected_version: int) -> str:
    """Confirm or reject one proposal as whoever is acting; return its new state. Confirming a fix closes the item
    with the later report as its 整改结果 (and the indicator as evidence); confirming a recurrence records it in
    the item's history and leaves the item open."""
    require(s, "items")
    proposal = s.get(m.RectifyProposal, proposal_id)
    if proposal is None:
        raise InputError(f"跟踪建议 {proposal_id}", "不存在（数据已更新，请刷新后重试）")
    item = s.get(m.RectifyItem, proposal.item_id)
    actor = require(s, "items", s.scalar(select(m.Unit.name).where(m.Unit.id == item.unit_id)))
    if proposal.version != expected_version or proposal.state != "proposed":
        raise InputError("跟踪建议", edits.STALE)
    proposal.state = "confirmed" if accept else "rejected"
    proposal.decided_by, proposal.decided_at = actor.name, datetime.now()
    action = f"{proposal.kind}_{proposal.state}"
    s.add(m.RectifyEvent(item_id=item.id, actor=actor.name, action=action, new_value=proposal.message))
    try:
        s.flush()
    except StaleDataError:
        raise InputError("跟踪建议", edits.STALE) from None
    if accept and proposal.kind == "fixed" and not rules.STATES[item.state].closed:
        result = item.result or proposal.message
        edits.edit(s, item.id, {"result": result, "state": "done"}, expected_version=item.version)
        if proposal.indicator_id is not None:
            evidence.add_evidence(s, item.id, indicator_id=proposal.indicator_id)
    return proposal.state
