"""The report reader: a 绩效评价报告 (.txt/.docx/.pdf) → `facts.Report` (the `parse --json` object).

`decode` turns bytes into text, `report_structure` finds the skeleton (chapters, areas, goals,
communities), `report_funds` the budget sentences and `report_indicators` the quantitative facts.
"""

from __future__ import annotations

import bisect
import hashlib
from pathlib import Path

import jixiao_core.reader.decode as decode
import jixiao_core.reader.funds as F
import jixiao_core.reader.indicators as RI
import jixiao_core.reader.patterns as P
import jixiao_core.reader.plans as PN
import jixiao_core.reader.problems as RP
import jixiao_core.reader.sentences as RS
import jixiao_core.reader.structure as S
import jixiao_core.reader.tables as T
from jixiao_core.errors import InputError
from jixiao_core.facts import Area, Indicator, Report, SourceDoc
from jixiao_core.numbers import Mention, canonical

MAX_CHARS = 600_000  # a long report is ~100k characters; anything far larger is not one
RECENT = 12  # indicators of the sentence before looked at for the plan a remainder sentence completes
MAX_FIGURES = 20_000  # the seed has ~110 figures; a flood of them is generated text, refused before reading


def parse_file(path: str | Path) -> Report:
    """Return the Report of one file on disk."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p.name, "文件不存在或不是文件")
    if p.stat().st_size > decode.MAX_BYTES:
        raise InputError(
            p.name,
            f"文件过大（{p.stat().st_size / 1048576:.1f} MB），上限为 {decode.MAX_BYTES // 1048576} MB",
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(p.name, f"无法读取文件（{e.strerror}）") from None
    return parse_bytes(p.name, data)


def parse_bytes(file_name: str, data: bytes) -> Report:
    """Return the Report of a file's bytes (format sniffed from the bytes)."""
    return parse_source(decode.decode(file_name, data))


def parse_text(text: str, file_name: str = "-") -> Report:
    """Return the Report of an already decoded text."""
    if len(text) > MAX_CHARS:
        raise InputError(file_name, f"文本过长（{len(text)} 字），不像一份绩效评价报告")
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return parse_source(SourceDoc(file_name, sha, "txt", "utf-8", text))


def indicators_in(sentence: str) -> list[Indicator]:
    """Return the indicators of a bare sentence or paragraph (no areas, no communities)."""
    canon = canonical(sentence)
    out: list[Indicator] = []
    for lo, hi in RS.sentence_spans(canon):
        out.extend(RI.read_sentence(sentence, canon, lo, hi))
    return out


def passage(text: str) -> Report:
    """Return the Report of a bare passage (no chapters, no areas): funds, claims and indicators as a report's
    sentences give them. A sentence that lists the unit's places is its overview, read for the places only."""
    canon = canonical(text)
    src = SourceDoc(
        "-", hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), "txt", "utf-8", text
    )
    rep = Report(source=src)
    overview = next(
        (
            (lo, hi)
            for lo, hi in RS.sentence_spans(canon)
            if P.OVERVIEW_WORDS.search(canon, lo, hi) and S.communities(canon, lo, hi)
        ),
        (0, 0),
    )
    rep.communities = S.communities(canon, *overview)
    listing = [m.end() for m in P.COUNT_OF_KIND.finditer(canon, *overview)]
    # 辖…3个社区 | 全年开展…420场次: results go on; 辖…6个行政村 | 共有村民小组71个: the unit described, no results
    rest = listing and not P.UNIT_FACTS.search(canon, listing[-1], overview[1])
    skip = (overview[0], listing[-1]) if rest else overview
    found = RS.figures(canon, 0, len(canon))
    _read_sentences(rep, text, canon, skip, (found, [m.num_start for m in found]))
    return rep


def parse_source(src: SourceDoc) -> Report:
    """Return the Report of a decoded document, or InputError when it has no report structure."""
    doc = src.text
    if len(doc) > MAX_CHARS:
        raise InputError(src.file_name, f"文本过长（{len(doc)} 字），不像一份绩效评价报告")
    canon = canonical(doc)
    heads = S.headings(canon)
    found = RS.figures(canon, 0, len(canon))
    if len(found) > MAX_FIGURES:
        raise InputError(src.file_name, f"数字过多（{len(found)} 个），不像一份绩效评价报告")
    positions = [m.num_start for m in found]

    def weight(lo: int, hi: int) -> int:
        return bisect.bisect_left(positions, hi) - bisect.bisect_left(positions, lo)

    rep = Report(source=src)
    title = S.title_lines(canon, heads)
    signer, rep.report_date = S.signature(canon)
    rep.unit_name, rep.project_name = S.unit_and_project(title, signer)
    rep.year = S.year(canon, title, rep.report_date)
    overview = S.chapter_of("overview", heads)
    lo, hi = (overview.title_end, overview.end) if overview else (0, min(len(canon), 3000))
    rep.communities = S.communities(canon, lo, hi)
    rep.bodies = S.bodies(canon, lo, hi)
    rep.goals = S.goals(canon, doc, heads)
    rep.overall_goal = S.overall_goal(doc, heads)
    rep.areas = S.areas(canon, doc, heads, weight)
    rep.sections = S.sections(canon, doc, heads)
    rep.problems = RP.problems(canon, doc, heads)
    skip = (lo, hi) if overview and rep.areas else (0, 0)
    _read_sentences(rep, doc, canon, skip, (found, positions))
    _check_structure(rep, canon)
    _mark_ocr(rep)
    return rep


def _mark_ocr(rep: Report) -> None:
    """Mark the indicators whose sentence lies on a scanned page read by OCR."""
    spans = rep.source.ocr_spans if rep.source else ()
    for ind in rep.indicators:
        ind.ocr = bool(ind.span) and any(lo <= ind.span[0] < hi for lo, hi in spans)


def _read_sentences(
    rep: Report, doc: str, canon: str, skip: tuple[int, int], figs: tuple[list[Mention], list[int]]
) -> None:
    """Fill funds, claims and indicators: tables as tables, every other sentence as prose."""
    names = tuple(c.name for c in rep.communities)
    blocks = T.tables(doc, canon)
    found: list[tuple[int, Indicator]] = []
    funds = F.FundsReader(rep.funds)
    for table in blocks:
        for ind in table.indicators:
            area = _area_at(rep.areas, ind.span[0])
            ind.area_seq = area.seq if area else None
            found.append((ind.span[0], ind))
    for lo, hi in RS.sentence_spans(canon):
        if P.CLAIM.search(canon, lo, hi):
            rep.claims.append((doc[lo:hi], (lo, hi)))
        table = next((t for t in blocks if t.start <= lo < t.end), None)
        if table is not None:
            if table.funds:
                funds.add(table.funds, doc[table.start : table.end], (table.start, table.end))
                table.funds = {}  # added once, at its first line (document order: the first statement wins)
            continue
        mentions = figs[0][bisect.bisect_left(figs[1], lo) : bisect.bisect_left(figs[1], hi)]
        if not mentions:
            continue
        if _area_at(rep.areas, lo) is None and _area_at(rep.areas, hi - 1) is None:
            figures = F.fund_figures(canon, lo, hi, mentions)
            if figures:
                funds.add(figures, doc[lo:hi], (lo, hi))
                continue
        mentions = [m for m in mentions if not skip[0] <= m.num_start < skip[1]]
        if not mentions:
            continue  # the overview's figures (辖区面积, 社区数) describe the unit, not its results
        located = RI.located_indicators(doc, canon, lo, hi, names, mentions)
        last_span = found[-1][1].span if found else None
        before = [ind for _, ind in found[-RECENT:] if ind.span == last_span]
        if located and before and PN.remainder_sentence(canon, lo, located[0][1], before):
            located = located[1:]  # …已完成301户；剩余19户因…推迟: the rest of the plan before, no new fact
        for pos, ind in located:
            area = _area_at(rep.areas, pos)
            ind.area_seq = area.seq if area else None
            found.append((pos, ind))
    rows = [ind for t in blocks for ind in t.indicators]
    in_rows = {id(ind) for ind in rows}
    # a goal stated beside the 自评表 (年度绩效目标：…不少于500户) is the row's target, not a second result
    found = [(pos, ind) for pos, ind in found if id(ind) in in_rows or not T.restates_goal(ind, rows)]
    rep.indicators = [ind for _, ind in sorted(found, key=lambda p: p[0])]


def _area_at(areas: list[Area], pos: int) -> Area | None:
    return next((a for a in areas if a.span and a.span[0] <= pos < a.span[1]), None)


def _check_structure(rep: Report, canon: str) -> None:
    """Refuse a text that is not a performance report: no report words, or no year, areas and figures."""
    file_name = rep.source.file_name if rep.source else "-"
    if not P.REPORT_WORDS.search(canon):
        raise InputError(file_name, "未识别出绩效评价报告的结构（全文没有“绩效”“评价”“预算”“资金”等字样）")
    if rep.year is None and not rep.areas and not rep.indicators:
        raise InputError(
            file_name, "未识别出绩效评价报告的结构（没有年度、没有编号的工作领域，也没有量化指标）"
        )
