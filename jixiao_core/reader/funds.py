"""Project funds from the budget sentences of a report (DOMAIN §8 patterns 10 and 28), in 元."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao_core.facts import Funds
from jixiao_core.numbers import Mention, NumberError
from jixiao_core.units import to_base


@dataclass(frozen=True)
class FundCue:
    """Words right before an amount (or right after it, `after`) that say which fund figure it is."""

    field: str  # a key of SOURCES
    words: re.Pattern
    after: bool = False


@dataclass(frozen=True)
class Source:
    """Where a cue's amount goes in `Funds`, and how strongly it is named: a stronger name replaces a weaker
    one whatever the order (DOMAIN §8 pattern 28: 实际支出 / 全年执行数 win over 支出, which wins over 拨付)."""

    target: str
    rank: int


SOURCES = {
    "budget_adjusted": Source("budget", 3),
    "budget": Source("budget", 2),
    "budget_initial": Source("budget_initial", 2),
    "arrived": Source("arrived", 2),
    "spent_actual": Source("spent", 3),
    "spent": Source("spent", 2),
    "disbursed": Source("spent", 1),  # 拨付 / 支付: spending only while nothing better is stated
}

FUND_CUES = (
    FundCue(
        "arrived", re.compile(r"^(?:已|均已|已经)?(?:全部|足额|全额|按时足额)?(?:拨付)?到位"), after=True
    ),
    FundCue("budget_initial", re.compile(r"年初预算(?:数|资金|金额)?(?:为|是|共)?$")),
    FundCue(
        "budget_adjusted",
        re.compile(r"(?:全年|调整后?的?)(?:（调整）)?(?:项目)?预算(?:数|资金|金额)?(?:为|是|共)?$"),
    ),
    # 财政拨付 is money given to the unit (arrival); the unit's own 拨付 to 社区 or contractors is spending
    FundCue(
        "arrived",
        re.compile(
            r"(?:(?:实际)?(?:到位|拨付到位)|(?:财政|上级)(?:局|部门)?拨付)(?:资金|金额)?(?:为|是|共)?$"
        ),
    ),
    FundCue("spent_actual", re.compile(r"(?:实际支出|实际使用|执行数)(?:资金|金额)?(?:为|是|共)?$")),
    FundCue("spent", re.compile(r"(?:已?支出|已?使用)(?:资金|金额)?(?:为|是|共)?$")),
    FundCue(  # 已拨付各社区285万元: the receivers may stand between (not a payment for something: 支付工程款)
        "disbursed", re.compile(r"(?:拨付|(?<!转移)支付)[^，；。\d款费]{0,8}?(?:资金|金额)?(?:为|是|共)?$")
    ),
    FundCue(
        "budget",
        re.compile(
            r"(?:预算(?:资金|数|金额)?|项目资金|专项资金|经费|资金总额|投入资金|总投资|安排资金|下达资金"
            r"|(?:资金|经费)计划(?:数|金额)?|预算安排[^，]{0,20}(?:资金|经费))(?:总额|共计|合计)?(?:为|是|共)?$"
        ),
    ),
)
# Money that is not the project's own (招商引资 到位资金, 税收), only a change of it (追加预算, 结余) or a line of
# the budget (其中基本支出…、项目支出…: what the budget is for, not what was spent) is never funds.
NOT_FUNDS = re.compile(
    r"招商|引资|引进|省外|税|收入|(?<!总)投资|产值|争议|工资|欠薪|追加|调增|调减|结余|结转"
    r"|(?:基本|项目|人员|公用|日常公用)(?:支出|经费)$"
)
# After 其中 the amounts are parts of the budget, until a clause names a new fact about the money.
# (其中：中央资金支出60万元 is a part of the spending, not the total spent; 已支出、累计支出 are the total).
NEW_FACT = re.compile(r"实际|到位|执行数|已支出|已使用|累计支出|拨付|支付")
# A budget changed during the year: a lone 年初预算 is then not the 全年预算 (DOMAIN §8 pattern 28).
ADJUSTMENT = re.compile(r"追加|追减|调增|调减|调整")
FULLY_ARRIVED = re.compile(r"(?:全部|足额|全额)(?:拨付)?到位")
EXECUTION_RATE = re.compile(
    r"(?:完成(?:全年|年度)?预算(?:数)?的|(?:预算)?执行率(?:为|达到?)?|支出率(?:为|达到?)?)(\d+(?:\.\d+)?)%"
)
ARRIVAL_RATE = re.compile(r"到位率(?:为|达到?)?(\d+(?:\.\d+)?)%")
# A sentence whose only figures are these rates is about the funds even when it names no amount
# (按时足额到位，资金到位率100%，预算执行率96.5%): none of its figures is a result.
FUND_RATE_NAME = re.compile(r"(?:到位率|执行率|支出率|拨付率)(?:为|达到?)?$")
RATES_ONLY = "rates_only"  # the key fund_figures returns for such a sentence; FundsReader records nothing
CLAUSE_START = re.compile(r"[，；：。\n]")


def is_money(m: Mention) -> bool:
    """Return whether a figure is an amount of money (元, 万元, 亿元; not 元/人)."""
    return bool(m.quantity.unit) and m.quantity.unit.endswith("元") and "/" not in m.quantity.unit


def fund_figures(canon: str, start: int, end: int, mentions: list[Mention]) -> dict[str, Decimal]:
    """Return the fund figures (元, and stated rates in %) one sentence gives; {} when it is not a fund sentence."""
    text = canon[start:end]
    out: dict[str, Decimal] = {}
    for m in (m for m in mentions if is_money(m)):
        key = _field(canon, start, m)
        if key and key not in out:
            try:
                out[key] = to_base(m.quantity.value, m.quantity.unit)[0]
            except NumberError:
                continue
    named = out.get("budget_adjusted", out.get("budget"))
    if named is None and not ADJUSTMENT.search(text):
        named = out.get("budget_initial")  # a lone 年初预算 is the budget (pattern 28)
    if FULLY_ARRIVED.search(text) and "arrived" not in out and named is not None:
        out["arrived"] = named  # 项目资金450万元，…，按时足额到位: the amount named is what arrived
    if not out:
        return {RATES_ONLY: Decimal(0)} if _rates_only(canon, mentions) else {}
    for regex, key in ((EXECUTION_RATE, "stated_execution_rate"), (ARRIVAL_RATE, "stated_arrival_rate")):
        rate = regex.search(text)
        if rate:
            out[key] = Decimal(rate.group(1))
    return out


def _rates_only(canon: str, mentions: list[Mention]) -> bool:
    """Return whether every figure of a sentence is a 到位率/执行率 printed right after its name."""
    return bool(mentions) and all(
        m.quantity.unit == "%" and FUND_RATE_NAME.search(canon, max(0, m.start - 8), m.start)
        for m in mentions
    )


def _field(canon: str, lo: int, m: Mention) -> str | None:
    clause_start = max((c.end() for c in CLAUSE_START.finditer(canon, lo, m.start)), default=lo)
    before = canon[clause_start : m.start]
    after = canon[m.end : m.end + 12]
    if NOT_FUNDS.search(before) or "其中" in canon[lo : m.start] and not NEW_FACT.search(before):
        return None  # 招商引资到位资金 is not the project's money; 其中：中央资金… are parts of the budget
    for cue in FUND_CUES:
        if cue.words.search(after if cue.after else before):
            return cue.field
    return None


@dataclass
class FundsReader:
    """Collects fund figures sentence by sentence: the first statement of each wins, unless a later one is
    named more strongly (SOURCES ranks: 全年（调整）预算 over 预算, 实际支出 over 支出 over 拨付). A lone 年初预算
    stands for the 全年预算 until a stated budget or an adjustment says otherwise."""

    funds: Funds = field(default_factory=Funds)
    ranks: dict[str, int] = field(default_factory=dict)
    adjusted: bool = False  # the report mentions a budget change (追加, 调整)
    execution_rate: Decimal | None = None  # the first stated 执行率

    def add(self, figures: dict[str, Decimal], text: str, span: tuple[int, int]) -> None:
        self.adjusted = self.adjusted or bool(ADJUSTMENT.search(text))
        for key, value in figures.items():
            source = SOURCES.get(key, Source(key, 2))
            if key == "stated_execution_rate":
                self.execution_rate = value if self.execution_rate is None else self.execution_rate
            elif key != RATES_ONLY and source.rank > self.ranks.get(source.target, 0):
                setattr(self.funds, source.target, value)
                self.ranks[source.target] = source.rank
        # a 执行率 is checked against spending named as such: a 拨付 total is no 执行数 (a false alarm)
        disbursed_only = self.ranks.get("spent") == SOURCES["disbursed"].rank
        self.funds.stated_execution_rate = None if disbursed_only else self.execution_rate
        self._lone_initial()
        if set(figures) - {RATES_ONLY} and self.funds.span is None:
            self.funds.text, self.funds.span = text, span

    def _lone_initial(self) -> None:
        """Let the 年初预算 stand for the budget while the report states no other and no adjustment."""
        promoted = self.ranks.get("budget") == 0
        if self.funds.budget_initial is not None and "budget" not in self.ranks and not self.adjusted:
            self.funds.budget, self.ranks["budget"] = self.funds.budget_initial, 0
        elif promoted and self.adjusted:
            self.funds.budget = None
            del self.ranks["budget"]
