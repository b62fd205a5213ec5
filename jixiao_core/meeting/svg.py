"""Small inline-SVG bar charts for the PDF brief, drawn from the same ChartSpec the slides use (no fetches, no JS).

Horizontal bars suit Chinese category labels: labels right-aligned on the left, values after each bar.
Every string is escaped; the SVG is embedded in HTML that WeasyPrint renders.
"""

from __future__ import annotations

from html import escape

from jixiao_core.meeting.slides import ChartSpec

COLORS = ("#1F5FA8", "#E06C3C", "#B0B8C4", "#2E7D32")
TARGET_GREY = "#D5DAE1"
LABEL_W, VALUE_W, ROW_H, BAR_H, WIDTH = 150, 70, 24, 14, 640
FONT = "font-family:'Noto Sans CJK SC',sans-serif;font-size:11px"


def color(spec: ChartSpec, n: int) -> str:
    """Return the fill of series n: grey for a bullet's target, else the palette by visible position."""
    if spec.kind == "bullet" and n == 0:
        return TARGET_GREY
    return COLORS[sum(1 for s in spec.series[:n] if not s.hidden) % len(COLORS)]


def number(v: float | None, number_format: str) -> str:
    """Return a data label in the spec's Excel-style format (0, 0.00, 0.00"%")."""
    if v is None:
        return "—"
    places = 0 if number_format == "0" else 2
    text = f"{v:,.{places}f}"
    return text + "%" if number_format.endswith('"%"') else text


def _scale(spec: ChartSpec) -> float:
    visible = [s for s in spec.series if not s.hidden]
    if spec.kind in ("bar_stacked", "waterfall"):
        sums = [sum(s.values[i] or 0 for s in spec.series) for i in range(len(spec.categories))]
        top = max(sums, default=0)
    else:
        top = max((v or 0 for s in visible for v in s.values), default=0)
    return top or 1.0


def _legend(spec: ChartSpec, y: float) -> str:
    items, x = [], LABEL_W
    for n, s in enumerate(spec.series):
        if s.hidden:
            continue
        items.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{color(spec, n)}"/>')
        items.append(f'<text x="{x + 14}" y="{y + 9}" style="{FONT}">{escape(s.name)}</text>')
        x += 24 + 12 * len(s.name)
    return "".join(items)


def _row(spec: ChartSpec, i: int, y: float, per_unit: float) -> list[str]:
    out = [
        f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 3}" text-anchor="end" style="{FONT}">'
        f"{escape(spec.categories[i])}</text>"
    ]
    x, stacked = float(LABEL_W), spec.kind in ("bar_stacked", "waterfall")
    label_value = None
    for n, s in enumerate(spec.series):
        v = s.values[i] or 0
        w = max(v * per_unit, 0)
        if s.hidden:
            x += w
            continue
        bullet_target = spec.kind == "bullet" and n == 0
        h, dy = (BAR_H, 0) if bullet_target or spec.kind != "bullet" else (BAR_H / 2, BAR_H / 4)
        start = x if stacked else LABEL_W
        out.append(
            f'<rect x="{start:.1f}" y="{y + dy:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color(spec, n)}"/>'
        )
        if stacked:
            x += w
        if not bullet_target:
            label_value = v if not stacked else (label_value or 0) + v
    end = x if stacked else LABEL_W + max((s.values[i] or 0) * per_unit for s in spec.series)
    out.append(
        f'<text x="{end + 4:.1f}" y="{y + BAR_H - 3}" style="{FONT}">{number(label_value, spec.number_format)}</text>'
    )
    return out


def bar_svg(spec: ChartSpec) -> str:
    """Return a horizontal bar chart (plain, stacked, waterfall or bullet) of a ChartSpec as an SVG string."""
    rows = len(spec.categories)
    legend = len([s for s in spec.series if not s.hidden]) > 1
    height = rows * ROW_H + (22 if legend else 4)
    per_unit = (WIDTH - LABEL_W - VALUE_W) / _scale(spec)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(spec.title)}">'
    ]
    for i in range(rows):
        parts += _row(spec, i, i * ROW_H + 4, per_unit)
    if spec.kind == "bullet":  # the 100% line every bar is measured against
        x = LABEL_W + 100 * per_unit
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{rows * ROW_H}" stroke="#C62828" stroke-width="1.5"/>'
        )
    if legend:
        parts.append(_legend(spec, rows * ROW_H + 8))
    parts.append("</svg>")
    return "".join(parts)
