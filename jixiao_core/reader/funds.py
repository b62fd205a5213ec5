"""Project funds from the budget sentences of a report (DOMAIN §8 pattern 10), in 元."""

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

    field: str  # budget / budget_adjusted / budget_initial / arrived / spent
    words: re.Pattern
    after: bool = False


FUND_CUES = (
    FundCue(
        "arrived", re.compile(r"^(?:已|均已|已经)?(?:全部|足额|全额|按时足额)?(?:拨付)?到位"), after=True
    ),
    FundCue("budget_initial", re.compile(r"年初预算(?:数|资金|金额)?(?:为|是|共)?$")),
    FundCue(
        "budget_adjusted",
        re.compile(r"(?:全年|调整后?的?)(?:（调整）)?(?:项目)?预算(?:数|资金|金额)?(?:为|是|共)?$"),
    ),
    FundCue("arrived", re.compile(r"(?:实际)?(?:到位|拨付到位|拨付)(?:资金|金额)?(?:为|是|共)?$")),
    FundCue(
        "spent",
        re.compile(
            r"(?:实际支出|实际使用|全年执行数|执行数|已?支出|已?使用|(?<!转移)支付)(?:资金|金额)?(?:为|是|共)?$"
        ),
    ),
    FundCue(
        "budget",
        re.compile(
            r"(?:预算(?:资金|数|金额)?|项目资金|专项资金|经费|资金总额|投入资金|总投资|安排资金|下达资金"
            r"|(?:资金|经费)计划(?:数|金额)?|预算安排[^，]{0,20}(?:资金|经费))(?:总额|共计|合计)?(?:为|是|共)?$"
        ),
    ),
)
# Money that is not the project's own (招商引资 到位资金, 税收) or only a change of it (追加预算, 结余) is never funds.
NOT_FUNDS = re.compile(
    r"招商|引资|引进|省外|税|收入|(?<!总)投资|产值|争议|工资|欠薪|追加|调增|调减|结余|结转"
)
FULLY_ARRIVED = re.compile(r"(?:全部|足额|全额)(?:拨付)?到位")
EXECUTION_RATE = re.compile(
    r"(?:完成(?:全年|年度)?预算(?:数)?的|(?:预算)?执行率(?:为|达到?)?|支出率(?:为|达到?)?)(\d+(?:\.\d+)?)%"
)
ARRIVAL_RATE = re.compile(r"到位率(?:为|达到?)?(\d+(?:\.\d+)?)%")
CLAUSE_START = re.compile(r"[，；：。\n]")


def is_money(m: Mention) -> bool:
    """Return whether a figure is an amount of money (元, 万元, 亿元; not 元/人)."""
    return bool(m.quantity.unit) and m.quantity.unit.endswith("元") and "/" not in m.quantity.unit


def fund_figures(canon: str, start: int, end: int, mentions: list[Mention]) -> dict[str, Decimal]:
    """Return the fund figures (元, and stated rates in %) one sentence gives; {} when it is not a fund sentence."""
    text = canon[start:end]
    out: dict[str, Decimal] = {}
    money = [m for m in mentions if is_money(m)]
    for m in money:
        key = _field(canon, start, m)
        if key and key not in out:
            try:
                out[key] = to_base(m.quantity.value, m.quantity.unit)[0]
            except NumberError:
                continue
    named = out.get("budget_adjusted", out.get("budget"))
    if FULLY_ARRIVED.search(text) and "arrived" not in out and named is not None:
        out["arrived"] = named  # 项目资金450万元，…，按时足额到位: the amount named is what arrived
    for regex, key in ((EXECUTION_RATE, "stated_execution_rate"), (ARRIVAL_RATE, "stated_arrival_rate")):
        rate = regex.search(text)
        if rate and out:
            out[key] = Decimal(rate.group(1))
    return out


def _field(canon: str, lo: int, m: Mention) -> str | None:
    clause_start = max((c.end() for c in CLAUSE_START.finditer(canon, lo, m.start)), default=lo)
    before = canon[clause_start : m.start]
    after = canon[m.end : m.end + 12]
    if NOT_FUNDS.search(before) or "其中" in canon[lo : m.start] and not re.search(r"实际|到位|支出", before):
        return None  # 招商引资到位资金 is not the project's money; 其中：中央资金… are parts of the budget
    for cue in FUND_CUES:
        if cue.words.search(after if cue.after else before):
            return cue.field
    return None


@dataclass
class FundsReader:
    """Collects fund figures sentence by sentence: the first statement of each wins, except that a
    全年（调整）/调整后 budget replaces a plain one (10号 自评表: 执行率 uses 全年预算数)."""

    funds: Funds = field(default_factory=Funds)
    adjusted: bool = False

    def add(self, figures: dict[str, Decimal], text: str, span: tuple[int, int]) -> None:
        for key, value in figures.items():
            if key == "budget_adjusted":
                if not self.adjusted:
                    self.funds.budget, self.adjusted = value, True
            elif getattr(self.funds, key) is None:
                setattr(self.funds, key, value)
        if figures and self.funds.span is None:
            self.funds.text, self.funds.span = text, span
