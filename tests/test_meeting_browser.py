"""Unit: 汇报模式 in a real browser at 1920×1080 (Playwright + /usr/bin/chromium): screenshot, no error, a download."""

from __future__ import annotations

import pytest
from pptx import Presentation

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, dashboard

pytestmark = pytest.mark.browser


@pytest.fixture
def server(seeded_url):
    if not CHROMIUM.exists():
        pytest.skip("chromium not installed (apt-get install chromium)")
    with dashboard(seeded_url) as base:
        yield base


def test_meeting_mode_renders_the_kpi_slide_at_1920x1080(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{server}/meeting?slide=2", wait_until="networkidle")
        page.get_by_text("核心指标一览").first.wait_for(timeout=30_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)  # let the doughnut finish its transition
        page.screenshot(path=str(ARTIFACTS / "meeting_1920x1080.png"))
        sidebar_visible = page.locator("[data-testid='stSidebar']").is_visible()
        exceptions = page.locator("[data-testid='stException']").count()
        metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="下载汇报PPT").click()
        deck = Presentation(download.value.path())
        download_name = download.value.suggested_filename
        browser.close()
    assert exceptions == 0
    assert not sidebar_visible
    assert metrics[:3] == ["450.00万元", "450.00万元", "100.00%"]
    assert download_name == "雨花街道办事处_2023年_绩效汇报.pptx"
    assert len(deck.slides) == 8
