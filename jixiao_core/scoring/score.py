"""Score a 自评表 under a rule set: row scores with their arithmetic, execution, total, grade, unscored rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from jixiao_core.labels import fmt_num as fmt
from jixiao_core.scoring.rules import RULE_SETS, RuleSet, level1_key
from jixiao_core.selfeval import SelfEvalTable, TableRow, Unscored
from jixiao_core.units import convert

CENT = Decimal("0.01")
WAN = Decimal(10) ** 4
ZERO = Decimal(0)


def q2(d: Decimal) -> Decimal:
    """Return d rounded half-up to 2 places (四舍五入; float round() gives 2.675 → 2.67)."""
    return d.quantize(CENT, ROUND_HALF_UP)


def pct(ratio: Decimal) -> str:
    """Return a ratio as a percent text with 2 places: 0.71083 → "71.08"."""
    return str(q2(ratio * 100))


@dataclass
class ScoredRow:
    row: TableRow
    weight: Decimal
    score: Decimal
    formula: str  # "10 × 17.06 / 24 = 7.11"
    inputs: dict[str, str] = field(default_factory=dict)
    note: str = ""
    over_130: bool = False

    @property
    def level1(self) -> str:
        return self.row.level1 or ""

    @property
    def level2(self) -> str:
        return self.row.level2 or ""

    @property
    def level3(self) -> str:
        return self.row.level3

    @property
    def target_text(self) -> str:
        return self.row.target_text

    @property
    def actual_text(self) -> str:
        return self.row.actual_text


@dataclass
class Execution:
    budget: Decimal | None  # 元
    spent: Decimal | None
    rate: Decimal | None  # percent, 2 places
    weight: Decimal
    score: Decimal | None
    formula: str = ""


@dataclass
class ScoreResult:
    rules: RuleSet
    rows: list[ScoredRow]
    execution: Execution
    total: Decimal
    grade: str
    unscored: list[Unscored]
    notes: list[str]

    def by_level1(self) -> dict[str, Decimal]:
        """Return the score summed per 一级指标, in table order."""
        out: dict[str, Decimal] = {}
        for r in self.table_rows():
            out[r.level1] = out.get(r.level1, ZERO) + r.score
        return out

    @property
    def weight_total(self) -> Decimal:
        """Return the 分值 of the table: execution plus every scored row (100 under the national rules)."""
        return self.execution.weight + sum((r.weight for r in self.rows), ZERO)

    def table_rows(self) -> list[ScoredRow]:
        """Return the rows as the 自评表 lists them: by 一级 (产出, 效益, 满意度) then 二级, stable within."""
        first = {r.level2: n for n, r in reversed(list(enumerate(self.rows)))}

        def rank(r: ScoredRow) -> tuple[int, int]:
            known = r.level1 in LEVEL1_ORDER
            return (LEVEL1_ORDER.index(r.level1) if known else len(LEVEL1_ORDER)), first[r.level2]

        return sorted(self.rows, key=rank)


LEVEL1_ORDER = ("产出指标", "效益指标", "满意度指标")  # 附件1 order; other labels follow


def score(table: SelfEvalTable, rules: RuleSet | None = None) -> ScoreResult:
    """Return the table scored under `rules` (national by default)."""
    rules = rules or RULE_SETS["national"]
    unscored = list(table.unscored)
    notes = list(table.notes)
    rows = [r for r in table.rows if not _unscorable(r, unscored)]
    weights = _weights(rows, table, rules, notes)
    scored = [_score_row(r, w, rules) for r, w in zip(rows, weights, strict=True)]
    execution = _execution(table, rules, notes, unscored)
    total = sum((s.score for s in scored), ZERO) + (execution.score or ZERO)
    return ScoreResult(rules, scored, execution, q2(total), grade(total, rules), unscored, notes)


def grade(total: Decimal, rules: RuleSet) -> str:
    """Return 优/良/中/差 for a total under the rule set's bands."""
    return next((g for floor, g in rules.grade_bands if total >= floor), rules.grade_floor)


def _unscorable(row: TableRow, unscored: list[Unscored]) -> bool:
    """Return True (and record why) when a row cannot be scored."""
    reason, detail = _why_unscorable(row)
    if reason:
        unscored.append(Unscored(row.level3, reason, detail))
    return bool(reason)


def _why_unscorable(row: TableRow) -> tuple[str, str]:
    if level1_key(row.level1) is None:
        return "一级指标无法归类", f"一级指标“{row.level1 or ''}”不是产出、效益或满意度指标"
    if not row.target_text and row.target is None:
        return "无年度指标值", ""
    if row.direction == "qualitative":
        return ("", "") if row.outcome else ("定性指标完成情况无法判定", f"实际完成值“{row.actual_text}”")
    if row.actual is None:
        return ("实际完成值不是数值", f"“{row.actual_text}”") if row.actual_text else ("无实际完成值", "")
    if convert(row.actual, row.actual_unit, row.target_unit) is None:
        return "单位不可比", f"年度指标值单位“{row.target_unit}”与实际完成值单位“{row.actual_unit}”不可比"
    return "", ""


def apportion(exact: list[Decimal], total: Decimal) -> list[Decimal]:
    """Return the values rounded to cents so that they sum to `total` (largest remainder, ties to the earliest)."""
    floors = [v.quantize(CENT, ROUND_DOWN) for v in exact]
    spare = int((total - sum(floors, ZERO)) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: max(spare, 0)]:
        floors[i] += CENT
    return floors


def _weights(rows: list[TableRow], table: SelfEvalTable, rules: RuleSet, notes: list[str]) -> list[Decimal]:
    """Return each row's weight: the table's 分值 where given, else the rule set's level allotment split evenly."""
    given = [r.weight for r in table.rows if r.weight is not None]
    if given and len(given) == len(table.rows):
        national = RULE_SETS["national"].indicator_total
        if sum(given) == national and rules.indicator_total != national:
            # a national table (90 for indicators) scored under a set that gives execution more points:
            # scale its 分值 to the set's indicator total, or the total could pass 100
            scaled = apportion([w * rules.indicator_total / national for w in given], rules.indicator_total)
            notes.append(f"表中指标分值合计{fmt(national)}，按所选规则折算为{fmt(rules.indicator_total)}")
            by_row = dict(zip([id(r) for r in table.rows], scaled, strict=True))
            return [by_row[id(r)] for r in rows]
        if sum(given) != rules.indicator_total:
            notes.append(
                f"表中指标分值合计{fmt(sum(given))}，不等于{fmt(rules.indicator_total)}，按表中分值计分"
            )
        return [r.weight for r in rows]
    allot = _allotments({level1_key(r.level1) for r in rows}, table, rules, notes)
    weights: list[Decimal] = [r.weight or ZERO for r in rows]
    for level, points in allot.items():
        idx = [i for i, r in enumerate(rows) if level1_key(r.level1) == level and r.weight is None]
        if not idx:
            continue
        left = points - sum(
            (rows[i].weight or ZERO for i, r in enumerate(rows) if level1_key(r.level1) == level), ZERO
        )
        for i, w in zip(
            idx, apportion([max(left, ZERO) / len(idx)] * len(idx), max(left, ZERO)), strict=True
        ):
            weights[i] = w
    return weights


def _allotments(
    present: set[str | None], table: SelfEvalTable, rules: RuleSet, notes: list[str]
) -> dict[str, Decimal]:
    """Return level1 → points; an empty level's points go to the others in proportion (10 → 56.25 / 33.75)."""
    base = dict(rules.indicator_weights)
    have = [k for k in base if k in present]
    if not have:
        return {}
    empty = [k for k in base if k not in present]
    spare, share = sum((base[k] for k in empty), ZERO), sum((base[k] for k in have), ZERO)
    points = apportion([base[k] + spare * base[k] / share for k in have], rules.indicator_total)
    who = "报告未设定权重" if table.origin == "report" else "自评表未填分值"
    split = "/".join(f"{k.removesuffix('指标')}{fmt(w)}" for k, w in base.items())
    note = f"{who}，按 {split} 平均分配"
    if empty:
        gone = "、".join(k.removesuffix("指标") for k in empty)
        takers = "和".join(k.removesuffix("指标") for k in have)
        note += f"；无{gone}指标，其{fmt(spare)}分按比例分给{takers}"
    notes.append(note)
    return dict(zip(have, points, strict=True))


Scorer = Callable[[Decimal, Decimal, Decimal, RuleSet], tuple[Decimal, str, str, bool]]


def _score_row(row: TableRow, weight: Decimal, rules: RuleSet) -> ScoredRow:
    if row.direction == "qualitative":
        return _qualitative(row, weight, rules)
    target = row.target if row.target is not None else ZERO
    actual = convert(row.actual or ZERO, row.actual_unit, row.target_unit) or ZERO
    note = "实际完成值为负，按0计；" if actual < 0 else ""
    actual = max(actual, ZERO)
    value, formula, more, over = SCORERS[row.direction](weight, target, actual, rules)
    inputs = {
        "weight": fmt(weight),
        "target": fmt(target),
        "actual": fmt(actual),
        "unit": row.target_unit or "",
    }
    return ScoredRow(row, weight, value, formula, inputs, (note + more).rstrip("；"), over)


def _positive(w: Decimal, t: Decimal, a: Decimal, rules: RuleSet) -> tuple[Decimal, str, str, bool]:
    if a >= t:
        over = t > 0 and a / t > rules.over_achievement
        limit = fmt(rules.over_achievement * 100)
        note = f"完成值为指标值的{pct(a / t)}%，超过{limit}%，需说明原因（仍得满分）" if over else ""
        return q2(w), f"{fmt(a)} ≥ {fmt(t)} → {q2(w)}", note, over
    if t <= 0:
        return ZERO, f"{fmt(a)} < {fmt(t)} → 0.00", "指标值不大于0，未达成按0分", False
    s = q2(w * a / t)
    return s, f"{fmt(w)} × {fmt(a)} / {fmt(t)} = {s}", f"未达指标值，完成率{pct(a / t)}%", False


def _equal(w: Decimal, t: Decimal, a: Decimal, rules: RuleSet) -> tuple[Decimal, str, str, bool]:
    if t == 0:  # nothing allowed: any occurrence loses the row
        return (
            (q2(w), f"{fmt(a)} = 0 → {q2(w)}", "", False)
            if a <= 0
            else (ZERO, f"{fmt(a)} ≠ 0 → 0.00", "指标值为0，完成值大于0", False)
        )
    if a == t:
        return q2(w), f"{fmt(a)} = {fmt(t)} → {q2(w)}", "", False
    return _positive(w, t, a, rules)


def _negative(w: Decimal, t: Decimal, a: Decimal, rules: RuleSet) -> tuple[Decimal, str, str, bool]:
    if a <= t:
        return q2(w), f"{fmt(a)} ≤ {fmt(t)} → {q2(w)}", "", False
    note = f"反向指标超出指标值（完成值为指标值的{pct(a / t)}%）" if t > 0 else "反向指标值为0，完成值大于0"
    if t <= 0:
        return ZERO, f"{fmt(a)} > {fmt(t)} → 0.00", note, False
    if rules.reverse_mode == "linear":
        if a >= 2 * t:
            return ZERO, f"{fmt(a)} ≥ 2 × {fmt(t)} → 0.00", note, False
        s = q2(w * (2 * t - a) / t)
        return s, f"{fmt(w)} × (1 − ({fmt(a)} − {fmt(t)}) / {fmt(t)}) = {s}", note, False
    s = q2(w * t / a)
    return s, f"{fmt(w)} × {fmt(t)} / {fmt(a)} = {s}", note, False


SCORERS: dict[str, Scorer] = {"positive": _positive, "equal": _equal, "negative": _negative}


def _qualitative(row: TableRow, w: Decimal, rules: RuleSet) -> ScoredRow:
    band = rules.band(row.outcome or "")
    assert band is not None  # rows without a known outcome were set aside as unscored
    inputs = {"weight": fmt(w), "outcome": band.outcome}
    if row.stated_score is None:
        s = q2(w * band.default)
        note = f"{band.outcome}，未填得分，按{fmt(band.default * 100)}%计分"
        return ScoredRow(row, w, s, f"{fmt(w)} × {fmt(band.default * 100)}% = {s}", inputs, note)
    low, high, stated = q2(w * band.low), q2(w * band.high), q2(row.stated_score)
    s = min(max(stated, low), high)
    inputs["stated"] = str(stated)
    if s == stated:
        return ScoredRow(
            row, w, s, f"自评得分 {stated}", inputs, f"{band.outcome}，自评得分在{low}–{high}区间内"
        )
    note = f"自评得分{stated}超出{band.outcome}区间{low}–{high}，按{s}计"
    return ScoredRow(row, w, s, f"自评得分 {stated} → {s}", inputs, note)


def _execution(table: SelfEvalTable, rules: RuleSet, notes: list[str], unscored: list[Unscored]) -> Execution:
    """Return the 预算执行率 score: 全年执行数 / 全年预算数 (not 到位资金), linear or stepped."""
    w, b, s = rules.execution_weight, table.budget, table.spent
    if table.execution_weight is not None and table.execution_weight != w:
        notes.append(f"表中执行率分值{fmt(table.execution_weight)}，按{rules.label}规则计{fmt(w)}分")
    if not b or s is None:
        unscored.append(Unscored("预算执行率", "无全年预算数或执行数"))
        return Execution(b, s, None, w, None, "")
    ratio = max(s, ZERO) / b
    if rules.execution_mode == "stepped":
        floor, points = next(((f, p) for f, p in rules.execution_steps if ratio >= f), (None, ZERO))
        lowest = rules.execution_steps[-1][0]
        sign = f"≥ {fmt(floor * 100)}%" if floor is not None else f"< {fmt(lowest * 100)}%"
        value, formula = q2(points), f"执行率 {pct(ratio)}% {sign} → {fmt(points)}"
    else:
        value = q2(w * min(ratio, Decimal(1)))
        formula = f"{fmt(w)} × {fmt(s / WAN)}万元 / {fmt(b / WAN)}万元 = {value}"
        if ratio > 1:
            formula = f"执行数超过预算数，按100%计：{fmt(w)} × 100% = {value}"
    stated = table.execution_stated_score
    if stated is not None and q2(stated) != value:
        notes.append(f"自评执行率得分{q2(stated)}，按规则重算为{value}")
    return Execution(b, s, q2(ratio * 100), w, value, formula)


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def score_json(result: ScoreResult) -> dict[str, Any]:
    """Return the CONTRACT.md `score --json` object (plus formula, notes and the unit's own scores)."""
    ex = result.execution
    return {
        "rules": result.rules.key,
        "rows": [_row_json(s) for s in result.rows],
        "execution": {
            "budget": _f(ex.budget),
            "spent": _f(ex.spent),
            "rate": _f(ex.rate),
            "weight": _f(ex.weight),
            "score": _f(ex.score),
            "formula": ex.formula,
        },
        "total": float(result.total),
        "grade": result.grade,
        "unscored": [{"name": u.name, "reason": u.reason, "detail": u.detail} for u in result.unscored],
        "notes": list(result.notes),
    }


def _row_json(s: ScoredRow) -> dict[str, Any]:
    r = s.row
    return {
        "level1": r.level1,
        "level2": r.level2,
        "level3": r.level3,
        "direction": r.direction,
        "target": _f(r.target),
        "target_unit": r.target_unit,
        "actual": _f(r.actual),
        "actual_unit": r.actual_unit,
        "target_text": r.target_text,
        "actual_text": r.actual_text,
        "weight": float(s.weight),
        "score": float(s.score),
        "stated_score": _f(r.stated_score),
        "note": s.note,
        "formula": s.formula,
        "over_130": s.over_130,
        "cell": r.cell,
    }
