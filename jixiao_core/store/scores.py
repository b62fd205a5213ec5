"""The stored national score of a project-year: written with its rows and after every correction, so the district
view ranks hundreds of units in one query instead of scoring each one on every view."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import facts, scoring
from jixiao_core import models as m
from jixiao_core.store import read as stored

STORED_RULES = "national"  # 财预〔2020〕10号, the rules the 总览 card shows


def score_of(rep: facts.Report) -> tuple[Decimal, str]:
    """Return the total and grade of the report's rebuilt 自评表 under the national rules."""
    result = scoring.score_year(rep, STORED_RULES)
    return result.total, result.grade


def rescore(py: m.ProjectYear, rep: facts.Report) -> None:
    """Write the score of `rep` onto its project-year row (the caller flushes)."""
    py.score, py.grade = score_of(rep)


def fill(s: Session) -> int:
    """Score every current project-year stored before scores were kept; return how many were scored. Flushes."""
    todo = list(
        s.scalars(select(m.ProjectYear).where(m.ProjectYear.is_current, m.ProjectYear.score.is_(None)))
    )
    for py in todo:
        rescore(py, stored.report_of(s, py))
    s.flush()
    return len(todo)
