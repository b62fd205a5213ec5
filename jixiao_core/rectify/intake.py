"""What an import sets going: the report's stated problems become 待整改 items, and the project's open items are
matched against the newly stored report (each match proposed, never applied)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core.rectify import followup, items


@dataclass(frozen=True)
class Intake:
    items: int  # new 待整改 items from the report's problems
    proposals: int  # new follow-up proposals for earlier open items


def after_import(s: Session, project_year_id: int, user: str) -> Intake:
    """Make the items of a just-stored project-year and propose follow-ups across the project; flushes."""
    made = items.from_report(s, project_year_id, user)
    project_id = s.get(m.ProjectYear, project_year_id).project_id
    return Intake(len(made), followup.propose(s, project_id))
