"""The kind of a budget unit (街道, 镇, 乡, 部门), read from its name by a rules table; the district view filters by it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitKind:
    """A kind of budget unit: its key (stored, Chinese as the official lists write it) and the name endings."""

    key: str
    endings: tuple[str, ...]


# first match wins; a unit whose name ends in none of these is a 部门 (区直部门、学校、医院 ...)
UNIT_KINDS = (
    UnitKind("街道", ("街道办事处", "街道办", "街道")),
    UnitKind("镇", ("镇人民政府", "镇政府", "镇")),
    UnitKind("乡", ("乡人民政府", "乡政府", "乡")),
)
OTHER = "部门"
KIND_ORDER = (*(k.key for k in UNIT_KINDS), OTHER)


def kind_of(name: str) -> str:
    """Return the kind of the unit called `name`: 街道, 镇, 乡, else 部门."""
    bare = name.strip().rstrip("0123456789")  # generated names end in a number: 【演示】示例街道07
    return next((k.key for k in UNIT_KINDS if bare.endswith(k.endings)), OTHER)
