"""Whether a stated rate is a share of the count printed before it (DOMAIN §8 pattern 26).

受理投诉120件，办结率97.5% ties the rate to the 120 complaints; 建成充电桩40个，群众满意率92.5% does not (the
residents are the base, not the piles), nor does 接种率 after 接种流感疫苗1860人 (the eligible population is).
A rate is tied only when every sign agrees: the count is a caseload (受理, 排查…), the rate handles cases
(办结率, 整改率…) or is a bare 满意率 of those cases (the seed's 信访件接件63件…满意率90%), whatever the rate
says before its verb names the counted thing, and only other rates of the same cases stand in between.
When unsure the rate is its own measurement: no integer-numerator check, no finding.
"""

from __future__ import annotations

import re

# A clause break in the printed sentence; a comma between digits (1,046) is a thousands separator.
CLAUSE_BREAK = re.compile(r"[，：:；;。！？!?\n]|,(?!\d{3}(?!\d))")
# Words that make a count a caseload a rate can be a share of (cases received, hazards found); 开展检查65次
# counts inspections, not the hazards a 整改率 is over, so 检查 is no such word.
CASELOAD = re.compile(r"受理|办理|接收|收到|接到|接件|收集|排查|摸排|发现|登记|建档|交办|转办")
# Rates of handling cases: the share of the caseload that was handled.
HANDLING = re.compile(
    r"(?:办结|整改|化解|答复|回复|受理|处置|解决|销号|结案|调处|调解成功|办理|反馈|回访|处理)率$"
)
# Rates of a survey: a share of the cases only when nothing else is named as the ones asked (bare 满意率).
SURVEY = re.compile(r"(?:满意|基本满意|好评|认可)(?:率|度)$")
# Words that qualify a rate without naming what it is a share of (按期办结率, 总体满意度).
MODIFIERS = re.compile(r"(?:按期|按时|及时|限时|一次性|当场|总体|综合|整体|平均|回访)+$")
LEAD = re.compile(r"^(?:其中|且|并|同时|总|全年|年度)+")
TAIL = re.compile(r"(?:为|是|达到|达|约|了)+$")
# A clause between the count and its rate that only states another rate of the same cases (及时受理率100%).
RATE_CLAUSE = re.compile(r"^[\u4e00-\u9fff]{0,10}率(?:为|是|达到?)?[≥≤=]?\d+(?:\.\d+)?%$")
SHARED = 2  # characters a rate's own subject must share with the count's clause to name it


def tied(text: str, count_at: int, rate_at: int) -> bool:
    """Return whether the rate printed at `rate_at` is a share of the count printed at `count_at`."""
    starts = [m.end() for m in CLAUSE_BREAK.finditer(text, 0, rate_at)]
    rate_start = starts[-1] if starts else 0
    count_start = max((s for s in starts if s <= count_at), default=0)
    if not CASELOAD.search(text, count_start, count_at):
        return False
    if not all(RATE_CLAUSE.match(c.strip()) for c in _between(text, count_at, rate_start)):
        return False
    words = TAIL.sub("", text[rate_start:rate_at].strip())
    return _names_the_count(words, text[count_start:count_at])


def _between(text: str, count_at: int, rate_start: int) -> list[str]:
    """Return the clauses after the count's clause and before the rate's."""
    cuts = [m.end() for m in CLAUSE_BREAK.finditer(text, count_at, rate_start)]
    return [text[a : b - 1] for a, b in zip(cuts, cuts[1:], strict=False)]


def _names_the_count(words: str, count_clause: str) -> bool:
    """Return whether a rate's words (整改率, 隐患整改率, 群众满意率) are about the counted cases."""
    for kind in (HANDLING, SURVEY):
        m = kind.search(words)
        if m is None:
            continue
        subject = MODIFIERS.sub("", LEAD.sub("", words[: m.start()]))
        if not subject:
            return True
        return kind is HANDLING and _shares(subject, count_clause)
    return False


def _shares(subject: str, clause: str) -> bool:
    return any(subject[k : k + SHARED] in clause for k in range(len(subject) - SHARED + 1))
