"""The PDF brief: one to three A4 pages rendered by WeasyPrint from HTML built here, with the CJK font embedded.

Every data string is escaped with html.escape; charts are inline SVG from `svg_charts`; the URL fetcher
refuses everything, so rendering never touches the network or the file system.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from html import escape

from jixiao_core import labels
from jixiao_core.errors import InputError
from jixiao_core.labels import fmt_num
from jixiao_core.meeting.brief import Brief
from jixiao_core.meeting.slides import slide
from jixiao_core.meeting.svg import bar_svg

FONT = "Noto Sans CJK SC"
MISSING_DEPS = "PDF 导出需要 WeasyPrint 和 fonts-noto-cjk（apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0）"
MAX_FINDINGS = 8

CSS = f"""
@page {{ size: A4; margin: 15mm 14mm 16mm 14mm;
  @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页";
    font-family: "{FONT}", sans-serif; font-size: 8pt; color: #5F6B7A; }} }}
body {{ font-family: "{FONT}", sans-serif; font-size: 9.5pt; color: #1F2D3D; line-height: 1.45; }}
h1 {{ font-size: 17pt; color: #1F5FA8; margin: 0 0 2pt 0; }}
h2 {{ font-size: 12pt; color: #1F5FA8; border-bottom: 1pt solid #1F5FA8; margin: 10pt 0 4pt 0; padding-bottom: 1pt; }}
.meta {{ color: #5F6B7A; margin-bottom: 6pt; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: 4pt; }}
.kpi {{ background: #EEF3F9; border-radius: 3pt; padding: 4pt 6pt; width: 30%; }}
.kpi .v {{ font-size: 13pt; font-weight: bold; }}
.kpi .l, .kpi .n {{ color: #5F6B7A; font-size: 8pt; }}
.good {{ color: #2E7D32; }} .warn {{ color: #C77C02; }} .bad {{ color: #C62828; }}
table {{ border-collapse: collapse; width: 100%; margin: 3pt 0; }}
th, td {{ border: 0.5pt solid #B0B8C4; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
th {{ background: #DCE6F2; }} td.n {{ text-align: right; white-space: nowrap; }}
.chart {{ margin: 4pt 0; }} .caption {{ font-weight: bold; font-size: 9pt; }}
ul {{ margin: 2pt 0 2pt 14pt; padding: 0; }}
"""


class ExportUnavailable(InputError):
    """The PDF renderer or its fonts are not installed."""

    def __init__(self) -> None:
        super().__init__(None, MISSING_DEPS)


def _e(v) -> str:
    return escape("" if v is None else str(v))


def html_table(headers: tuple[str, ...], rows: list[tuple], numeric: frozenset[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if c in numeric else ''}>{_e(v)}</td>" for c, v in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _two(v) -> str:
    return "" if v is None else f"{v:.2f}"


def html_list(items: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


BAR_KINDS = (
    "column",
    "bar",
    "bar_stacked",
    "waterfall",
    "bullet",
)  # what svg_charts draws, as horizontal bars


def _chart(b: Brief, key: str) -> str:
    """Return the first bar chart of slide `key` as captioned inline SVG, or nothing when it has none."""
    spec = next((c for c in slide(b, key).charts if c.kind in BAR_KINDS), None)
    if spec is None:
        return ""
    return f'<div class="chart"><div class="caption">{_e(spec.title)}</div>{bar_svg(spec)}</div>'


def _kpis(b: Brief) -> str:
    cards = "".join(
        f'<div class="kpi"><div class="l">{_e(k.label)}</div><div class="v {_e(k.tone)}">{_e(k.value)}</div>'
        f'<div class="n">{_e(k.note)}</div></div>'
        for k in slide(b, "kpis").kpis
    )
    return f'<div class="kpis">{cards}</div>'


def _funds(b: Brief) -> str:
    f = b.funds
    rows = [
        (
            labels.fmt_wan(f.budget),
            labels.fmt_wan(f.arrived),
            labels.fmt_wan(f.spent),
            labels.fmt_pct(b.arrival_rate),
            labels.fmt_pct(b.execution_rate),
            labels.fmt_pct(b.execution_rate_arrived),
        )
    ]
    heads = ("全年预算", "到位资金", "实际支出", "到位率", "执行率（支出/预算）", "执行率（支出/到位）")
    quote = f'<p class="meta">报告原文：“{_e(f.text)}”</p>' if f.text else ""
    return "<h2>一、项目资金</h2>" + html_table(heads, rows, frozenset(range(6))) + quote + _chart(b, "funds")


def _areas(b: Brief) -> str:
    rows = [(a.seq, a.title, a.total, a.met, a.missed, a.untargeted) for a in b.areas]
    table = html_table(
        ("序号", "工作领域", "指标数", "达标", "未达标", "未设目标"), rows, frozenset({0, 2, 3, 4, 5})
    )
    return "<h2>二、分领域完成情况</h2>" + table + _chart(b, "areas")


def _issues(b: Brief) -> str:
    out = ["<h2>三、未完成目标与核查发现</h2>"]
    if b.missed:
        rows = [
            (
                t.name,
                f"{fmt_num(t.actual)}{t.unit or ''}",
                f"{fmt_num(t.target)}{t.target_unit or t.unit or ''}",
                f"{fmt_num(t.rate)}%",
            )
            for t in b.missed
        ]
        out.append(html_table(("指标", "完成值", "目标值", "完成率"), rows, frozenset({1, 2, 3})))
        out.append(_chart(b, "issues"))
    else:
        out.append("<p>有目标的指标均已达标。</p>")
    rows = [
        (labels.SEVERITY_LABELS.get(f.severity, f.severity), f.label, f.message)
        for f in b.findings[:MAX_FINDINGS]
    ]
    out.append(html_table(("严重程度", "类型", "说明"), rows) if rows else "<p>核查未发现问题。</p>")
    if len(b.findings) > MAX_FINDINGS:
        out.append(
            f'<p class="meta">另有 {len(b.findings) - MAX_FINDINGS} 条核查发现，见 Excel 导出的“核查发现”表。</p>'
        )
    return "".join(out)


def _score(b: Brief) -> str:
    sc = b.score
    head = (
        f"<p>总分 <b>{_e(fmt_num(sc.total))}</b> 分，等级 <b>{_e(sc.grade)}</b>（{_e(sc.rules.label)}）；"
        f"预算执行得分 {_e(fmt_num(sc.execution.score))} / {_e(fmt_num(sc.execution.weight))}；"
        f"未评分指标 {len(sc.unscored)} 条（无年度指标值等，不计分）。</p>"
    )
    rows = [
        (r.level1, r.level2, r.level3, r.target_text, r.actual_text, _two(r.weight), _two(r.score))
        for r in sc.table_rows()
    ]
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    return "<h2>四、自评得分</h2>" + head + html_table(heads, rows, frozenset({5, 6}))


def _communities(b: Brief) -> str:
    kinds: dict[str, list[str]] = {}
    for c in b.communities:
        kinds.setdefault(c.kind or "未注明类型", []).append(c.name)
    items = tuple(f"{k} {len(v)} 个：{'、'.join(v)}" for k, v in kinds.items())
    return f"<h2>五、辖区社区（共 {len(b.communities)} 个）</h2>" + html_list(items)


def _next(b: Brief) -> str:
    return (
        "<h2>六、存在问题与下一步</h2><p class=caption>存在的问题</p>"
        + html_list(b.problems or ("报告未列出",))
        + "<p class=caption>下一步</p>"
        + html_list(b.next_steps or ("无",))
    )


def brief_html(b: Brief) -> str:
    """Return the brief as a standalone HTML document (no external resources)."""
    title = slide(b, "title")
    body = "".join(
        (
            f"<h1>{_e(title.title)} 绩效评价简报</h1>",
            f'<div class="meta">{_e(title.subtitle)}</div>',
            _kpis(b),
            _funds(b),
            _areas(b),
            _issues(b),
            _score(b),
            _communities(b),
            _next(b),
        )
    )
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title.title)}</title>'
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


@functools.cache
def _renderer():
    """Return (HTML, URLFetcher) from WeasyPrint, or raise ExportUnavailable when it or the CJK font is missing."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError):  # OSError: cffi could not load pango
        raise ExportUnavailable() from None
    if shutil.which("fc-list"):
        found = subprocess.run(["fc-list", FONT, "family"], capture_output=True, text=True, timeout=10).stdout
        if FONT not in found:
            raise ExportUnavailable()
    return HTML, URLFetcher


def _offline_fetcher(base):
    class Offline(base):
        """Refuses every URL: the brief needs nothing outside its own HTML."""

        def fetch(self, url, headers=None):
            raise ValueError(f"外部资源已禁止：{url}")

    return Offline()


def write_pdf(html: str) -> bytes:
    """Return the PDF of a standalone HTML document, rendered offline with the CJK font (the 结果应用 brief uses it too)."""
    html_cls, fetcher_cls = _renderer()
    return html_cls(string=html, url_fetcher=_offline_fetcher(fetcher_cls)).write_pdf()


def build_pdf(b: Brief) -> bytes:
    """Return the A4 PDF brief of a brief."""
    return write_pdf(brief_html(b))
