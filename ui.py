"""Streamlit glue: the one cached Engine, cached loaders over `queries`, the shared filters and render helpers.

Pages read data only through the `load_*` functions and `Rows` here. Loaders take plain hashable arguments plus
the data version (database URL, newest import-batch id), so an import in any process invalidates every cache.
Loaders hand out one shared object per key (cache_resource: no unpickled copy on every rerun), so a page never
modifies what it gets; tables and figures are prepared once per key, keyed by those same plain values.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit import dataframe_util

from jixiao_core import (
    briefing,
    charts,
    config,
    corrections,
    db,
    ingest,
    labels,
    queries,
    slide_figures,
    stored,
)
from jixiao_core.errors import InputError
from jixiao_core.store import StoreResult

TTL, MAX_ENTRIES = 600, 2048  # s, and cached values (frames, tables, figures) in all
VERSION_TTL = 5  # s: an import made by another process shows within this; one made here clears it at once
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


# cache_resource: every rerun gets the stored object itself, where cache_data unpickles a copy (~0.2 ms a frame)
@st.cache_resource(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _stored(key: str, _fn: Callable, _args: tuple = ()):
    return _fn(*_args)


def _keyed(fn: Callable) -> Callable:
    """Return fn cached per argument values, which must be plain (str, int, float, bool, None and tuples of them)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    def call(*args):
        # repr of plain values is exact and cheap: Streamlit's own hashing of such arguments costs 0.05–0.15 ms a
        # call, several times the lookup itself, and a page makes a dozen of them on every rerun
        return _stored(f"{name}{args!r}", fn, args)

    return functools.update_wrapper(call, fn)


@st.cache_resource(ttl=VERSION_TTL, max_entries=16, show_spinner=False)
def _data_version(url: str) -> int:
    with _engine_for(url).connect() as conn:
        return queries.data_version(conn)


def version() -> Version:
    """Return the data version: the database URL and its newest import-batch id (re-read every few seconds)."""
    url = config.load().database_url
    return url, _data_version(url)


def _loader(question: Callable, then: Callable | None = None) -> Callable:
    """Return a cached `then(question(conn, *args))`; the loader takes the question's arguments plus the data
    version, last, which only keys the cache."""

    def load(*args):
        out = _ask(question, *args[:-1])
        return then(out) if then else out

    load.__name__ = load.__qualname__ = question.__name__ + (f"_{then.__name__}" if then else "")
    return _keyed(load)


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


def custom_rules_form(key: str) -> str:
    """Render the user-defined rule set (分值 and grade lines, national by default); return its rule-set name."""
    from jixiao_core.rules import CUSTOM_SETTINGS
    from jixiao_core.scoring import custom_rule_name, rule_set

    national = {
        "execution_weight": 10,
        "产出指标": 50,
        "效益指标": 30,
        "满意度指标": 10,
        "优": 90,
        "良": 80,
        "中": 60,
    }
    state = f"{key}_values"  # the form's own key names the form widget, so values live beside it
    saved = st.session_state.get(state, national)
    with st.form(key):
        cols = st.columns(len(CUSTOM_SETTINGS))
        values = {
            s.key: col.number_input(s.label, float(s.low), float(s.high), float(saved[s.key]), step=1.0)
            for col, s in zip(cols, CUSTOM_SETTINGS, strict=True)
        }
        if st.form_submit_button("按自定义规则计分"):
            st.session_state[state] = saved = {k: _plain(v) for k, v in values.items()}
    name = custom_rule_name(saved)
    try:
        rule_set(name)
    except InputError as e:
        st.error(f"{e}；暂按全国通用规则计分")
        return "national"
    return name


def can_edit() -> bool:
    """Return whether this installation's role may correct data (checked again in the core)."""
    return config.load().role in corrections.EDIT_ROLES


# (field, label, the column holding its current value as printed)
CORRECTABLE = (
    ("actual", "实际完成值", "actual_printed"),
    ("target", "年度指标值", "target_printed"),
    ("unit", "单位", "unit"),
    ("weight", "分值", "weight"),
)


def correction_form(picked: pd.Series, key: str) -> None:
    """Render the clerk's correction form for one indicator; save with history, or show why not."""
    with st.form(key):
        before = {field: _plain(picked.get(col)) for field, _, col in CORRECTABLE}
        values = {field: st.text_input(label, value=before[field]) for field, label, _ in CORRECTABLE}
        level1 = st.selectbox(
            "一级指标", ("产出指标", "效益指标", "满意度指标"), index=_index(picked, "level1")
        )
        reason = st.text_input("更正原因（必填）")
        submitted = st.form_submit_button("保存更正")
    if not submitted:
        return
    changes = {k: v for k, v in values.items() if v != before[k]}
    if level1 != picked.get("level1"):
        changes["level1"] = level1
    if not reason.strip():
        st.error("请填写更正原因")
        return
    settings = config.load()
    try:
        with Session(engine()) as s, s.begin():
            corrections.correct_indicator(
                s,
                int(picked["id"]),
                changes,
                user=settings.user,
                role=settings.role,
                expected_version=int(picked["version"]),
                reason=reason.strip(),
            )
    except InputError as e:
        st.error(str(e))
        return
    clear_caches()
    flash("success", f"已保存更正：{'、'.join(changes) or '无变化'}")


def _plain(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _index(picked: pd.Series, field: str) -> int:
    options = ("产出指标", "效益指标", "满意度指标")
    return options.index(picked.get(field)) if picked.get(field) in options else 0


def load_indicator_split(
    unit: str, year: int, areas: tuple, communities: tuple, with_target: bool, v: Version
) -> pd.DataFrame:
    """Return the indicator rows with a target (with_target) or without one."""
    rows = load_indicator_rows(unit, year, areas, communities, v)
    return rows[rows["target"].notna() == with_target]


@_keyed
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


@_keyed
def load_scorecard(unit: str, year: int, rules: str, weights: tuple, targets: tuple, v: Version):
    """Return the scored 自评表 (scorecard.Scorecard); weights/targets are what-if edits, never saved."""
    from jixiao_core import scorecard

    with Session(engine()) as s:
        return scorecard.scorecard(s, unit, year, rules, weights, targets)


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
def slide_figure(unit: str, year: int, rules: str, slide: int, chart: int, v: Version) -> go.Figure:
    """Return the figure of chart `chart` on slide `slide` (0-based) of the brief."""
    return slide_figures.figure(load_brief(unit, year, rules, v).slides[slide].charts[chart])


class Rows(NamedTuple):
    """A frame named by plain values: a loader of this module, its arguments (the data version last), and row
    filters ((column, allowed values), ...) where an empty tuple of values keeps every row."""

    load: Callable[..., pd.DataFrame]
    args: tuple
    where: tuple = ()

    @property
    def key(self) -> str:
        return f"{self.load.__name__}{self.args!r}{self.where!r}"  # plain values: see _keyed


def frame(rows: Rows) -> pd.DataFrame:
    """Return the frame `rows` names (shared: never modify it)."""
    return _stored(f"frame|{rows.key}", _select, (rows,))


def _select(rows: Rows) -> pd.DataFrame:
    df = rows.load(*rows.args)
    for column, allowed in rows.where:
        if allowed:
            df = df[df[column].isin(allowed)]
    return df


def figure(build: Callable[[pd.DataFrame], go.Figure], rows: Rows) -> go.Figure:
    """Return build(frame(rows)), built once per key (shared: never modify it)."""
    return _stored(f"figure|{build.__module__}.{build.__qualname__}|{rows.key}", lambda: build(frame(rows)))


class Shown(NamedTuple):
    """A table as shown: the cells (Chinese headers, labels, 万元, rounded) as Arrow data, and the column formats."""

    data: pa.Table
    config: dict

    @property
    def empty(self) -> bool:
        return self.data.num_rows == 0


AMOUNT_COLUMNS = ("budget", "budget_initial", "arrived", "spent", "spent_to_date")
PCT_COLUMNS = ("arrival_rate", "execution_rate", "execution_rate_arrived", "rate", "completion")
PCT_COLUMNS += ("mean_completion", "execution_progress", "time_progress", "change_pct")
VALUE_LABELS = {
    "severity": labels.SEVERITY_LABELS,
    "status": labels.STATUS_LABELS,
    "light": labels.LIGHT_LABELS,
    "direction": labels.DIRECTION_LABELS,
}


def shown(rows: Rows, columns: list[str], values: dict | None = None, headers: dict | None = None) -> Shown:
    """Return `columns` of the frame `rows` names, ready to show: Chinese headers, amounts in 万元, rates in %."""
    key = f"shown|{rows.key}|{columns!r}|{values!r}|{headers!r}"
    return _stored(key, _prepare, (rows, columns, values, headers))


def _prepare(rows: Rows, columns: list[str], values: dict | None, headers: dict | None) -> Shown:
    out = frame(rows)[columns].copy()
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
    # the very conversion st.dataframe applies to a DataFrame, done once here instead of on every rerun
    return Shown(dataframe_util.convert_pandas_df_to_arrow_table(out.rename(columns=names)), config_)


def shown_by(rows: Rows, column: str, keys: tuple, columns: list[str], **labelled) -> dict:
    """Return {key: shown(the rows whose `column` is key, columns, ...)} for each of `keys`, in one cache lookup."""

    def each() -> dict:
        return {
            k: shown(rows._replace(where=(*rows.where, (column, (k,)))), columns, **labelled) for k in keys
        }

    return _stored(f"shown_by|{rows.key}|{column}|{keys!r}|{columns!r}|{labelled!r}", each)


def table(view: Shown, key: str, **kwargs):
    """Render a prepared table (see `shown`)."""
    # the keyed container names the table for tests and CSS; a dataframe keeps its key only when selectable
    with st.container(key=key):
        return st.dataframe(view.data, hide_index=True, column_config=view.config, placeholder="—", **kwargs)


def whatif_editor(base: Rows, key: str) -> dict:
    """Render 分值 and 年度指标值 of the scorecard rows `base` as editable cells; return the changed ones by row
    index (nothing is saved)."""
    rows = frame(base)
    out = st.data_editor(
        _stored(f"whatif|{base.key}", _whatif_view, (rows,)),  # data_editor edits a copy, never this frame
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


def _whatif_view(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[["level3", "weight", "target"]].rename(
        columns={"level3": "三级指标", "weight": "分值", "target": "年度指标值"}
    )


def clear_caches() -> None:
    """Drop every cached frame, table and figure and re-read the data version (after an import); the Engine stays."""
    _stored.clear()
    _data_version.clear()


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
    units = load_unit_choices(v)
    with st.sidebar:
        st.subheader("筛选")
        if not units:
            st.caption(labels.EMPTY_DATA)
            f = Filters(version=v)
        else:
            f = _filter_widgets(units, v)
    st.session_state[FILTERS_STATE] = f
    return f


def _filter_widgets(units: tuple[tuple[str, bool], ...], v: Version) -> Filters:
    unit = _bound(st.selectbox, "单位", [name for name, _ in units], key="unit")
    year_rows = load_year_choices(unit, v)
    years = [y for y, _ in year_rows]
    if len(years) > 1:
        lo, hi = _bound(st.select_slider, "年度（可选区间）", years, key="year", value=(years[-1], years[-1]))
    else:
        lo = hi = years[0]
        st.caption(f"年度：{hi}年（仅有一个年度）")
    titles = load_area_choices(unit, lo, hi, v)
    chosen_areas = _bound(
        st.multiselect,
        "工作领域",
        list(titles),
        key="area",
        format_func=lambda k: labels.area_label(k, titles.get(k)),
        placeholder="全部领域",
    )
    names = list(load_community_names(unit, hi, v))
    chosen_communities = _bound(st.multiselect, "社区", names, key="community", placeholder="全部社区")
    span = tuple(y for y in years if lo <= y <= hi)
    generated = next(g for name, g in units if name == unit) or any(g for y, g in year_rows if y in span)
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
