"""Unit: per-unit access in the dashboard — every loader of ui.data walked as a person limited to one unit, and the
pages under AppTest once accounts exist: the sign-in prompt alone for nobody, the selector, a URL naming another
unit, comparisons, the menu per role, and the admin pages (accounts, the log)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

import ui
from jixiao_core import config, db, queries
from jixiao_core.accounts import actor, sessions, users
from jixiao_core.accounts.actor import Actor
from jixiao_core.errors import InputError
from jixiao_core.store import ingest
from tests.test_pages import ROOT, assert_clean, router_mode  # noqa: F401  router_mode: autouse fixture

A, B = "雨花街道办事处", "珊湖区民政局"
REPORT_B = Path(__file__).parent / "fixtures" / "reports" / "shanhu_2023.txt"
PASSWORDS = {"管理员": "admin-password-1", "雨花领导": "viewer-password-1", "经办人甲": "clerk-password-1"}
BUNDLED = "雨花街道办事处 2023年 街道工作经费 绩效评价报告"  # the bundled dataset's batch name
LIMITED = Actor("雨花领导", "viewer", (A,))
EVERYONE = Actor("区财政局", "viewer")


@pytest.fixture(scope="module")
def two_units(new_db_url):
    """Two units (the bundled 雨花 and an imported 珊湖), an admin, a viewer of 雨花 only and an unlimited clerk."""
    url = new_db_url("two_units")
    engine = db.make_engine(url)
    with actor.operating(role="admin"):
        ingest.init(engine)
        with Session(engine) as s, s.begin():
            ingest.import_file(s, REPORT_B)
        with Session(engine) as s, s.begin():
            users.add(s, "管理员", "admin", password=PASSWORDS["管理员"])
            users.add(s, "雨花领导", "viewer", (A,), password=PASSWORDS["雨花领导"])
            users.add(s, "经办人甲", "clerk", password=PASSWORDS["经办人甲"])
    return url


@pytest.fixture
def on(monkeypatch, two_units):
    monkeypatch.setenv(config.ENV_DB, two_units)
    return two_units


# a value for each parameter name a loader takes; `unit` is set per case
SAMPLE = {
    "year": 2023,
    "year_from": 2023,
    "year_to": 2023,
    "areas": (),
    "communities": (),
    "rules": "national",
    "weights": (),
    "targets": (),
    "part": "rows",
    "slide": 1,  # the title slide (0) has no chart
    "chart": 0,
    "units": (),
    "limit": 50,
    "years": (2023,),
    "today": date(2024, 6, 30),
    "day": date(2024, 6, 30),
    "status": None,
    "item_id": 1,
    "project": None,
    "table": "missed",
    "by": "score",
    "kinds": (),
}


def _args(loader, unit: str, indicator_id: int) -> tuple:
    values = {
        **SAMPLE,
        "unit": unit,
        "indicator_id": indicator_id,
        "version": ui.version(),
        "v": ui.version(),
    }
    return tuple(values[p] for p in loader.params)


def _indicator_of(url: str, unit: str) -> int:
    with db.make_engine(url).connect() as conn:
        return int(queries.indicators_for(conn, unit, 2023)["id"].iloc[0])


UNIT_LOADERS = sorted(name for name, loader in ui.data.LOADERS.items() if "unit" in loader.params)
MULTI_LOADERS = sorted(name for name, loader in ui.data.LOADERS.items() if "units" in loader.params)


def test_every_loader_names_the_unit_or_the_units_it_reads():
    assert sorted(ui.data.LOADERS) == sorted(UNIT_LOADERS + MULTI_LOADERS)
    assert len(UNIT_LOADERS) >= 25 and len(MULTI_LOADERS) == 8  # the walk below covers them all


@pytest.mark.parametrize("name", UNIT_LOADERS)
def test_every_unit_loader_refuses_another_unit_and_answers_for_ones_own(on, name):
    loader = ui.data.LOADERS[name]
    with ui.acting(LIMITED):
        loader(*_args(loader, A, _indicator_of(on, A)))  # no refusal
        with pytest.raises(InputError) as err:
            loader(*_args(loader, B, _indicator_of(on, B)))
    assert str(err.value) == "无权查看该单位"


def _units_in(name: str, value) -> list:
    if name == "units__unit_flags":
        return sorted(unit for unit, _ in value)
    if name == "import_history":
        return sorted(set(value["file_name"]))
    if name == "shared_indicators_with_area_labels":
        return sorted(set(value["name"]))
    return sorted(set(value["unit_name"]))


@pytest.mark.parametrize(
    "name, limited, everyone",
    [
        ("units__unit_flags", [A], sorted([A, B])),
        ("unit_comparison", [A], sorted([A, B])),
        ("district_ranking", [A], sorted([A, B])),
        ("shared_indicators_with_area_labels", [], []),  # shared with another unit the person may see: none
        ("import_history", [BUNDLED], sorted(["shanhu_2023.txt", BUNDLED])),
    ],
)
def test_every_multi_unit_loader_answers_only_for_the_persons_units(on, name, limited, everyone):
    assert name in MULTI_LOADERS
    loader = ui.data.LOADERS[name]
    for person, expected in ((LIMITED, limited), (EVERYONE, everyone)):
        with ui.acting(person):
            assert _units_in(name, loader(*_args(loader, A, 0))) == expected


def test_batch_runs_show_a_limited_person_only_runs_that_touched_their_units(on):
    from jixiao_core import models as m

    with Session(db.make_engine(on)) as s, s.begin():
        for key, unit in (("run-a", A), ("run-b", B)):
            run = m.BatchRun(key=key, label=key, files=1, status="done")
            s.add(run)
            s.flush()
            s.add(m.BatchFile(run_id=run.id, seq=0, path=f"{key}.txt", outcome="stored", unit=unit))
    loader = ui.data.LOADERS["batch_runs"]
    seen = {}
    for person in (LIMITED, EVERYONE):
        with ui.acting(person):
            seen[person.name] = sorted(loader(*_args(loader, A, 0))["label"])
    assert seen == {"雨花领导": ["run-a"], "区财政局": ["run-a", "run-b"]}


def test_a_view_of_another_unit_is_refused_even_when_an_admin_has_already_loaded_it(on):
    other = ui.Filters(B, 2023, (2023,), version=ui.version())
    with ui.acting(Actor("管理员", "admin")):
        assert float(ui.funds(other).first()["budget"]) > 0  # kept now, under the view's key
    with ui.acting(LIMITED), pytest.raises(InputError, match="无权查看该单位"):
        ui.funds(other)


def test_nobody_signed_in_is_refused_by_every_loader(on):
    loader = ui.data.LOADERS["funds_for_year"]
    with ui.acting(actor.NOBODY), pytest.raises(InputError, match="请先登录"):
        loader(*_args(loader, A, 0))


def _token(url: str, name: str) -> str:
    with Session(db.make_engine(url)) as s, s.begin():
        return sessions.sign_in(s, name, PASSWORDS[name]).token


def signed_in_app(monkeypatch, url: str, name: str | None, page: str | None = None, **query) -> AppTest:
    """Return the dashboard run as the browser of `name` (its session cookie), or with no cookie at all."""
    token = _token(url, name) if name else None
    monkeypatch.setattr(ui.auth, "browser_token", lambda: token)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _all_text(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "error", "warning", "success")
    return "\n".join(str(x.value) for kind in kinds for x in getattr(at, kind))


def test_nobody_signed_in_sees_the_way_to_sign_in_and_no_data(monkeypatch, on):
    at = signed_in_app(monkeypatch, on, None)
    assert_clean(at)
    assert ([x.value for x in at.title], [x.value for x in at.info]) == (
        ["绩效看板"],
        ["请先登录。会话已结束（已退出、超过空闲时限或账号已停用）时，也需要重新登录。"],
    )
    assert (len(at.metric), len(at.dataframe), len(at.selectbox), A in _all_text(at)) == (0, 0, 0, False)


def test_a_viewer_limited_to_one_unit_is_offered_only_that_unit(monkeypatch, on):
    at = signed_in_app(monkeypatch, on, "雨花领导")
    assert_clean(at)
    assert at.selectbox(key="unit").options == [A]
    assert "当前账号：雨花领导（查看；雨花街道办事处）" in [x.value for x in at.sidebar.caption]


def test_a_link_naming_another_unit_shows_only_that_it_may_not_be_seen(monkeypatch, on):
    at = signed_in_app(monkeypatch, on, "雨花领导", unit=B)
    assert [x.value for x in at.error] == ["无权查看该单位"]
    assert (len(at.metric), len(at.dataframe), len(at.selectbox), B in _all_text(at)) == (0, 0, 0, False)


def test_the_comparison_page_of_a_limited_viewer_compares_only_their_units(monkeypatch, on):
    at = signed_in_app(monkeypatch, on, "雨花领导", "pages/compare.py")
    assert_clean(at)
    assert "2023年只有一个单位的数据；导入其他单位的报告后显示单位之间的比较。" in [x.value for x in at.info]
    unlimited = signed_in_app(monkeypatch, on, "经办人甲", "pages/compare.py")
    table = unlimited.get_by_key("cmp_units").dataframe[0].value
    assert sorted(table["单位"]) == sorted([A, B])


@pytest.mark.parametrize(
    "name, menu",
    [
        (
            "雨花领导",
            [
                "总览",
                "资金",
                "指标",
                "社区",
                "目标对照",
                "对比",
                "区县总览",
                "自评评分",
                "汇报模式",
                "数据核查",
                "整改跟踪",
                "结果应用",
            ],
        ),
        (
            "经办人甲",
            [
                "总览",
                "资金",
                "指标",
                "社区",
                "目标对照",
                "对比",
                "区县总览",
                "自评评分",
                "汇报模式",
                "数据核查",
                "整改跟踪",
                "结果应用",
                "数据管理",
            ],
        ),
        (
            "管理员",
            [
                "总览",
                "资金",
                "指标",
                "社区",
                "目标对照",
                "对比",
                "区县总览",
                "自评评分",
                "汇报模式",
                "数据核查",
                "整改跟踪",
                "结果应用",
                "数据管理",
            ]
            + ["账号管理", "操作日志"],
        ),
    ],
)
def test_the_menu_is_built_per_role(monkeypatch, on, name, menu):
    at = signed_in_app(monkeypatch, on, name)
    # what st.navigation registered on this run (AppTest keeps it to resolve switch_page)
    assert [info["page_name"] for info in at._registered_pages.values()] == menu


def test_the_import_history_shows_the_account_that_imported(monkeypatch, on):
    at = signed_in_app(monkeypatch, on, "管理员", "pages/data_admin.py")
    history = at.get_by_key("admin_history").dataframe[0].value
    assert history[["文件名", "导入人"]].values.tolist() == [["shanhu_2023.txt", "经办人"], [BUNDLED, "init"]]
