"""The shared sidebar filters, bound to the URL so every view is a shareable link, and the drill between pages."""

from __future__ import annotations

import streamlit as st

from jixiao_core import labels
from jixiao_core.accounts.actor import NOT_YOURS
from ui import data
from ui.auth import who
from ui.cache import version
from ui.selection import Filters, Version

FILTER_KEYS = ("unit", "year", "area", "community")  # also the URL query parameter names
FILTERS_STATE = "_jx_filters"
GOTO_STATE = "_jx_goto"


def _bound(widget, label: str, options: list, **kwargs):
    # bind: the URL carries the filter, so every view is a shareable link and survives page switches
    return widget(label, options, bind="query-params", persist_state="session", **kwargs)


def sidebar_filters() -> Filters:
    """Render the shared filters in the sidebar and return the selection (also kept for the pages)."""
    v = version()
    units = data.unit_choices((), v)  # (): the units the person may see
    asked = st.query_params.get("unit")
    if asked and not who().sees(asked):
        st.error(NOT_YOURS)  # a link naming another unit shows this and nothing else
        st.stop()
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
    year_rows = data.year_choices(unit, v)
    years = [y for y, _ in year_rows]
    if len(years) > 1:
        lo, hi = _bound(st.select_slider, "年度（可选区间）", years, key="year", value=(years[-1], years[-1]))
    else:
        lo = hi = years[0]
        st.caption(f"年度：{hi}年（仅有一个年度）")
    titles = data.area_choices(unit, lo, hi, v)
    areas = _bound(
        st.multiselect,
        "工作领域",
        list(titles),
        key="area",
        format_func=lambda k: labels.area_label(k, titles.get(k)),
        placeholder="全部领域",
    )
    names = list(data.community_names(unit, hi, v))
    communities = _bound(st.multiselect, "社区", names, key="community", placeholder="全部社区")
    span = tuple(y for y in years if lo <= y <= hi)
    generated = next(g for name, g in units if name == unit) or any(g for y, g in year_rows if y in span)
    return Filters(unit, hi, span, tuple(areas), tuple(communities), generated, v)


def filters() -> Filters:
    """Return the selection made in the sidebar on this run."""
    return st.session_state.get(FILTERS_STATE) or sidebar_filters()


def page(title: str) -> Filters:
    """Open a page: follow a pending drill, show its title and the unit-year, stop with the empty state when
    there is nothing to show; return the selection."""
    follow_drill()
    f = filters()
    page_title(title, f)
    require_data(f)
    return f


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


def chart_pick(chart_key: str, target_key: str):
    """Return an on_select callback copying the clicked bar's customdata into the widget `target_key`."""

    def pick() -> None:
        points = st.session_state[chart_key]["selection"]["points"]
        if points:
            st.session_state[target_key] = points[0]["customdata"]

    return pick


def drill_to(page_file: str, area_key: str) -> None:
    """Callback: narrow the shared area filter to one area and open `page_file` on the next run."""
    st.session_state["area"] = [area_key]
    st.session_state[GOTO_STATE] = page_file


def follow_drill() -> None:
    target = st.session_state.pop(GOTO_STATE, None)
    if target:
        # st.switch_page(page) alone clears the query string, which 1.67 refuses while filters are bound to it;
        # an explicit empty mapping replaces it instead, and the bound filters write themselves back on the next run
        st.switch_page(target, query_params={})
