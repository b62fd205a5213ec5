"""The meeting slides as data: each `SlideSpec` names its KPI cards, charts and bullet lists, taken from a Brief.

The page draws them with Streamlit and plotly, `deck` with native charts, `pdf` as SVG.
Chart kinds: column, bar, bar_stacked, line, pie, doughnut, waterfall (stacked column whose first
series is an invisible base) and bullet (clustered bar: a target series behind the actual one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from jixiao_core import labels
from jixiao_core.labels import SEVERITY_LABELS, fmt_num, fmt_pct, fmt_wan, to_wan
from jixiao_core.meeting.brief import Brief

MAX_FINDINGS_ON_SLIDE = 4
MAX_MESSAGE_CHARS = 60  # a slide line; the full message is in the workbook's 核查发现 sheet
AREA_LABEL_CHARS = 8


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""
    tone: str = ""  # good / warn / bad / "" (neutral)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    hidden: bool = False  # the invisible base of a waterfall


@dataclass(frozen=True)
class ChartSpec:
    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str = "0.00"  # Excel-style, for data labels


@dataclass(frozen=True)
class BulletList:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class SlideSpec:
    key: str
    title: str
    subtitle: str = ""
    kpis: tuple[Kpi, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    lists: tuple[BulletList, ...] = ()


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def _tone(rate: Decimal | None) -> str:
    # traffic light of DOMAIN.md §11.7: < 60 red, 60–80 yellow, ≥ 80 green
    if rate is None:
        return ""
    return "good" if rate >= 80 else "warn" if rate >= 60 else "bad"


def title_slide(b: Brief) -> SlideSpec:
    r = b.report
    parts = [p for p in (r.district, f"报告日期 {r.report_date}" if r.report_date else None) if p]
    return SlideSpec(
        "title", f"{b.unit} {b.year}年度 {b.project}", "项目支出绩效评价汇报  " + "  ".join(parts)
    )


def kpi_slide(b: Brief) -> SlideSpec:
    met, missed, untargeted = b.count("met"), b.count("missed"), b.count("untargeted")
    score = Kpi("自评得分", f"{fmt_num(b.score.total)}分", f"等级：{b.score.grade}", "good")
    kpis = (
        Kpi("全年预算", fmt_wan(b.funds.budget)),
        Kpi("实际支出", fmt_wan(b.funds.spent)),
        Kpi("预算执行率", fmt_pct(b.execution_rate), "支出 ÷ 全年预算", _tone(b.execution_rate)),
        score,
        Kpi(
            "有目标指标达标",
            f"{met} / {met + missed}",
            f"共 {len(b.report.indicators)} 条指标",
            "warn" if missed else "good",
        ),
        Kpi("核查发现", f"{len(b.findings)} 条", _severity_note(b), "bad" if b.findings else "good"),
    )
    chart = ChartSpec(
        "doughnut",
        "指标完成情况（条）",
        ("达标", "未达标", "未设目标"),
        (Series("指标数", (met, missed, untargeted)),),
        "0",
    )
    return SlideSpec("kpis", "核心指标一览", f"{b.unit} {b.year}年", kpis, (chart,))


def _severity_note(b: Brief) -> str:
    counts = {k: sum(1 for f in b.findings if f.severity == k) for k in SEVERITY_LABELS}
    return "，".join(f"{SEVERITY_LABELS[k]} {n}" for k, n in counts.items() if n)


def funds_slide(b: Brief) -> SlideSpec:
    f = b.funds
    kpis = (
        Kpi("全年预算", fmt_wan(f.budget)),
        Kpi("到位资金", fmt_wan(f.arrived), f"到位率 {fmt_pct(b.arrival_rate)}", _tone(b.arrival_rate)),
        Kpi("实际支出", fmt_wan(f.spent), f"执行率 {fmt_pct(b.execution_rate)}", _tone(b.execution_rate)),
        Kpi(
            "支出 ÷ 到位", fmt_pct(b.execution_rate_arrived), "按到位资金计", _tone(b.execution_rate_arrived)
        ),
    )
    charts = [
        ChartSpec(
            "column",
            "资金到位与支出（万元）",
            ("全年预算", "到位资金", "实际支出"),
            (Series("金额（万元）", tuple(_f(to_wan(v)) for v in (f.budget, f.arrived, f.spent))),),
        )
    ]
    if len(b.funds_by_year) > 1:
        years = tuple(f"{y}年" for y, _, _ in b.funds_by_year)
        charts.append(
            ChartSpec(
                "line",
                "历年预算与支出（万元）",
                years,
                (
                    Series("全年预算", tuple(_f(to_wan(bu)) for _, bu, _ in b.funds_by_year)),
                    Series("实际支出", tuple(_f(to_wan(sp)) for _, _, sp in b.funds_by_year)),
                ),
            )
        )
    lists = (BulletList("报告原文", (f.text,)),) if f.text else ()
    return SlideSpec("funds", "项目资金", "预算 → 到位 → 支出", kpis, tuple(charts), lists)


def area_label(seq: int, key: str | None, title: str) -> str:
    """Return a short axis label for a work area: `1.经济指标` (the title, cut, when the key is unknown)."""
    short = labels.area_label(key, title)
    short = short if len(short) <= AREA_LABEL_CHARS else short[:AREA_LABEL_CHARS] + "…"
    return f"{seq}.{short}"


def areas_slide(b: Brief) -> SlideSpec:
    cats = tuple(area_label(a.seq, a.key, a.title) for a in b.areas)
    chart = ChartSpec(
        "bar_stacked",
        "各工作领域指标完成情况（条）",
        cats,
        (
            Series("达标", tuple(a.met for a in b.areas)),
            Series("未达标", tuple(a.missed for a in b.areas)),
            Series("未设目标", tuple(a.untargeted for a in b.areas)),
        ),
        "0",
    )
    items = tuple(f"{a.seq}. {a.title}：未达标 {a.missed} 条" for a in b.areas if a.missed)
    return SlideSpec(
        "areas", "分领域完成情况", f"{len(b.areas)} 个工作领域", (), (chart,), (BulletList("需关注", items),)
    )


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Return text cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def issues_slide(b: Brief) -> SlideSpec:
    charts = ()
    if b.missed:
        charts = (
            ChartSpec(
                "bullet",
                "未完成目标的指标：完成率（%）",
                tuple(t.name for t in b.missed),
                (
                    Series("目标", tuple(100.0 for _ in b.missed)),
                    Series("完成率", tuple(_f(t.rate) for t in b.missed)),
                ),
                '0.00"%"',
            ),
        )
    missed = tuple(
        f"{t.name}：{fmt_num(t.actual)}{t.unit or ''} / 目标 {fmt_num(t.target)}{t.target_unit or t.unit or ''}"
        f"（{fmt_num(t.rate)}%）"
        for t in b.missed
    )
    # missed targets are listed above, so their findings would only repeat them
    others = [f for f in b.findings if f.kind != "target_missed"]
    found = tuple(
        clip(f"［{SEVERITY_LABELS.get(f.severity, f.severity)}］{f.label}：{f.message}")
        for f in others[:MAX_FINDINGS_ON_SLIDE]
    )
    more = len(others) - MAX_FINDINGS_ON_SLIDE
    if more > 0:
        found += (f"另有 {more} 条，见导出 Excel 的“核查发现”表",)
    lists = (BulletList("未完成目标", missed or ("无",)), BulletList("核查发现", found or ("无",)))
    return SlideSpec("issues", "未完成目标与核查发现", "", (), charts, lists)


def communities_slide(b: Brief) -> SlideSpec:
    kinds: dict[str, int] = {}
    for c in b.communities:
        kinds[c.kind or "未注明"] = kinds.get(c.kind or "未注明", 0) + 1
    charts = (
        ChartSpec("pie", "社区类型（个）", tuple(kinds), (Series("社区数", tuple(kinds.values())),), "0"),
        ChartSpec(
            "column",
            "报告中涉及各社区的指标（条）",
            tuple(c.name for c in b.communities),
            (Series("指标数", tuple(c.facts for c in b.communities)),),
            "0",
        ),
    )
    kpis = tuple(Kpi(k, f"{n} 个") for k, n in kinds.items())
    return SlideSpec("communities", "辖区社区", f"共 {len(b.communities)} 个社区", kpis, charts)


def score_slide(b: Brief) -> SlideSpec:
    sc = b.score
    parts = {"预算执行": sc.execution.score or Decimal(0), **sc.by_level1()}
    base, running = [], Decimal(0)
    for v in parts.values():
        base.append(float(running))
        running += v
    chart = ChartSpec(
        "waterfall",
        "得分构成（分）",
        (*parts, "总分"),
        (
            Series("基数", (*base, 0.0), hidden=True),
            Series("得分", (*(float(v) for v in parts.values()), float(sc.total))),
        ),
    )
    kpis = (
        Kpi(
            "总分", f"{fmt_num(sc.total)}分", f"规则：{sc.rules.label}", "good" if sc.total >= 80 else "warn"
        ),
        Kpi("等级", sc.grade),
        Kpi("预算执行得分", f"{fmt_num(sc.execution.score)} / {fmt_num(sc.execution.weight)}"),
        Kpi("未评分指标", f"{len(sc.unscored)} 条", "无目标值，不计分"),
    )
    return SlideSpec("score", "自评得分", "按财预〔2020〕10号自评表重建", kpis, (chart,))


def next_slide(b: Brief) -> SlideSpec:
    lists = (
        BulletList("存在的问题（报告第七部分）", b.problems or ("报告未列出",)),
        BulletList("下一步", b.next_steps or ("无",)),
    )
    return SlideSpec("next", "存在问题与下一步", "", (), (), lists)


SLIDE_BUILDERS = (
    title_slide,
    kpi_slide,
    funds_slide,
    areas_slide,
    issues_slide,
    communities_slide,
    score_slide,
    next_slide,
)


def build_slides(b: Brief) -> tuple[SlideSpec, ...]:
    """Return the meeting slides of a brief, in presentation order; a chart with no categories is left out."""
    return tuple(
        replace(s, charts=tuple(c for c in s.charts if c.categories))
        for s in map(lambda f: f(b), SLIDE_BUILDERS)
    )


def slide(b: Brief, key: str) -> SlideSpec:
    """Return the one slide `key` of a brief (as build_slides gives it)."""
    return next(s for s in build_slides(b) if s.key == key)
