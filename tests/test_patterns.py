"""DOMAIN.md §8 patterns 25–32, one hand-written case at a time (tests/fixtures/patterns, format in its README).

Each case is read as a bare passage and audited: the places listed are the case's `communities`, the results due are exactly the ones listed (every other figure is
a trap unless `neutral` names it), the funds are the amounts listed, and the warnings are exactly `findings` (plus
any of `findings_optional`), none of `no_findings`.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao_core import reader
from jixiao_core.audit import audit

CASES = [
    pytest.param(case, id=f"{path.stem}-{i}")
    for path in sorted((Path(__file__).parent / "fixtures" / "patterns").glob("p*.json"))
    for i, case in enumerate(json.loads(path.read_text(encoding="utf-8")))
]
FIELDS = ("actual", "unit", "target", "target_unit", "rate", "comparator", "community")


def num(v):
    return None if v is None else Decimal(str(v)).normalize()


def seen(ind) -> dict:
    got = {f: getattr(ind, f) for f in FIELDS}
    for f in ("actual", "target", "rate"):
        got[f] = num(got[f])
    got["qualifier"] = ind.qualifier
    return got


def due(exp: dict) -> dict:
    want = {f: exp.get(f) for f in FIELDS}
    for f in ("actual", "target", "rate"):
        want[f] = num(want[f])
    want["qualifier"] = exp.get("qualifier")
    return want


@pytest.mark.parametrize("case", CASES)
def test_a_pattern_case_reads_as_written_by_hand(case):
    rep = reader.passage(case["text"])
    if "communities" in case:
        assert [c.name for c in rep.communities] == case["communities"]
    findings = audit(rep)
    neutral = {num(v) for v in case.get("neutral", ())}
    left = [i for i in rep.indicators if num(i.actual) not in neutral]
    got = []
    for exp in case.get("indicators", []):
        match = next(
            (i for i in left if exp["name_contains"] in i.name and num(i.actual) == num(exp["actual"])), None
        )
        got.append(seen(match) if match else f"missing: {exp['name_contains']} {exp['actual']}")
        if match:
            left.remove(match)
    assert got == [due(e) for e in case.get("indicators", [])]
    assert [f"{i.name} {i.actual}{i.unit or ''}" for i in left] == []
    for word in case.get("name_must_not_end_with", ()):
        assert [i.name for i in rep.indicators if i.name.endswith(word)] == []
    if "funds" in case:
        amounts = {k: num(getattr(rep.funds, k)) for k in case["funds"]}
        assert amounts == {k: num(v) for k, v in case["funds"].items()}
    expected = Counter(x["kind"] for x in case["findings"])
    optional = {x["kind"] for x in case.get("findings_optional", ())} - set(expected)
    assert Counter(f.kind for f in findings if f.kind not in optional) == expected
    assert [f.message for f in findings if f.kind in case.get("no_findings", ())] == []
