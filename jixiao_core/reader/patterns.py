"""Word tables the report reader applies: headings, sections, area keys, claims, funds and indicator cues.

Every rule is a row here, next to nothing else; `report_structure` and `report_indicators` apply them.
Regexes run on `numbers.canonical` text (ASCII digits, %, CJK punctuation （，；：）).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class HeadingRule:
    """One heading shape: level 1 = 一、, 2 = （一）, 3 = 1., 4 = （1）."""

    level: int
    regex: re.Pattern


HEADINGS = (
    HeadingRule(1, re.compile(rf"^[ \t\u3000]*([{CN}]{{1,3}})[、.][ \t\u3000]*(\S.*)$", re.M)),
    HeadingRule(1, re.compile(rf"^[ \t\u3000]*第([{CN}]{{1,3}})(?:部分|章)[、.：\s\u3000]*(\S.*)$", re.M)),
    HeadingRule(2, re.compile(rf"^[ \t\u3000]*（([{CN}]{{1,3}})）[、.]?[ \t\u3000]*(\S.*)$", re.M)),
    HeadingRule(3, re.compile(r"^[ \t\u3000]*(\d{1,2})[.、](?!\d)[ \t\u3000]*(\S.*)$", re.M)),
    HeadingRule(4, re.compile(r"^[ \t\u3000]*（(\d{1,2})）[ \t\u3000]*(\S.*)$", re.M)),
)


@dataclass(frozen=True)
class SectionRule:
    """A chapter or sub-heading whose title matches `words` holds the section `key`."""

    key: str
    words: re.Pattern
    level: int = 1


SECTIONS = (
    SectionRule("method", re.compile(r"原则|评价方法|指标体系"), 2),
    SectionRule("process", re.compile(r"工作过程|评价过程|组织实施|工作开展"), 2),
    SectionRule("overview", re.compile(r"基本情况|基本概况|项目概况|概况")),
    SectionRule(
        "performance", re.compile(r"绩效报告情况|完成情况|工作开展情况|主要工作|实施情况|工作成效|履职")
    ),
    SectionRule("method", re.compile(r"评价工作情况|评价工作开展|评价方法|指标体系|评价原则")),
    SectionRule("analysis", re.compile(r"指标分析|绩效分析|绩效情况分析")),
    SectionRule("conclusion", re.compile(r"评价结论|综合评价")),
    SectionRule("application", re.compile(r"结果应用|应用建议")),
    SectionRule("problems", re.compile(r"存在的?问题|问题和建议|问题及|经验及做法|改进措施|有关建议|整改")),
    SectionRule("other", re.compile(r"其他|其它")),
)

# Chapters that usually hold the numbered work areas (chapter 二 of the typical 街道 report).
AREA_CHAPTER = re.compile(r"绩效报告情况|完成情况|工作开展|主要工作|实施情况|工作成效|履职|产出|绩效目标实现")
# ...unless the title is about the evaluation itself (三、绩效评价工作开展情况).
EVALUATION_CHAPTER = re.compile(r"评价")


@dataclass(frozen=True)
class AreaKey:
    """A stable key for a work area whose title matches `words` (first row that matches wins)."""

    key: str
    words: re.Pattern


AREA_KEYS = (
    AreaKey("land_relocation", re.compile(r"征地|拆迁|搬迁|征收")),
    AreaKey("party_building", re.compile(r"党建|党的建设|党组织|党员|党风廉政")),
    AreaKey("economy", re.compile(r"经济|招商|税收|财政收入|投资|产业|营商|市场主体")),
    AreaKey("culture", re.compile(r"文化|文体|旅游|体育")),
    AreaKey(
        "cityscape", re.compile(r"市容|城市管理|环境卫生|环境整治|人居|生态|河长|垃圾|城管|卫生城市|绿化")
    ),
    AreaKey("public_safety", re.compile(r"平安|稳定|安全|综治|信访|维稳|应急|治安|社会环境")),
    AreaKey("livelihood", re.compile(r"民生|为民|实事|养老|医保|社会保障|救助|社保")),
    AreaKey(
        "social_development",
        re.compile(r"社会建设|社区建设|社区服务|社会事业|社会治理|志愿|就业|教育|卫生健康|基础设施"),
    ),
)

# Sentences claiming every target was met (DOMAIN §9 claim_contradicted); 未能全部按期完成 admits the opposite.
CLAIM = re.compile(
    r"(?<![未没尚不])(?<!未能)(?<!没能)(?<!不能)(?<!没有)(?:已?全部(?:按期)?完成|圆满完成|均已完成|均已实现|全部实现"
    r"|(?:均已|全部|均)达到(?:了)?(?:预期|年度目标|目标)"
    r"|全面(?:完成|实现)(?:了)?(?:年度|全年)?(?:各项)?(?:目标|任务)"
    r"|较好[地的]完成了?(?:年度|全年)?(?:各项)?(?:工作)?目标(?:任务)?"
    r"|如期完成(?:了)?(?:各项|全部|年度)?(?:目标|任务))"
)

# Title lines that are not part of the title (附件4-4:).
ATTACHMENT_LINE = re.compile(r"^[ \t\u3000]*附件[\d\-—－.]*[：:]?[ \t\u3000]*$")
REPORT_WORDS = re.compile(r"绩效|评价|预算|自评|项目支出|指标|资金")
UNIT_SUFFIX = re.compile(
    r"^(.{1,20}?(?:街道办事处|人民政府|委员会|办事处|管委会|局|委|办公室|中心|街道|镇|乡|学校|医院|院|所|站|队))"
)
TITLE_TAIL = re.compile(
    r"(?:\d{4}年度?)?(?:项目)?(?:支出)?(?:整体支出)?(?:绩效)?(?:自评|评价)(?:价)?(?:工作)?报告$|(?:项目)?绩效报告$"
)
DATE = re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
YEAR = re.compile(r"(?<![\d.\-])(20\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")

# Communities: "下庄、回回营、雨花3个村改居社区居委会" (names, count, kind) and "8个社区（A、B…）".
COMMUNITY_KIND = r"村改居社区|城市社区|农村社区|涉农社区|城中村|社区|行政村|村"
# Each further name is an atomic group: 和 is both a separator and a letter (党建和群团), and letting the engine
# re-split every name of a long list of duties doubled the time with each item (45 s at 21).
COMMUNITY_LIST = re.compile(
    rf"(?P<names>[\u4e00-\u9fff]{{1,8}}(?>[、和及][\u4e00-\u9fff]{{1,8}})*)(?:等|共)?(?P<n>\d+|[{CN}两]+)个"
    rf"(?P<kind>{COMMUNITY_KIND})(?:居委会|居民委员会|村委会|村民委员会)?"
)
COMMUNITY_AFTER = re.compile(
    rf"(?P<n>\d+|[{CN}两]+)个(?P<kind>{COMMUNITY_KIND})(?:居委会|居民委员会|村委会)?[（(](?P<names>[^）)]{{2,120}})[）)]"
)
COMMUNITY_COLON = re.compile(
    rf"(?P<n>\d+|[{CN}两]+)个(?P<kind>{COMMUNITY_KIND})(?:居委会|居民委员会|村委会)?(?:[（(](?:社区|村|居委会)[）)])?"
    rf"[：:](?P<names>[^。；\n]{{2,120}})"
)
# 辖6个行政村、1个社区，分别为柏树村、…和石门社区: counts first, then the names (each with its kind word).
COMMUNITY_NAMED = re.compile(
    rf"(?P<counts>(?:\d+|[{CN}两]+)个(?:{COMMUNITY_KIND})(?:[、和及](?:\d+|[{CN}两]+)个(?:{COMMUNITY_KIND})){{0,2}})"
    rf"[，,]?(?:分别为|分别是|即|包括)[：:]?(?P<names>[^。；\n]{{2,200}})"
)
# After the places an overview lists, words that go on describing the unit (共有村民小组71个, 户籍人口2.36万人).
UNIT_FACTS = re.compile(r"村民小组|村组|人口|户数|面积|网格|居民小区|辖区")
COUNT_OF_KIND = re.compile(rf"(\d+|[{CN}两]+)个(?:{COMMUNITY_KIND})")
# 辖石门社区和柏树、龙井…4个行政村: a 社区 named before a list of villages is a place of its own, not counted there.
LEADING_PLACE = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,6}?(?:社区|居委会))[和及、]")
COMMUNITY_LEAD = re.compile(r"^.*(?:下辖|辖有|管辖|辖|包括|设有|共有|有|含|在|于|覆盖|涉及)")
LIST_JOIN = re.compile(r"^[和及与]")
# A sentence that describes the unit's places (石门镇辖…6个行政村), not one that reports on them (东苑、西苑3个社区…分别为).
OVERVIEW_WORDS = re.compile(r"辖|包括|设有|共有|下设|总面积|面积|人口|常住|户籍")
# The town or 街道 a village list sits in (清水镇桃园、柳湾): not part of the first name.
DIVISION_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡)(?=[\u4e00-\u9fff]{2})")
BODIES = re.compile(r"内设(?:机构)?(?:有|为|包括)?[：:]?(?P<list>[^，。；]{4,400})")
PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")

# Stated-goal enumeration 一是…二是… and the headings around goals.
ENUM = re.compile(rf"(?<![第])([{CN}])是")
GOALS_HEADING = re.compile(r"阶段性目标|年度目标|绩效目标(?!完成|实现|情况)|重点工作")
OVERALL_GOAL_HEADING = re.compile(r"总目标|总体目标")
