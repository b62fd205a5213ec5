"""Number phrases: full-width forms, 中文数字, 万/亿 magnitudes, units, comparators and qualifiers.

`canonical` maps a text character by character (offsets survive) so every regex downstream sees
ASCII digits, `%` and `.`; `parse_quantity` reads one phrase such as `≥98%`, `约60亩` or `7.8万余平方米`;
`scan` finds every number-with-unit in a text with its offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao_core import units
from jixiao_core.errors import NumberError

QUALIFIER_PREFIXES = (
    ("大约", "approx"),
    ("约", "approx"),
    ("近", "approx"),
    ("超过", "more_than"),
    ("接近", "approx"),
    ("逾", "more_than"),
)
# 约 and 近 are words of their own after these characters (签约, 节约, 附近, 最近), not qualifiers.
_QUALIFIER_WORDS = r"大约|(?<![签节预制公条契相邀特])约|接近|(?<![附最临将接])近|超过|逾"
QUALIFIER_SUFFIXES = (("左右", "approx"),)

# Folded explicitly; CJK punctuation （，；：） is kept so sentence and clause splitting is unaffected,
# and ASCII ( ) ; : become their CJK forms (an ASCII comma too, unless it separates thousands).
_FOLD = {"≧": "≥", "≦": "≤", "﹪": "%"}
_TO_CJK = {"(": "（", ")": "）", ";": "；", ":": "：", ",": "，"}
_CLAUSE_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_DIGITS.update({"壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)


@dataclass(frozen=True)
class Quantity:
    """A number as written: value in `unit` (not scaled), with its comparator and qualifier."""

    value: Decimal
    unit: str | None
    comparator: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class Mention:
    """A quantity found in a text, with the offsets of the whole phrase and of its digits."""

    start: int
    end: int
    num_start: int
    num_end: int
    quantity: Quantity
    chinese: bool = False  # written in 中文数字


def _fold_char(c: str) -> str:
    if c in _FOLD:
        return _FOLD[c]
    if c.isascii():
        return _TO_CJK.get(c, c) if c != "," else c
    n = unicodedata.normalize("NFKC", c)
    if len(n) != 1:
        return c
    return _TO_CJK.get(n, n) if n != "," else "，"


def canonical(text: str) -> str:
    """Return `text` with full-width digits, letters and signs folded to ASCII, same length."""
    table = {ord(c): f for c in set(text) if (f := _fold_char(c)) != c}
    s = text.translate(table) if table else text
    return _CLAUSE_COMMA.sub("，", s) if "," in s else s


def chinese_int(s: str) -> int:
    """Return the integer a 中文数字 string writes (十二 → 12, 两千零五 → 2005, 三万五 → 35000)."""
    if not s or any(c not in CN_CHARS for c in s):
        raise NumberError(f"不是中文数字：{s[:20]}")
    total, section, digit, last = 0, 0, None, 0
    for c in s:
        if c in CN_DIGITS:
            if digit:  # two digits in a row (一二) is not a number
                raise NumberError(f"中文数字写法有误：{s[:20]}")
            digit = CN_DIGITS[c]
            last = 0 if digit == 0 else last
        elif c in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[c]
            digit, last = None, CN_SMALL[c]
        elif c == "万":
            total += (section + (digit or 0)) * CN_BIG[c]
            section, digit, last = 0, None, CN_BIG[c]
        else:
            total = (total + section + (digit or 0)) * CN_BIG[c]
            section, digit, last = 0, None, CN_BIG[c]
    if digit and last >= 100:
        digit *= last // 10  # spoken short form: 一百五 = 150, 三万五 = 35000
    return total + section + (digit or 0)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_UNIT_WORDS = units.prose_words()
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_NUM = f"[{CN_CHARS}]+"
# Measure words a 中文数字 may stand before (三次, 两个, 一支, 四期); 分 and 批 are left out (十分, 一批).
CN_UNITS = frozenset(
    "个 名 人 户 家 次 件 宗 起 所 支 场 轮 项 处 条 座 栋 套 台 类 位 间 辆 份 册 本 组 队 天 周 小时 个月 个工作日 人次 场次 期 批次".split()
)
QUANTITY_RE = re.compile(
    rf"(?P<cmp>{_alternation(c.word for c in units.PREFIXES)})?"
    rf"(?P<qual>{_QUALIFIER_WORDS})?"
    rf"(?:(?P<pct>百分之)(?P<pnum>{_NUM}|{_CN_NUM})|(?P<num>{_NUM})|(?P<cn>[{CN_CHARS}]*[{''.join(CN_DIGITS)}{''.join(CN_SMALL)}]))"
    rf"(?P<more1>余|多)?(?P<mag>万亿|万|亿)?(?P<more2>余|多)?"
    rf"(?P<unit>{_alternation(_UNIT_WORDS)})?"
    rf"(?P<sfx>{_alternation([c.word for c in units.SUFFIXES] + [w for w, _ in QUALIFIER_SUFFIXES])})?"
)


def _decimal(digits: str) -> Decimal:
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation as exc:
        raise NumberError(f"数字无法识别：{digits}") from exc


def _quantity(m: re.Match) -> Quantity:
    """Return the Quantity of one QUANTITY_RE match."""
    if m["pct"]:
        raw = m["pnum"]
        value = _decimal(raw) if raw[0].isdigit() else Decimal(chinese_int(raw))
        unit = "%"
    else:
        value = _decimal(m["num"]) if m["num"] else Decimal(chinese_int(m["cn"]))
        unit = (m["mag"] or "") + (units.normalize(m["unit"]) or "") or None
    comparator = _CMP_BEFORE.get(m["cmp"] or "")
    qualifier = _QUAL_BEFORE.get(m["qual"] or "")
    if m["more1"] or m["more2"]:
        qualifier = "more_than"
    sfx = m["sfx"] or ""
    comparator = _CMP_AFTER.get(sfx, comparator)
    qualifier = _QUAL_AFTER.get(sfx, qualifier)
    return Quantity(value, unit, comparator, qualifier)


_CMP_BEFORE = {c.word: c.op for c in units.PREFIXES}
_CMP_AFTER = {c.word: c.op for c in units.SUFFIXES}
_QUAL_BEFORE, _QUAL_AFTER = dict(QUALIFIER_PREFIXES), dict(QUALIFIER_SUFFIXES)


_LEADING_NOISE = re.compile(r"^(?:达到|达|为|是|完成|共计|共|合计|累计|计)")


def parse_quantity(text: str) -> Quantity:
    """Return the Quantity one phrase writes (`≥98%`, `约60亩`, `7.8万余平方米`, `三次`); else NumberError."""
    if not isinstance(text, str):
        raise NumberError("不是文字")
    s = canonical(text).strip().replace(" ", "")
    s = _LEADING_NOISE.sub("", s, count=1)
    m = QUANTITY_RE.fullmatch(s)
    if not m or (m["cn"] and not m["unit"] and not m["mag"]):
        raise NumberError(f"无法识别的数量：{text[:40]}")
    if m["more1"] and m["more2"]:
        raise NumberError(f"无法识别的数量：{text[:40]}")
    return _quantity(m)


# Set phrases in which a 中文数字 is not a count (一次性, 千家万户, 一户一档, 两个维护).
_CN_BLOCK = re.compile(
    r"一(?:次性|起(?![案事火])|体|线|站|把手|件事|张[图网]|家人|个人)|千家|万户|百家"
    r"|[两三四五]个(?:维护|确立|意识|自信|全面|务必|伟大|代表|一)"
    r"|[一两二三四五六七八九十]+[个项](?:方面|环节|维度|层面|阶段|领域|原则|步骤|要素|结合|到位|统一|优先)"
    r"|([一两二三四五六七八九十])([^\d])\1"
)


def scan(text: str, units_only: bool = False) -> list[Mention]:
    """Return every number in a canonical text (with its unit when one follows), left to right."""
    out = []
    for m in QUANTITY_RE.finditer(text):
        if units_only and not (m["unit"] or m["pct"] or m["mag"]):
            continue
        if m["cn"] and not _chinese_count(text, m):
            continue
        if m["pnum"] and not m["pnum"][0].isdigit() and _CN_BLOCK.match(text, m.start("pnum")):
            continue
        try:
            q = _quantity(m)
        except NumberError:
            continue
        group = "num" if m["num"] else "cn" if m["cn"] else "pct"
        num_end = m.end("pnum") if group == "pct" else m.end(group)
        out.append(Mention(m.start(), m.end(), m.start(group), num_end, q, chinese=group != "num"))
    return out


# Characters that make a 中文数字 part of a word with them (逐一座谈, 统一, 唯一, 之一, 单一, 同一, 专一).
_CN_WORD_BEFORE = frozenset("逐统唯之单同专划")


def _chinese_count(text: str, m: re.Match) -> bool:
    """Return whether a 中文数字 match is a count: before a measure word, not in a set phrase."""
    start = m.start("cn")
    if m["unit"] not in CN_UNITS or m["mag"] or m["more1"] or m["more2"]:
        return False
    glued = start > 0 and text[start - 1] in CN_CHARS  # 十一 split oddly, 五一
    worded = start > 0 and text[start - 1] in _CN_WORD_BEFORE and m["cn"] == "一"
    return not glued and not worded and not _CN_BLOCK.match(text, start)
