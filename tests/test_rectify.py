"""Unit: jixiao_core.rectify — 整改 items made on import and from findings, edited with history, evidence and
optimistic locking, their status on a fixed day (never the wall clock), the ledger's counts, the similarity of
problem texts, and the migration that turns stored problems into items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jixiao_core import db
from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.rectify import evidence, items, ledger, rules, similarity
from jixiao_core.store import ingest

UNIT = "雨花街道办事处"
TODAY = date(2024, 7, 1)
SEED_SENTENCE = (
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系；部分成果无法用指标方式表示；"
    "在绩效考评指标的设计上流于形式，有待完善。"
)
SEED_PROBLEMS = [
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系",
    "部分成果无法用指标方式表示",
    "在绩效考评指标的设计上流于形式，有待完善",
]


@pytest.fixture
def loaded(engine):
    ingest.init(engine)
    return engine


def clerk(name: str = "张三"):
    return actor.operating(role="clerk", name=name)


def _items(engine, status: str | None = None, today: date = TODAY):
    with engine.connect() as conn:
        return ledger.items_for(conn, UNIT, (2023,), today, status)


def _finding(s: Session, kind: str, name: str | None = None) -> int:
    """Return the id of the seed's first finding of `kind` (whose message starts with `name`, when given)."""
    rows = s.scalars(select(m.Finding).where(m.Finding.kind == kind).order_by(m.Finding.id))
    return next(f.id for f in rows if name is None or f.message.startswith(name))


def test_init_makes_one_pending_item_per_problem_of_the_seed_with_its_sentence(loaded):
    df = _items(loaded)
    assert df[["source", "problem", "source_text", "state", "status", "created_by"]].values.tolist() == [
        ["report", text, SEED_SENTENCE, "pending", "pending", "init"] for text in SEED_PROBLEMS
    ]
    assert df[["body", "deadline", "requirement"]].isna().all().all()  # left for a clerk


def test_init_twice_and_importing_the_same_report_again_make_no_second_item(loaded):
    ingest.init(loaded)
    with clerk(), Session(loaded) as s, s.begin():
        ingest.import_file(s, Path(__file__).parent / "fixtures/reports/yuhua_2023.txt", replace=True)
    assert list(_items(loaded)["problem"]) == SEED_PROBLEMS


@pytest.mark.parametrize(
    "kind, name, indicator",
    [
        ("target_missed", "规模以上固定资产投资", "规模以上固定资产投资"),
        ("target_missed", "招商引资省外到位资金", "招商引资省外到位资金"),
        ("target_missed", "强制垃圾分类示范小区建成", "强制垃圾分类示范小区建成"),
        ("implausible_rate", "净增长经营主体", "净增长经营主体"),
        ("claim_contradicted", None, None),
    ],
)
def test_each_seed_finding_becomes_an_item_in_one_action(loaded, kind, name, indicator):
    with clerk(), Session(loaded) as s, s.begin():
        fid = _finding(s, kind, name)
        message, text = s.get(m.Finding, fid).message, s.get(m.Finding, fid).text
        item_id = items.from_finding(s, fid)
    row = _items(loaded).set_index("id").loc[item_id]
    assert (row["source"], row["problem"], row["source_text"], row["finding_kind"]) == (
        "finding",
        message,
        text,
        kind,
    )
    assert (row["indicator_name"], row["state"], row["created_by"]) == (indicator, "pending", "张三")


def test_a_finding_made_into_an_item_twice_is_refused_with_the_items_number(loaded):
    with clerk(), Session(loaded) as s, s.begin():
        fid = _finding(s, "implausible_rate", "净增长经营主体")
        first = items.from_finding(s, fid)
        with pytest.raises(InputError, match=f"已转为整改事项（编号 {first}）"):
            items.from_finding(s, fid)


def test_a_viewer_reads_items_but_cannot_make_or_edit_them(loaded):
    with actor.operating(role="viewer", name="李四"), Session(loaded) as s, s.begin():
        with pytest.raises(InputError) as err:
            items.from_finding(s, _finding(s, "target_missed"))
        assert str(err.value) == "李四：权限不足：编辑整改事项需要经办人、管理员权限"
        with pytest.raises(InputError, match="权限不足"):
            items.edit(s, 1, {"requirement": "x"}, expected_version=1)


def _edit(engine, item_id: int, changes: dict, version: int, name: str = "张三") -> int:
    with clerk(name), Session(engine) as s, s.begin():
        return items.edit(s, item_id, changes, expected_version=version)


def test_an_edit_records_each_changed_field_in_the_timeline(loaded):
    version = _edit(
        loaded,
        1,
        {"requirement": "建立支出进度月报制度", "body": "党政综合办公室", "deadline": "2024-06-30"},
        1,
    )
    version = _edit(loaded, 1, {"state": "in_progress"}, version)
    assert version == 3
    with loaded.connect() as conn:
        timeline = ledger.history(conn, UNIT, 1)
    assert timeline[["actor", "action", "field", "old_value", "new_value"]].values.tolist() == [
        ["init", "created", None, None, "report"],
        ["张三", "edit", "requirement", None, "建立支出进度月报制度"],
        ["张三", "edit", "body", None, "党政综合办公室"],
        ["张三", "edit", "deadline", None, "2024-06-30"],
        ["张三", "state", "state", "pending", "in_progress"],
    ]
    row = _items(loaded).set_index("id").loc[1]
    assert (row["body"], row["deadline"], row["state"], row["version"]) == (
        "党政综合办公室",
        "2024-06-30",
        "in_progress",
        3,
    )


@pytest.mark.parametrize(
    "deadline, state, today, status",
    [
        ("2024-06-30", "pending", date(2024, 7, 1), "overdue"),
        ("2024-06-30", "in_progress", date(2024, 7, 1), "overdue"),
        ("2024-06-30", "pending", date(2024, 6, 30), "pending"),  # due today is not late yet
        ("2024-06-30", "in_progress", date(2024, 1, 1), "in_progress"),
        ("2024-06-30", "done", date(2030, 1, 1), "done"),
        (None, "pending", date(2030, 1, 1), "pending"),  # no deadline, never overdue
    ],
)
def test_overdue_follows_from_the_deadline_and_the_day_asked(deadline, state, today, status):
    assert (
        rules.shown_status(state, None if deadline is None else date.fromisoformat(deadline), today) == status
    )


def test_the_ledger_judges_overdue_on_the_day_it_is_given_not_the_clock(loaded):
    _edit(loaded, 2, {"deadline": "2024-06-30"}, 1)
    assert list(_items(loaded, today=date(2024, 6, 30))["status"]) == ["pending"] * 3
    assert list(_items(loaded, today=date(2024, 7, 1))["status"]) == ["pending", "overdue", "pending"]
    assert list(_items(loaded, "overdue", date(2024, 7, 1))["id"]) == [2]
    assert list(_items(loaded, "open", date(2024, 7, 1))["id"]) == [1, 2, 3]
    assert list(_items(loaded, "closed", date(2024, 7, 1))["id"]) == []


def test_closing_needs_a_result_and_records_who_confirmed_it(loaded):
    with pytest.raises(InputError, match="确认已整改前，请先填写整改结果"):
        _edit(loaded, 3, {"state": "done"}, 1)
    _edit(loaded, 3, {"result": "已修订绩效目标表，补设年度指标值", "state": "done"}, 1, name="王五")
    row = _items(loaded).set_index("id").loc[3]
    assert (row["state"], row["status"], row["confirmed_by"]) == ("done", "done", "王五")
    assert row["confirmed_at"] is not None
    _edit(loaded, 3, {"state": "in_progress"}, 2)  # reopened: the confirmation no longer holds
    row = _items(loaded).set_index("id").loc[3]
    assert (row["state"], row["confirmed_by"], row["confirmed_at"]) == ("in_progress", None, None)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"body": "财政局"}, "责任科室：“财政局”不是本单位的内设机构；可选：党政综合办公室、"),
        ({"deadline": "六月底"}, "整改期限：应为日期（如 2025-06-30），实为“六月底”"),
        ({"state": "closed"}, "状态：未知状态 'closed'"),
        ({"problem": "改写的问题"}, "问题：报告或核查发现所述的问题保持原文，不能修改"),
        ({"owner": "张三"}, "整改事项：这些字段不能修改：owner"),
        ({"requirement": "长" * 2001}, "整改要求：不超过 2000 字（现为 2001 字）"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(loaded, changes, message):
    with pytest.raises(InputError) as err:
        _edit(loaded, 1, changes, 1)
    assert str(err.value).startswith(message)


def test_an_edit_from_a_stale_page_is_refused(loaded):
    _edit(loaded, 1, {"requirement": "甲的要求"}, 1)
    with pytest.raises(InputError, match="已被他人修改，请刷新后重试"):
        _edit(loaded, 1, {"requirement": "乙的要求"}, 1)


def test_two_concurrent_saves_keep_the_first_and_refuse_the_second(loaded):
    first, second = Session(loaded), Session(loaded)
    try:
        with clerk("甲"):
            second.get(m.RectifyItem, 1)  # both pages loaded version 1
            items.edit(first, 1, {"requirement": "甲的要求"}, expected_version=1)
            first.commit()
            with pytest.raises(InputError, match="已被他人修改，请刷新后重试"):
                items.edit(second, 1, {"requirement": "乙的要求"}, expected_version=1)
    finally:
        first.close()
        second.close()
    assert _items(loaded).set_index("id").loc[1, "requirement"] == "甲的要求"


def test_a_person_adds_an_item_for_the_unit_year(loaded):
    with clerk(), Session(loaded) as s, s.begin():
        item_id = items.add(s, UNIT, 2023, "  社区食堂运营经费无保障  ")
    row = _items(loaded).set_index("id").loc[item_id]
    assert (row["source"], row["problem"], row["source_text"], row["created_by"]) == (
        "manual",
        "社区食堂运营经费无保障",
        None,
        "张三",
    )
    with clerk(), Session(loaded) as s, s.begin(), pytest.raises(InputError, match="没有该单位该年度的数据"):
        items.add(s, UNIT, 2019, "问题")


def test_evidence_is_a_note_a_capped_file_or_an_indicator_of_the_unit(loaded):
    with clerk(), Session(loaded) as s, s.begin():
        fixed = s.scalar(select(m.Indicator.id).where(m.Indicator.name == "规模以上固定资产投资"))
        evidence.add_evidence(s, 1, note="已建立月报制度")
        evidence.add_evidence(s, 1, file=("整改通知.pdf", b"%PDF-1.4 test"))
        evidence.add_evidence(s, 1, indicator_id=fixed)
        with pytest.raises(InputError, match="佐证文件上限为 5 MB"):
            evidence.add_evidence(s, 1, file=("扫描件.pdf", b"x" * (rules.MAX_EVIDENCE_BYTES + 1)))
        with pytest.raises(InputError, match="三选一"):
            evidence.add_evidence(s, 1, note="说明", indicator_id=fixed)
        with pytest.raises(InputError, match="不存在，或不属于本单位"):
            evidence.add_evidence(s, 1, indicator_id=10**6)
    with loaded.connect() as conn:
        shown = ledger.evidence(conn, UNIT, 1)
        stored = ledger.evidence_file(conn, int(shown["id"][1]))
    assert shown[["kind", "note", "file_name", "size", "indicator_label", "added_by"]].astype(
        object
    ).values.tolist() == [
        ["note", "已建立月报制度", None, None, None, "张三"],
        ["file", None, "整改通知.pdf", 13, None, "张三"],
        ["indicator", None, None, None, "2023年 规模以上固定资产投资：17.06亿元", "张三"],
    ]
    assert stored == ("整改通知.pdf", b"%PDF-1.4 test")


def test_counts_by_body_and_by_source_split_open_overdue_and_closed(loaded):
    _edit(loaded, 1, {"body": "党政综合办公室", "deadline": "2024-06-30"}, 1)
    _edit(loaded, 2, {"body": "党政综合办公室", "result": "已补设指标", "state": "done"}, 1)
    with clerk(), Session(loaded) as s, s.begin():
        items.from_finding(s, _finding(s, "implausible_rate", "净增长经营主体"))
    with loaded.connect() as conn:
        by_body = ledger.counts_by_body(conn, UNIT, (2023,), TODAY)
        by_source = ledger.counts_by_source(conn, UNIT, (), TODAY)
    assert by_body.astype(object).values.tolist() == [
        ["党政综合办公室", 0, 1, 1, 2],
        [None, 2, 0, 0, 2],  # not yet assigned: last among equals
    ]
    assert by_source.values.tolist() == [["report", 1, 1, 1, 3], ["finding", 1, 0, 0, 1]]


def test_items_json_lists_the_contract_fields(loaded):
    out = ledger.items_json(_items(loaded))
    assert [sorted(i) for i in out["items"]][0] == sorted(ledger.JSON_FIELDS)
    assert [
        (i["id"], i["problem"], i["source"], i["body"], i["deadline"], i["status"]) for i in out["items"]
    ] == [(n, text, "report", None, None, "pending") for n, text in enumerate(SEED_PROBLEMS, start=1)]


def test_the_migration_turns_problems_already_stored_into_items(loaded):
    with Session(loaded) as s, s.begin():
        s.execute(delete(m.RectifyItem))
    cfg = db.alembic_config(loaded)
    command.downgrade(cfg, "0002")
    command.upgrade(cfg, "head")
    df = _items(loaded)
    assert df[["source", "problem", "source_text", "state", "created_by"]].values.tolist() == [
        ["report", text, SEED_SENTENCE, "pending", "导入"] for text in SEED_PROBLEMS
    ]
    ingest.init(loaded)  # and init still makes no second item of them
    assert len(_items(loaded)) == 3


P1, P2, P3 = SEED_PROBLEMS


@pytest.mark.parametrize(
    "a, b, same",
    [
        # the same problem restated the next year
        (P1, "项目的进度与支出过程中仍存在不对等关系", True),
        (P2, "仍有部分工作成果无法用指标方式表示", True),
        (P3, "绩效考评指标设计仍流于形式", True),
        ("绩效目标设置不够细化，部分指标缺少量化标准", "绩效目标设置不够细化，部分指标难以量化考核", True),
        ("预算编制不够精准，年中追加预算较多", "年中追加资金较多，预算编制的科学性有待提高", True),
        # different problems: of one report, of neighbouring reports, or new ones
        (P1, P2, False),
        (P1, P3, False),
        (P2, P3, False),
        (P1, "新建社区食堂运营经费保障不足，部分食堂运营依赖临时补贴", False),
        ("资金到位不足，影响部分项目进度", "部分项目前期准备不够充分，老旧小区改造进度不均衡", False),
        ("设施建设进度滞后", "个别工作受疫情影响进度滞后", False),
        (
            "网格员队伍流动性较大，业务能力有待提升",
            "养老护理员流动性大，持证上岗比例偏低，专业化服务能力有待提升",
            False,
        ),
        (
            "基层卫生人员不足，服务质量有待提高",
            "专业人才短缺",
            False,
        ),  # same gist, other words: left to the clerk
    ],
)
def test_similarity_tells_a_restated_problem_from_a_different_one(a, b, same):
    assert similarity.same_problem(a, b) is same
    assert similarity.same_problem(b, a) is same


def test_similarity_ignores_punctuation_digits_and_boilerplate():
    assert similarity.similarity("存在问题：有待完善。", "部分问题，有待进一步完善") == 0.0
    assert similarity.similarity("", "资金到位不足") == 0.0
    assert similarity.similarity("资金到位不足", "资金到位不足。") == 1.0
