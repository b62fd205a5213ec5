"""Rendering, prepared once per view: tables as shown (Chinese headers, 万元, %), figures, KPI cards, quotes.

Tables and figures are built once per View key and shared; the render calls only hand them to Streamlit.
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
from ui.cache import kept
from ui.data import View


class Shown(NamedTuple):
    """A table as shown: the cells (Chinese headers, labels, 万元, rounded) as Arrow data, and the column formats."""

    data: pa.Table
    config: dict

    @property
    def empty(self) -> bool:
        return self.data.num_rows == 0

    @property
    def rows(self) -> int:
        return self.data.num_rows


AMOUNT_COLUMNS = ("budget", "budget_initial", "arrived", "spent", "spent_to_date")
PCT_COLUMNS = ("arrival_rate", "execution_rate", "execution_rate_arrived", "rate", "completion")
PCT_COLUMNS += ("mean_completion", "execution_progress", "time_progress", "change_pct", "met_share")
VALUE_LABELS = {
    "severity": labels.SEVERITY_LABELS,
    "status": labels.STATUS_LABELS,
    "light": labels.LIGHT_LABELS,
    "direction": labels.DIRECTION_LABELS,
}


def shown(view: View, columns: list[str], values: dict | None = None, headers: dict | None = None) -> Shown:
    """Return `columns` of the view, ready to show: Chinese headers, amounts in 万元, rates in %."""
    key = f"shown|{view.key}|{columns!r}|{values!r}|{headers!r}"
    return kept(key, _prepare, (view, columns, values, headers))


def _prepare(view: View, columns: list[str], values: dict | None, headers: dict | None) -> Shown:
    out = view.frame[columns].copy()
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
        elif col == "score":
            config_[names[col]] = st.column_config.NumberColumn(format="%.2f")
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(2)  # the frame holds what the cell shows
    # the very conversion st.dataframe applies to a DataFrame, done once here instead of on every rerun
    return Shown(dataframe_util.convert_pandas_df_to_arrow_table(out.rename(columns=names)), config_)


def shown_by(view: View, column: str, keys: tuple, columns: list[str], **labelled) -> dict:
    """Return {key: shown(the rows whose `column` is key, columns, ...)} for each of `keys`, in one lookup."""

    def each() -> dict:
        return {k: shown(view.only(column, (k,)), columns, **labelled) for k in keys}

    return kept(f"shown_by|{view.key}|{column}|{keys!r}|{columns!r}|{labelled!r}", each)


def table(
    view: View | Shown, columns: list[str] | None = None, *, key: str, empty: str | None = None, **labelled
):
    """Render a view's columns as a table (or a prepared Shown); with `empty`, say so instead of an empty table."""
    ready = view if isinstance(view, Shown) else shown(view, columns or [], **labelled)
    if empty is not None and ready.empty:
        st.info(empty)
        return None
    # the keyed container names the table for tests and CSS; a dataframe keeps its key only when selectable
    with st.container(key=key):
        return st.dataframe(ready.data, hide_index=True, column_config=ready.config, placeholder="—")


def figure(build: Callable[[pd.DataFrame], go.Figure], view: View) -> go.Figure:
    """Return build(view.frame), built once per key (shared: never modify it)."""
    return kept(f"figure|{build.__module__}.{build.__qualname__}|{view.key}", lambda: build(view.frame))


def chart(build: Callable[[pd.DataFrame], go.Figure], view: View, key: str, **kwargs):
    """Render the figure `build` makes of a view, with the inline zh-CN plotly locale."""
    return plot(figure(build, view), key=key, **kwargs)


def plot(fig: go.Figure, key: str, **kwargs):
    """Render a figure with the inline zh-CN plotly locale."""
    return st.plotly_chart(fig, key=key, config=charts.PLOTLY_CONFIG, **kwargs)


def metric_grid(cards: list[tuple[str, str]] | list[tuple[str, str, str]], key: str) -> None:
    """Render KPI cards (label, value[, help]) in a responsive grid; a card is wide enough for "90.74（优）" and
    "1,234.56万元" at metric size, which Streamlit would otherwise cut with an ellipsis."""
    with st.grid("auto", min_column_width=250, border=True, key=key):
        for card in cards:
            st.metric(card[0], card[1], help=card[2] if len(card) > 2 else None)


def funds_cards(fund: pd.Series, key: str, initial: bool = False) -> None:
    """Render the funds KPI cards: 预算 (and 年初预算), 到位, 支出 and the three rates."""
    cards = [("全年预算", labels.fmt_amount(fund["budget"]))]
    if initial:
        cards.append(
            ("年初预算", labels.fmt_amount(fund["budget_initial"]), "报告未区分年初与调整预算时显示为缺失")
        )
    cards += [
        ("到位资金", labels.fmt_amount(fund["arrived"])),
        ("支出", labels.fmt_amount(fund["spent"])),
        ("到位率", labels.fmt_pct(fund["arrival_rate"]), "到位资金 ÷ 全年预算"),
        ("执行率", labels.fmt_pct(fund["execution_rate"]), "支出 ÷ 全年预算（财预〔2020〕10号 自评表口径）"),
        (
            "执行率（到位口径）",
            labels.fmt_pct(fund["execution_rate_arrived"]),
            "支出 ÷ 到位资金（评价指标体系口径）",
        ),
    ]
    metric_grid(cards, key=key)


def source_quote(text: str, printed) -> None:
    """Render a source sentence with the figure highlighted; the text is escaped, never raw HTML."""
    st.markdown("> " + labels.highlight_markdown(text, labels.figure_needle(text, printed)))


def quotes(texts: list[str]) -> None:
    """Render sentences of the report as quotes, escaped."""
    for text in texts:
        st.markdown("> " + labels.md_escape(text))
