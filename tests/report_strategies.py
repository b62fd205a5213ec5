"""Hypothesis strategies for report text: real reports cut into lines and put back together with their figures,
lists and punctuation damaged the ways hostile or careless input is. Shared by tests/test_reader_limits.py (a few
hundred cases) and the soak benchmark (benchmarks/bench_fuzz_report.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from jixiao_core import reader
from jixiao_core.audit import audit
from jixiao_core.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = [
    p.read_text(encoding="utf-8")
    for folder in ("reports", "unseen")
    for p in sorted((FIXTURES / folder).glob("*.txt"))
    if p.read_bytes()[:3] != b"\xef\xbb\xbf" and "gbk" not in p.name
]
LINES = [line for text in TEXTS for line in text.splitlines() if line.strip()]

# what a damaged line may carry: long digit runs, lists, rates, half-width and stray marks
NOISE = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=40).map(lambda d: f"完成率{d}%"),
    st.integers(min_value=2, max_value=80).map(
        lambda n: "、".join(["党建和群团", "纪检和监察", "社区治理"] * n)
    ),
    st.text(
        alphabet="0123456789.,，。；：、:;()（）%万亿余约≥≤一二三十其中分别计划已完成村组社区\t| ",
        max_size=60,
    ),
    st.sampled_from(["\x00", "\ufeff", "�", "\u202e", "\r", " " * 50, "其中:", "(一)", "一是", "第一"]),
)


@st.composite
def damaged_reports(draw) -> str:
    """A run of a report's lines with up to eight of them dropped, repeated, cut or given noise."""
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    lo = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    lines = lines[lo : lo + draw(st.integers(min_value=1, max_value=len(lines)))]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line, action = lines[i], draw(st.sampled_from(["drop", "twice", "noise", "cut"]))
        at = draw(st.integers(min_value=0, max_value=len(line)))
        lines[i : i + 1] = {
            "drop": [],
            "twice": [line, line],
            "noise": [line[:at] + draw(NOISE) + line[at:]],
            "cut": [line[:at]],
        }[action] or [""]
    return "\n".join(lines)


def read_and_audit(text: str) -> str:
    """Read `text` as `parse` and `audit` do; return "ok" or the InputError's text. Any other exception escapes."""
    try:
        rep = reader.parse_text(text)
        audit(rep)
    except InputError as e:
        return str(e)
    return "ok"
