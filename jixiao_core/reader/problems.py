"""The problems and suggestions a report states (chapter 七, 存在的问题 / 意见建议), each with its source sentence.

A chapter whose title names 问题 or 建议 is read part by part: a label (（二）存在的问题：, 改进建议：) sets what the
following statements are; 经验及做法 parts are skipped. Inside a part, numbered items (1. …, （一）…) are one statement
each (the headline, with the whole item as its sentence); flowing text is split into clauses at ；and 一是/二要.
Where no label says what a statement is, its own words do (不足, 流于形式 → problem; 建议, 加强 → suggestion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao_core.facts import Problem
from jixiao_core.reader.structure import Heading

CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class Label:
    """A word that names a part of the chapter, and what its statements are (None: skip them)."""

    words: re.Pattern
    kind: str | None


LABELS = (
    Label(re.compile(r"经验|做法|成效|亮点"), None),
    Label(re.compile(r"问题|不足"), "problem"),
    Label(re.compile(r"建议|意见|措施|对策|整改|改进"), "suggestion"),
)
# a label phrase: atoms of the table above joined by 、和及与, optionally numbered, ending in ：or 。or the line
LABEL_ATOM = r"(?:主要|存在的?|发现的?|有关|改进|意见|对策|工作|下一?步|今后|整改)*(?:经验|做法|成效|亮点|问题|不足|建议|意见|措施|对策)(?:及原因)?"
PART_LABEL = re.compile(
    rf"[ \t\u3000]*(?:[（(][{CN}\d]{{1,2}}[)）]|[{CN}]{{1,2}}、|\d{{1,2}}[.、．])?[ \t\u3000]*"
    rf"(?P<label>{LABEL_ATOM}(?:[、和及与]{LABEL_ATOM})*)[ \t\u3000]*(?:[：:。]|是|(?=\n)|$)"
)
# chapters that hold problems or suggestions, but not 结果应用 (budget use) or 其他; below another chapter, only a
# sub-heading that says so plainly (a work area titled 抓好问题整改 reports work done)
CHAPTER = re.compile(r"问题|建议|整改|改进措施|不足")
SUBHEADING = re.compile(r"存在的?问题|主要问题|问题(?:和|及|与)建议|意见建议|改进建议|有关建议|对策建议")
NOT_CHAPTER = re.compile(r"结果应用|应用建议|其他|其它")

# words that make a statement a problem, or (at its start) a suggestion, where no label says which
PROBLEM_CUES = re.compile(
    r"不足|不够|不到位|不高|不强|不均衡|不完善|不规范|不及时|不精准|不对等|不科学|偏低|偏慢|滞后|短缺|缺乏|缺少|"
    r"欠缺|薄弱|未能|未完成|无法|难以|流于形式|有待|存在|问题|困难|较慢|较大|笼统"
)
SUGGESTION_START = re.compile(
    r"^(?:建议|应当?|要|需要?|进一步|下一?步|今后|加强|强化|完善|提高|提升|加快|优化|健全|推进|确保)"
)
ORDINAL = re.compile(rf"^(?:[{CN}]是|[{CN}]要|第[{CN}][，、,]?|首先[，,]?|其次[，,]?|再次[，,]?|最后[，,]?)")
ITEM_MARK = re.compile(
    rf"[ \t\u3000]*(?:[（(](?:[{CN}]|\d){{1,2}}[)）]|\d{{1,2}}[.、．](?!\d)|[{CN}]{{1,2}}、)"
)
INLINE_ORDINAL = re.compile(rf"(?<=[，,])(?=[{CN}][是要](?![的了]))")
SENTENCE_END = re.compile(r"[。！？!?\n]")
# a lead-in that announces the statements (发现存在以下问题：, 主要表现在：), dropped from the first of them
INTRO = re.compile(
    r"^[^：:；;。]{0,40}(?:以下|如下|下列|几个方面|主要(?:有|是|表现[在为]))[^：:；;。]{0,12}[：:]"
)
NOTHING = re.compile(r"^(?:无|暂无|没有|无其他问题)[。.]?$")
MIN_CHARS = 4  # a shorter clause is a fragment (三是, 等), not a statement
TRIM = " \t\u3000；;，,。.：:、"


def problems(canon: str, doc: str, heads: list[Heading]) -> list[Problem]:
    """Return the stated problems and suggestions, in document order, of the chapters and sub-headings holding them."""
    out: list[Problem] = []
    taken: list[tuple[int, int]] = []
    for h in sorted((h for h in heads if h.level <= 2), key=lambda h: (h.level, h.start)):
        words = CHAPTER if h.level == 1 else SUBHEADING
        if not words.search(h.title) or NOT_CHAPTER.search(h.title):
            continue
        if any(a <= h.start < b for a, b in taken):
            continue
        taken.append((h.start, h.end))
        out.extend(_chapter(canon, doc, h.title_end, h.end, _kind_of(h.title)))
    return sorted(out, key=lambda p: p.span or (0, 0))


def _kind_of(label: str) -> str | None:
    """Return problem, suggestion, mixed, or None (经验 only) for a label or a chapter title."""
    kinds = {rule.kind for rule in LABELS if rule.words.search(label)}
    named = kinds - {None}
    if not named:
        return None if kinds else "mixed"
    return named.pop() if len(named) == 1 else "mixed"


def _chapter(canon: str, doc: str, lo: int, hi: int, kind: str | None) -> list[Problem]:
    out: list[Problem] = []
    for part_kind, a, b in _parts(canon, lo, hi, kind or "mixed"):
        if part_kind is not None:
            out.extend(_statements(canon, doc, a, b, part_kind))
    return out


def _parts(canon: str, lo: int, hi: int, kind: str) -> list[tuple[str | None, int, int]]:
    """Return (kind, start, end) runs of the chapter, cut where a part label (存在的问题：) opens a line or sentence."""
    cuts: list[tuple[int, int, str | None]] = []  # (label start, body start, kind)
    pos = lo
    while pos < hi:
        m = PART_LABEL.match(canon, pos, hi)
        if m and m.end() > pos:
            cuts.append((pos, m.end(), _kind_of(m["label"])))
        nxt = SENTENCE_END.search(canon, pos, hi)
        pos = nxt.end() if nxt else hi
    if not cuts:
        return [(kind, lo, hi)]
    parts = [(kind, lo, cuts[0][0])] if canon[lo : cuts[0][0]].strip() else []
    for n, (_, body, part_kind) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else hi
        parts.append((part_kind, body, end))
    return parts


def _statements(canon: str, doc: str, lo: int, hi: int, kind: str) -> list[Problem]:
    items = _numbered_items(canon, lo, hi)
    if items:
        return [p for a, b in items if (p := _item(canon, doc, a, b, kind))]
    out: list[Problem] = []
    for a, b in _sentences(canon, lo, hi):
        sentence = doc[a:b].strip(" \t\u3000")
        opening = None  # a sentence that opens with a suggestion (下一步将…；完善…) suggests to its end
        for text in _clauses(doc[a:b]):
            found = "suggestion" if opening == "suggestion" else _judged(text, kind)
            opening = opening or found
            if found:
                out.append(Problem(text, found, sentence, (a, b)))
    return out


def _numbered_items(canon: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Return (start, end) of each line opening with 1. / （一） / 一、 when there are at least two of them."""
    starts = []
    pos = lo
    while pos < hi:
        line_end = canon.find("\n", pos, hi)
        line_end = hi if line_end < 0 else line_end
        if ITEM_MARK.match(canon, pos, line_end):
            starts.append(pos)
        pos = line_end + 1
    if len(starts) < 2:
        return []
    return [(a, starts[n + 1] if n + 1 < len(starts) else hi) for n, a in enumerate(starts)]


def _item(canon: str, doc: str, a: int, b: int, kind: str) -> Problem | None:
    """Return one numbered item as a statement: its first sentence, with the whole item as the sentence."""
    mark = ITEM_MARK.match(canon, a, b)
    body = mark.end() if mark else a
    stop = SENTENCE_END.search(canon, body, b)
    head = doc[body : stop.start() if stop else b].strip(TRIM)
    text = ORDINAL.sub("", head).strip(TRIM)
    found = _judged(text, kind if kind != "mixed" else _cued(doc[body:b]) or "mixed")
    sentence = doc[a:b].strip()
    start = a + (len(doc[a:b]) - len(doc[a:b].lstrip()))
    return Problem(text, found, sentence, (start, start + len(sentence))) if found else None


def _sentences(canon: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, start = [], lo
    for m in SENTENCE_END.finditer(canon, lo, hi):
        out.append((start, m.end() if canon[m.start()] != "\n" else m.start()))
        start = m.end()
    out.append((start, hi))
    return [(a + _lead(canon[a:b]), b) for a, b in out if canon[a:b].strip()]


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip(" \t\u3000"))


def _clauses(sentence: str) -> list[str]:
    """Return the statements of one sentence: split at ；and before 二是/三要 written after a comma."""
    out = []
    for piece in re.split(r"[；;]", INLINE_ORDINAL.sub("；", sentence)):
        text = ORDINAL.sub("", INTRO.sub("", piece.strip(TRIM)).strip(TRIM)).strip(TRIM)
        if len(text) >= MIN_CHARS and not NOTHING.match(text) and not piece.rstrip().endswith(("：", ":")):
            out.append(text)
    return out


def _cued(text: str) -> str | None:
    """Return what a statement's own words make it: suggestion (opens with 建议, 加强 …), problem (不足 …), else None."""
    if SUGGESTION_START.match(text):
        return "suggestion"
    return "problem" if PROBLEM_CUES.search(text) else None


def _judged(text: str, kind: str) -> str | None:
    """Return the statement's kind: a suggestion part's; in a problem part a problem unless it opens like a
    suggestion (下一步, 建议 …); in a mixed part its own words'. None drops it."""
    if len(text) < MIN_CHARS or NOTHING.match(text):
        return None
    if kind == "problem":
        return "suggestion" if SUGGESTION_START.match(text) else "problem"
    return _cued(text) if kind == "mixed" else kind


def located(texts: list[str], doc: str | None, section: str = "") -> list[Problem]:
    """Return curated problem texts as Problems, each with the sentence of `doc` (else of `section`) holding it."""
    out = []
    for text in texts:
        where = doc if doc and text in doc else section
        if where and text in where:
            a = where.index(text)
            start = max(where.rfind(c, 0, a) for c in "。！？\n") + 1
            ends = [i for i in (where.find(c, a + len(text)) for c in "。！？\n") if i >= 0]
            end = min(ends) + (where[min(ends)] != "\n") if ends else len(where)
            sentence = where[start:end]
            lead = _lead(sentence)
            span = (start + lead, end) if where is doc else None
            out.append(Problem(text, "problem", sentence.strip(), span))
        else:
            out.append(Problem(text, "problem", text, None))
    return out
