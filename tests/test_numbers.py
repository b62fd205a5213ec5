"""Unit: jixiao_core.numbers (full-width folding, 中文数字, units, comparators, qualifiers, scanning)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao_core.errors import NumberError
from jixiao_core.numbers import (
    Quantity,
    canonical,
    chinese_int,
    parse_quantity,
    scan,
)
from jixiao_core.units import to_base

D = Decimal


@pytest.mark.parametrize(
    "text, value, unit, comparator, qualifier",
    [
        ("≥98%", "98", "%", ">=", None),
        ("≧90%", "90", "%", ">=", None),
        ("≤90万元", "90", "万元", "<=", None),
        ("=100", "100", None, "=", None),
        ("不少于42小时", "42", "小时", ">=", None),
        ("不低于90%", "90", "%", ">=", None),
        ("不超过5天", "5", "天", "<=", None),
        ("2天以内", "2", "天", "<=", None),
        ("≥100百分比", "100", "%", ">=", None),
        ("达95%", "95", "%", None, None),
        ("约60亩", "60", "亩", None, "approx"),
        ("60亩左右", "60", "亩", None, "approx"),
        ("8000余人", "8000", "人", None, "more_than"),
        ("780余万元", "780", "万元", None, "more_than"),
        ("7.8万余平方米", "7.8", "万平方米", None, "more_than"),
        ("1万多人", "1", "万人", None, "more_than"),
        ("2710余次", "2710", "次", None, "more_than"),
        ("51000余人次", "51000", "人次", None, "more_than"),
        ("8.4855亩", "8.4855", "亩", None, None),
        ("9.67亿元", "9.67", "亿元", None, None),
        ("150万", "150", "万", None, None),
        ("９．６７％", "9.67", "%", None, None),
        ("１２３８人", "1238", "人", None, None),
        ("1,234.5万元", "1234.5", "万元", None, None),
        ("4.5个百分点", "4.5", "个百分点", None, None),
        ("171名", "171", "名", None, None),
        ("15场", "15", "场", None, None),
        ("三次", "3", "次", None, None),
        ("两个", "2", "个", None, None),
        ("一支", "1", "支", None, None),
        ("十二名", "12", "名", None, None),
        ("两千零五人", "2005", "人", None, None),
        ("百分之九十五", "95", "%", None, None),
        ("百分之百", "100", "%", None, None),
    ],
)
def test_phrase_reads_as_exact_quantity(text, value, unit, comparator, qualifier):
    assert parse_quantity(text) == Quantity(D(value), unit, comparator, qualifier)


@pytest.mark.parametrize(
    "text", ["", "abc", "亿元", "一是", "第十届", "2023年", "一二三次", "约", "≥", "12.5.6%"]
)
def test_non_quantity_raises_number_error(text):
    with pytest.raises(NumberError):
        parse_quantity(text)


@pytest.mark.parametrize(
    "text, value",
    [("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("一千零五十", 1050), ("两千零五", 2005)]
    + [("三万五千", 35000), ("三万五", 35000), ("一百五", 150), ("一亿两千万", 120000000), ("〇", 0)],
)
def test_chinese_numeral_gives_integer(text, value):
    assert chinese_int(text) == value


def test_canonical_folds_full_width_and_keeps_length():
    text = "完成９．６７亿元，占（任务）数≧90％; (a),1,000"
    out = canonical(text)
    assert out == "完成9.67亿元，占（任务）数≥90%； （a），1,000"
    assert len(out) == len(text)


def test_canonical_turns_a_clause_comma_into_a_chinese_comma_but_keeps_thousands():
    assert canonical("10个,完成率100%,共1,200人") == "10个，完成率100%，共1,200人"


@pytest.mark.parametrize(
    "text, found",
    [
        ("一是全力抓好重点项目建设", []),
        ("第十届“雨花艺术节”", []),
        ("十分重要，一次性解决", []),
        ("千家万户", []),
        ("进一步加强，深入一线", []),
        ("建立一支40人的队伍", [("1", "支"), ("40", "人")]),
        ("开展宣传三次、培训两场", [("3", "次"), ("2", "场")]),
        ("签约11.2万人", [("11.2", "万人")]),
    ],
)
def test_scan_reads_chinese_numerals_only_before_measure_words(text, found):
    got = [(str(m.quantity.value), m.quantity.unit) for m in scan(canonical(text)) if m.quantity.unit]
    assert got == found


def test_scan_reports_offsets_of_phrase_and_digits():
    (m,) = scan("完成约60亩用地")
    assert (m.start, m.end, m.num_start, m.num_end) == (2, 6, 3, 5)
    assert m.quantity == Quantity(D(60), "亩", None, "approx")


def test_signed_words_are_not_qualifiers():
    (m,) = scan("重点人群签约11.2万人")
    assert m.quantity.qualifier is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_quantity_returns_or_raises_number_error_only(text):
    try:
        q = parse_quantity(text)
    except NumberError:
        return
    assert isinstance(q.value, Decimal)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,万亿余多约≥≤%元人次个十百千两一二三四五六七八九零", max_size=20))
def test_number_like_text_never_escapes_other_errors(text):
    try:
        parse_quantity(text)
    except NumberError:
        pass
    scan(canonical(text))


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["元", "万元", "亿元", "人", "万人次", "平方米", "万平方米", "%", "亩"]),
)
def test_written_numbers_round_trip(value, unit):
    assert parse_quantity(f"{value}{unit}") == Quantity(value, unit)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_full_width_numbers_round_trip(value):
    full = "".join(chr(ord(c) + 0xFEE0) for c in str(value))
    assert parse_quantity(full + "万元") == Quantity(value, "万元")


def _section(n: int) -> str:
    digits, units, out, zero = "零一二三四五六七八九", ("", "十", "百", "千"), [], False
    for p in (3, 2, 1, 0):
        d = n // 10**p % 10
        if d == 0:
            zero = bool(out)
            continue
        out.append(("零" if zero else "") + digits[d] + units[p])
        zero = False
    return "".join(out)


def to_chinese(n: int) -> str:
    high, low = divmod(n, 10000)
    if not high:
        return _section(low)
    return _section(high) + "万" + (("零" if low < 1000 else "") + _section(low) if low else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    assert chinese_int(to_chinese(n)) == n
    q = parse_quantity(to_chinese(n) + "次")  # 二十五万次 reads as 25 万次, like 25万次
    assert to_base(q.value, q.unit) == (D(n), "次")
