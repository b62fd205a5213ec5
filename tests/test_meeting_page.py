"""Unit: the 汇报模式 page (pages/meeting.py): slides stepped by buttons and by the URL, export downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "meeting.py")
DASHBOARD = ROOT / "dashboard.py"


@pytest.fixture
def app(seeded_url, monkeypatch):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", seeded_url)
    return AppTest.from_file(PAGE, default_timeout=30)


def _title(at: AppTest) -> str:
    return at.title[0].value


def test_first_slide_is_the_title_with_prev_disabled(app):
    app.run()
    assert not app.exception
    assert _title(app) == "雨花街道办事处 2023年度 街道工作经费"
    assert app.button(key="slide_prev").disabled and not app.button(key="slide_next").disabled
    assert app.pagination(key="slide").value == 1


def test_next_button_moves_to_slide_two_and_puts_it_in_the_url(app):
    app.run()
    app.button(key="slide_next").click().run()
    assert not app.exception
    assert _title(app) == "核心指标一览"
    assert app.query_params["slide"] == "2"
    assert [m.value for m in app.metric][:3] == ["450.00万元", "450.00万元", "100.00%"]


def test_slide_number_in_the_url_opens_that_slide(app):
    app.query_params["slide"] = "5"
    app.run()
    assert not app.exception
    assert _title(app) == "未完成目标与核查发现"
    app.button(key="slide_prev").click().run()
    assert _title(app) == "分领域完成情况" and app.query_params["slide"] == "4"


def test_last_slide_disables_next(app):
    app.query_params["slide"] = "8"
    app.run()
    assert _title(app) == "存在问题与下一步"
    assert app.button(key="slide_next").disabled


def test_three_export_downloads_are_offered(app):
    app.run()
    buttons = app.get("download_button")
    assert [(b.key, b.label) for b in buttons] == [
        ("download_pptx", "下载汇报PPT"),
        ("download_xlsx", "下载自评表Excel"),
        ("download_pdf", "下载PDF简报"),
    ]


def test_dashboard_switches_to_the_meeting_page_and_steps_forward(seeded_url, monkeypatch):
    monkeypatch.setenv("JIXIAO_DATABASE_URL", seeded_url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=30).run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception
    at.button(key="slide_next").click().run()
    assert not at.exception
    assert "核心指标一览" in [t.value for t in at.title]
    assert at.query_params["slide"] == "2"
