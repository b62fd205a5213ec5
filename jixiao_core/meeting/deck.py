"""The meeting deck: the brief's slides as a 16:9 PPTX with native, editable charts (python-pptx).

Chinese needs the East Asian font slot: `font.name` only sets `a:latin`, so every run, chart and legend
also gets `a:ea` (PLATFORM.md §5.1). The ea entry carries 微软雅黑's panose and the GB2312 charset, so
PowerPoint and WPS substitute 微软雅黑 where Noto Sans CJK SC is not installed; the theme's Hans font
is 微软雅黑 as well, for text typed into the deck later.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from jixiao_core.meeting.brief import Brief
from jixiao_core.meeting.slides import BulletList, ChartSpec, Kpi, SlideSpec, build_slides

FONT = "Noto Sans CJK SC"
FALLBACK = "微软雅黑"
# 微软雅黑's panose and the GB2312 charset (134 as a signed byte) steer the substitution to it
EA_ATTRS = {"typeface": FONT, "panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # real title placeholders, so the outline and slide sorter show titles

INK = RGBColor(0x1F, 0x2D, 0x3D)
ACCENT = RGBColor(0x1F, 0x5F, 0xA8)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
CARD = RGBColor(0xEE, 0xF3, 0xF9)
TONES = {
    "good": RGBColor(0x2E, 0x7D, 0x32),
    "warn": RGBColor(0xC7, 0x7C, 0x02),
    "bad": RGBColor(0xC6, 0x28, 0x28),
}
SERIES_COLORS = (ACCENT, RGBColor(0xE0, 0x6C, 0x3C), RGBColor(0xB0, 0xB8, 0xC4), RGBColor(0x2E, 0x7D, 0x32))
TARGET_GREY = RGBColor(0xD5, 0xDA, 0xE1)


@dataclass(frozen=True)
class ChartKind:
    """How a ChartSpec kind becomes a native chart; waterfall and bullet are emulations."""

    xl_type: XL_CHART_TYPE
    legend: bool = True
    reverse_categories: bool = False  # bar charts draw the first category at the bottom otherwise
    overlap: int | None = None
    gap_width: int | None = None


CHART_KINDS = {
    "column": ChartKind(XL_CHART_TYPE.COLUMN_CLUSTERED, legend=False),
    "bar": ChartKind(XL_CHART_TYPE.BAR_CLUSTERED, legend=False, reverse_categories=True),
    "bar_stacked": ChartKind(XL_CHART_TYPE.BAR_STACKED, reverse_categories=True, overlap=100, gap_width=50),
    "line": ChartKind(XL_CHART_TYPE.LINE_MARKERS),
    "pie": ChartKind(XL_CHART_TYPE.PIE),
    "doughnut": ChartKind(XL_CHART_TYPE.DOUGHNUT),
    "waterfall": ChartKind(XL_CHART_TYPE.COLUMN_STACKED, legend=False, overlap=100, gap_width=60),
    "bullet": ChartKind(XL_CHART_TYPE.BAR_CLUSTERED, reverse_categories=True, overlap=100, gap_width=40),
}


def set_ea(rPr) -> None:
    """Give a run's (or a default's) character properties the CJK typeface in both latin and ea slots."""
    latin = rPr.get_or_add_latin()
    latin.set("typeface", FONT)
    ea = rPr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        latin.addnext(ea)
    for k, v in EA_ATTRS.items():
        ea.set(k, v)


def _style(font, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    set_ea(font._rPr)


def add_text(frame, text: str, size: float, bold: bool = False, color: RGBColor = INK, new_para: bool = True):
    """Append a paragraph holding one styled run; return the paragraph."""
    p = frame.add_paragraph() if new_para else frame.paragraphs[0]
    run = p.add_run()
    run.text = text
    _style(run.font, size, bold, color)
    return p


def _textbox(slide, x, y, w, h):
    frame = slide.shapes.add_textbox(x, y, w, h).text_frame
    frame.word_wrap = True
    return frame


def _placeholder(shape, text: str, x, y, w, h, size: float, bold: bool, color: RGBColor, align=PP_ALIGN.LEFT):
    shape.left, shape.top, shape.width, shape.height = x, y, w, h
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    add_text(frame, text, size, bold, color, new_para=False).alignment = align


def _heading(slide, spec: SlideSpec, number: int, total: int) -> None:
    _placeholder(
        slide.shapes.title,
        spec.title,
        MARGIN,
        Inches(0.25),
        WIDTH - 2 * MARGIN,
        Inches(0.75),
        32,
        True,
        ACCENT,
    )
    if spec.subtitle:
        sub = _textbox(slide, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Inches(0.4))
        add_text(sub, spec.subtitle, 16, color=MUTED, new_para=False)
    foot = _textbox(slide, WIDTH - Inches(2.5), HEIGHT - Inches(0.45), Inches(2.0), Inches(0.3))
    add_text(foot, f"{number} / {total}", 11, color=MUTED, new_para=False).alignment = PP_ALIGN.RIGHT


def _value_size(value: str, cards: int) -> float:
    # six cards leave ~2 inches each: a 万元 amount must still fit on one line
    size = 28 if cards <= 4 else 20
    return size if len(value) <= 8 else size - 2


def _kpi_cards(slide, kpis: tuple[Kpi, ...], top) -> None:
    gap = Inches(0.2)
    width = Emu(int((WIDTH - 2 * MARGIN - gap * (len(kpis) - 1)) / len(kpis)))
    for n, k in enumerate(kpis):
        box = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN + n * (width + gap), top, width, Inches(1.35)
        )
        box.fill.solid()
        box.fill.fore_color.rgb = CARD
        box.line.fill.background()
        frame = box.text_frame
        frame.word_wrap = True
        add_text(frame, k.label, 15, color=MUTED, new_para=False)
        add_text(frame, k.value, _value_size(k.value, len(kpis)), True, TONES.get(k.tone, INK))
        if k.note:
            add_text(frame, k.note, 12, color=MUTED)


def chart_data(spec: ChartSpec) -> CategoryChartData:
    """Return the native chart data of a ChartSpec (the embedded workbook PowerPoint edits)."""
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for s in spec.series:
        data.add_series(s.name, s.values)
    return data


def add_chart(slide, spec: ChartSpec, x, y, w, h):
    """Draw one ChartSpec as a native chart; return the chart."""
    kind = CHART_KINDS[spec.kind]
    chart = slide.shapes.add_chart(kind.xl_type, x, y, w, h, chart_data(spec)).chart
    _style(chart.font, 14)
    chart.has_title = True
    chart.chart_title.text_frame.text = ""
    add_text(chart.chart_title.text_frame, spec.title, 16, True, new_para=False)
    chart.has_legend = kind.legend
    if kind.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _style(chart.legend.font, 13)
    plot = chart.plots[0]
    if kind.overlap is not None:
        plot.overlap = kind.overlap
    if kind.gap_width is not None:
        plot.gap_width = kind.gap_width
    if kind.reverse_categories:
        chart.category_axis.reverse_order = True
    _series_look(plot, spec)
    return chart


def _series_color(spec: ChartSpec, n: int) -> RGBColor:
    if spec.kind == "bullet" and n == 0:
        return TARGET_GREY
    visible = sum(1 for s in spec.series[:n] if not s.hidden)  # the waterfall's hidden base takes no colour
    return SERIES_COLORS[visible % len(SERIES_COLORS)]


def _series_look(plot, spec: ChartSpec) -> None:
    pie = spec.kind in ("pie", "doughnut")
    for n, (series, s) in enumerate(zip(plot.series, spec.series, strict=True)):
        if s.hidden:  # the waterfall's base: present in the data, invisible on the slide
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        if pie:
            for i, point in enumerate(series.points):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = SERIES_COLORS[i % len(SERIES_COLORS)]
        elif spec.kind == "line":
            series.format.line.color.rgb = SERIES_COLORS[n % len(SERIES_COLORS)]
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _series_color(spec, n)
        if spec.kind == "bullet" and n == 0:
            continue  # the target bar needs no label: it is 100 everywhere
        labels = series.data_labels
        labels.show_value = True
        # stacked counts: an empty section for zero keeps 0-labels off the empty segments
        labels.number_format = (
            spec.number_format + ";-0;;" if spec.kind == "bar_stacked" else spec.number_format
        )
        labels.number_format_is_linked = False
        _style(labels.font, 13)


def _lists(slide, lists: tuple[BulletList, ...], x, y, w, h) -> None:
    frame = _textbox(slide, x, y, w, h)
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # a hint: PowerPoint and WPS shrink long lists to fit
    first = True
    for bl in lists:
        add_text(frame, bl.heading, 20, True, ACCENT, new_para=not first)
        first = False
        for item in bl.items:
            add_text(frame, f"• {item}", 16 if len(bl.items) < 7 else 13).space_before = Pt(4)


def _body(slide, spec: SlideSpec) -> None:
    top = Inches(1.45)
    if spec.kpis:
        _kpi_cards(slide, spec.kpis, top)
        top = top + Inches(1.55)
    bottom = HEIGHT - Inches(0.5)
    width = WIDTH - 2 * MARGIN
    if spec.charts and spec.lists:
        chart_w = Emu(int(width * 0.58))
        _charts(slide, spec.charts, MARGIN, top, chart_w, bottom - top)
        _lists(
            slide,
            spec.lists,
            MARGIN + chart_w + Inches(0.3),
            top,
            width - chart_w - Inches(0.3),
            bottom - top,
        )
    elif spec.charts:
        _charts(slide, spec.charts, MARGIN, top, width, bottom - top)
    elif spec.lists:
        half = Emu(int((width - Inches(0.4)) / 2)) if len(spec.lists) > 1 else width
        for n, bl in enumerate(spec.lists):
            _lists(slide, (bl,), MARGIN + n * (half + Inches(0.4)), top, half, bottom - top)


def _charts(slide, charts: tuple[ChartSpec, ...], x, y, w, h) -> None:
    gap = Inches(0.3)
    each = Emu(int((w - gap * (len(charts) - 1)) / len(charts)))
    for n, spec in enumerate(charts):
        add_chart(slide, spec, x + n * (each + gap), y, each, h)


def _title_slide(slide, spec: SlideSpec) -> None:
    w = WIDTH - 2 * MARGIN
    _placeholder(
        slide.shapes.title, spec.title, MARGIN, Inches(2.2), w, Inches(1.4), 40, True, ACCENT, PP_ALIGN.CENTER
    )
    sub = slide.placeholders[1]
    _placeholder(sub, spec.subtitle, MARGIN, Inches(3.8), w, Inches(1.0), 22, False, MUTED, PP_ALIGN.CENTER)


def _theme_fallback(prs) -> None:
    # the theme's Simplified Chinese face applies to text without an explicit font (added later by hand)
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    blob = theme.blob.decode("utf-8")
    blob = blob.replace('script="Hans" typeface="宋体"', f'script="Hans" typeface="{FALLBACK}"')
    blob = blob.replace('<a:ea typeface=""/>', f'<a:ea typeface="{FALLBACK}"/>')
    theme.blob = blob.encode("utf-8")


def build_pptx(b: Brief) -> bytes:
    """Return the meeting deck (16:9 PPTX) of a brief."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _theme_fallback(prs)
    specs = build_slides(b)
    prs.core_properties.title = specs[0].title
    for n, spec in enumerate(specs, start=1):
        if spec.key == "title":
            _title_slide(prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT]), spec)
            continue
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
        _heading(slide, spec, n, len(specs))
        _body(slide, spec)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
