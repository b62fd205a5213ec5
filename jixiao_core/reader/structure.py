"""The skeleton of a report: headings, chapters and sections, title, unit, year, goals, areas, communities.

All functions take the canonical text (`numbers.canonical`, same offsets as the decoded document).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import jixiao_core.reader.patterns as P
from jixiao_core.errors import NumberError
from jixiao_core.facts import Area, Community, Goal
from jixiao_core.numbers import chinese_int


@dataclass
class Heading:
    """A numbered heading line; `end` is where its section stops (next heading of the same or higher level)."""

    level: int
    seq: int
    title: str
    start: int
    title_end: int
    end: int = 0


def _seq(token: str) -> int:
    try:
        return int(token) if token.isdigit() else chinese_int(token)
    except NumberError:
        return 0


def headings(canon: str) -> list[Heading]:
    """Return the numbered headings in document order, with section ends filled in."""
    found: dict[int, Heading] = {}
    for rule in P.HEADINGS:
        for m in rule.regex.finditer(canon):
            line = m.group(2)
            title = re.split(r"[。]", line, maxsplit=1)[0].rstrip("：: \t")
            if len(title) > 60 or m.start() in found:
                continue
            title_end = m.start(2) + len(title)
            found[m.start()] = Heading(rule.level, _seq(m.group(1)), title, m.start(), title_end)
    heads = sorted(found.values(), key=lambda h: h.start)
    heads = _in_sequence(heads)
    for i, h in enumerate(heads):
        h.end = next((n.start for n in heads[i + 1 :] if n.level <= h.level), len(canon))
    return heads


def _in_sequence(heads: list[Heading]) -> list[Heading]:
    """Drop chapter headings that break the 一、二、三 sequence (a stray 一、 inside a paragraph)."""
    out, expected = [], 1
    for h in heads:
        if h.level == 1:
            if h.seq != expected:
                continue
            expected += 1
        out.append(h)
    return out


def chapters(heads: list[Heading]) -> list[Heading]:
    """Return the chapter headings (一、二、…)."""
    return [h for h in heads if h.level == 1]


def children(parent: Heading | None, heads: list[Heading], canon_len: int) -> list[Heading]:
    """Return the first run of consecutively numbered headings directly below `parent` (or at top level)."""
    lo, hi = (parent.title_end, parent.end) if parent else (0, canon_len)
    inside = [h for h in heads if lo <= h.start < hi and (parent is None or h.level > parent.level)]
    if not inside:
        return []
    level = min(h.level for h in inside)
    run: list[Heading] = []
    for h in inside:
        if h.level != level:
            continue
        if h.seq == len(run) + 1:
            run.append(h)
        elif run:
            break
    return run


def sections(canon: str, doc: str, heads: list[Heading]) -> dict[str, str]:
    """Return chapter texts keyed overview, performance, method, process, analysis, conclusion, ..."""
    out: dict[str, str] = {}
    for rule in P.SECTIONS:
        for h in heads:
            if h.level == rule.level or (rule.level == 2 and h.level > 1):
                if rule.words.search(h.title) and rule.key not in out:
                    out[rule.key] = doc[h.title_end : h.end].strip()
    return out


def chapter_of(key: str, heads: list[Heading]) -> Heading | None:
    """Return the chapter heading whose title matches the section `key`."""
    rule = next(r for r in P.SECTIONS if r.key == key and r.level == 1)
    return next((h for h in chapters(heads) if rule.words.search(h.title)), None)


def title_lines(canon: str, heads: list[Heading]) -> str:
    """Return the title: the lines above the first chapter, without an 附件 line."""
    top = canon[: chapters(heads)[0].start] if chapters(heads) else canon[:200]
    lines = [ln.strip() for ln in top.splitlines() if ln.strip() and not P.ATTACHMENT_LINE.match(ln)]
    return "".join(lines)[:120]


def signature(canon: str) -> tuple[str | None, str | None]:
    """Return (signing unit, ISO date) from the last lines of the report."""
    tail = canon[-400:]
    dates = list(P.DATE.finditer(tail))
    if not dates:
        return None, None
    d = dates[-1]
    iso = f"{int(d[1]):04d}-{int(d[2]):02d}-{int(d[3]):02d}"
    before = [ln.strip() for ln in tail[: d.start()].splitlines() if ln.strip()]
    signer = (
        before[-1] if before and len(before[-1]) <= 30 and not re.search(r"[。；，]", before[-1]) else None
    )
    return signer, iso


def unit_and_project(title: str, signer: str | None) -> tuple[str | None, str | None]:
    """Return (unit name, project name) from the title and the signature."""
    title = re.sub(r"^(?:关于)?(?:\d{4}年度?)?", "", title)
    unit = signer if signer and title.startswith(signer) else None
    if unit is None:
        m = P.UNIT_SUFFIX.match(title)
        unit = m.group(1) if m else signer
    rest = title[len(unit) :] if unit and title.startswith(unit) else title
    rest = re.sub(r"^\d{4}年度?", "", rest)
    project = re.sub(r"^(?:关于)?|的$", "", P.TITLE_TAIL.sub("", rest).strip()) or None
    return unit, project


def year(canon: str, title: str, report_date: str | None) -> int | None:
    """Return the evaluated year: the title's, else the most cited year of the body (not the signature date)."""
    m = P.YEAR.search(title)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in P.YEAR.findall(canon))
    if not years:
        return None
    best = max(
        years.items(), key=lambda kv: (kv[1], -abs(kv[0] - (int(report_date[:4]) - 1 if report_date else 0)))
    )
    return best[0]


def goals(canon: str, doc: str, heads: list[Heading]) -> list[Goal]:
    """Return the staged goals: the 一是…二是… enumeration under the goals heading, else its numbered lines."""
    head = next(
        (h for h in heads if P.GOALS_HEADING.search(h.title) and not P.OVERALL_GOAL_HEADING.search(h.title)),
        None,
    )
    if head is None:
        return []
    body = (head.title_end, head.end)
    found = enumeration(canon, doc, *body)
    if found:
        return [Goal(i + 1, t) for i, (t, _) in enumerate(found)]
    return [Goal(i + 1, h.title) for i, h in enumerate(children(head, heads, len(canon)))]


def enumeration(
    canon: str, doc: str, lo: int, hi: int, paragraphs: bool = False
) -> list[tuple[str, tuple[int, int]]]:
    """Return the items of the first 一是…二是… run between lo and hi, with spans (`paragraphs`: marks opening a line)."""
    marks = [m for m in P.ENUM.finditer(canon, lo, hi) if not paragraphs or _opens_line(canon, m.start())]
    run = []
    for m in marks:
        if _seq(m.group(1)) == len(run) + 1:
            run.append(m)
        elif run and _seq(m.group(1)) == 1:
            break
    if len(run) < 2:
        return []
    out = []
    for i, m in enumerate(run):
        stop = run[i + 1].start() if i + 1 < len(run) else _sentence_stop(canon, m.end(), hi)
        text = doc[m.end() : stop].strip().rstrip("；;，,。")
        out.append((text, (m.start(), stop)))
    return out


def _opens_line(canon: str, pos: int) -> bool:
    """Return whether only indentation stands between the line start and pos."""
    line_start = canon.rfind("\n", 0, pos) + 1
    return not canon[line_start:pos].strip(" \t\u3000")


def _sentence_stop(canon: str, start: int, hi: int) -> int:
    m = re.compile(r"[。\n]").search(canon, start, hi)
    return m.start() if m else hi


def overall_goal(doc: str, heads: list[Heading]) -> str | None:
    """Return the text under the 总目标 heading."""
    head = next((h for h in heads if P.OVERALL_GOAL_HEADING.search(h.title)), None)
    if head is None:
        return None
    text = doc[head.title_end : head.end].strip().lstrip("：:").strip()
    return text or None


def areas(canon: str, doc: str, heads: list[Heading], weight) -> list[Area]:
    """Return the numbered work areas: the （一） heading run, or else the 一是 paragraph run, of the work chapter.

    A chapter titled like chapter 二 (绩效报告情况, 完成情况) always beats the others; among equals the
    run with most figures wins. Goals (一) and problems (七) also write 一是, but inline, never as paragraphs.
    """
    best, best_rank = [], (False, 0)
    for chap in chapters(heads) or [None]:
        run = _area_run(canon, doc, heads, chap)
        if len(run) < 2:
            continue
        rank = (_is_work_chapter(chap), sum(weight(*a.span) for a in run))
        if rank > best_rank:
            best, best_rank = run, rank
    return best or _enumerated_areas(canon, doc, heads, weight)


def _is_work_chapter(chap: Heading | None) -> bool:
    """Return whether a chapter reports the work done (二、项目单位绩效报告情况), not the evaluation."""
    return bool(chap and P.AREA_CHAPTER.search(chap.title) and not P.EVALUATION_CHAPTER.search(chap.title))


def _area_run(canon: str, doc: str, heads: list[Heading], chap: Heading | None) -> list[Area]:
    """Return the areas of one chapter: its heading run, else its paragraphs opening with 一是…二是…."""
    run = children(chap, heads, len(canon))
    if len(run) >= 2:
        return [Area(h.seq, h.title, area_key(h.title), (h.start, h.end)) for h in run]
    lo, hi = (chap.title_end, chap.end) if chap else (0, len(canon))
    return _enum_areas(canon, doc, enumeration(canon, doc, lo, hi, paragraphs=True), hi)


def _enumerated_areas(canon: str, doc: str, heads: list[Heading], weight) -> list[Area]:
    """Return areas written as inline 一是…二是… in the chapter with most figures (no paragraph run anywhere)."""
    spans = [(h.title_end, h.end) for h in chapters(heads)] or [(0, len(canon))]
    lo, hi = max(spans, key=lambda s: weight(*s))
    return _enum_areas(canon, doc, enumeration(canon, doc, lo, hi), hi)


def _enum_areas(canon: str, doc: str, items: list[tuple[str, tuple[int, int]]], hi: int) -> list[Area]:
    """Return one area per enumerated item, titled by its first phrase, spanning to the next item (or hi)."""
    out = []
    for i, (text, (a, _b)) in enumerate(items):
        end = items[i + 1][1][0] if i + 1 < len(items) else hi
        title = re.split(r"[，。；]", text, maxsplit=1)[0]
        out.append(Area(i + 1, title, area_key(title), (a, end)))
    return out


def area_key(title: str) -> str | None:
    """Return the stable key of a work area from its title (economy, party_building, ...)."""
    return next((k.key for k in P.AREA_KEYS if k.words.search(title)), None)


def communities(canon: str, lo: int, hi: int) -> list[Community]:
    """Return the communities listed as 下庄、回回营、雨花3个村改居社区 (or 8个社区（A、B…）)."""
    out: list[Community] = []
    text = canon[lo:hi]
    prev_end = -1
    for m in P.COMMUNITY_LIST.finditer(text):
        head, sep, rest = m["names"].partition("、")
        # 下辖青龙、石碑 / 涉及清水镇桃园、柳湾: the lead words and the town go, the names stay
        names = P.DIVISION_PREFIX.sub("", P.COMMUNITY_LEAD.sub("", head)) + sep + rest
        if m.start() == prev_end:  # …3个行政村和河口街道新民、永和2个涉农社区: 和 joins two lists
            names = P.LIST_JOIN.sub("", names)
        lead = P.LEADING_PLACE.match(names)
        if lead and "社区" not in m["kind"]:
            _add_place(out, lead["place"], "社区")
            names = names[lead.end() :]
        _add_names(out, names, m["n"], m["kind"])
        prev_end = m.end()
    for regex in (P.COMMUNITY_AFTER, P.COMMUNITY_COLON):
        for m in regex.finditer(text):
            _add_names(out, m["names"], m["n"], m["kind"], separators="、，,")
    for m in P.COMMUNITY_NAMED.finditer(text):
        total = sum(_seq(n) for n in P.COUNT_OF_KIND.findall(m["counts"]))
        _add_names(out, m["names"], str(total), None, separators="、，,")
    return out


def _add_place(out: list[Community], name: str, kind: str) -> None:
    short = _short_name(name)
    if short not in {c.name for c in out}:
        out.append(Community(short, kind))


def _add_names(
    out: list[Community], listed: str, count: str, kind: str | None, separators: str = "、"
) -> None:
    """Add the names of one list whose length agrees with its count (split at 、 first, at 和/及 only if needed).
    Without a kind (分别为柏树村、…和石门社区) each name must carry its own kind word."""
    for seps in (separators, separators + "和及与"):
        raw = [n.strip() for n in re.split(f"[{seps}]", listed)]
        raw = [n for n in raw if n]
        if kind is None and not all(re.search(rf"(?:{P.COMMUNITY_KIND})(?:居委会|村委会)?$", n) for n in raw):
            continue
        names = [_short_name(n) for n in raw]
        if _seq(count) == len(names):  # 锦绣、和平、滨河: 和平 is a name, not 和 + 平
            known = {c.name for c in out}
            out.extend(
                Community(n, kind or _kind_of(r)) for n, r in zip(names, raw, strict=True) if n not in known
            )
            return


def _kind_of(name: str) -> str | None:
    m = re.search(rf"({P.COMMUNITY_KIND})(?:居委会|村委会)?$", name)
    return m.group(1) if m else None


def _short_name(name: str) -> str:
    """Return 下庄 for 下庄社区, but keep 新村 whole (a one-character name is not a name)."""
    short = re.sub(rf"(?:{P.COMMUNITY_KIND})(?:居委会|居民委员会|村委会)?$", "", name)
    return short if len(short) >= 2 else name


def bodies(canon: str, lo: int, hi: int) -> list[str]:
    """Return the 内设机构 listed after 内设 (parenthetical 加挂…牌子 notes dropped)."""
    flat = P.PARENTHETICAL.sub("", canon[lo:hi])
    m = P.BODIES.search(flat)
    if not m:
        return []
    return [b.strip() for b in m["list"].split("、") if b.strip()]
