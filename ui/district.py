"""The district view's glue: its filters (year, kinds of unit, what to rank by; all in the URL), the ranking as a
View, its spread chart, its headline figures, and opening one unit's 总览 from a click."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from jixiao_core import charts, labels, queries
from ui import data
from ui.cache import Version, kept, version
from ui.data import loader
from ui.filters import GOTO_STATE

OVERVIEW = "pages/overview.py"

_ranking = loader(queries.district_ranking)
_years = loader(queries.district_years)
_kinds = loader(queries.unit_kinds)
ALL_IN_SCOPE = ()  # every unit: the scoped loaders narrow it to the units the person may see


@dataclass(frozen=True)
class District:
    """What the district view shows: one year, some kinds of unit (empty: all), ranked by one measure."""

    year: int
    kinds: tuple[str, ...]
    by: str
    version: Version


def district_filters() -> District | None:
    """Render the district filters (bound to the URL) and return the choice; None when no year has data."""
    v = version()
    years = list(_years(ALL_IN_SCOPE, v)["year"])
    if not years:
        return None
    cols = st.columns([1, 2, 3], vertical_alignment="bottom")
    year = cols[0].selectbox("年度", years[::-1], key="district_year", bind="query-params")
    kinds = [k for k in _kinds(year, ALL_IN_SCOPE, v)["kind"] if k]
    chosen = cols[1].multiselect(
        "单位类型", kinds, key="district_kind", bind="query-params", placeholder="全部类型"
    )
    by = cols[2].segmented_control(
        "排名依据",
        list(queries.MEASURES),
        format_func=labels.MEASURE_LABELS.get,
        default="score",
        key="district_by",
        bind="query-params",
        required=True,
    )
    return District(int(year), tuple(chosen), by, v)


def district(d: District) -> data.View:
    """Return every unit of the year (of the chosen kinds), ranked: one row per unit."""
    return data.View(_ranking, (d.year, d.by, d.kinds, ALL_IN_SCOPE, d.version))


def district_figure(ranking: data.View, by: str) -> go.Figure:
    """Return the spread of the units on the ranking measure, built once per view (shared: never modify it)."""
    return kept(f"figure|district|{ranking.key}|{by}", lambda: charts.district_spread(ranking.frame, by))


def district_cards(ranking: data.View) -> list[tuple[str, str, str]]:
    """Return the headline cards: units, median score, 执行率 and share met, warnings, units graded 差."""
    return kept(f"cards|{ranking.key}", _cards, (ranking,))


def _cards(ranking: data.View) -> list[tuple[str, str, str]]:
    df = ranking.frame
    return [
        ("单位", f"{len(df)} 个", ""),
        ("得分中位数", _two(df["score"].median()), "全国通用规则，由看板重新计算"),
        ("执行率中位数", labels.fmt_pct(df["execution_rate"].median()), "支出 ÷ 全年预算"),
        ("目标达成比例中位数", labels.fmt_pct(df["met_share"].median()), "达标 ÷ 有目标的指标"),
        ("核查警示", f"{int(df['warnings'].sum())} 条", "严重 + 警告"),
        ("等级为差", f"{int((df['grade'] == '差').sum())} 个", "得分低于 60"),
    ]


def _two(x) -> str:
    return labels.MISSING if pd.isna(x) else f"{x:.2f}"


def open_unit(name: str, year: int) -> None:
    """Callback: choose `name` (and `year`, when it has several) in the shared filters and open its 总览."""
    st.session_state["unit"] = name
    years = [y for y, _ in data.year_choices(name, version())]
    if len(years) > 1 and year in years:
        st.session_state["year"] = (year, year)
    st.session_state[GOTO_STATE] = OVERVIEW


def open_from_chart(chart_key: str, year: int):
    """Return an on_select callback opening the unit whose point was clicked."""

    def pick() -> None:
        points = st.session_state[chart_key]["selection"]["points"]
        if points:
            open_unit(points[0]["customdata"], year)

    return pick


def open_from_list(list_key: str, year: int):
    """Return an on_change callback opening the unit chosen in the selectbox `list_key`."""

    def pick() -> None:
        if st.session_state.get(list_key):
            open_unit(st.session_state[list_key], year)

    return pick
