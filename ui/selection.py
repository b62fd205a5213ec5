"""The global selection every page reads: unit, year (and range), work areas, communities, and the data version."""

from __future__ import annotations

from dataclasses import dataclass, replace

Version = tuple[str, int]


@dataclass(frozen=True)
class Filters:
    """Detail pages show `year` (the end of the range); comparisons use `years`."""

    unit: str | None = None
    year: int | None = None
    years: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    is_generated: bool = False
    version: Version = ("", 0)

    def whole(self) -> Filters:
        """Return the selection of the whole unit-year: no area or community narrowing (headline figures)."""
        return replace(self, areas=(), communities=())

    def area(self, key: str) -> Filters:
        """Return the selection of one work area of the unit-year (a drill)."""
        return replace(self, areas=(key,), communities=())
