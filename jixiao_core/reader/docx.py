"""The text of a .docx as a reader sees it: automatic list numbers (一、 （一） 1.) rendered, tables row by row.

Table cells are joined with tabs; a merged cell's text is written once (python-docx repeats its `_tc` in
every grid slot), and a vertically merged continuation keeps an empty slot so columns stay aligned.
"""

from __future__ import annotations


def document_text(document) -> str:
    """Return the text of a python-docx Document: paragraphs in order, table rows as tab-separated lines."""
    lines: list[str] = []
    _Numbering(document).emit(document, lines)
    return "\n".join(lines)


NUM_FORMATS = {
    "decimal": str,
    "chineseCounting": lambda n: _chinese(n),
    "chineseCountingThousand": lambda n: _chinese(n),
    "chineseLegalSimplified": lambda n: _chinese(n),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "upperLetter": lambda n: chr(64 + (n - 1) % 26 + 1),
    "lowerLetter": lambda n: chr(96 + (n - 1) % 26 + 1),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"（{n}）",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "upperRoman": lambda n: _roman(n),
    "lowerRoman": lambda n: _roman(n).lower(),
}


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")):
        out, n = out + sym * (n // value), n % value
    for value, sym in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        out, n = out + sym * (n // value), n % value
    return out


class _Numbering:
    """Word's automatic list numbering (一、 （一） 1.) rendered in front of paragraphs, as a reader sees it."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[
            tuple[str, int], tuple[int, str, str]
        ] = {}  # (abstractNumId, ilvl) → start, fmt, text
        self.num_to_abstract: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for an in root.findall(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            for lvl in an.findall(qn("w:lvl")):
                self.levels[(aid, int(lvl.get(qn("w:ilvl"), "0")))] = (
                    int(self._val(lvl, "w:start") or 1),
                    self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "",
                )
        for num in root.findall(qn("w:num")):
            self.num_to_abstract[num.get(qn("w:numId"))] = self._val(num, "w:abstractNumId") or ""

    def _val(self, el, tag: str) -> str | None:
        child = el.find(self.qn(tag))
        return None if child is None else child.get(self.qn("w:val"))

    def label(self, paragraph) -> str:
        """Return the list label Word shows before this paragraph, or ''."""
        num_pr = _num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        aid = self.num_to_abstract.get(str(num_pr.numId.val))
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if aid is None or (aid, ilvl) not in self.levels:
            return ""
        counts = self.counters.setdefault(aid, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = self.levels[(aid, ilvl)][2]
        for lvl in range(ilvl + 1):
            start, fmt, _ = self.levels.get((aid, lvl), (1, "decimal", ""))
            value = start + max(counts[lvl], 1) - 1
            text = text.replace(f"%{lvl + 1}", NUM_FORMATS.get(fmt, lambda n: "")(value))
        return text

    def emit(self, container, lines: list[str], seen: set | None = None) -> None:
        """Append the lines of a document or cell: paragraphs, then tables row by row (merged cells once)."""
        from docx.table import Table

        seen = set() if seen is None else seen
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                self._table(block, lines, seen)
            else:
                lines.append(self.label(block) + block.text)

    def _table(self, table, lines: list[str], seen: set) -> None:
        for row in table.rows:
            cells, nested, in_row = [], [], set()
            for cell in row.cells:
                # a merged cell repeats its _tc in every grid slot it spans: its text is written once,
                # and a vertical continuation keeps an empty slot so the columns stay aligned
                if cell._tc in in_row:
                    continue
                in_row.add(cell._tc)
                if cell._tc in seen:
                    cells.append("")
                    continue
                seen.add(cell._tc)
                cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
                nested.extend(cell.tables)
            lines.append("\t".join(cells))
            for inner in nested:
                self._table(inner, lines, seen)


def _num_pr(paragraph):
    """Return the paragraph's numbering properties, from its own pPr or its style chain."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = paragraph.style
    while style is not None:
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
        style = style.base_style
    return None
