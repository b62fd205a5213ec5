"""Unit: 汇报模式 in a real browser at 1920×1080 (Playwright + /usr/bin/chromium): screenshot, no error, a download."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pptx import Presentation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(port: int) -> list[str]:
    flags = ["--server.port", str(port), "--server.headless", "true"]
    if (ROOT / "serve.py").exists():
        return [sys.executable, "serve.py", *flags]
    return [sys.executable, "-m", "streamlit", "run", "dashboard.py", *flags]


def _wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("server did not become healthy")


@pytest.fixture
def server(seeded_url):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium)")
    if '"pages/meeting.py"' not in (ROOT / "dashboard.py").read_text(encoding="utf-8"):
        pytest.skip("dashboard.py does not register pages/meeting.py yet")
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": seeded_url}
    proc = subprocess.Popen(
        _command(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_meeting_mode_renders_the_kpi_slide_at_1920x1080(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
