"""Streamlit glue for pages: the shared sidebar filters and page navigation, and, re-exported from `ui_cache`,
`ui_loaders`, `ui_render` and `ui_forms`, everything else a page calls, so that a page imports `ui` alone.

Pages read data only through the `load_*` functions and `Rows` here. Loaders take plain hashable arguments plus
the data version (database URL, newest import-batch id), so an import in any process invalidates every cache.
Loaders hand out one shared object per key (cache_resource: no unpickled copy on every rerun), so a page never
modifies what it gets; tables and figures are prepared once per key, keyed by those same plain values.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from jixiao_core import labels

# what pages call, re-exported so that a page imports `ui` alone (STYLE.md principle 4)
from ui_cache import Version, clear_caches, version  # noqa: F401
from ui_forms import (  # noqa: F401
    can_edit,
    correction_form,
    custom_rules_form,
    flash,
    import_upload,
    show_flash,
    whatif_editor,
)
from ui_loaders import (  # noqa: F401
    indicator_rows,
    load_achievement,
    load_area_choices,
    load_area_wide_actions,
    load_brief,
    load_communities,
    load_community_facts,
    load_community_kinds,
    load_community_names,
    load_community_values,
    load_conclusion,
    load_corrections,
    load_finding_counts,
    load_findings,
    load_funds,
    load_funds_history,
    load_goals,
    load_history,
    load_indicator_choices,
    load_indicator_findings,
    load_indicator_rows,
    load_indicator_split,
    load_indicators,
    load_monthly,
    load_score,
    load_scorecard,
    load_scorecard_part,
    load_shared_indicators,
    load_slides,
    load_summary,
    load_unit_choices,
    load_unit_comparison,
    load_year_choices,
    load_year_over_year,
    slide_figure,
    with_area_labels,
)
from ui_render import (  # noqa: F401
    Rows,
    figure,
    frame,
    metric_grid,
    one_row,
    plot,
    shown,
    shown_by,
    source_quote,
    table,
)

FILTER_KEYS = ("unit", "year", "area", "community")  # also the URL query parameter names
FILTERS_STATE = "_jx_filters"
GOTO_STATE = "_jx_goto"


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
