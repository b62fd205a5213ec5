"""Unit: the 整改跟踪 and 结果应用 pages and the 数据核查 card's one action, under AppTest from the router, on a fixed
"today" ($JIXIAO_TODAY) so that 逾期 never depends on the wall clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from jixiao_core import config, db
from jixiao_core.accounts import actor
from jixiao_core.rectify import items, ledger
from jixiao_core.store import ingest
from tests.test_pages import assert_clean, frame, metrics, router_mode  # noqa: F401 - router_mode is autouse

ROOT = Path(__file__).resolve().parent.parent
UNIT = "雨花街道办事处"
SEED_PROBLEMS = [
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系",
    "部分成果无法用指标方式表示",
    "在绩效考评指标的设计上流于形式，有待完善",
]


def app(monkeypatch, url: str, page: str, role: str = "clerk", **query) -> AppTest:
    monkeypatch.setenv(config.ENV_DB, url)
    monkeypatch.setenv(config.ENV_TODAY, "2024-07-01")
    monkeypatch.setenv("JIXIAO_ROLE", role)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(query)
    at.run()
    return at.switch_page(page).run()


@pytest.fixture(scope="module")
def tracked(new_db_url) -> str:
    """The bundled data; item 2 is assigned and due 2024-06-30 (overdue on the pages' day), item 3 is closed."""
    url = new_db_url("rectify_pages")
    engine = db.make_engine(url)
    ingest.init(engine)
    with actor.operating(role="clerk", name="张三"), Session(engine) as s, s.begin():
        items.edit(s, 2, {"body": "经济发展办公室", "deadline": "2024-06-30"}, expected_version=1)
        items.edit(s, 3, {"result": "已修订绩效目标表", "state": "done"}, expected_version=1)
    engine.dispose()
    return url


def test_rectify_page_counts_items_by_status_body_and_source(monkeypatch, tracked):
    at = app(monkeypatch, tracked, "pages/rectify.py")
    assert_clean(at)
    shown = metrics(at)
    assert (shown["未完成"], shown["逾期"], shown["已整改"], shown["待确认跟踪"]) == (
        "2 项",
        "1 项",
        "1 项",
        "0 条",
    )
    assert frame(at, "rect_by_body").values.tolist() == [
        ["未指定", 1, 0, 1, 2],
        ["经济发展办公室", 0, 1, 0, 1],
    ]
    assert frame(at, "rect_by_source").values.tolist() == [["报告自述问题", 1, 1, 1, 3]]
    listed = frame(at, "rect_items")
    assert listed[["编号", "问题", "责任科室", "整改期限", "状态"]].values.tolist() == [
        [1, SEED_PROBLEMS[0], "未指定", "未定", "待整改"],
        [2, SEED_PROBLEMS[1], "经济发展办公室", "2024-06-30", "逾期"],
        [3, SEED_PROBLEMS[2], "未指定", "未定", "已整改"],
    ]


def shared_link(monkeypatch, url: str, **query) -> AppTest:
    """Open the 整改跟踪 page as a shared link would: its filters in the query string (bound widgets put their
    shown labels there)."""
    monkeypatch.setenv(config.ENV_DB, url)
    monkeypatch.setenv(config.ENV_TODAY, "2024-07-01")
    at = AppTest.from_file(str(ROOT / "pages" / "rectify.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


@pytest.mark.parametrize(
    "query, listed",
    [
        ({"rect_status": "逾期"}, [2]),
        ({"rect_status": "未完成"}, [1, 2]),
        ({"rect_status": "已整改"}, [3]),
        ({"rect_body": "经济发展办公室"}, [2]),
        ({"rect_body": "未指定", "rect_status": "未完成"}, [1]),
    ],
)
def test_rectify_filters_are_read_from_the_url(monkeypatch, tracked, query, listed):
    at = shared_link(monkeypatch, tracked, **query)
    assert_clean(at)
    assert frame(at, "rect_items")["编号"].tolist() == listed


def test_rectify_filters_that_match_nothing_say_so(monkeypatch, tracked):
    at = shared_link(monkeypatch, tracked, rect_source="核查发现")
    assert at.multiselect(key="rect_source").value == ["finding"]
    assert "没有符合筛选条件的整改事项。" in [x.value for x in at.info]


def test_rectify_page_shows_an_items_timeline_picked_in_the_url(monkeypatch, tracked):
    at = shared_link(monkeypatch, tracked, rect_item="#2 部分成果无法用指标方式表示")
    assert_clean(at)
    assert at.selectbox(key="rect_item").value == 2
    timeline = frame(at, "rect_timeline")
    assert timeline[["操作人", "操作", "字段", "原值", "新值"]].values.tolist() == [
        ["init", "建立", "", None, "报告自述问题"],
        ["张三", "修改", "责任科室", None, "经济发展办公室"],
        ["张三", "修改", "整改期限", None, "2024-06-30"],
    ]


def test_a_clerk_edits_an_item_and_the_change_joins_its_timeline(monkeypatch, db_url):
    ingest.init(db.make_engine(db_url))
    at = app(monkeypatch, db_url, "pages/rectify.py")
    at.selectbox(key="rect_item").set_value(1).run()
    at.text_area[0].input("建立支出进度月报制度")
    next(box for box in at.selectbox if box.label == "责任科室").set_value("党政综合办公室")
    at.button[0].click().run()  # the form's 保存 (the first button on the page)
    assert_clean(at)
    assert [x.value for x in at.success] == ["已保存：整改要求、责任科室"]
    with db.make_engine(db_url).connect() as conn:
        row = ledger.items_for(conn, UNIT, (2023,), config.today("2024-07-01")).set_index("id").loc[1]
        steps = ledger.history(conn, UNIT, 1)[["actor", "field", "new_value"]].values.tolist()
    assert (row["requirement"], row["body"], row["version"]) == ("建立支出进度月报制度", "党政综合办公室", 2)
    assert steps[1:] == [
        ["经办人", "requirement", "建立支出进度月报制度"],
        ["经办人", "body", "党政综合办公室"],
    ]


def test_a_viewer_reads_the_items_without_any_editing_widget(monkeypatch, tracked):
    at = app(monkeypatch, tracked, "pages/rectify.py", role="viewer")
    at.selectbox(key="rect_item").set_value(1).run()
    assert_clean(at)
    assert len(frame(at, "rect_items")) == 3
    assert [e.label for e in at.expander] == []
    assert [b.key for b in at.button] == []


def test_application_page_shows_the_brief_for_next_years_budget(monkeypatch, tracked):
    at = app(monkeypatch, tracked, "pages/application.py")
    assert_clean(at)
    shown = metrics(at)
    assert (shown["执行率"], shown["得分（等级）"], shown["未达标指标"], shown["无法评分的成果"]) == (
        "100.00%",
        "90.74（优）",
        "5 项",
        "87 项",
    )
    assert (shown["未完成整改事项"], shown["其中逾期"]) == ("2 项", "1 项")
    assert frame(at, "app_items")[["编号", "状态"]].values.tolist() == [[2, "逾期"], [1, "待整改"]]
    assert len(frame(at, "app_unscored")) == 87
    assert [b.key for b in at.get("download_button")] == ["brief_download_pdf", "brief_download_xlsx"]


def test_a_finding_card_becomes_an_item_in_one_click(monkeypatch, db_url):
    ingest.init(db.make_engine(db_url))
    at = app(monkeypatch, db_url, "pages/checks.py")
    buttons = [b for b in at.button if b.key.startswith("chk_item_")]
    assert len(buttons) == 10  # one per finding card: the seed's 10 (DOMAIN §10)
    buttons[0].click().run()
    assert_clean(at)
    assert [x.value for x in at.success] == ["已转为整改事项，可在整改跟踪页指定责任科室和期限"]
    assert "已转为整改事项 #4" in [x.value for x in at.caption]
    with db.make_engine(db_url).connect() as conn:
        made = ledger.items_for(conn, UNIT, (2023,), config.today("2024-07-01"))
    assert made[["id", "source", "created_by"]].values.tolist()[-1] == [4, "finding", "经办人"]


def test_a_viewer_sees_the_finding_cards_without_the_action(monkeypatch, tracked):
    at = app(monkeypatch, tracked, "pages/checks.py", role="viewer")
    assert_clean(at)
    assert [b for b in at.button if b.key.startswith("chk_item_")] == []


def test_a_clerk_confirms_next_years_fix_on_the_page(monkeypatch, db_url):
    engine = db.make_engine(db_url)
    ingest.init(engine)
    with actor.operating(role="clerk", name="张三"), Session(engine) as s, s.begin():
        ingest.import_file(s, ROOT / "tests/fixtures/rectify/yuhua_2024.txt")
    at = app(monkeypatch, db_url, "pages/rectify.py")
    assert metrics(at)["待确认跟踪"] == "1 条"
    at.button(key="rect_yes_1").click().run()
    assert_clean(at)
    assert [x.value for x in at.success] == ["已确认跟踪结果"]
    assert metrics(at)["待确认跟踪"] == "0 条"
