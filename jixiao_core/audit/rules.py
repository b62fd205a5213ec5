"""The auditor's tables: finding checks with kind, severity and message, thresholds, units, rounding tolerance."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from jixiao_core.facts import Finding


@dataclass(frozen=True)
class Check:
    """One way a report can fail to add up: the finding kind, its severity and the Chinese message body."""

    key: str
    kind: str
    severity: str
    template: str


CHECKS: dict[str, Check] = {
    c.key: c
    for c in (
        Check(
            "rate_rounding",
            "rate_mismatch",
            "info",
            "按 {pair} 计算为 {calc}%，报告写 {stated}%（在四舍五入误差 {tol} 个百分点以内）",
        ),
        Check(
            "rate_off",
            "rate_mismatch",
            "warning",
            "按 {pair} 计算为 {calc}%，报告写 {stated}%，相差 {diff} 个百分点（超出四舍五入误差 {tol} 个百分点）",
        ),
        Check(
            "rate_huge",
            "implausible_rate",
            "warning",
            "报告完成率 {stated}%，超过 {limit}%，疑为小数点或录入错误",
        ),
        # info, like a numerator off by rounding: a target no whole count gives is a question for the
        # reviewer, not proof the arithmetic is wrong (the rate may be of another base; DOMAIN §9)
        Check(
            "target_fraction",
            "implausible_rate",
            "info",
            "按 {actual} ÷ {stated}% 推算目标为 {implied}{unit}，不是整数，没有整数目标能得出该完成率",
        ),
        Check(
            "target_rounded",
            "implausible_rate",
            "info",
            "按 {actual} ÷ {stated}% 推算目标为 {implied}{unit}，不是整数；目标取 {near}{unit} 时为 {near_rate}%，"
            "四舍五入后才与报告一致",
        ),
        Check(
            "numerator_rounded",
            "implausible_rate",
            "info",
            "按 {base} 计，{stated}% 为 {exact}{unit}，不是整数（{lo}{unit} → {lo_rate}%，{hi}{unit} → {hi_rate}%）；"
            "分母可能不是 {base}，或比率经过四舍五入",
        ),
        Check(
            "numerator_off",
            "implausible_rate",
            "warning",
            "按 {base} 计，{stated}% 为 {exact}{unit}，不是整数（{lo}{unit} → {lo_rate}%，{hi}{unit} → {hi_rate}%），"
            "四舍五入也得不出该比率；分母可能不是 {base}",
        ),
        Check(
            "over_target",
            "over_achievement",
            "info",
            "完成 {actual}，为目标 {target} 的 {calc}%，超过 {limit}%，需说明原因",
        ),
        Check("over_rate", "over_achievement", "info", "报告完成率 {stated}%，超过 {limit}%，需说明原因"),
        Check(
            "missed",
            "target_missed",
            "warning",
            "完成 {actual}，目标 {target}，完成 {calc}%，差 {gap}，未达目标",
        ),
        Check(
            "near_miss",
            "target_missed",
            "info",
            "完成 {actual}，目标 {target}，完成 {calc}%，差 {gap}，接近但未达目标",
        ),
        Check(
            "rate_below",
            "target_missed",
            "warning",
            "完成 {actual}，报告完成率 {stated}%，低于 100%（推算目标约 {implied}），未达目标",
        ),
        Check("exceeded", "target_missed", "warning", "实际 {actual}，上限 {target}，超出 {gap}，未达目标"),
        Check("near_exceeded", "target_missed", "info", "实际 {actual}，上限 {target}，超出 {gap}，略超目标"),
        Check("qualitative_missed", "target_missed", "warning", "定性指标自评为“{word}”"),
        Check(
            "claim", "claim_contradicted", "warning", "报告称“{claim}”，但 {count} 项指标未达目标：{items}"
        ),
        Check("sum_over", "sum_mismatch", "warning", "“其中”各项 {parts} 合计 {total}，超过总数 {whole}"),
        Check(
            "sum_short",
            "sum_mismatch",
            "info",
            "“其中”各项 {parts} 合计 {total}，少于总数 {whole}（差 {gap}，可能未列全）",
        ),
        Check(
            "sum_short_all",
            "sum_mismatch",
            "warning",
            "“其中”各项 {parts} 合计 {total}，已列全 {n} 个社区（村），仍少于总数 {whole}（差 {gap}）",
        ),
        Check("fund_order", "fund_inconsistency", "warning", "{a_label} {a} 超过{b_label} {b}"),
        Check(
            "fund_rate_rounding",
            "fund_inconsistency",
            "info",
            "报告{label} {stated}%，{calcs}（在四舍五入误差以内）",
        ),
        Check("fund_rate_off", "fund_inconsistency", "warning", "报告{label} {stated}%，但{calcs}"),
        Check(
            "fund_slip",
            "fund_inconsistency",
            "error",
            "{a_label} {a} 与{b_label} {b} 相差约 10⁴ 倍（{ratio} 倍），疑为万元与元混用",
        ),
    )
}

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Limits:
    """Thresholds of the checks (percent unless said otherwise)."""

    implausible_rate: Decimal = Decimal(1000)  # DOMAIN §9: a stated rate above this is a probable typo
    over_achievement: Decimal = Decimal(130)  # 130% rule of the 自评 systems (DOMAIN §5.1)
    near_miss: Decimal = Decimal(95)  # a shortfall at or above this completion is reported as info
    slip_low: Decimal = Decimal(5000)  # two amounts whose ratio lies in [low, high] differ by ~10⁴
    slip_high: Decimal = Decimal(20000)
    # Count-base checks assume rates are exact to 0.01 pp (the reports print two decimals unless exact);
    # a rate only reachable after rounding to its printed digits is info, not reachable at all a warning.
    count_rate_exponent: int = -2


LIMITS = Limits()

MONEY_BASE = "元"
# Shares and growth rates compare in percentage points: a ratio of two percentages is no completion rate.
PERCENT_BASE = "%"

# Words in a qualitative indicator's result meaning it was not (fully) met (DOMAIN §9).
QUALITATIVE_MISSED = ("未达成", "部分达成")


def half_unit(value: Decimal) -> Decimal:
    """Return half a unit of the value's last printed digit (0.005 for 71.07, 0.5 for 24, 5 for 1.2E+2)."""
    return Decimal(5).scaleb(value.as_tuple().exponent - 1)


def rate_tolerance(
    rate: Decimal,
    actual: Decimal,
    target: Decimal,
    *,
    exact_actual: bool = False,
    scale: Decimal = Decimal(1),
) -> Decimal:
    """Return the rounding tolerance (percentage points) of a stated rate against actual ÷ target.

    DOMAIN §9: half a unit of the rate's last printed digit plus 100 × Δactual / target, Δactual being
    half a unit of the actual's last printed digit (0 for counts); `scale` converts the actual's unit
    into the target's (亿元 over 万元 → 10⁴). Targets are exact.
    """
    slack = Decimal(0) if exact_actual else 100 * half_unit(actual) * scale / target
    return half_unit(rate) + slack


def rounded(value: Decimal, exponent: int = -2) -> Decimal:
    """Return the value rounded half-up (四舍五入) to 10**exponent."""
    with localcontext() as ctx:  # the default 28 digits cannot hold 10^27 to two places (InvalidOperation)
        ctx.prec = max(ctx.prec, value.adjusted() - exponent + 2)
        return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Return a number as printed, without exponent notation (24, 17.06, 4500000)."""
    return format(value, "f")


def shown(value: Decimal, exponent: int = -2) -> str:
    """Return a derived number rounded half-up for a message, trailing zeros dropped (56.7, 37)."""
    return plain(rounded(value, exponent).normalize())


def with_unit(value: Decimal, unit: str | None) -> str:
    """Return a printed value with its unit (17.06亿元)."""
    return f"{plain(value)}{unit or ''}"


def finding(key: str, subject: str, indexes: list[int], text: str, span, **fields) -> Finding:
    """Return the Finding of one CHECKS row, its message `subject：body` filled with `fields`."""
    check = CHECKS[key]
    return Finding(
        check.kind, check.severity, f"{subject}：{check.template.format(**fields)}", indexes, text, span
    )
