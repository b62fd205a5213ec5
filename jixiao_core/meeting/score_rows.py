"""The score part of the meeting brief: the rebuilt 自评表 rows, execution score, total and grade, from `scoring`.

Without `scoring` (or before it is importable) the brief still builds, and says 评分模块不可用.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao_core import facts
from jixiao_core.labels import COMPARATOR_LABELS
from jixiao_core.scoring import rebuild
from jixiao_core.scoring.rules import RULE_SETS, rule_set

try:  # scoring is optional at import time: without it the score slide says so instead of failing
    from jixiao_core import scoring
except ImportError:  # pragma: no cover - exercised only while scoring.py is absent
    scoring = None

SCORING_MISSING = "评分模块不可用"
LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标")  # 附件1 order; other labels follow


@dataclass(frozen=True)
class ScoreRow:
    level1: str
    level2: str
    level3: str
    target_text: str  # 年度指标值 as the 自评表 writes it: comparator, number, unit
    actual_text: str
    weight: Decimal | None
    score: Decimal | None
    note: str


@dataclass(frozen=True)
class ScoreSummary:
    rules: str
    rules_label: str
    total: Decimal
    grade: str
    execution_weight: Decimal | None
    execution_score: Decimal | None
    execution_rate: Decimal | None  # percent
    rows: tuple[ScoreRow, ...]  # in 自评表 order: 产出, 效益, 满意度, each by 二级指标
    unscored: tuple[tuple[str, str], ...]  # (name, reason)
    notes: tuple[str, ...]

    def by_level1(self) -> dict[str, Decimal]:
        """Return the score summed per 一级指标, in table order."""
        out: dict[str, Decimal] = {}
        for r in self.rows:
            out[r.level1] = out.get(r.level1, Decimal(0)) + (r.score or Decimal(0))
        return out

    @property
    def weight_total(self) -> Decimal:
        """Return the 分值 of the table: execution plus every scored row (100 under the national rules)."""
        return (self.execution_weight or Decimal(0)) + sum(
            (r.weight or Decimal(0) for r in self.rows), Decimal(0)
        )


def summarize(rep: facts.Report, rules: str) -> tuple[ScoreSummary | None, str | None]:
    """Return (the 自评表 rebuilt and scored under `rules`, None), or (None, why) when scoring is unavailable."""
    if scoring is None:
        return None, SCORING_MISSING
    result = scoring.score(rebuild.table_from_report(rep), rule_set(rules))
    return _summary(rules, scoring.score_json(result)), None


def _summary(rules: str, js: dict) -> ScoreSummary:
    ex = js.get("execution") or {}
    key = js.get("rules", rules)
    return ScoreSummary(
        rules=key,
        rules_label=RULE_SETS[key].label if key in RULE_SETS else key,
        total=_dec(js.get("total")) or Decimal(0),
        grade=js.get("grade") or "",
        execution_weight=_dec(ex.get("weight")),
        execution_score=_dec(ex.get("score")),
        execution_rate=_dec(ex.get("rate")),
        rows=table_order(tuple(_score_row(r) for r in js.get("rows", ()))),
        unscored=tuple((u.get("name", ""), u.get("reason", "")) for u in js.get("unscored", ())),
        notes=tuple(js.get("notes", ())),
    )


def table_order(rows: tuple[ScoreRow, ...]) -> tuple[ScoreRow, ...]:
    """Return rows grouped as the 自评表 lists them: by 一级 (产出, 效益, 满意度) then 二级, stable within."""
    first = {r.level2: n for n, r in reversed(list(enumerate(rows)))}

    def rank(r: ScoreRow) -> tuple[int, int]:
        level1 = LEVEL1_ORDER.index(r.level1) if r.level1 in LEVEL1_ORDER else len(LEVEL1_ORDER)
        return level1, first[r.level2]

    return tuple(sorted(rows, key=rank))


def _score_row(r: dict) -> ScoreRow:
    return ScoreRow(
        level1=r.get("level1") or "",
        level2=r.get("level2") or "",
        level3=r.get("level3") or "",
        target_text=r.get("target_text") or value_text(_dec(r.get("target")), r.get("target_unit")),
        actual_text=r.get("actual_text") or value_text(_dec(r.get("actual")), r.get("actual_unit")),
        weight=_dec(r.get("weight")),
        score=_dec(r.get("score")),
        note=r.get("note") or "",
    )


def value_text(v: Decimal | None, unit: str | None, comparator: str | None = None) -> str:
    """Return a value as the 自评表 writes it (`≥8.64亿元`); empty when there is no value."""
    if v is None:
        return ""
    return f"{COMPARATOR_LABELS.get(comparator or '', '')}{fmt_num(v)}{unit or ''}"


def _dec(v) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def fmt_num(v: Decimal | None) -> str:
    """Return a Decimal as printed, without exponent or trailing zeros (`9.67`, `2086`); `—` for None."""
    if v is None:
        return "—"
    text = format(v, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
