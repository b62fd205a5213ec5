"""Unit: the bundled dataset reader — records, references and errors by line number."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from jixiao_core import config
from jixiao_core import models as m
from jixiao_core.errors import InputError
from jixiao_core.store import dataset, ingest

BUNDLED = config.BUNDLED_DATASETS[0]


def _copy_with(tmp_path: Path, lineno: int, new_line: str) -> Path:
    """Return a copy of the bundled dataset (with its sources) whose line `lineno` is replaced."""
    shutil.copytree(BUNDLED.parent / "sources", tmp_path / "sources")
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    lines[lineno - 1] = new_line
    out = tmp_path / BUNDLED.name
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_bundled_dataset_reads_into_a_report():
    ds = dataset.load(BUNDLED)
    rep = ds.report
    assert (rep.unit_name, rep.project_name, rep.year) == ("雨花街道办事处", "街道工作经费", 2023)
    assert [c.name for c in rep.communities] == [
        "下庄",
        "回回营",
        "雨花",
        "营盘",
        "明潭",
        "龙潭山",
        "青阳",
        "颐明园",
    ]
    assert (len(rep.goals), len(rep.areas), len(rep.indicators), len(rep.bodies)) == (8, 8, 94, 12)
    assert ds.generated is False
    assert len(ds.problems) == 3


@pytest.mark.parametrize(
    "lineno, line, message",
    [
        (5, '{"type": "community", "name": "下庄"', "yuhua_2023.jsonl 第5行：不是合法的 JSON"),
        (
            5,
            '{"type": "communty", "name": "下庄", "kind": "村改居社区"}',
            "yuhua_2023.jsonl 第5行：未知的记录类型 'communty'",
        ),
        (5, '{"type": "community", "name": "下庄"}', "yuhua_2023.jsonl 第5行：community 记录缺少字段：kind"),
    ],
)
def test_malformed_line_is_reported_with_its_line_number(tmp_path, lineno, line, message):
    path = _copy_with(tmp_path, lineno, line)
    with pytest.raises(InputError) as err:
        dataset.load(path)
    assert str(err.value).startswith(message)


def test_indicator_quote_that_does_not_match_the_source_is_refused(tmp_path):
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines, 1) if '"name": "规模以上固定资产投资"' in x)
    rec = json.loads(lines[n - 1])
    rec["span"] = [rec["span"][0] + 1, rec["span"][1] + 1]
    path = _copy_with(tmp_path, n, json.dumps(rec, ensure_ascii=False))
    with pytest.raises(InputError, match=f"第{n}行：引文与原始报告"):
        dataset.load(path)


def test_malformed_dataset_leaves_the_database_unchanged(tmp_path, engine):
    bad = _copy_with(tmp_path, 3, '{"type": "unit"}')
    with pytest.raises(InputError, match="第3行"):
        ingest.init(engine, paths=(bad,))
    assert inspect(engine).get_table_names() == []
    ingest.init(engine)
    with pytest.raises(InputError):
        ingest.init(engine, paths=(bad,))
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(m.Indicator)) == 94
