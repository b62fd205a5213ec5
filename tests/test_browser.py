"""Unit: the running app in headless Chromium — every page loads without an error, Chinese renders, plotly speaks zh-CN.

Starts `python serve.py --server.port <free port> --server.headless true` (the README's launcher around
`streamlit run dashboard.py`) on a temporary SQLite database and saves 1920×1080 screenshots to test-artifacts/.
"""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao_core import db
from jixiao_core.store import ingest
from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, dashboard

pytestmark = pytest.mark.browser


# two different ideographs drawn in the page's font differ pixel for pixel; tofu boxes would not
GLYPHS_DIFFER = """() => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const c = document.createElement('canvas'); c.width = 64; c.height = 64;
  const g = c.getContext('2d');
  const draw = ch => { g.clearRect(0, 0, 64, 64); g.font = '48px ' + font; g.fillText(ch, 4, 52);
                       return Array.from(g.getImageData(0, 0, 64, 64).data).join(','); };
  return [font, draw('总') !== draw('览')];
}"""
MODEBAR_TITLES = (
    "() => Array.from(document.querySelectorAll('.modebar-btn')).map(e => e.getAttribute('data-title'))"
)

if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk); CI installs it",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def url_paths() -> list[tuple[str, str]]:
    """Return (url path, name) of every page in dashboard.py; the default page is served at the root."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "Page"]
    out = []
    for call in sorted(calls, key=lambda c: c.lineno):
        kw = {k.arg: k.value.value for k in call.keywords}
        out.append(("" if kw.get("default") else kw["url_path"], Path(call.args[0].value).stem))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 't.db'}"
    ingest.init(db.make_engine(url))
    with dashboard(url) as base:
        yield base


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        browser.close()


def _settle(page) -> None:
    page.wait_for_selector("h1", timeout=20000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20000)
    page.wait_for_timeout(600)  # plotly draws after the script finishes


@pytest.mark.parametrize("path, name", url_paths())
def test_page_loads_in_chromium_without_an_error(server, page, path, name):
    page.goto(f"{server}/{path}")
    _settle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    errors = page.locator(
        '[data-testid="stException"], [data-testid="stAlertContentError"]'
    ).all_inner_texts()
    assert (errors, page.url.split("?")[0]) == ([], f"{server}/{path}")
    # the router's shared filters are rendered on every page (a page may hide the sidebar with CSS)
    assert page.locator('[data-testid="stSidebar"]').get_by_text("工作领域").count() == 1


def test_chinese_renders_in_a_cjk_font(server, page):
    page.goto(server)
    _settle(page)
    font, differ = page.evaluate(GLYPHS_DIFFER)
    assert (font.split(",")[0], differ) == ('"Noto Sans CJK SC"', True)
    if shutil.which("fc-list"):
        families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        assert "Noto Sans CJK SC" in families


def test_plotly_toolbar_is_translated_by_the_inline_zh_cn_locale(server, page):
    page.goto(f"{server}/funds")
    _settle(page)
    titles = page.evaluate(MODEBAR_TITLES)
    assert {"下载图表为PNG格式", "缩放", "平移", "自动缩放", "重置轴"} <= set(titles)


def test_filters_travel_in_the_url_across_pages(server, page):
    page.goto(f"{server}/indicators?area=经济指标")
    _settle(page)
    assert page.get_by_text("共 9 条指标：有目标 4 条，无目标的产出数量 5 条。").count() == 1
    page.get_by_role("link", name="目标对照").click()
    _settle(page)
    assert "area=" in page.url and page.get_by_text("报告列出 1 项阶段性目标", exact=False).count() == 1


def test_a_link_carries_the_scoring_rule_set(server, page):
    # a bound control with a format_func puts its label in the URL, as the app writes it when a user switches
    page.goto(f"{server}/self-eval?rules=湖北口径")
    _settle(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    shown = dict(zip(labels, values, strict=False))
    # hubei: execution is worth 20; the rebuilt seed table totals 90.81 (tests/test_pages.py works it out)
    assert (shown.get("执行率得分（满分 20）"), shown.get("总分")) == ("20.00", "90.81")
