"""Unit: jixiao_core.reader.problems — the problems and suggestions a report states, each with its source sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao_core import config, reader
from jixiao_core.reader import problems
from jixiao_core.store import dataset

FIXTURES = Path(__file__).parent / "fixtures"
SEED_SENTENCE = (
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系；部分成果无法用指标方式表示；"
    "在绩效考评指标的设计上流于形式，有待完善。"
)
SEED_PROBLEMS = [
    "由于绩效管理的经验不足，项目的进度与支出过程中存在不对等关系",
    "部分成果无法用指标方式表示",
    "在绩效考评指标的设计上流于形式，有待完善",
]


def test_the_seed_states_three_problems_each_with_its_sentence_and_span():
    rep = reader.parse_file(FIXTURES / "reports" / "yuhua_2023.txt")
    assert [(p.kind, p.text, p.sentence) for p in rep.problems] == [
        ("problem", text, SEED_SENTENCE) for text in SEED_PROBLEMS
    ]
    a, b = rep.problems[0].span
    assert rep.source.text[a:b] == SEED_SENTENCE


def test_the_bundled_dataset_locates_its_curated_problems_where_the_reader_finds_them():
    ds = dataset.load(config.BUNDLED_DATASETS[0])
    parsed = reader.parse_file(FIXTURES / "reports" / "yuhua_2023.txt")
    assert [(p.text, p.sentence, p.span) for p in ds.report.problems] == [
        (p.text, p.sentence, p.span) for p in parsed.problems
    ]


P, S = "problem", "suggestion"


@pytest.mark.parametrize(
    "path, expected",
    [
        (  # （一）经验 （二）存在的问题。一是…；二是… （三）有关建议。一要…
            "reports/chengguan_2022_gbk.txt",
            [
                (P, "年中追加资金较多，预算编制的科学性有待提高"),
                (P, "部分绩效指标设置较为笼统，量化程度不高"),
                (P, "个别工作受疫情影响进度滞后"),
                (S, "提高预算编制的精准度，充分预估疫情防控等刚性支出需求，减少年中追加"),
                (S, "进一步细化绩效目标，做到可量化、可考核"),
                (S, "加强预算执行监控，对进度滞后的工作及时督促整改，提高资金使用效益"),
            ],
        ),
        (  # numbered problems: one statement per item, its headline
            "reports/shanhu_2023.txt",
            [
                (P, "设施建设进度滞后"),
                (P, "服务供需匹配不够精准"),
                (P, "专业人才短缺"),
                (P, "绩效目标设置不够科学"),
                (S, "加快推进在建项目，确保站点按期运营"),
                (S, "优化助餐配送网络，扩大服务覆盖面"),
                (S, "完善养老护理员培训和激励机制"),
                (S, "科学设置绩效指标和指标值，加强绩效运行监控"),
            ],
        ),
        (  # 主要经验： / 存在问题： / 改进建议： as labels inside one paragraph each (.docx)
            "reports/xinqiao_2024.docx",
            [
                (P, "部分基础设施项目前期工作不够充分，受天气等因素影响施工进度"),
                (P, "绩效目标设置不够细化，部分指标难以量化考核"),
                (S, "加强项目前期论证和储备，科学合理设置绩效目标，强化绩效运行监控，确保项目按期完成"),
            ],
        ),
        (  # 建议… after the problems; 主要经验是… afterwards is not a problem
            "blind/b2_2022.txt",
            [
                (P, "土壤改良等农艺措施受农时影响较大，未能全部按期完成"),
                (P, "部分项目村管护资金落实不到位，建后管护机制有待健全"),
                (P, "项目绩效目标设置不够全面，部分效益指标缺乏量化依据"),
                (S, "建议科学安排农艺措施实施时间，避开农忙季节组织施工"),
                (
                    S,
                    "加快建立政府补助、村集体和新型农业经营主体共同参与的多元化管护资金投入机制，明确管护责任人",
                ),
                (
                    S,
                    "在项目申报阶段细化产出和效益指标，完善绩效目标体系，为开展绩效运行监控和绩效评价提供依据",
                ),
            ],
        ),
        (  # （三）下步建议：
            "holdout/h1_2023.txt",
            [
                (P, "部分项目前期工作不充分，饮水安全巩固提升工程因水源点调整，尚有154户未完工"),
                (P, "部分产业项目联农带农机制不够紧密，后续管护资金不足"),
                (S, "加强项目库建设，提前做好项目前期工作"),
                (S, "完善联农带农利益联结机制"),
            ],
        ),
        (  # a sentence opening with 下一步将… suggests to its end, its later clauses included
            "unseen/u4_street_2023.txt",
            [
                (P, "部分项目前期谋划不足，社区养老服务站选址未提前落实"),
                (P, "网格员队伍流动性较大，业务能力有待提升"),
                (P, "绩效指标设置不够细化，部分指标缺少年度目标值"),
                (S, "下一步将加强项目前期论证，对需要建设用房的项目提前落实选址"),
                (S, "完善网格员激励保障机制，建立网格员薪酬正常增长机制，稳定网格员队伍"),
                (
                    S,
                    "对照《项目支出绩效评价管理办法》要求细化量化绩效目标，增设服务对象满意度等效益指标，"
                    "提高绩效目标的可考核性",
                ),
            ],
        ),
    ],
)
def test_reports_of_other_shapes_give_their_problems_and_suggestions(path, expected):
    rep = reader.parse_file(FIXTURES / path)
    assert [(p.kind, p.text) for p in rep.problems] == expected
    doc = rep.source.text
    assert all(doc[p.span[0] : p.span[1]] == p.sentence for p in rep.problems)


def _parsed(chapter: str) -> list[tuple[str, str]]:
    text = (
        "某街道办事处2023年度街道工作经费项目支出绩效评价报告\n一、基本情况\n项目预算资金100万元。\n"
        f"二、存在的问题和建议\n{chapter}\n三、其他需说明的问题\n无\n"
    )
    return [(p.kind, p.text) for p in reader.parse_text(text).problems]


@pytest.mark.parametrize(
    "chapter, expected",
    [
        ("无。", []),
        ("通过评价，发现存在以下问题：资金拨付进度偏慢。", [(P, "资金拨付进度偏慢")]),
        ("一是资金拨付进度偏慢，二是台账资料不够规范。", [(P, "资金拨付进度偏慢"), (P, "台账资料不够规范")]),
        ("坚持党建引领，形成齐抓共管格局。资金拨付进度偏慢。", [(P, "资金拨付进度偏慢")]),
        (
            "存在的主要问题是：资金拨付进度偏慢。改进措施：加快拨付进度。",
            [(P, "资金拨付进度偏慢"), (S, "加快拨付进度")],
        ),
        ("建议加快资金拨付进度。", [(S, "建议加快资金拨付进度")]),
    ],
)
def test_chapter_shapes_give_the_statements_they_hold(chapter, expected):
    assert _parsed(chapter) == expected


def test_the_budget_application_chapter_is_not_read_as_problems():
    text = (
        "某街道2023年度工作经费绩效评价报告\n一、基本情况\n项目预算资金100万元。\n"
        "二、绩效评价结果应用建议\n建议将评价结果作为下年度预算安排的依据。\n三、其他需说明的问题\n无\n"
    )
    assert reader.parse_text(text).problems == []


def test_curated_texts_are_located_in_the_document_else_in_the_section():
    doc = "前文。资金拨付进度偏慢；台账不规范。后文"
    (found,) = problems.located(["台账不规范"], doc)
    assert (found.sentence, found.span) == ("资金拨付进度偏慢；台账不规范。", (3, 18))
    (loose,) = problems.located(["台账不规范"], None, "资金拨付进度偏慢；台账不规范。")
    assert (loose.sentence, loose.span) == ("资金拨付进度偏慢；台账不规范。", None)
    (alone,) = problems.located(["别处的问题"], doc)
    assert (alone.sentence, alone.span) == ("别处的问题", None)
