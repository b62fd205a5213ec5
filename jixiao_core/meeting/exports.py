"""Meeting exports: one function builds the PPTX, XLSX or PDF bytes of a stored unit-year, for the CLI and the page."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from jixiao_core.accounts import actor, log
from jixiao_core.errors import InputError
from jixiao_core.meeting.brief import Brief, brief


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    mime: str
    builder: str  # "module:function", imported on use so a missing renderer only affects its own format

    def build(self, b: Brief) -> bytes:
        module, func = self.builder.split(":")
        fn: Callable[[Brief], bytes] = getattr(importlib.import_module(f"jixiao_core.meeting.{module}"), func)
        return fn(b)


FORMATS = {
    f.key: f
    for f in (
        ExportFormat(
            "pptx",
            "汇报PPT",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "deck:build_pptx",
        ),
        ExportFormat(
            "xlsx",
            "自评表Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "workbook:build_xlsx",
        ),
        ExportFormat("pdf", "PDF简报", "application/pdf", "pdf:build_pdf"),
    )
}


def file_name(b: Brief, fmt: str) -> str:
    """Return the download name of an export: `雨花街道办事处_2023年_绩效汇报.pptx`."""
    return f"{b.unit}_{b.year}年_绩效汇报.{fmt}"


def export_format(fmt: str) -> ExportFormat:
    """Return the export format named `fmt`; InputError for any other name."""
    if fmt not in FORMATS:
        raise InputError("--format", f"不支持的导出格式 {fmt}（可选：{'、'.join(FORMATS)}）")
    return FORMATS[fmt]


def render(b: Brief, fmt: str) -> bytes:
    """Return the bytes of one export format of a brief."""
    return export_format(fmt).build(b)


def build(
    s: Session, unit: str, year: int, fmt: str, project: str | None = None, rules: str = "national"
) -> bytes:
    """Return the export of the stored report of unit/year in `fmt` (pptx, xlsx or pdf), recorded in the log as
    whoever is acting (who must be allowed to see the unit)."""
    actor.reading(s, unit)
    return deliver(s, brief(s, unit, year, project, rules), fmt)


def deliver(s: Session, b: Brief, fmt: str) -> bytes:
    """Return one export of a brief, recorded in the log in the caller's transaction as whoever is acting."""
    who = actor.reading(s, b.unit)
    data = render(b, fmt)
    detail = f"{file_name(b, fmt)}（{len(data) / 1024:.0f} KB）"
    log.record(s, who.name, "export", unit=b.unit, detail=detail, source=who.source)
    return data
