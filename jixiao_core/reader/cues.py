"""Word tables for reading indicators out of sentences (DOMAIN §8 patterns 1–24): cues, traps, name trimming.

Regexes run on canonical clause text (`numbers.canonical`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"\d+(?:\.\d+)?"

# Sentence and clause boundaries; a table row (tab-separated) is its own sentence.
SENTENCE_END = re.compile(r"[。；！？!?\n]")
CLAUSE_END = re.compile(r"[，：]")

# Regions whose figures are names, not facts: “2+1”项目, 《…2023年度…》, 呈财〔2017〕115号.
PROTECTED = re.compile(
    r"“[^”\n]{0,30}”|\"[^\"\n]{0,30}\"|《[^》\n]{0,80}》|〔[^〕\n]{0,10}〕|「[^」\n]{0,30}」|‘[^’\n]{0,30}’"
)


@dataclass(frozen=True)
class Trap:
    """Context around a figure that makes it a non-indicator; every condition given must hold."""

    name: str
    before: re.Pattern | None = None  # searched in the text ending at the figure's digits
    after: re.Pattern | None = None  # matched at the end of the whole phrase
    units: frozenset[str] | None = None  # only for figures in these units
    bounded: bool = False  # only for figures written with 以上/以下 after them
    bare: bool = False  # only for figures without a comparator of their own (不低于90%的年度目标 is a target)
    around: re.Pattern | None = None  # searched in the figure's sentence (a few dozen characters each side)


TRAPS = (
    Trap("ordinal", before=re.compile(r"第$")),
    Trap("code", before=re.compile(r"(?:[A-Za-z]|[A-Za-z0-9][\-－—_/])$")),
    Trap("code_tail", after=re.compile(r"^(?:[A-Za-z]|[\-－—_][A-Za-z0-9])")),
    Trap("collapsed_cell", after=re.compile(r"^[=≥≤]")),  # 里程10公里=120
    Trap("collapsed_percent", after=re.compile(r"^\d"), units=frozenset({"%"})),  # 满意度10%95
    Trap("phase_name", after=re.compile(r"^(?:工程|项目|地块)"), units=frozenset({"期"})),  # 二期工程
    Trap("time_of_day", before=re.compile(r"[时点]\d*$"), units=frozenset({"分"})),
    Trap("age", after=re.compile(r"^岁"), units=frozenset({"周"})),  # 80周岁以上
    # the unit's self-score (综合得分92.5分) grades the report, it is no indicator of the work
    # (a survey's 平均得分92.6分 is a measured result, an indicator)
    Trap(
        "self_score",
        before=re.compile(r"(?<!均)(?:得分|评分|总分|分值|自评分|分数)(?:为|是|达到?)?$"),
        units=frozenset({"分"}),
    ),
    # 收入超10万元的村, 10万元以上的村: a bound that describes a group, not a fact
    Trap(
        "threshold",
        before=re.compile(r"(?:超|超过|高于|低于|不足|不到|满)$"),
        after=re.compile(r"^的"),
        bare=True,
    ),
    # 24小时城市书房, 15分钟生活圈: a duration that names a service, not a measured time
    Trap(
        "named_duration",
        after=re.compile(
            r"^(?:城市书房|自助|书房|图书馆|生活圈|便民|服务圈|值守|值班|不打烊|营业|在线|热线|全天候)"
        ),
        units=frozenset({"小时", "分钟"}),
    ),
    Trap("range_group", after=re.compile(r"^的"), bounded=True),
    # a web page's header (浏览次数：1,326次, 阅读量1326): about the page, not the work
    Trap("page_meta", before=re.compile(r"(?:浏览|阅读|点击|访问)(?:次数|量|数)[：]?$")),
    # 未发生一起火灾事故, 没有发生一件, 无一例: a phrasing of zero, not a count of one
    Trap(
        "zero",
        before=re.compile(
            r"(?:未|没有|没|无|从未|未曾)(?:发生|出现|发现|接到|收到|引发|造成|有)?(?:过|了)?$"
        ),
    ),
    Trap("anniversary", after=re.compile(r"^年"), units=frozenset({"周"})),  # 建党100周年, 诞辰130周年
    # 高桥村5组、6组: a 村民小组 is named by its number, it is no count
    Trap(
        "village_group",
        before=re.compile(r"(?:村|村委会|居委会|社区)(?:\d{1,3}组[、和及])*$"),
        units=frozenset({"组"}),
    ),
    # 按预算执行率10分、产出指标40分…的权重打分: the evaluation method's weights, not results
    Trap("weight", units=frozenset({"分"}), around=re.compile(r"权重")),
)
# How far a trap looks: before the digits, and around the figure within its sentence.
TRAP_BEFORE = 16
TRAP_AROUND = 60


@dataclass(frozen=True)
class Attachment:
    """A clause shape (figures written as Ⓝ) that adds to the indicator before it instead of stating a new one."""

    kind: str  # target_share / rate / growth_above / growth_below / target
    regex: re.Pattern


FIG = "Ⓝ"  # a figure in a clause shape
GOAL = r"(?:年度|全年|全年度|年初|下达的?)?(?:绩效)?(?:目标|计划|任务)(?:任务|指标)?(?:值|数|量)?"
ATTACHMENTS = (
    Attachment("target_share", re.compile(rf"^(?:占|为|是|完成|达到?)了?{GOAL}(?:{FIG})?的{FIG}$")),
    Attachment(
        "rate",
        re.compile(rf"^(?:年度|全年)?(?:任务|计划|目标)?完成(?:比例|比率|率|进度)(?:为|达到?|是)?{FIG}$"),
    ),
    Attachment("rate", re.compile(rf"^(?:任务|计划|目标)?完成了?(?:年度|全年)?(?:目标|计划|任务)?的?{FIG}$")),
    Attachment(
        "growth_above", re.compile(rf"^(?:超|超出|超过|高于)(?:年度|全年)?(?:任务|目标|计划)增速{FIG}$")
    ),
    Attachment("growth_below", re.compile(rf"^(?:低于|落后|差)(?:年度|全年)?(?:任务|目标|计划)增速{FIG}$")),
    Attachment("target", re.compile(rf"^{GOAL}(?:为|是|设定为|[:：])?{FIG}$")),
    Attachment("above_target", re.compile(rf"^(?:较|比){GOAL}(?:增加|超出|超过|多|高出|超)了?{FIG}$")),
    Attachment("below_target", re.compile(rf"^(?:较|比){GOAL}(?:减少|少|低|差|欠)了?{FIG}$")),
    Attachment("target", re.compile(rf"^[^，{FIG}]{{0,6}}{FIG}的?{GOAL}(?:以内|以上|以下|要求)?$")),
    Attachment("target", re.compile(rf"^[^，{FIG}]{{0,8}}{GOAL}[（]{FIG}[）]$")),
    Attachment("target", re.compile(rf"^[（]{GOAL}(?:为|是|[:：])?{FIG}[）]$")),
)
# 规范管理率62%（目标≥60%）: a target in brackets right after the figure it belongs to.
PAREN_TARGET = re.compile(rf"^[（]{GOAL}(?:为|是|[:：])?$")
# A percentage after 完成 is a completion rate, not a value: 年度计划分别完成92%.
COMPLETION = re.compile(r"完成了?(?:年度|全年)?(?:目标|计划|任务)?的?$")
RATE_TOLERANCE = 0.6  # percentage points: a stated rate this close to done/whole confirms a pair

# The state a change is measured from: a past period, or the state before the works (较建设前提高31个百分点).
BASE_STATE = (
    r"(?:上年|去年|上一年度?|20\d\d年度?|上年同期|去年同期|年初|(?:项目)?(?:建设|实施|改造|整治|治理)前)"
)
CHANGE_BASE = rf"(?:较|比|与){BASE_STATE}(?:同期)?(?:相比)?|同比|环比"
CHANGE_VERB = r"(?P<verb>增加|增长|提高|上升|提升|增|减少|下降|降低|下滑|回落|减)了?(?:幅度)?(?:为|达)?"
CHANGE = re.compile(rf"(?:{CHANGE_BASE})(?:[^，{FIG}]{{0,6}}?){CHANGE_VERB}{FIG}$")
# 低保对象由上年的320户减少到298户: the second figure is the fact, the difference its change
FROM_TO = re.compile(
    rf"^(?P<subject>[^{FIG}]*?)由{BASE_STATE}?(?:的)?{FIG}"
    rf"(?P<verb>增加|增长|提高|上升|提升|减少|下降|降低|下滑|回落)(?:到|至|为){FIG}$"
)
CHANGE_FOLLOW = re.compile(rf"^{CHANGE_VERB}{FIG}$")
DECREASE_VERBS = frozenset("减少 下降 降低 下滑 回落 减".split())


@dataclass(frozen=True)
class PairCue:
    """A clause naming a whole (received, planned) that the next clause completes (resolved, done)."""

    words: re.Pattern
    ceiling: bool  # the done figure cannot exceed it (47 received, 45 resolved); a plan can be exceeded
    done_lead: re.Pattern | None = (
        None  # the done clause must open so (已建成2处), when the base is a bare verb
    )
    plan: bool = False  # the figure is a plan: 已全部完成 after it completes it (DOMAIN §8 pattern 25)


PAIR_BASES = (
    PairCue(
        re.compile(
            r"接收|受理|收到|接到|排查|摸排|发现|建档|登记|在册|涉及|应参保|应缴|应发放|应完成|共有|总数"
        ),
        True,
    ),
    PairCue(re.compile(r"计划|任务|目标|预计|下达"), False, plan=True),
    # 新建停车场3处，已建成2处: a works verb states the plan when the next clause says what is already done
    PairCue(
        re.compile(r"新建|新修|修建|建设|改造|实施|安装|硬化|铺设|新增|提升"),
        True,
        # …and says little more than a completion verb (已帮扶困难群众45人, 已建成充电桩2个 are other facts)
        done_lead=re.compile(
            r"^(?:其中)?(?:已经?|均已|现已|目前已)(?:全部|按期)?"
            r"(?:建成|完成|完工|竣工|投入|投用|改造|安装|硬化|铺设|实施|通水|通电|通车|运营|交付|验收|开工|启用|使用|开放)"
            r"[\u4e00-\u9fff]{0,2}$"
        ),
    ),
)
# A figure-less clause that completes the plan before it: 计划硬化道路14.5公里，已全部完成 → actual = target.
ALL_DONE = re.compile(
    r"^(?:目前|现|截至年底)?(?:已经?(?:按期|如期)?全部|(?:按期|如期)?全部|均已(?:按期|如期)?|已全面|全面)"
    r"(?:完成|建成|完工|竣工|实施|落实|到位)(?:投用|投入使用|并投入使用|任务)?$"
)
PLAN_LEAD = re.compile(r"^(?:年度|全年)?(?:计划|预计)")
# The rest of a plan after its done count (其余2个正在施工, 剩余20户暂未领取, 另1座完成主体工程): no new fact.
REMAINDER = re.compile(
    r"^(?:(?:其余|剩余|余下|另有|另外?|尚有|还有)Ⓝ|Ⓝ(?:正在|尚在|仍在|还在|尚未|未|在建|待))"
)
REMAINDER_START = re.compile(r"(?:其余|剩余|余下|另有|尚有|还有)\d")
# A sentence about the future: its figures are plans, not results (下一步，镇里计划新建…3座).
FUTURE = re.compile(r"下一步|下步|明年|今后|来年|下一年度?|(?<![计预])拟(?:新建|建设|实施|改造|投入|安排|于)")
PAIR_DONE = re.compile(
    r"化解|办结|调处|调解成功|成功|整改|完成|实际|在管|解决|处置|落实|办理|答复|回复|销号|建成|发放|签订|结案|实现|到位|已"
)
PAIR_DONE_MAX = 14  # the done clause says little more than its verb: 化解45个, 经第三方测评实际达到93.2%

# A bracket right after a figure that names a part of it (3处（含口袋公园1处）, 500万元（含结转项目40万元）):
# its figures are inside the total, not facts of their own (DOMAIN §8 pattern 17).
PART_NOTE = re.compile(r"（(?:含|包含|包括|其中)")
PART_NOTE_MAX = 60  # characters from a note's bracket to a figure in it
# A size that specifies the things counted after it (3吨电动垃圾清运车2辆, 5立方米垃圾箱20个): a spec, no fact.
SPEC_NOUN = re.compile(r"[\u4e00-\u9fff]{0,10}(?:车|机|箱|桶|罐|船|器|泵|设备|柜|炉|池|灯|塔|舱)")
PARTIAL_DONE = re.compile(r"^其中(?:已经?|已)?(?:完成|建成|完工|投入使用)(?P<what>.+)$")
RESPECTIVELY = re.compile(r"分别")
# The count of a 分别 list's names and the kind of thing they are (东苑、西苑、清河3个社区…): the words after it
# name the measure every item shares (垃圾分类参与率).
LIST_COUNT = re.compile(r"\d{1,3}个?(?:社区|行政村|村|小区|单位|部门|街道|乡镇|镇|乡|项目|学校)?")

# Words trimmed from a name: leading verbs, adverbs and time words; trailing verbs before the figure.
NAME_LEAD = re.compile(
    r"^(?:[、，和及与并对在为向从把将]|其中|共有|共计|合计|累计|全年|当年|年度|全面|广泛|积极|深入|持续|不断|组织|开展"
    r"|完成|实现|新增|做好|已|已经|共|截至目前|截至年底|目前|辖区内?|20\d\d(?:-20\d\d)?年度?|（[^）]*）|[（(]含?"
    r"|通过|加快推进|进一步|先后|分别|(?:年度|全年)?(?:绩效)?(?:目标|计划|任务)(?:为|是))+"
)
NAME_TAIL = re.compile(
    r"(?:达到|达|为|是|完成|共计|共|累计|合计|约|大约|近|超过|逾|有|的|了|等|总计|[（(]含?)+$"
)
# A name ends on a word, never on a dangling verb or particle (问题户厕已, 建档人数为).
DANGLING = re.compile(r"(?:已经|已|(?<![行作认成因称分改])为|(?<![到发表抵传下通])达|共|均)$")
POST_LEAD = re.compile(r"^(?:[的余多）)]|（[^）]*）)+")
POST_CUT = re.compile(r"[，；。（(）)]")

# A community is named as X社区, X村, X小区 or X居委会 (DOMAIN: community attribution).
COMMUNITY_SUFFIX = r"(?:社区|村|小区|居委会)"
# A name that is only a place (其中石门社区2座, 水口村委会庙湾组32户): a part of the whole before it, named after it.
PLACE_ONLY = re.compile(
    r"^[\u4e00-\u9fff]{1,8}?(?:社区|村委会|居委会|村|小区)(?:[\u4e00-\u9fff]{1,6}?(?:村|组|小区))?$"
)
# Words after a named community that turn the sentence back to the whole unit (…，全街道参与群众3000人).
COLLECTIVE = re.compile(r"各(?:社区|村|小区)|全(?:街道|镇|乡|区|县|市)|辖区|其余|其他|其它")
# What joins two named communities into a list or a route (A社区、B社区; A村至B村).
NAME_LINK = re.compile(r"[、和及与至到—\-－]")
# A plan may be completed after a clause of explanation: 计划…40个，因…意见不一，截至年底建成28个.
PAIR_GAP = 2
