"""Indicators out of one sentence: each figure, its name, and the clauses that add targets, rates and changes.

A sentence is split into clauses at ，and ：. A clause either states figures (one indicator each) or adds
to the indicator before it: 占任务数…的…% (target and rate), 完成率 (rate), 超任务增速…个百分点 and
年度目标为… (target), 较上年… (change), 化解45个 after 接收47个 (actual of a received/resolved pair),
其中已完成… (partial completion). DOMAIN §8 names the patterns; `report_cues` holds their words.
"""

from __future__ import annotations

import re
from decimal import Decimal

import jixiao_core.reader.clause_roles as R
import jixiao_core.reader.cues as C
import jixiao_core.reader.places as PL
import jixiao_core.reader.plans as PN
from jixiao_core.facts import Indicator
from jixiao_core.numbers import Mention
from jixiao_core.reader.draft import Draft
from jixiao_core.reader.sentences import Clause, clauses, figures
from jixiao_core.units import same_measure


def read_sentence(
    doc: str, canon: str, lo: int, hi: int, communities: tuple[str, ...] = ()
) -> list[Indicator]:
    """Return the indicators one sentence states; each carries the sentence as text and span."""
    return [ind for _, ind in located_indicators(doc, canon, lo, hi, communities)]


def located_indicators(
    doc: str,
    canon: str,
    lo: int,
    hi: int,
    communities: tuple[str, ...] = (),
    mentions: list[Mention] | None = None,
) -> list[tuple[int, Indicator]]:
    """Return (offset of its figure, indicator) for each indicator one sentence states (figures found once)."""
    mentions = figures(canon, lo, hi) if mentions is None else mentions
    if not mentions:
        return []
    reader = _Reader(doc, canon, clauses(canon, lo, hi, mentions))
    for i, clause in enumerate(reader.parts):
        reader.read(i, clause)
    text = doc[lo:hi]
    if C.FUTURE.search(canon, lo, hi):  # a plan for later is no result unless a done count made it a pair
        reader.drafts = [d for d in reader.drafts if d.ind.target is not None]
    wholes: list[Draft] = []  # the figures named by their own words, which a part named by a place belongs to
    for k, d in enumerate(reader.drafts):
        d.ind.text, d.ind.span = text, (lo, hi)
        d.ind.name = d.ind.name or _fallback_name(doc, reader.parts, d)
        if len(d.ind.name) > 2:
            d.ind.name = C.DANGLING.sub("", d.ind.name)
        if C.PLACE_ONLY.match(d.ind.name):
            d.ind.name = PL.part_name(d.ind, wholes)
        else:
            wholes.append(d)
        prev = reader.drafts[k - 1] if k else None
        own = None if prev and d.joined else PL.community(canon, reader.parts, d, communities)
        d.ind.community = own or (PL.carried(canon, prev, d) if prev else None)
    return [(d.pos, d.ind) for d in reader.drafts]


DONE_ADVERB = re.compile(r"(?:按期|按时|及时|限时|当场|一次性)$")


class _Reader:
    """Reads the clauses of one sentence left to right, keeping the indicator the next clause may add to."""

    def __init__(self, doc: str, canon: str, parts: list[Clause]):
        self.doc, self.canon = doc, canon
        self.parts = R.joined_lists(canon, parts)
        self.drafts: list[Draft] = []
        self.last: Draft | None = None
        self.change_open = False  # the clause before was a change (增加0.41亿元): 增长14.39% may follow

    def shape(self, clause: Clause) -> str:
        """Return the clause text with each figure written as Ⓝ."""
        out, pos = [], clause.start
        for m in clause.mentions:
            out += [self.canon[pos : m.start], C.FIG]
            pos = m.end
        out.append(self.canon[pos : clause.end])
        return "".join(out).strip()

    def read(self, i: int, clause: Clause) -> None:
        last = self.last if self.last and self.last.clause >= i - 1 else None
        shape = self.shape(clause)
        if not clause.mentions:
            if last:
                PN.partial_completion(shape, last)
                PN.all_done(shape, last)
            self.change_open = False
            return
        was_open, self.change_open = self.change_open, False
        if last and PN.remainder(shape, clause, last):
            last.clause = i
            return
        if last and (
            self._attach(shape, clause, last) or self._pair(clause, last, i) or self._rate(clause, last)
        ):
            last.clause = i
            return
        planned = self._across_gap(i)
        if planned and self._pair(clause, planned, i, gap=True):
            planned.clause = i
            return
        if self._from_to(shape, clause, i) or self._change(shape, clause, last, was_open, i):
            return
        new = self._respectively(clause, i) if C.RESPECTIVELY.search(shape) else self._plain(clause, i)
        self.drafts.extend(new)
        self.last = new[-1] if new else self.last

    def _attach(self, shape: str, clause: Clause, last: Draft) -> bool:
        """Add a target, rate or target growth from a clause that only qualifies the indicator before it."""
        rule = next((a for a in C.ATTACHMENTS if a.regex.match(shape)), None)
        ind, ms = last.ind, clause.mentions
        if rule is None:
            return False
        q = ms[-1].quantity
        if rule.kind in ("target_share", "rate") and ind.rate is None and q.unit == "%":
            ind.rate = q.value
            if len(ms) > 1 and ind.target is None:
                ind.target, ind.target_unit = ms[0].quantity.value, ms[0].quantity.unit
            return True
        if (
            rule.kind.startswith("growth")
            and ind.unit == "%"
            and ind.actual is not None
            and ind.target is None
        ):
            ind.target = ind.actual - q.value if rule.kind == "growth_above" else ind.actual + q.value
            ind.target_unit = "%"
            return True
        if rule.kind == "target" and ind.target is None and same_measure(ind.unit, q.unit):
            _set_target(ind, ms[-1])
            return True
        if (
            rule.kind.endswith("_target")
            and ind.target is None
            and ind.actual is not None
            and ind.unit == q.unit
        ):
            # 集体经济收入386.4万元，较年初目标增加46.4万元 → target 340 万元
            ind.target = ind.actual - q.value if rule.kind == "above_target" else ind.actual + q.value
            ind.target_unit = ind.unit
            return True
        return False

    def _across_gap(self, i: int) -> Draft | None:
        """Return the indicator a few figure-less clauses back (计划…40个，因…不一，建成28个), if any."""
        last = self.last
        if last is None or not 1 < i - last.clause <= C.PAIR_GAP + 1:
            return None
        return None if any(p.mentions for p in self.parts[last.clause + 1 : i]) else last

    def _pair(self, clause: Clause, last: Draft, i: int, gap: bool = False) -> bool:
        """Merge 接收47个，化解45个 (or 建档54人，在册在管53人) into one indicator: actual 45, target 47.

        With `gap` the clauses between explain a shortfall: the pair must then be worded (计划 … 建成).
        """
        ind = last.ind
        if (
            len(clause.mentions) != 1
            or (last.clause != i - 1 and not gap)
            or ind.target is not None
            or ind.rate is not None
        ):
            return False
        m = clause.mentions[0]
        q, pre = m.quantity, self.canon[clause.start : m.start].strip()
        if ind.actual is None or not same_measure(ind.unit, q.unit) or pre.endswith("率"):
            return False
        cue = next(
            (
                c
                for c in C.PAIR_BASES
                if c.words.search(last.pre) and (not c.done_lead or c.done_lead.match(pre))
            ),
            None,
        )
        target_like = ind.comparator is not None and "实际" in pre
        cue = cue if ind.unit != "%" else None  # 及时受理率100%，按期答复率100% are two rates, not a pair
        worded = (cue or target_like) and len(pre) <= C.PAIR_DONE_MAX and C.PAIR_DONE.search(pre)
        if not (worded or (not gap and self._rate_confirms(i, q.value, ind.actual))):
            return False
        if cue and cue.ceiling and q.value > ind.actual:
            return False
        ind.name = _pair_name(ind.name, cue, pre)
        ind.target, ind.target_unit = ind.actual, ind.unit
        ind.actual, ind.unit, ind.qualifier = q.value, q.unit, q.qualifier
        last.origin.append(pre)
        return True

    def _rate_confirms(self, i: int, done: Decimal, whole: Decimal) -> bool:
        """Return whether the next clause states X率 R% with R = done / whole (a pair without cue words)."""
        if i + 1 >= len(self.parts) or not whole:
            return False
        nxt = self.parts[i + 1]
        if len(nxt.mentions) != 1 or nxt.mentions[0].quantity.unit != "%" or "率" not in self.shape(nxt):
            return False
        return abs(float(nxt.mentions[0].quantity.value) - float(100 * done / whole)) <= C.RATE_TOLERANCE

    def _rate(self, clause: Clause, last: Draft) -> bool:
        """Attach 化解率95.74% to the 化解45个 before it; other X率 figures are indicators of their own."""
        ms = clause.mentions
        if len(ms) != 1 or ms[0].quantity.unit != "%" or last.ind.unit == "%" or last.ind.rate is not None:
            return False
        # only a pair's rate attaches: 健康管理3.86万人，健康管理率68.2% is a rate of its own (DOMAIN §8 pattern 7)
        if last.ind.target is None:
            return False
        pre = self.canon[clause.start : ms[0].start].strip()
        if not pre.endswith("率"):
            return False
        stem = C.NAME_LEAD.sub("", pre[:-1])[-2:]
        ind, value = last.ind, ms[0].quantity.value
        arithmetic = (
            ind.target and ind.actual is not None and abs(float(100 * ind.actual / ind.target - value)) <= 0.6
        )
        if not arithmetic and (not stem or not any(stem in o for o in [last.pre, *last.origin])):
            return False
        ind.rate = value
        return True

    def _change(self, shape: str, clause: Clause, last: Draft | None, was_open: bool, i: int) -> bool:
        """Read 较上年增加…/同比下降…% as the change of the indicator before it, or as an indicator of its own."""
        m = C.CHANGE.search(shape) or (C.CHANGE_FOLLOW.match(shape) if was_open else None)
        if m is None:
            return False
        *before, fig = clause.mentions
        subject = C.NAME_TAIL.sub("", C.NAME_LEAD.sub("", shape[: m.start()].strip()))
        if before:  # 到位资金3.26亿元同比增加0.41亿元: the value and its change in one clause
            new = self._plain(Clause(clause.start, fig.start, before), i)
            self.drafts.extend(new)
            last = new[-1]
        standalone = last is None or (subject and not before)
        if standalone:  # 火灾事故起数较上年减少6起: the change is the fact (DOMAIN §8 pattern 9)
            last = self._draft(
                fig, subject or ("同比变化" if "同比" in shape else "较上年变化"), "", clause, i
            )
            self.drafts.append(last)
        self.last, last.clause = last, i
        ind, q = last.ind, fig.quantity
        verb = m.group("verb")
        ind.change_direction = ind.change_direction or (
            "decrease" if verb in C.DECREASE_VERBS else "increase"
        )
        if q.unit == "%" and (ind.unit != "%" or standalone):
            ind.change_pct = q.value if ind.change_pct is None else ind.change_pct
        elif not standalone and ind.change is None:
            ind.change = q.value
        self.change_open = True
        return True

    def _from_to(self, shape: str, clause: Clause, i: int) -> bool:
        """由上年的320户减少到298户 → one indicator: actual 298 户, change 22, decrease."""
        m = C.FROM_TO.match(shape)
        if m is None or len(clause.mentions) != 2:
            return False
        old, new = (x.quantity for x in clause.mentions)
        name = C.NAME_TAIL.sub("", C.NAME_LEAD.sub("", m.group("subject").strip())) or "较上年变化"
        d = self._draft(clause.mentions[1], name, "", clause, i)
        if same_measure(old.unit, new.unit):
            d.ind.change = abs(new.value - old.value)
        d.ind.change_direction = "decrease" if m.group("verb") in C.DECREASE_VERBS else "increase"
        self.drafts.append(d)
        self.last = d
        return True

    def _respectively(self, clause: Clause, i: int) -> list[Draft]:
        """甲、乙、丙分别完成85%、64%、120% → one indicator per name; nothing when the counts differ."""
        body = self.canon[clause.start : clause.end]
        cut = C.RESPECTIVELY.search(body)
        ms = [m for m in clause.mentions if m.num_start >= clause.start + cut.end()]
        items = R.list_items(body[: cut.start()], len(ms))
        if len(items) != len(ms) or len(ms) < 2:
            return []
        count = C.LIST_COUNT.search(items[-1])
        measure = items[-1][count.end() :] if count else ""  # 东苑、西苑、清河3个社区垃圾分类参与率
        items = [C.NAME_LEAD.sub("", re.split(r"\d", it, maxsplit=1)[0]) for it in items]
        between = self.canon[clause.start + cut.end() : ms[0].start]
        shared = measure + C.NAME_LEAD.sub("", between)
        completion = bool(C.COMPLETION.search(between))
        out = []
        for item, m in zip(items, ms, strict=True):
            d = self._draft(m, item + shared, "", clause, i, completion=completion)
            d.hint = item
            out.append(d)
        return out

    def _plain(self, clause: Clause, i: int) -> list[Draft]:
        """Return one draft per figure of a clause, named from the words around it."""
        ms, out = clause.mentions, []
        ends = {m.end for m in ms}
        for k, m in enumerate(ms):
            if R.in_part_note(self.canon, clause, m, ends) or (
                k + 1 < len(ms) and R.is_spec(self.canon, m, ms[k + 1])
            ):
                continue
            lo = ms[k - 1].end if k else clause.start
            hi = ms[k + 1].start if k + 1 < len(ms) else clause.end
            pre_raw, post_raw = self.doc[lo : m.start], self.doc[m.end : hi]
            if out and C.PAREN_TARGET.match(self.canon[lo : m.start].strip()) and out[-1].ind.target is None:
                _set_target(out[-1].ind, m)  # 规范管理率62%（目标≥60%）
                continue
            if k + 1 < len(ms) and re.match(r"^\s*[、和及与]", post_raw):
                post_raw = ""  # 反诈宣传14次、反诈培训4次: the words after 、 name the next figure
            pre = C.NAME_TAIL.sub("", C.NAME_LEAD.sub("", pre_raw.strip()))
            post = C.POST_CUT.split(C.POST_LEAD.sub("", post_raw.strip()), maxsplit=1)[0]
            joined = bool(out) and not pre and (ms[k - 1].end == m.start or pre_raw.strip() in "、和")
            name = (
                out[-1].ind.name if joined else post if post and (not pre or len(pre) <= 4) else pre or post
            )
            d = self._draft(
                m, name[:40], post, clause, i, completion=bool(C.COMPLETION.search(pre_raw.strip()))
            )
            d.joined, d.seg = joined, lo
            out.append(d)
        return out

    def _draft(
        self, m: Mention, name: str, noun: str, clause: Clause, i: int, completion: bool = False
    ) -> Draft:
        q = m.quantity
        ind = Indicator(
            name=name, actual=q.value, unit=q.unit, comparator=q.comparator, qualifier=q.qualifier
        )
        if completion and q.unit == "%":  # 完成92%: a completion rate with no stated value
            ind.actual, ind.unit, ind.rate = None, None, q.value
        pre = self.canon[max(clause.start, m.start - 40) : m.start]  # bounded: a huge clause stays linear
        return Draft(ind, i, pre, noun=noun, pos=m.num_start, seg=clause.start, clause_at=i)


def _pair_name(name: str, cue: C.PairCue | None, pre: str) -> str:
    """Return the name of a merged pair: 区级问题清单 + 化解, 重精患者 + 在册在管; 满意度目标值 → 满意度."""
    done = C.NAME_LEAD.sub("", pre)  # 已整改 → 整改: the verb, never a dangling 已
    verb = C.PAIR_DONE.search(done)
    base = C.NAME_LEAD.sub("", re.sub(r"人数|总数|数量|件数", "", cue.words.sub("", name))) if cue else name
    base = re.sub(r"(?:年度)?(?:目标值?|指标值|计划值?)$", "", base)
    if len(base) >= 2:
        return base + (_done_words(done, verb) if verb and cue and cue.ceiling else "")
    return C.NAME_LEAD.sub("", done[verb.end() :] if verb else done) or name


def _done_words(pre: str, verb: re.Match) -> str:
    """Return the done verb with the adverb that qualifies it (按期办结: its rate is the 按期办结率)."""
    adverb = DONE_ADVERB.search(pre, 0, verb.start())
    return (adverb.group(0) if adverb else "") + verb.group(0)


def _fallback_name(doc: str, parts: list[Clause], d: Draft) -> str:
    """Return a name for a figure whose own words name nothing (共100万元): the clause before it, or 合计."""
    k = d.clause_at - 1
    while k >= 0 and parts[k].mentions and d.clause_at - k < 4:
        k -= 1
    words = (
        C.NAME_LEAD.sub("", doc[parts[k].start : parts[k].end].strip())
        if k >= 0 and not parts[k].mentions
        else ""
    )
    return words[-40:] or "合计"


def _set_target(ind: Indicator, m: Mention) -> None:
    ind.target, ind.target_unit = m.quantity.value, m.quantity.unit
    ind.comparator = m.quantity.comparator or ind.comparator
