"""Plotly figures for the 汇报模式 slides: one ChartSpec → one go.Figure, large type for a projector. No Streamlit."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from jixiao_core.charts import FONT
from jixiao_core.meeting.slides import ChartSpec

COLORS = ("#1F5FA8", "#E06C3C", "#B0B8C4", "#2E7D32")
TARGET_GREY = "#D5DAE1"
FONT_SIZE = 18
HEIGHT = 460


def _text(spec: ChartSpec) -> str:
    # the spec's Excel-style label format as a d3 format
    if spec.number_format == "0":
        return "%{value:,.0f}"
    return "%{value:,.2f}%" if spec.number_format.endswith('"%"') else "%{value:,.2f}"


def _color(spec: ChartSpec, n: int) -> str:
    if spec.kind == "bullet" and n == 0:
        return TARGET_GREY
    visible = sum(1 for s in spec.series[:n] if not s.hidden)  # the waterfall's hidden base takes no colour
    return COLORS[visible % len(COLORS)]


def _bars(spec: ChartSpec, horizontal: bool) -> list[go.Bar]:
    out = []
    for n, s in enumerate(spec.series):
        xy = {"y": spec.categories, "x": s.values} if horizontal else {"x": spec.categories, "y": s.values}
        out.append(
            go.Bar(
                name=s.name,
                orientation="h" if horizontal else "v",
                marker_color="rgba(0,0,0,0)" if s.hidden else _color(spec, n),
                texttemplate="" if s.hidden or (spec.kind == "bullet" and n == 0) else _text(spec),
                textposition="auto" if spec.kind in ("bar_stacked", "waterfall") else "outside",
                hoverinfo="skip" if s.hidden else None,
                showlegend=not s.hidden,
                width=0.4 if spec.kind == "bullet" and n > 0 else None,
                cliponaxis=False,  # outside labels of the longest bar stay visible
                **xy,
            )
        )
    return out


def _pie(spec: ChartSpec) -> list[go.Pie]:
    s = spec.series[0]
    hole = 0.5 if spec.kind == "doughnut" else 0
    return [
        go.Pie(
            labels=spec.categories,
            values=s.values,
            hole=hole,
            sort=False,
            marker_colors=COLORS[: len(s.values)],
            texttemplate="%{label}<br>%{value}",
            textposition="inside",  # outside labels collide with the title on a small slice
            insidetextorientation="horizontal",
        )
    ]


def _lines(spec: ChartSpec) -> list[go.Scatter]:
    return [
        go.Scatter(
            x=spec.categories, y=s.values, name=s.name, mode="lines+markers", line_color=_color(spec, n)
        )
        for n, s in enumerate(spec.series)
    ]


TRACES: dict[str, Callable[[ChartSpec], list]] = {
    "column": lambda s: _bars(s, horizontal=False),
    "bar": lambda s: _bars(s, horizontal=True),
    "bar_stacked": lambda s: _bars(s, horizontal=True),
    "bullet": lambda s: _bars(s, horizontal=True),
    "waterfall": lambda s: _bars(s, horizontal=False),
    "line": _lines,
    "pie": _pie,
    "doughnut": _pie,
}
BARMODES = {"bar_stacked": "stack", "waterfall": "stack", "bullet": "overlay"}


def figure(spec: ChartSpec) -> go.Figure:
    """Return the plotly figure of one slide chart (same data and emulations as the PPTX)."""
    fig = go.Figure(TRACES[spec.kind](spec))
    fig.update_layout(
        title={"text": spec.title, "font": {"size": FONT_SIZE + 4}},
        font={"family": FONT, "size": FONT_SIZE},
        barmode=BARMODES.get(spec.kind, "group"),
        height=HEIGHT,
        margin={"l": 10, "r": 90, "t": 60, "b": 10},
        template="plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.12},
        showlegend=spec.kind not in ("column", "bar", "waterfall"),
        uniformtext={"minsize": 12, "mode": "hide"} if spec.kind not in ("pie", "doughnut") else None,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if spec.kind in ("bar", "bar_stacked", "bullet"):
        fig.update_yaxes(autorange="reversed")  # first category on top, as in the deck
    if spec.kind in ("bar", "bullet"):  # room for the value label after the longest bar
        fig.update_xaxes(range=[0, 1.3 * max((v or 0 for s in spec.series for v in s.values), default=1)])
    return fig
