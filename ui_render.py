"""Rendering prepared once per key: `Rows` names a frame by plain values; frames, figures and shown tables
(Chinese headers, 万元, %) are built once and shared; plus the small render helpers (tables, KPI cards, plots).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from jixiao_core import charts, labels
from ui_cache import _stored


class Rows(NamedTuple):
    """A frame named by plain values: a loader (`ui_loaders`), its arguments (the data version last), and row
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
