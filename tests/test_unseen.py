"""The four unseen reports (tests/fixtures/unseen, README there): read and audited, checked against their
hand-made answers in the check_parse.py format (/work/shared/tools/check_parse.py).

For each report: (a) the warnings (severity warning or error) are exactly the listed findings by kind, plus at most
the optional ones; (b) no figure left over after matching is a listed trap; (c) every expected indicator is read, in
a sentence holding its quote, with its value; (d) the funds are the expected amounts.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_core import reader
from jixiao_core.audit import audit
from jixiao_core.units import to_base

HERE = Path(__file__).parent / "fixtures" / "unseen"
REPORTS = ("u1_town_2023", "u2_table_2022", "u3_web_2024", "u4_street_2023")
NAMES = {"名": "人", "位": "人"}  # check_parse.py counts 名 and 位 as 人

_CACHE: dict[str, tuple] = {}


def _read(name: str):
    if name not in _CACHE:
        rep = reader.parse_file(HERE / f"{name}.txt")
        expected = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
        _CACHE[name] = (rep, audit(rep), expected)
    return _CACHE[name]


def _base(value, unit) -> tuple[Decimal | None, str | None]:
    if value is None or unit is None:
        return None, None
    amount, base = (
        to_base(Decimal(str(value)), unit) if unit[:1] in "万亿" and len(unit) > 1 else (value, unit)
    )
    return Decimal(str(amount)).normalize(), NAMES.get(base, base)


def _flat(s: str) -> str:
    return re.sub(r"\s", "", s or "")


def _matched(rep, expected) -> tuple[list[str], set[int]]:
    """Return the expected quotes not read with their value, and the indexes of the indicators that matched."""
    used: set[int] = set()
    missing = []
    for e in expected["indicators"]:
        want, quote = _base(e["actual"], e["unit"]), _flat(e["quote"])
        hit = next(
            (
                k
                for k, ind in enumerate(rep.indicators)
                if k not in used
                and quote in _flat(ind.text)
                and (
                    _base(ind.actual, ind.unit) == want
                    if e["actual"] is not None
                    else ind.rate is not None and abs(float(ind.rate) - e["rate"]) < 0.011
                )
            ),
            None,
        )
        if hit is None:
            missing.append(e["quote"])
        else:
            used.add(hit)
    return missing, used


def _numbers(value) -> list[float]:
    if isinstance(value, (int, float)):
        return [float(value)]
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", str(value or ""))]


@pytest.mark.parametrize("name", REPORTS)
def test_the_warnings_are_the_listed_findings(name):
    _, findings, expected = _read(name)
    optional = expected.get("findings_optional", ())
    got = Counter(
        f.kind
        for f in findings
        if f.severity in ("warning", "error")
        and not any(o["kind"] == f.kind and _flat(o["quote"])[:8] in _flat(f.text) for o in optional)
    )
    assert got == Counter(f["kind"] for f in expected["findings"])


@pytest.mark.parametrize("name", REPORTS)
def test_no_trap_is_read_as_a_result(name):
    rep, _, expected = _read(name)
    _, used = _matched(rep, expected)
    neutral = [(n, _numbers(n["value"])) for n in expected.get("neutral", ())]
    left = [
        ind
        for k, ind in enumerate(rep.indicators)
        if k not in used
        and not any(
            ind.actual is not None and float(ind.actual) in vals and n["quote"][:4] in ind.text
            for n, vals in neutral
        )
    ]
    hits = [
        t["quote"]
        for t in expected["traps"]
        if any(
            ind.actual is not None
            and float(ind.actual) in _numbers(t["value"])
            and t["quote"][:4] in ind.text
            for ind in left
        )
    ]
    assert hits == []


@pytest.mark.parametrize("name", REPORTS)
def test_every_expected_indicator_is_read_with_its_value(name):
    rep, _, expected = _read(name)
    missing, _ = _matched(rep, expected)
    assert missing == []


@pytest.mark.parametrize("name", REPORTS)
def test_the_funds_are_the_expected_amounts(name):
    rep, _, expected = _read(name)
    got = {k: getattr(rep.funds, k) for k in expected["funds"]}
    want = {k: None if v is None else Decimal(str(v)) for k, v in expected["funds"].items()}
    assert got == want
