"""Unit: jixiao_core.rectify.followup and decisions — the second year's report (tests/fixtures/rectify/yuhua_2024.txt,
written in the seed's style) matched against the 2023 items: one problem recurs, the fixed ones show their fix, a
new unrelated problem matches nothing, and only a clerk's answer changes an item."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jixiao_core import models as m
from jixiao_core.accounts import actor
from jixiao_core.errors import InputError
from jixiao_core.rectify import decisions, followup, items, ledger
from jixiao_core.store import ingest

UNIT = "雨花街道办事处"
NEXT_YEAR = Path(__file__).parent / "fixtures" / "rectify" / "yuhua_2024.txt"
TODAY = date(2025, 3, 1)
SENTENCE_2024 = (
    "项目的进度与支出过程中仍存在不对等关系；新建社区食堂运营经费保障不足，部分食堂运营依赖临时补贴。"
)
# the 2023 findings a clerk turns into items: (kind, the indicator its message opens with)
FINDINGS = (
    ("target_missed", "规模以上固定资产投资"),
    ("target_missed", "招商引资省外到位资金"),
    ("implausible_rate", "净增长经营主体"),
)


def clerk(name: str = "张三"):
    return actor.operating(role="clerk", name=name)


def _finding_items(engine) -> dict[str, int]:
    made = {}
    with clerk(), Session(engine) as s, s.begin():
        for kind, name in FINDINGS:
            rows = s.scalars(select(m.Finding).where(m.Finding.kind == kind).order_by(m.Finding.id))
            fid = next(f.id for f in rows if f.message.startswith(name))
            made[name] = items.from_finding(s, fid)
    return made


def _import_next_year(engine) -> None:
    with clerk(), Session(engine) as s, s.begin():
        ingest.import_file(s, NEXT_YEAR)


@pytest.fixture
def followed(engine):
    """The bundled 2023 data, three 2023 findings made into items, then the 2024 report imported."""
    ingest.init(engine)
    made = _finding_items(engine)
    _import_next_year(engine)
    return engine, made


def _proposals(engine) -> list[tuple]:
    with engine.connect() as conn:
        df = ledger.proposals_for(conn, UNIT)
    return [(r.item_id, r.kind, r.rule, r.later_year, r.message) for r in df.itertuples()]


def test_the_next_years_report_proposes_the_recurrence_and_the_fixes_and_nothing_else(followed):
    engine, made = followed
    assert _proposals(engine) == [
        (1, "recurs", "text", 2024, "2024年报告再次写到：项目的进度与支出过程中仍存在不对等关系"),
        (
            made["规模以上固定资产投资"],
            "fixed",
            "target_missed",
            2024,
            "2024年报告：规模以上固定资产投资已达标（完成 26.1亿元，目标 25亿元）",
        ),
        (
            made["招商引资省外到位资金"],
            "recurs",
            "finding",
            2024,
            "2024年报告仍有“未完成目标”：引进招商引资省外到位资金：完成 1.92亿元，目标 4亿元，完成 48%，"
            "差 2.08亿元，未达目标",
        ),
        (
            made["净增长经营主体"],
            "fixed",
            "implausible_rate",
            2024,
            "2024年报告：净增长经营主体给出目标 2000户，完成率 107.5% 与数值相符",
        ),
    ]


def test_the_recurring_problem_carries_its_score_and_the_new_sentence(followed):
    engine, _ = followed
    with engine.connect() as conn:
        first = ledger.proposals_for(conn, UNIT).iloc[0]
    assert (first["score"], first["evidence"]) == (0.706, SENTENCE_2024)


def test_a_new_unrelated_problem_becomes_an_item_of_its_year_and_matches_nothing(followed):
    engine, _ = followed
    with engine.connect() as conn:
        new = ledger.items_for(conn, UNIT, (2024,), TODAY)
    assert new[["source", "problem"]].values.tolist() == [
        ["report", "项目的进度与支出过程中仍存在不对等关系"],
        ["report", "新建社区食堂运营经费保障不足，部分食堂运营依赖临时补贴"],
    ]
    assert not any("食堂" in message for *_, message in _proposals(engine))


def test_nothing_changes_an_items_state_by_itself(followed):
    engine, _ = followed
    with engine.connect() as conn:
        states = ledger.items_for(conn, UNIT, (2023,), TODAY)["state"]
    assert set(states) == {"pending"}


def test_proposing_again_adds_nothing(followed):
    engine, _ = followed
    with Session(engine) as s, s.begin():
        project = s.scalar(select(m.Project.id))
        assert followup.propose(s, project) == 0
    assert len(_proposals(engine)) == 4


def _decide(engine, item_id: int, accept: bool, name: str = "王五") -> str:
    with engine.connect() as conn:
        df = ledger.proposals_for(conn, UNIT)
    row = df[df["item_id"] == item_id].iloc[0]
    with clerk(name), Session(engine) as s, s.begin():
        return decisions.decide(s, int(row["id"]), accept, expected_version=int(row["version"]))


def test_confirming_a_fix_closes_the_item_with_the_later_report_as_result_and_evidence(followed):
    engine, made = followed
    item_id = made["规模以上固定资产投资"]
    assert _decide(engine, item_id, True) == "confirmed"
    with engine.connect() as conn:
        row = ledger.items_for(conn, UNIT, (2023,), TODAY).set_index("id").loc[item_id]
        proof = ledger.evidence(conn, UNIT, item_id)
        steps = ledger.history(conn, UNIT, item_id)["action"].tolist()
    assert (row["state"], row["status"], row["confirmed_by"]) == ("done", "done", "王五")
    assert row["result"] == "2024年报告：规模以上固定资产投资已达标（完成 26.1亿元，目标 25亿元）"
    assert proof["indicator_label"].tolist() == ["2024年 规模以上固定资产投资：26.1亿元"]
    assert steps == ["created", "fixed_confirmed", "edit", "state", "evidence"]
    assert item_id not in [p[0] for p in _proposals(engine)]


def test_confirming_a_recurrence_records_it_and_leaves_the_item_open(followed):
    engine, _ = followed
    _decide(engine, 1, True)
    with engine.connect() as conn:
        row = ledger.items_for(conn, UNIT, (2023,), TODAY).set_index("id").loc[1]
        last = ledger.history(conn, UNIT, 1).iloc[-1]
    assert row["state"] == "pending"
    assert (last["actor"], last["action"], last["new_value"]) == (
        "王五",
        "recurs_confirmed",
        "2024年报告再次写到：项目的进度与支出过程中仍存在不对等关系",
    )


def test_rejecting_changes_nothing_but_the_proposal_and_a_second_answer_is_refused(followed):
    engine, made = followed
    item_id = made["净增长经营主体"]
    with engine.connect() as conn:
        row = ledger.proposals_for(conn, UNIT).set_index("item_id").loc[item_id]
    with clerk(), Session(engine) as s, s.begin():
        assert decisions.decide(s, int(row["id"]), False, expected_version=int(row["version"])) == "rejected"
    with (
        clerk(),
        Session(engine) as s,
        s.begin(),
        pytest.raises(InputError, match="已被他人修改，请刷新后重试"),
    ):
        decisions.decide(s, int(row["id"]), True, expected_version=int(row["version"]))
    with engine.connect() as conn:
        assert ledger.items_for(conn, UNIT, (2023,), TODAY).set_index("id").loc[item_id, "state"] == "pending"


def test_a_viewer_cannot_answer_a_proposal(followed):
    engine, _ = followed
    with actor.operating(role="viewer", name="李四"), Session(engine) as s, s.begin():
        with pytest.raises(InputError, match="权限不足"):
            decisions.decide(s, 1, True, expected_version=1)


def test_an_item_made_after_the_next_year_is_stored_is_matched_at_once(engine):
    ingest.init(engine)
    _import_next_year(engine)
    assert _proposals(engine) == [
        (1, "recurs", "text", 2024, "2024年报告再次写到：项目的进度与支出过程中仍存在不对等关系")
    ]
    made = _finding_items(engine)
    assert [(p[0], p[1]) for p in _proposals(engine)] == [
        (1, "recurs"),
        (made["规模以上固定资产投资"], "fixed"),
        (made["招商引资省外到位资金"], "recurs"),
        (made["净增长经营主体"], "fixed"),
    ]


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("招商引资省外到位资金", "引进招商引资省外到位资金", True),
        ("规模以上固定资产投资", "规模以上固定资产投资", True),
        ("满意率", "信访满意率", False),  # too short to say
        ("企业净增", "净增长经营主体", False),
    ],
)
def test_indicator_names_match_across_years_when_one_holds_the_other(a, b, same):
    assert followup.same_indicator(a, b) is same
