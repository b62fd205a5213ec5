"""An indicator being built while the clauses of its sentence are read, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao_core.facts import Indicator


@dataclass
class Draft:
    """An indicator being built, with what later clauses need to know about where it came from."""

    ind: Indicator
    clause: int  # index of the last clause that added to it
    pre: str  # canonical text of its clause before the figure
    noun: str = ""  # the words after the unit (示范小区 in 新建2个强制垃圾分类示范小区)
    pos: int = 0  # offset of its figure
    seg: int = 0  # offset where the words that belong to this figure start
    hint: str | None = None  # the list item of a 分别 list (胜利村)
    origin: list[str] = field(default_factory=list)
    joined: bool = False  # shares the object of the figure before it (3宗70亩, 96宗、7.8万平方米)
    clause_at: int = 0  # index of the clause its figure is in
