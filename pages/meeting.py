"""汇报模式: the meeting slides one at a time, full width and large type; slide number in the URL (?slide=3)."""

import streamlit as st

import ui
from jixiao_core import labels
from jixiao_core.errors import InputError
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import exports

SLIDE_KEY = "slide"
RULES = "national"
# literal CSS only (never data): no sidebar, projector-size type
st.html(
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']{display:none}"
    "[data-testid='stMarkdownContainer'] li,[data-testid='stMarkdownContainer'] p{font-size:1.4rem}"
    "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'] p{font-size:1.3rem}"
    "[data-testid='stMetricValue'] [data-testid='stMarkdownContainer'] p{font-size:2.3rem;font-weight:600}"
    "[data-testid='stMetricDelta'] [data-testid='stMarkdownContainer'] p{font-size:1.1rem}</style>"
)


def step(delta: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 1) + delta, 1), total)


def show(spec, slide: int, f: ui.Filters) -> None:
    if spec.key == "title":
        st.space("large")
        st.title(labels.md_escape(spec.title), anchor=False)
        st.header(labels.md_escape(spec.subtitle), anchor=False)
        return
    st.title(labels.md_escape(spec.title), anchor=False)
    if spec.subtitle:
        st.caption(labels.md_escape(spec.subtitle))
    if spec.kpis:
        with st.grid("auto", min_column_width=260, border=True, key=f"kpis_{spec.key}"):
            for k in spec.kpis:
                st.metric(k.label, k.value, delta=k.note or None, delta_color="off", delta_arrow="off")
    parts = [*spec.charts, *spec.lists]
    for n, (col, part) in enumerate(zip(st.columns(len(parts)) if parts else [], parts, strict=True)):
        with col:
            if hasattr(part, "kind"):  # the charts come first, so n is the chart's index
                fig = ui.slide_figure(f.unit, f.year, RULES, slide, n, f.version)
                ui.plot(fig, key=f"chart_{spec.key}_{part.title}", theme=None)  # keep large type
            else:
                st.subheader(labels.md_escape(part.heading), anchor=False)
                st.markdown("\n".join(f"- {labels.md_escape(i)}" for i in part.items))


def downloads(b: briefing.Brief) -> None:
    for col, fmt in zip(st.columns(len(exports.FORMATS)), exports.FORMATS.values(), strict=True):
        col.download_button(
            f"下载{fmt.label}",
            data=lambda key=fmt.key: exports.render(b, key),  # built only when clicked
            file_name=exports.file_name(b, fmt.key),
            mime=fmt.mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"download_{fmt.key}",
            width="stretch",
        )


f = ui.filters()
ui.require_data(f)
try:
    brief = ui.load_brief(f.unit, f.year, RULES, f.version)
except InputError as e:
    st.error(str(e))
    st.stop()
deck = ui.load_slides(f.unit, f.year, RULES, f.version)
total = len(deck)
slide_area = st.container()  # filled after the pager below has read the slide number (URL or click)
st.divider()
prev_col, pager_col, next_col = st.columns([1, 4, 1], vertical_alignment="center")
with pager_col:
    current = st.pagination(
        total, key=SLIDE_KEY, bind="query-params", max_visible_pages=total, width="stretch"
    )
prev_col.button(
    "◀ 上一页", key="slide_prev", on_click=step, args=(-1, total), disabled=current == 1, width="stretch"
)
next_col.button(
    "下一页 ▶", key="slide_next", on_click=step, args=(1, total), disabled=current == total, width="stretch"
)
downloads(brief)
with slide_area:
    show(deck[current - 1], current - 1, f)
