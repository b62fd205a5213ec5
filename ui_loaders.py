"""The cached loaders pages read through: each wraps one core question (queries, corrections, scorecard,
briefing) and takes plain hashable arguments plus the data version, last; and the display columns they add.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from jixiao_core import labels, queries, scoring
from jixiao_core.errors import InputError
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import figures as slide_figures
from jixiao_core.meeting import slides
from jixiao_core.store import corrections
from jixiao_core.store import read as stored
from ui_cache import Version, _keyed, _loader, engine


def _column(df: pd.DataFrame, name: str) -> list:
    return list(df[name]) if name in df else [None] * len(df)


def indicator_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Return indicators with display columns: the figure as written (约/余 kept), target, area label."""
    out = df.copy()
    cols = {
        c: _column(df, c) for c in ("actual_printed", "unit", "qualifier", "comparator", "target_printed")
    }
    cols |= {c: _column(df, c) for c in ("target_unit", "area_key", "area_title")}
    out["value"] = [labels.fmt_value(*r) for r in zip(*(cols[c] for c in list(cols)[:4]), strict=True)]
    out["target_value"] = [
        labels.fmt_value(p, u) for p, u in zip(cols["target_printed"], cols["target_unit"], strict=True)
    ]
    out["area"] = [labels.area_label(k, t) for k, t in zip(cols["area_key"], cols["area_title"], strict=True)]
    return out


def with_area_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with an `area` column holding the short Chinese work-area label."""
    return df.assign(
        area=[labels.area_label(k, t) for k, t in zip(df["area_key"], df["area_title"], strict=True)]
    )


def _unit_flags(df: pd.DataFrame) -> tuple[tuple[str, bool], ...]:
    return tuple(zip(df["name"], map(bool, df["is_generated"]), strict=True))


def _year_flags(df: pd.DataFrame) -> tuple[tuple[int, bool], ...]:
    return tuple(zip(map(int, df["year"]), map(bool, df["is_generated"]), strict=True))


def _titles(df: pd.DataFrame) -> dict[str, str]:
    return dict(zip(df["area_key"], df["area_title"], strict=True))


def _names(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(df["name"])


def _pick_labels(df: pd.DataFrame) -> dict[int, str]:
    # row index → "area｜name：value", the options of the indicator page's source picker
    rows = indicator_rows(df)
    cells = zip(rows.index, rows["area"], rows["name"], rows["value"], strict=True)
    return {i: f"{area}｜{name}：{value}" for i, area, name, value in cells}


# every loader: the question's arguments, then the data version
load_unit_choices = _loader(queries.units, _unit_flags)  # ((name, is generated), ...), real units first
load_year_choices = _loader(queries.years, _year_flags)  # ((year, is generated), ...), ascending
load_area_choices = _loader(queries.areas_for, _titles)  # area key → title, in report order
load_community_names = _loader(queries.communities_for, _names)
load_funds = _loader(queries.funds_for_year)
load_funds_history = _loader(queries.funds_by_year)
load_indicators = _loader(queries.indicators_for)
load_indicator_rows = _loader(queries.indicators_for, indicator_rows)
load_indicator_choices = _loader(queries.indicators_for, _pick_labels)
load_summary = _loader(queries.indicator_summary)
load_achievement = _loader(queries.achievement_by_area)
load_communities = _loader(queries.communities_for)
load_community_kinds = _loader(queries.community_kinds)
load_community_facts = _loader(queries.community_facts, indicator_rows)
load_area_wide_actions = _loader(queries.area_wide_actions, indicator_rows)
load_community_values = _loader(queries.community_values)
load_goals = _loader(queries.goals_against_results)
load_findings = _loader(queries.findings_for)
load_finding_counts = _loader(queries.finding_counts)
load_indicator_findings = _loader(queries.findings_for_indicator)
load_conclusion = _loader(queries.report_conclusion)
load_monthly = _loader(queries.monthly_progress)
load_year_over_year = _loader(queries.year_over_year, with_area_labels)
load_unit_comparison = _loader(queries.unit_comparison)
load_shared_indicators = _loader(queries.shared_indicators, with_area_labels)
load_history = _loader(queries.import_history)
HISTORY_HEADERS = {
    "at": "时间",
    "user_name": "更正人",
    "field": "字段",
    "old_value": "原值",
    "new_value": "新值",
    "reason": "原因",
}
FIELD_LABELS = {
    "actual": "实际完成值",
    "target": "年度指标值",
    "unit": "单位",
    "weight": "分值",
    "level1": "一级指标",
}


def _history_view(df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(field=[FIELD_LABELS.get(x, x) for x in df["field"]])
    return out.rename(columns=HISTORY_HEADERS)


load_corrections = _loader(corrections.corrections_for, _history_view)


def load_indicator_split(
    unit: str, year: int, areas: tuple, communities: tuple, with_target: bool, v: Version
) -> pd.DataFrame:
    """Return the indicator rows with a target (with_target) or without one."""
    rows = load_indicator_rows(unit, year, areas, communities, v)
    return rows[rows["target"].notna() == with_target]


@_keyed
def load_score(unit: str, year: int, rules: str, v: Version) -> dict | None:
    """Return {"total", "grade"} under `rules`, or None when there is no stored report to score."""
    try:
        with Session(engine()) as s:
            result = scoring.score_year(stored.load_report(s, unit, year), rules)
    except InputError:
        return None  # no report for this unit-year: the card says 缺失
    return {"total": float(result.total), "grade": result.grade}


@_keyed
def load_scorecard(unit: str, year: int, rules: str, weights: tuple, targets: tuple, v: Version):
    """Return the scored 自评表 (queries.Scorecard); weights/targets are what-if edits, never saved."""

    with Session(engine()) as s:
        return queries.scorecard(s, unit, year, rules, weights, targets)


def load_scorecard_part(
    unit: str, year: int, rules: str, weights: tuple, targets: tuple, part: str, v: Version
) -> pd.DataFrame:
    """Return one frame of the scorecard: rows, unscored or attribution."""
    return getattr(load_scorecard(unit, year, rules, weights, targets, v), part)


@_keyed
def load_brief(unit: str, year: int, rules: str, v: Version) -> briefing.Brief:
    """Return the meeting brief (the slides and what the exports render), built by the core in one call."""
    return briefing.brief_at(engine(), unit, year, rules=rules)


@_keyed
def load_slides(unit: str, year: int, rules: str, v: Version) -> tuple[slides.SlideSpec, ...]:
    """Return the meeting slides of the brief, in presentation order."""
    return slides.build_slides(load_brief(unit, year, rules, v))


@_keyed
def slide_figure(unit: str, year: int, rules: str, slide: int, chart: int, v: Version) -> go.Figure:
    """Return the figure of chart `chart` on slide `slide` (0-based) of the brief."""
    return slide_figures.figure(load_slides(unit, year, rules, v)[slide].charts[chart])
