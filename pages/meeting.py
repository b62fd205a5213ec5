"""汇报模式: the meeting slides one at a time, full width and large type; slide number in the URL (?slide=3)."""

import streamlit as st

import ui
from jixiao_core.errors import InputError

SLIDE_KEY = "slide"
RULES = "national"
ui.projector_mode()


def step(delta: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 1) + delta, 1), total)


f = ui.filters()
ui.require_data(f)
try:
    brief, deck = ui.brief(f, RULES), ui.meeting_slides(f, RULES)
except InputError as e:
    st.error(str(e))
    st.stop()
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
ui.export_buttons(brief)
with slide_area:
    ui.slide(deck[current - 1], current - 1, f, RULES)
