"""Streamlit glue: the one cached Engine, cached loaders over `queries`, the shared filters and render helpers.

Pages read data only through the `load_*` functions here. Loaders take plain hashable arguments plus the
data version (database URL, newest import-batch id), so an import in any process invalidates every cache.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao_core import charts, config, db, ingest, labels, queries, stored
from jixiao_core.errors import InputError
from jixiao_core.store import StoreResult

TTL, MAX_ENTRIES = 600, 256
Version = tuple[str, int]
FILTER_KEYS = ("unit", "year", "area", "community")  # also the URL query parameter names
FILTERS_STATE = "_jx_filters"
GOTO_STATE = "_jx_goto"
FLASH_STATE = "_jx_flash"


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    if not db.has_schema(engine):
        ingest.init(engine)  # a first start on an empty database: schema plus the bundled dataset
    return engine


def engine() -> Engine:
    """Return the process-wide Engine for the configured database, creating the schema once."""
    return _engine_for(config.load().database_url)


def _ask(question, *args):
    with engine().connect() as conn:
        return question(conn, *args)


def version() -> Version:
    """Return the data version: the database URL and its newest import-batch id."""
    return config.load().database_url, _ask(queries.data_version)


def _cached(fn):
    return st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)(fn)


@_cached
def load_units(v: Version) -> pd.DataFrame:
    return _ask(queries.units)


@_cached
def load_years(unit: str, v: Version) -> pd.DataFrame:
    return _ask(queries.years, unit)


@_cached
def load_areas(unit: str, year_from: int, year_to: int, v: Version) -> pd.DataFrame:
    return _ask(queries.areas_for, unit, year_from, year_to)


@_cached
def load_funds(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.funds_for_year, unit, year)


@_cached
def load_funds_history(unit: str, v: Version) -> pd.DataFrame:
    return _ask(queries.funds_by_year, unit)


@_cached
def load_indicators(unit: str, year: int, areas: tuple, communities: tuple, v: Version) -> pd.DataFrame:
    return _ask(queries.indicators_for, unit, year, areas, communities)


@_cached
def load_summary(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.indicator_summary, unit, year)


@_cached
def load_achievement(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.achievement_by_area, unit, year)


@_cached
def load_communities(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.communities_for, unit, year)


@_cached
def load_community_kinds(unit: str, v: Version) -> pd.DataFrame:
    return _ask(queries.community_kinds, unit)


@_cached
def load_community_facts(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.community_facts, unit, year)


@_cached
def load_area_wide_actions(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.area_wide_actions, unit, year)


@_cached
def load_community_values(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.community_values, unit, year)


@_cached
def load_goals(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.goals_against_results, unit, year)


@_cached
def load_findings(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.findings_for, unit, year)


@_cached
def load_finding_counts(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.finding_counts, unit, year)


@_cached
def load_indicator_findings(indicator_id: int, v: Version) -> pd.DataFrame:
    return _ask(queries.findings_for_indicator, indicator_id)


@_cached
def load_conclusion(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.report_conclusion, unit, year)


@_cached
def load_monthly(unit: str, year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.monthly_progress, unit, year)


@_cached
def load_year_over_year(unit: str, v: Version) -> pd.DataFrame:
    return _ask(queries.year_over_year, unit)


@_cached
def load_unit_comparison(year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.unit_comparison, year)


@_cached
def load_shared_indicators(year: int, v: Version) -> pd.DataFrame:
    return _ask(queries.shared_indicators, year)


@_cached
def load_history(v: Version) -> pd.DataFrame:
    return _ask(queries.import_history)


@_cached
def load_score(unit: str, year: int, rules: str, v: Version) -> dict | None:
    """Return {"total", "grade"} under `rules`, or None when scoring is unavailable or the data cannot be scored."""
    try:
        from jixiao_core import scoring

        with Session(engine()) as s:
            report = stored.load_report(s, unit, year)
        rule_set = scoring.rule_set(rules) if hasattr(scoring, "rule_set") else None
        result = scoring.score(scoring.table_from_report(report), rule_set)
    except (ImportError, AttributeError, InputError):
        return None  # the overview still works without a score; the card says 缺失
    return {"total": float(result.total), "grade": result.grade}


@_cached
def load_scorecard(unit: str, year: int, rules: str, weights: tuple, targets: tuple, v: Version):
    """Return the scored 自评表 (scorecard.Scorecard); weights/targets are what-if edits, never saved."""
    from jixiao_core import scorecard

    with Session(engine()) as s:
        return scorecard.scorecard(s, unit, year, rules, weights, targets)


def whatif_editor(rows: pd.DataFrame, key: str) -> dict:
    """Render 分值 and 年度指标值 as editable cells; return the changed ones by row index (nothing is saved)."""
    view = rows[["level3", "weight", "target"]].rename(
        columns={"level3": "三级指标", "weight": "分值", "target": "年度指标值"}
    )
    out = st.data_editor(
        view,
        key=key,
        hide_index=True,
        num_rows="fixed",
        disabled=["三级指标"],
        column_config={
            "分值": st.column_config.NumberColumn(min_value=0, max_value=100, format="%.2f"),
            "年度指标值": st.column_config.NumberColumn(min_value=0),
        },
    )
    weights = tuple(
        (i, float(a)) for i, (a, b) in enumerate(zip(out["分值"], rows["weight"], strict=True)) if a != b
    )
    targets = tuple(
        (i, float(a))
        for i, (a, b) in enumerate(zip(out["年度指标值"], rows["target"], strict=True))
        if a != b and pd.notna(a)
    )
    return {"weights": weights, "targets": targets}


def clear_caches() -> None:
    """Drop every cached frame (after an import); the Engine stays."""
    st.cache_data.clear()


@dataclass(frozen=True)
class Filters:
    """The global selection: detail pages show `year` (the end of the range); comparisons use `years`."""

    unit: str | None = None
    year: int | None = None
    years: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    is_generated: bool = False
    version: Version = ("", 0)


def _bound(widget, label: str, options: list, **kwargs):
    # bind: the URL carries the filter, so every view is a shareable link and survives page switches
    return widget(label, options, bind="query-params", persist_state="session", **kwargs)


def sidebar_filters() -> Filters:
    """Render the shared filters in the sidebar and return the selection (also kept for the pages)."""
    v = version()
    units = load_units(v)
    with st.sidebar:
        st.subheader("筛选")
        if units.empty:
            st.caption(labels.EMPTY_DATA)
            f = Filters(version=v)
        else:
            f = _filter_widgets(units, v)
    st.session_state[FILTERS_STATE] = f
    return f


def _filter_widgets(units: pd.DataFrame, v: Version) -> Filters:
    unit = _bound(st.selectbox, "单位", list(units["name"]), key="unit")
    year_rows = load_years(unit, v)
    years = [int(y) for y in year_rows["year"]]
    if len(years) > 1:
        lo, hi = _bound(st.select_slider, "年度（可选区间）", years, key="year", value=(years[-1], years[-1]))
    else:
        lo = hi = years[0]
        st.caption(f"年度：{hi}年（仅有一个年度）")
    areas = load_areas(unit, lo, hi, v)
    titles = dict(zip(areas["area_key"], areas["area_title"], strict=True))
    chosen_areas = _bound(
        st.multiselect,
        "工作领域",
        list(titles),
        key="area",
        format_func=lambda k: labels.area_label(k, titles.get(k)),
        placeholder="全部领域",
    )
    names = list(load_communities(unit, hi, v)["name"])
    chosen_communities = _bound(st.multiselect, "社区", names, key="community", placeholder="全部社区")
    span = tuple(y for y in years if lo <= y <= hi)
    generated = bool(units.loc[units["name"] == unit, "is_generated"].iloc[0]) or bool(
        year_rows.loc[year_rows["year"].isin(span), "is_generated"].any()
    )
    return Filters(unit, hi, span, tuple(chosen_areas), tuple(chosen_communities), generated, v)


def filters() -> Filters:
    """Return the selection made in the sidebar on this run."""
    return st.session_state.get(FILTERS_STATE) or sidebar_filters()


def require_data(f: Filters) -> None:
    """Stop the page with the empty-state message when there is nothing to show."""
    if f.unit is None or f.year is None:
        st.info(labels.EMPTY_DATA)
        st.stop()


def generated_banner(f: Filters) -> None:
    if f.is_generated:
        st.warning(labels.GENERATED_BANNER, icon=":material/science:")


def page_title(title: str, f: Filters) -> None:
    st.title(title)
    if f.unit is not None and len(f.years) > 1:
        st.caption(f"{f.unit} · {f.years[0]}–{f.years[-1]}年（明细为 {f.year} 年）")
    elif f.unit is not None:
        st.caption(f"{f.unit} · {f.year}年")


def metric_grid(cards: list[tuple[str, str]] | list[tuple[str, str, str]], key: str) -> None:
    """Render KPI cards (label, value[, help]) in a responsive grid."""
    with st.grid("auto", min_column_width=210, border=True, key=key):
        for card in cards:
            st.metric(card[0], card[1], help=card[2] if len(card) > 2 else None)


def plot(fig, key: str, **kwargs):
    """Render a figure with the inline zh-CN plotly locale."""
    return st.plotly_chart(fig, key=key, config=charts.PLOTLY_CONFIG, **kwargs)


AMOUNT_COLUMNS = ("budget", "budget_initial", "arrived", "spent", "spent_to_date")
PCT_COLUMNS = ("arrival_rate", "execution_rate", "execution_rate_arrived", "rate", "completion")
PCT_COLUMNS += ("mean_completion", "execution_progress", "time_progress", "change_pct")
VALUE_LABELS = {
    "severity": labels.SEVERITY_LABELS,
    "status": labels.STATUS_LABELS,
    "light": labels.LIGHT_LABELS,
    "direction": labels.DIRECTION_LABELS,
}


def table(
    df: pd.DataFrame,
    columns: list[str],
    key: str,
    values: dict | None = None,
    headers: dict | None = None,
    **kwargs,
):
    """Render `columns` of `df` with Chinese headers, amounts in 万元 and rates in %."""
    out = df[columns].copy()
    names = labels.COLUMN_LABELS | (headers or {})
    for col, mapping in {**VALUE_LABELS, **(values or {})}.items():
        if col in out:
            out[col] = out[col].map(lambda x, m=mapping: m.get(x, x))
    config_ = {}
    for col in columns:
        if col in AMOUNT_COLUMNS:
            out[col] = out[col] / 10000
            config_[names[col]] = st.column_config.NumberColumn(format="%,.2f")
        elif col in PCT_COLUMNS:
            config_[names[col]] = st.column_config.NumberColumn(format="%.2f%%")
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(2)  # the frame holds what the cell shows
    out = out.rename(columns=names)
    # the keyed container names the table for tests and CSS; a dataframe keeps its key only when selectable
    with st.container(key=key):
        return st.dataframe(out, hide_index=True, column_config=config_, placeholder="—", **kwargs)


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


def source_quote(text: str, printed) -> None:
    """Render a source sentence with the figure highlighted; the text is escaped, never raw HTML."""
    st.markdown("> " + labels.highlight_markdown(text, labels.figure_needle(text, printed)))


def one_row(df: pd.DataFrame) -> pd.Series:
    """Return the first row, or a row of missing values when the frame is empty."""
    return df.iloc[0] if len(df) else pd.Series(None, index=df.columns, dtype=object)


def chart_pick(chart_key: str, target_key: str):
    """Return an on_select callback copying the clicked bar's customdata into the widget `target_key`."""

    def pick() -> None:
        points = st.session_state[chart_key]["selection"]["points"]
        if points:
            st.session_state[target_key] = points[0]["customdata"]

    return pick


def drill_to(page: str, area_key: str) -> None:
    """Callback: narrow the shared area filter to one area and open `page` on the next run."""
    st.session_state["area"] = [area_key]
    st.session_state[GOTO_STATE] = page


def follow_drill() -> None:
    page = st.session_state.pop(GOTO_STATE, None)
    if page:
        # st.switch_page(page) alone clears the query string, which 1.67 refuses while filters are bound to it;
        # an explicit empty mapping replaces it instead, and the bound filters write themselves back on the next run
        st.switch_page(page, query_params={})


def flash(kind: str, text: str) -> None:
    """Keep a message for the next run, then rerun so the sidebar and every loader see the new data."""
    st.session_state[FLASH_STATE] = (kind, text)
    st.rerun()


def show_flash() -> None:
    kind, text = st.session_state.pop(FLASH_STATE, (None, None))
    if kind:
        getattr(st, kind)(text)


def import_upload(uploaded, replace: bool, user: str | None = None) -> StoreResult:
    """Import one uploaded file in one transaction, under its original name; raise InputError on bad input."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        with Session(engine()) as s, s.begin():
            result = ingest.import_file(s, path, replace=replace, user=user)
    clear_caches()
    return result
