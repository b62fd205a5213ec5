"""Unit: the dashboard pages under AppTest, started from the router (dashboard.py) on databases built by the core."""

import ast
import copy
import itertools
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import ui
from jixiao_core import config, db, labels, queries
from jixiao_core import models as m
from jixiao_core.store import dataset, ingest
from jixiao_core.store.write import Origin, store_report

ROOT = Path(__file__).resolve().parent.parent
UNIT = "雨花街道办事处"
DEMO = "示例街道（演示）"
AREAS = (
    "economy",
    "party_building",
    "land_relocation",
    "social_development",
    "livelihood",
    "public_safety",
    "cityscape",
    "culture",
)
COMMUNITIES = ("下庄", "回回营", "雨花", "营盘", "明潭", "龙潭山", "青阳", "颐明园")


def registered_pages() -> list[str]:
    """Return the page files named by st.Page(...) in dashboard.py, in menu order."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "Page"]
    return [c.args[0].value for c in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


PAGES = registered_pages()


@pytest.fixture(autouse=True)
def router_mode(monkeypatch):
    """Run every AppTest run through the router, as serve.py makes the server do.

    AppTest resets `PagesManager.uses_pages_directory` before each run; with a pages/ folder present it then
    takes the legacy multipage path and runs a switched-to page file alone, without dashboard.py's sidebar.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def _url(new_db_url, name: str) -> str:
    return new_db_url(name)


@pytest.fixture(scope="module")
def bundled(new_db_url):
    """The bundled 2023 dataset, loaded by `ingest.init` as `python -m jixiao_core init` does."""
    url = _url(new_db_url, "bundled")
    ingest.init(db.make_engine(url))
    return url


def _demo_year(base, year: int, budget: int, arrived: int, spent: int, revenue: str):
    rep = copy.deepcopy(base)
    rep.unit_name, rep.year, rep.source, rep.claims = DEMO, year, None, []
    rep.funds.budget, rep.funds.arrived, rep.funds.spent = D(budget), D(arrived), D(spent)
    rep.indicators[0].actual = D(revenue)  # 一般公共预算收入 (亿元)
    return ingest.enrich(rep)


@pytest.fixture(scope="module")
def multi(new_db_url):
    """The bundled data plus a hand-made generated unit with 2022 and 2023, and 2023 monthly disbursements."""
    url = _url(new_db_url, "multi")
    engine = db.make_engine(url)
    ingest.init(engine)
    ds = dataset.load(config.BUNDLED_DATASETS[0])
    with Session(engine) as s, s.begin():
        for year, funds, revenue in (
            (2022, (4000000, 4000000, 3800000), "8.00"),
            (2023, (4500000, 4200000, 3600000), "9.67"),
        ):
            origin = Origin("generated", f"demo-{year}", f"{year}" * 16, "generated", generated=True)
            res = store_report(
                s, _demo_year(ds.report, year, *funds, revenue), origin, goal_areas=ds.goal_areas
            )
        for month, spent in ((3, 1125000), (7, 1800000), (10, 2000000)):
            s.add(m.Disbursement(project_year_id=res.project_year_id, month=month, spent_to_date=D(spent)))
    return url


@pytest.fixture(scope="module")
def empty(new_db_url):
    """A database with the schema and no data."""
    url = _url(new_db_url, "empty")
    db.upgrade(db.make_engine(url))
    return url


def app(monkeypatch, url: str, page: str | None = None, **query) -> AppTest:
    monkeypatch.setenv(config.ENV_DB, url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert ([e.value for e in at.exception], [e.value for e in at.error]) == ([], [])


def metrics(at: AppTest) -> dict[str, str]:
    return {x.label: x.value for x in at.metric}


def frame(at: AppTest, key: str):
    """Return the frame shown by `ui.table(..., key=key)`, with its Chinese headers."""
    (table,) = at.get_by_key(key).dataframe
    return table.value


def test_every_file_in_pages_is_registered_in_the_router():
    assert sorted(PAGES) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_every_area_and_community_filter_combination(monkeypatch, bundled, page):
    at = app(monkeypatch, bundled, page)
    assert_clean(at)
    for areas, communities in itertools.product(
        [[], *([a] for a in AREAS)], [[], *([c] for c in COMMUNITIES)]
    ):
        at.multiselect(key="area").set_value(areas)
        at.multiselect(key="community").set_value(communities)
        at.run()
        assert_clean(at)
    at.multiselect(key="area").set_value(list(AREAS))
    at.multiselect(key="community").set_value(list(COMMUNITIES))
    at.run()
    assert_clean(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_every_unit_and_year_range(monkeypatch, multi, page):
    at = app(monkeypatch, multi, page)
    for unit in (UNIT, DEMO):
        at.selectbox(key="unit").set_value(unit).run()
        assert_clean(at)
        if unit == DEMO:
            for span in ((2022, 2022), (2022, 2023), (2023, 2023)):
                at.select_slider(key="year").set_range(*span).run()
                assert_clean(at)


# pages about the people using the dashboard, not the imported data: they say what they lack themselves
EMPTY_STATES = {
    "pages/accounts.py": "尚无账号：此时为单用户模式，本机打开看板无需登录。新建第一个账号（须为管理员）后，所有人都需要登录。",
    "pages/audit_log.py": "没有符合条件的日志。",
}


@pytest.mark.parametrize("page", PAGES)
def test_page_on_an_empty_database_says_what_to_import(monkeypatch, empty, page):
    at = app(monkeypatch, empty, page)
    assert_clean(at)
    assert EMPTY_STATES.get(page, labels.EMPTY_DATA) in [x.value for x in at.info]


def test_overview_shows_the_headline_figures_of_the_bundled_report(monkeypatch, bundled):
    at = app(monkeypatch, bundled)
    assert_clean(at)
    with db.make_engine(bundled).connect() as conn:
        findings = len(queries.findings_for(conn, UNIT, 2023))
    shown = metrics(at)
    assert {k: shown[k] for k in list(shown)[:11]} == {
        "全年预算": "450.00万元",
        "到位资金": "450.00万元",
        "支出": "450.00万元",
        "到位率": "100.00%",
        "执行率": "100.00%",
        "执行率（到位口径）": "100.00%",
        "指标数": "94",
        "有目标": "7",
        "达标": "2",
        "未达标": "5",
        "核查发现": str(findings),
    }
    verdict = "有目标的 7 项指标中 5 项未达标：规模以上固定资产投资、招商引资省外到位资金、重精患者在册在管、区级问题清单化解、强制垃圾分类示范小区建成。"
    assert labels.md_escape(verdict) in [x.value for x in at.markdown]
    assert "> 预期绩效目标已全部按期完成" in [x.value for x in at.markdown]


def test_overview_score_card_shows_the_rebuilt_score_and_grade(monkeypatch, bundled):
    at = app(monkeypatch, bundled)
    assert metrics(at)["得分（等级）"] == "90.74（优）"


def test_overview_drill_lists_an_area_and_opens_it_on_the_indicator_page(monkeypatch, bundled):
    at = app(monkeypatch, bundled)
    at.selectbox(key="ov_drill").set_value("economy").run()
    assert list(frame(at, "ov_drill_table")["指标"])[:3] == [
        "一般公共预算收入",
        "规模以上固定资产投资",
        "规上工业总产值增速",
    ]
    at.button(key="ov_drill_go").click().run()
    assert_clean(at)
    assert at.multiselect(key="area").value == ["economy"]
    assert "共 9 条指标：有目标 4 条，无目标的产出数量 5 条。" in [x.value for x in at.caption]


def test_funds_page_shows_rates_and_says_monthly_data_is_missing(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/funds.py")
    assert {k: v for k, v in metrics(at).items() if "率" in k or "年初" in k} == {
        "年初预算": "缺失",
        "到位率": "100.00%",
        "执行率": "100.00%",
        "执行率（到位口径）": "100.00%",
    }
    assert [x.value for x in at.info] == [
        "本年度没有月度支出数据，无法对照时间进度（预警值 =（执行数 ÷ 预算数）÷（月份 ÷ 12）× 100）。",
        "只有一个年度的资金数据；导入其他年度的报告后显示趋势。",
    ]


def test_funds_page_monitors_time_progress_and_trend_with_a_generated_banner(monkeypatch, multi):
    at = app(monkeypatch, multi, "pages/funds.py", unit=DEMO)
    assert labels.GENERATED_BANNER in [x.value for x in at.warning]
    assert (metrics(at)["到位率"], metrics(at)["执行率"], metrics(at)["执行率（到位口径）"]) == (
        "93.33%",
        "80.00%",
        "85.71%",
    )
    progress = frame(at, "funds_progress_table")
    assert progress[["月份", "执行进度", "预警值", "信号灯"]].values.tolist() == [
        [3, 25.0, 100.0, "绿灯"],
        [7, 40.0, 68.57, "黄灯"],
        [10, 44.44, 53.33, "红灯"],
    ]
    history = frame(at, "funds_history")
    assert history[["年度", "全年预算（万元）", "支出（万元）", "执行率（支出/预算）"]].values.tolist() == [
        [2022, 400.0, 380.0, 95.0],
        [2023, 450.0, 360.0, 80.0],
    ]


def test_indicator_page_separates_targets_from_output_volumes(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/indicators.py")
    assert "共 94 条指标：有目标 7 条，无目标的产出数量 87 条。" in [x.value for x in at.caption]
    targets = frame(at, "ind_targets")
    assert targets[["指标", "完成值", "目标值", "完成率（复算）", "状态"]].values.tolist()[:2] == [
        ["一般公共预算收入", "9.67亿元", "8.64亿元", 111.92, "达标"],
        ["规模以上固定资产投资", "17.06亿元", "24亿元", 71.08, "未达标"],
    ]
    volumes = frame(at, "ind_volumes")
    values = dict(zip(volumes["指标"], volumes["完成值"], strict=True))
    assert (
        values["受益群众"],
        values["市监察委员会留置场所扩建项目用地拆迁补偿协议"],
        values["拆除临违建筑面积"],
    ) == (
        "8000余人",
        "约60亩",
        "7.8万余平方米",
    )


def test_indicator_page_shows_the_source_sentence_with_the_figure_and_its_findings(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/indicators.py")
    at.selectbox(key="ind_pick").set_value(1).run()
    quote = r"> 规模以上固定资产投资完成:orange-background[**17\.06**]亿元，占任务数24亿元的71\.07%"
    assert quote in [x.value for x in at.markdown]
    with db.make_engine(bundled).connect() as conn:
        ids = queries.indicators_for(conn, UNIT, 2023)["id"]
        expected = list(queries.findings_for_indicator(conn, UNIT, int(ids[1]))["message"])
    assert list(frame(at, "ind_findings")["说明"]) == expected


def test_communities_page_lists_the_eight_communities_and_their_facts(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/communities.py")
    (card,) = at.metric
    assert (card.value, card.proto.help) == ("8 个社区", "村改居社区 3 个、城市社区 5 个")
    assert frame(at, "comm_list")[["社区", "类型", "归属指标数"]].values.tolist()[-1] == [
        "颐明园",
        "城市社区",
        2,
    ]
    assert list(frame(at, "comm_facts")["社区"]) == ["雨花", "颐明园", "颐明园"]
    actions = frame(at, "comm_actions")
    assert actions[["指标", "完成值"]].values.tolist() == [
        ["社区党组织党务日常巡查", "17次"],
        ["全覆盖病媒消杀社区", "8个"],
    ]
    assert "报告没有为两个及以上社区给出同一指标的数值，社区之间无法比较（数据缺失）。" in [
        x.value for x in at.info
    ]


def test_community_filter_narrows_the_list_and_says_when_facts_are_missing(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/communities.py")
    at.multiselect(key="community").set_value(["下庄"]).run()
    assert at.metric[0].value == "1 个社区"
    assert "所选社区在本年度报告中没有单独归属的指标（缺失）。" in [x.value for x in at.info]


def test_goals_page_sets_each_staged_goal_against_its_area(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/goals.py")
    assert "报告列出 8 项阶段性目标；每项目标对照其所属工作领域的完成情况。" in [x.value for x in at.caption]
    assert "对应领域：经济指标 · 指标 9 条，有目标 4 条，达标 2 条，未达标 2 条" in [
        x.value for x in at.caption
    ]
    assert len(frame(at, "goal_1")) == 9
    at.multiselect(key="area").set_value(["cityscape"]).run()
    assert [x.value for x in at.markdown if x.value.startswith("**")] == ["**七是**　打造整洁宜人的市容环境"]


def test_compare_page_says_a_second_year_or_unit_is_needed(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/compare.py")
    assert [x.value for x in at.info] == [
        "没有相邻两个年度都有的同名指标；导入本单位其他年度的报告后显示同比。",
        "2023年只有一个单位的数据；导入其他单位的报告后显示单位之间的比较。",
    ]


def test_compare_page_matches_years_and_units_and_flags_generated_data(monkeypatch, multi):
    at = app(monkeypatch, multi, "pages/compare.py", unit=DEMO)
    assert labels.GENERATED_BANNER in [x.value for x in at.warning]
    yoy = frame(at, "cmp_yoy")
    assert len(yoy) == 94
    assert yoy[["指标", "上年完成值", "完成值", "变化", "变化率"]].values.tolist()[0] == [
        "一般公共预算收入",
        8.0,
        9.67,
        1.67,
        20.88,
    ]
    units = frame(at, "cmp_units")
    assert units[["单位", "执行率（支出/预算）", "演示数据"]].values.tolist() == [
        [UNIT, 100.0, False],
        [DEMO, 80.0, True],
    ]
    assert "比较中含有演示数据（生成的示例单位），不能与真实单位相提并论。" in [x.value for x in at.warning]


def test_checks_page_counts_findings_by_severity_with_their_sentences(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/checks.py")
    with db.make_engine(bundled).connect() as conn:
        counts = queries.finding_counts(conn, UNIT, 2023)
        findings = queries.findings_for(conn, UNIT, 2023)
    expected = {"核查发现": f"{len(findings)} 条"} | {
        labels.SEVERITY_LABELS[s]: f"{n} 条" for s, n in zip(counts.severity, counts.findings, strict=True)
    }
    assert metrics(at) == expected
    quotes = [x.value for x in at.markdown if x.value.startswith("> ")]
    assert quotes == ["> " + labels.md_escape(t) for t in findings["text"] if t]


def test_data_admin_imports_a_report_once_and_lists_the_history(monkeypatch, db_url):
    url = db_url
    ingest.init(db.make_engine(url))
    at = app(monkeypatch, url, "pages/data_admin.py")
    seed = (ROOT / "tests/fixtures/reports/yuhua_2023.txt").read_bytes()
    at.file_uploader(key="admin_upload").upload("yuhua_2023.txt", seed, "text/plain")
    at.run()
    at.button(key="admin_import").click().run()
    assert [x.value for x in at.error] == [
        "yuhua_2023.txt：该单位该项目 2023 年度已有数据（第 1 版）；如确需替换，请勾选“替换现有版本”（命令行加 --replace），旧版本保留在历史中"
    ]
    at.checkbox(key="admin_replace").check().run()
    at.button(key="admin_import").click().run()
    with db.make_engine(url).connect() as conn:
        stored = queries.indicator_summary(conn, UNIT, 2023)["indicators"][0]
        found = len(queries.findings_for(conn, UNIT, 2023))
    assert [x.value for x in at.success] == [
        f"yuhua_2023.txt：已替换旧版本（第 2 版），指标 {stored} 条，核查发现 {found} 条"
    ]
    at.button(key="admin_import").click().run()
    assert [x.value for x in at.info] == ["yuhua_2023.txt：该文件已导入过，未做改动"]
    history = frame(at, "admin_history")
    # the importer is $JIXIAO_USER, 经办人 by default
    assert history[["类型", "文件名", "导入人"]].values.tolist() == [
        ["报告", "yuhua_2023.txt", "经办人"],
        ["内置数据集", "雨花街道办事处 2023年 街道工作经费 绩效评价报告", "init"],
    ]


def test_data_admin_shows_an_input_error_in_chinese(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/data_admin.py")
    at.file_uploader(key="admin_upload").upload("空.txt", b"")
    at.run()
    at.button(key="admin_import").click().run()
    assert [x.value for x in at.error] == ["空.txt：文件为空"]


def test_self_eval_scores_the_rebuilt_table_and_switches_rule_sets(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/self_eval.py")
    assert_clean(at)
    shown = metrics(at)
    assert (shown["总分"], shown["等级"], shown["评分指标"], shown["未评分"]) == (
        "90.74",
        "优",
        "7 项",
        "87 项",
    )
    assert shown["有年度指标值"] == "7/94（7.45%）"
    assert shown["归因存疑"] == "9 项"
    rows = at.dataframe[0].value
    fixed = rows[rows["三级指标"] == "规模以上固定资产投资"].iloc[0]
    assert (fixed["分值"], fixed["得分"], fixed["计算"]) == (5.63, 4.0, "5.63 × 17.06 / 24 = 4.00")
    at.segmented_control(key="rules").set_value("hubei").run()
    assert_clean(at)
    assert metrics(at)["执行率得分（满分 20）"] == "20.00"
    # hubei: execution 20; 产出 40 + 效益 30 (+ the empty 满意度 10 in proportion) → 45.71 and 34.29 (6 rows).
    # 20 + 45.71×53/54=44.86 + 5.72 + 5.72×17.06/24=4.07 + 5.72 + 5.71×1.48/4=2.11 + 5.71×45/47=5.47 + 5.71/2=2.86
    assert metrics(at)["总分"] == "90.81"


def test_self_eval_what_if_moves_the_score_without_saving(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/self_eval.py")
    at.session_state["whatif_edits"] = {"weights": (), "targets": ((1, 17.06),)}
    at.run()
    assert_clean(at)
    # 固投 now meets its target: 4.00 → 5.63, so 90.74 + 1.63
    assert metrics(at)["总分"] == "92.37"
    assert any("原总分 90.74（优）" in w.value for w in at.warning)
    with Session(db.make_engine(bundled)) as s:
        assert queries.scorecard(s, UNIT, 2023).result.total == Decimal("90.74")


def test_pages_leave_the_frames_they_share_through_the_cache_as_loaded(monkeypatch, bundled):
    # loaders hand every session the one cached object (cache_resource), so no page may modify what it gets
    for page in PAGES:
        at = app(monkeypatch, bundled, page)
        at.multiselect(key="community").set_value(["雨花"]).run()
        assert_clean(at)
    f = ui.Filters(UNIT, 2023, (2023,), version=ui.version())
    shared = {
        "indicator rows": ui.indicators(f).frame,
        "goals": ui.goals(f).frame,
        "findings": ui.findings(f).frame,
        "funds": ui.funds(f).frame,
        "communities": ui.communities(f).frame,
        "year over year": ui.year_over_year(f).frame,
    }
    with db.make_engine(bundled).connect() as conn:
        loaded = {
            "indicator rows": ui.indicator_rows(queries.indicators_for(conn, UNIT, 2023)),
            "goals": queries.goals_against_results(conn, UNIT, 2023),
            "findings": queries.findings_for(conn, UNIT, 2023),
            "funds": queries.funds_for_year(conn, UNIT, 2023),
            "communities": queries.communities_for(conn, UNIT, 2023),
            "year over year": ui.with_area_labels(queries.year_over_year(conn, UNIT)),
        }
    for name, frame in loaded.items():
        pd.testing.assert_frame_equal(shared[name], frame, obj=name)


def test_an_import_made_here_moves_the_data_version_at_once(monkeypatch, db_url):
    ingest.init(db.make_engine(db_url))
    monkeypatch.setenv(config.ENV_DB, db_url)
    assert ui.version() == (db_url, 1)
    with Session(db.make_engine(db_url)) as s, s.begin():
        ingest.import_file(s, ROOT / "tests/fixtures/reports/yuhua_2023.txt", replace=True)
    ui.clear_caches()  # as ui.import_upload does; another process's import shows within ui.cache.VERSION_TTL seconds
    assert ui.version() == (db_url, 2)


def test_indicator_page_saves_a_clerks_correction_with_its_history(monkeypatch, db_url):
    ingest.init(db.make_engine(db_url))
    at = app(monkeypatch, db_url, "pages/indicators.py")
    choices = at.selectbox(key="ind_pick").options
    fixed = next(i for i, label in enumerate(choices) if "规模以上固定资产投资" in label)
    at.selectbox(key="ind_pick").set_value(fixed).run()  # options are row positions
    form_inputs = {t.label: t for t in at.text_input}
    assert (form_inputs["实际完成值"].value, form_inputs["年度指标值"].value) == ("17.06", "24")
    form_inputs["实际完成值"].input("24")
    form_inputs["更正原因（必填）"].input("统计局终审数")
    at.button[0].click().run()
    assert_clean(at)
    assert [s.value for s in at.success] == ["已保存更正：actual"]
    history = frame(at, "ind_history")
    assert history[["字段", "原值", "新值", "原因"]].values.tolist() == [
        ["实际完成值", "17.06", "24", "统计局终审数"]
    ]
    with db.make_engine(db_url).connect() as conn:
        row = queries.indicators_for(conn, UNIT, 2023).set_index("name").loc["规模以上固定资产投资"]
    assert (row["actual_printed"], row["version"]) == ("24", 2)


def test_self_eval_scores_under_a_user_defined_rule_set_and_refuses_a_bad_one(monkeypatch, bundled):
    at = app(monkeypatch, bundled, "pages/self_eval.py")
    at.segmented_control(key="rules").set_value("custom").run()
    assert_clean(at)
    assert metrics(at)["总分"] == "90.74"  # the form starts from the national settings
    inputs = {n.label: n for n in at.number_input}
    inputs["执行率分值"].set_value(20.0)
    inputs["产出指标分值"].set_value(40.0)
    at.button[0].click().run()
    assert_clean(at)
    # execution 20; 产出 40 + 效益 30 (+ 满意度 10 in proportion) = 45.71 and 34.29: the hubei figures, 90.81
    assert metrics(at)["总分"] == "90.81"
    inputs = {n.label: n for n in at.number_input}
    inputs["满意度指标分值"].set_value(20.0)
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "自定义规则：执行率与各级指标分值合计应为 100，实为 110；暂按全国通用规则计分"
    ]
    assert metrics(at)["总分"] == "90.74"
