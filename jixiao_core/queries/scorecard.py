"""The 自评评分 view of one stored project-year: the rebuilt table scored under a rule set, what-if edits and the quality diagnosis."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from jixiao_core import scoring
from jixiao_core.scoring import quality, rebuild
from jixiao_core.scoring.rules import rule_set
from jixiao_core.store import read as stored

ROW_COLUMNS = (
    "level1",
    "level2",
    "level3",
    "direction",
    "target",
    "target_text",
    "actual_text",
    "weight",
    "score",
    "formula",
    "note",
    "over_130",
    "cell",
)


@dataclass(frozen=True)
class Scorecard:
    rules: str
    result: scoring.ScoreResult  # total, grade, execution, notes: typed, as every consumer reads them
    rows: pd.DataFrame  # ROW_COLUMNS, for the table on the page
    unscored: pd.DataFrame  # name, reason
    diagnosis: quality.Diagnosis
    attribution: pd.DataFrame  # name, reason: results that measure the whole 街道, not the project
    edited: bool  # a what-if is in force: nothing here is saved


def _row(r: scoring.ScoredRow) -> dict:
    t = r.row
    values = (t.level1, t.level2, t.level3, t.direction, t.target, t.target_text, t.actual_text)
    values += (r.weight, r.score, r.formula, r.note, r.over_130, t.cell)
    numeric = {"target", "weight", "score"}
    return {
        c: (None if v is None else float(v)) if c in numeric else v
        for c, v in zip(ROW_COLUMNS, values, strict=True)
    }


def scorecard(
    s: Session,
    unit: str,
    year: int,
    rules: str = "national",
    weights: tuple[tuple[int, float], ...] = (),
    targets: tuple[tuple[int, float], ...] = (),
) -> Scorecard:
    """Return the scored 自评表 of unit/year; `weights`/`targets` are what-if edits by row index, never stored."""
    rep = stored.load_report(s, unit, year)
    table = rebuild.table_from_report(rep)
    if weights or targets:
        table = rebuild.what_if(
            table,
            {i: Decimal(str(w)) for i, w in weights},
            {i: Decimal(str(t)) for i, t in targets},
        )
    result = scoring.score(table, rule_set(rules))
    diagnosis = quality.diagnose(rep)
    return Scorecard(
        rules=rules,
        result=result,
        rows=pd.DataFrame([_row(r) for r in result.rows], columns=list(ROW_COLUMNS)),
        unscored=pd.DataFrame([(u.name, u.reason) for u in result.unscored], columns=["name", "reason"]),
        diagnosis=diagnosis,
        attribution=pd.DataFrame(
            [(n, why) for _, n, why in diagnosis.attribution], columns=["name", "reason"]
        ),
        edited=bool(weights or targets),
    )
