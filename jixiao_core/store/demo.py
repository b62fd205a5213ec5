"""Generated demo and benchmark data, always marked `is_generated` and named so no one mistakes it for real data.

The generator perturbs the bundled report's structure (areas, indicator names, units) with a fixed seed, so
comparisons across years and units can be shown and measured without inventing real-looking units. A district's
size (500 units × 13 years ≈ 600k indicator rows) is written in bulk: a batch of units at a time, each batch one
transaction of multi-row inserts, so other writers wait at most one batch (issue 15 item 6).
"""

from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import jixiao_core.store.dataset as dataset
from jixiao_core import config, facts, kinds
from jixiao_core import models as m
from jixiao_core.accounts import log
from jixiao_core.accounts.actor import require
from jixiao_core.errors import InputError
from jixiao_core.store.ingest import enrich
from jixiao_core.store.scores import score_of
from jixiao_core.store.write import Origin, StoreResult, batch_summary, finding_values, indicator_values

DEMO_PREFIX = "【演示】"
DEMO_NOTE = "生成数据（演示用，非真实报告）"
BATCH_UNITS = 10  # units per transaction: ~12k indicator rows over 13 years, well under a second of lock
# a district: ten 街道, ten 镇, then 区直部门
KIND_WORDS = ((10, "街道"), (20, "镇"))
OTHER_WORD = "部门"
ORIGIN = Origin("generated", "", "", "generated", generated=True, user="demo")


def demo_unit_name(n: int) -> str:
    word = next((w for last, w in KIND_WORDS if n <= last), OTHER_WORD)
    return f"{DEMO_PREFIX}示例{word}{n:02d}"


def _scaled(v: Decimal | None, factor: float) -> Decimal | None:
    if v is None:
        return None
    exp = v.as_tuple().exponent
    places = Decimal(1).scaleb(exp if isinstance(exp, int) else 0)
    return (v * Decimal(str(round(factor, 4)))).quantize(places)


def generated_report(
    base: facts.Report, unit_no: int, year: int, rng: random.Random, skill: float = 1.0, size: float = 1.0
) -> facts.Report:
    """Return a generated report shaped like `base`, for demo unit `unit_no` and `year`; `skill` moves every result
    of the unit up or down, `size` its budget."""
    growth = 1 + (year - base.year) * 0.04
    inds = []
    for ind in base.indicators:
        f = growth * skill * rng.uniform(0.8, 1.2)
        actual = _scaled(ind.actual, f)
        rate = None
        if ind.target is not None and actual is not None and ind.target:
            rate = (actual / ind.target * 100).quantize(Decimal("0.01"))
        inds.append(
            replace(
                ind, actual=actual, rate=rate, text=f"{DEMO_NOTE}：{ind.name}", span=None, locator="generated"
            )
        )
    budget = _scaled(base.funds.budget, growth * size)
    funds = facts.Funds(
        budget=budget,
        arrived=budget,
        spent=_scaled(budget, rng.uniform(0.7, 1.0)),
        text=DEMO_NOTE,
    )
    return replace(
        base,
        source=None,
        unit_name=demo_unit_name(unit_no),
        year=year,
        report_date=None,
        funds=funds,
        indicators=inds,
        claims=[],
        findings=[],
        sections={"conclusion": DEMO_NOTE},
    )


@functools.cache
def _base() -> dataset.Dataset:
    ds = dataset.load(config.BUNDLED_DATASETS[0])
    enrich(ds.report)  # classify once; every generated copy inherits the placement and is only audited
    return ds


def _key(seed: int, n: int, year: int) -> str:
    return hashlib.sha256(f"demo:{seed}:{n}:{year}".encode()).hexdigest()


def _report(base: facts.Report, seed: int, n: int, year: int) -> facts.Report:
    unit = random.Random(f"{seed}:unit:{n}")
    skill, size = unit.uniform(0.8, 1.15), unit.uniform(0.3, 3.0)
    return enrich(generated_report(base, n, year, random.Random(f"{seed}:{n}:{year}"), skill, size))


def batches(units: int, size: int = BATCH_UNITS) -> list[range]:
    """Return the unit numbers 1..units in batches of `size`, one transaction each."""
    return [range(a, min(a + size, units + 1)) for a in range(1, units + 1, size)]


def generate(s: Session, units: int, years: tuple[int, ...], seed: int = 7) -> list[StoreResult]:
    """Store generated reports for `units` demo units over `years` in the caller's transaction; flushes, never
    commits. A caller wanting short transactions calls `store_batch` once per `batches(units)` instead."""
    return [r for nos in batches(units) for r in store_batch(s, nos, years, seed)]


def store_batch(
    s: Session, unit_nos: Iterable[int], years: tuple[int, ...], seed: int = 7
) -> list[StoreResult]:
    """Store the generated reports of some demo units over `years` with multi-row inserts, as whoever is acting;
    one result per unit-year, units first; flushes, never commits."""
    who = require(s, "demo")
    ds = _base()
    wanted = [(n, y) for n in unit_nos for y in years]
    keys = {nk: _key(seed, *nk) for nk in wanted}
    have = set(s.scalars(select(m.ImportBatch.sha256).where(m.ImportBatch.sha256.in_(keys.values()))))
    todo = [nk for nk in wanted if keys[nk] not in have]
    reps = {nk: _report(ds.report, seed, *nk) for nk in todo}
    ids = _write(s, ds, reps, keys)
    if reps:
        years_text = "、".join(map(str, years))
        detail = f"演示单位 {len(set(n for n, _ in reps))} 个，年度 {years_text}，新存 {len(reps)} 个项目年度"
        log.record(s, who.name, "demo", detail=detail, source=who.source)
    return [
        StoreResult("stored", ids[nk], len(reps[nk].indicators), len(reps[nk].findings), 1)
        if nk in reps
        else StoreResult("duplicate", None, 0, 0, 0)
        for nk in wanted
    ]


def _insert(s: Session, model, rows: list[dict], returning: bool = False) -> list[int]:
    if not rows:
        return []
    if not returning:
        s.execute(insert(model.__table__), rows)
        return []
    stmt = insert(model.__table__).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return list(s.execute(stmt, rows).scalars())


def _write(s: Session, ds: dataset.Dataset, reps: dict, keys: dict) -> dict[tuple[int, int], int]:
    """Write the reports' rows table by table; return each unit-year's project-year id."""
    if not reps:
        return {}
    base = ds.report
    units = _units(s, base, sorted({n for n, _ in reps}))
    _refuse_taken(s, [(units[n][1], y) for n, y in reps], base.project_name)
    order = list(reps)
    batch_ids = _insert(
        s,
        m.ImportBatch,
        [
            dict(
                kind="generated",
                file_name=f"demo-{n:02d}-{y}",
                sha256=keys[(n, y)],
                imported_by="demo",
                summary=batch_summary(reps[(n, y)]),
                is_generated=True,
            )
            for n, y in order
        ],
        returning=True,
    )
    py_ids = _insert(
        s,
        m.ProjectYear,
        [_py_row(reps[nk], units[nk[0]][1], b) for nk, b in zip(order, batch_ids, strict=True)],
        True,
    )
    area_rows = [
        dict(project_year_id=p, seq=a.seq, title=a.title, key=a.key) for p in py_ids for a in base.areas
    ]
    area_ids = iter(_insert(s, m.WorkArea, area_rows, returning=True))
    areas = {p: {a.seq: next(area_ids) for a in base.areas} for p in py_ids}
    goals, sections, indicators, findings = [], [], [], []
    for nk, p in zip(order, py_ids, strict=True):
        rep, communities = reps[nk], units[nk[0]][2]
        goals += [
            dict(project_year_id=p, seq=g.seq, text=g.text, area_seq=ds.goal_areas.get(g.seq))
            for g in rep.goals
        ]
        sections += [dict(project_year_id=p, key=k, text=t) for k, t in rep.sections.items()]
        indicators += [
            indicator_values(
                p, i, ind, areas[p].get(ind.area_seq), communities.get(ind.community), None, ORIGIN
            )
            for i, ind in enumerate(rep.indicators)
        ]
        findings += [finding_values(p, f) for f in rep.findings]
    for model, rows in (
        (m.Goal, goals),
        (m.Section, sections),
        (m.Indicator, indicators),
        (m.Finding, findings),
    ):
        _insert(s, model, rows)
    return dict(zip(order, py_ids, strict=True))


def _py_row(rep: facts.Report, project_id: int, batch_id: int) -> dict:
    score, grade = score_of(rep)
    f = rep.funds
    return dict(
        project_id=project_id,
        year=rep.year,
        revision=1,
        is_current=True,
        batch_id=batch_id,
        budget=f.budget,
        arrived=f.arrived,
        spent=f.spent,
        funds_text=f.text or None,
        overall_goal=rep.overall_goal,
        score=score,
        grade=grade,
        is_generated=True,
    )


def _units(s: Session, base: facts.Report, nos: list[int]) -> dict[int, tuple[int, int, dict[str, int]]]:
    """Return unit number → (unit id, project id, community name → id), adding what is missing."""
    names = {demo_unit_name(n): n for n in nos}
    found = {u.name: u for u in s.scalars(select(m.Unit).where(m.Unit.name.in_(names)))}
    real = sorted(name for name, u in found.items() if not u.is_generated)
    if real:  # rule 2: generated and real data never mix silently under one name
        raise InputError(real[0], "该单位已有真实数据，不能混入")
    new = [n for name, n in names.items() if name not in found]
    rows = [
        dict(name=demo_unit_name(n), kind=kinds.kind_of(demo_unit_name(n)), is_generated=True) for n in new
    ]
    ids = {name: u.id for name, u in found.items()} | dict(
        zip((r["name"] for r in rows), _insert(s, m.Unit, rows, returning=True), strict=True)
    )
    projects = _projects(s, base.project_name, list(ids.values()))
    communities = _communities(s, base, list(ids.values()))
    _bodies(s, base, [ids[demo_unit_name(n)] for n in new])
    return {n: (ids[name], projects[ids[name]], communities[ids[name]]) for name, n in names.items()}


def _projects(s: Session, name: str, unit_ids: list[int]) -> dict[int, int]:
    p = m.Project
    have = dict(s.execute(select(p.unit_id, p.id).where(p.unit_id.in_(unit_ids), p.name == name)).all())
    missing = [u for u in unit_ids if u not in have]
    return have | dict(
        zip(missing, _insert(s, p, [dict(unit_id=u, name=name) for u in missing], True), strict=True)
    )


def _communities(s: Session, base: facts.Report, unit_ids: list[int]) -> dict[int, dict[str, int]]:
    c = m.Community
    out: dict[int, dict[str, int]] = {u: {} for u in unit_ids}
    for uid, name, cid in s.execute(select(c.unit_id, c.name, c.id).where(c.unit_id.in_(unit_ids))):
        out[uid][name] = cid
    rows = [
        dict(unit_id=u, seq=len(out[u]) + i, name=x.name, kind=x.kind, is_generated=True)
        for u in unit_ids
        if not out[u]
        for i, x in enumerate(base.communities, start=1)
    ]
    for row, cid in zip(rows, _insert(s, c, rows, returning=True), strict=True):
        out[row["unit_id"]][row["name"]] = cid
    return out


def _bodies(s: Session, base: facts.Report, unit_ids: list[int]) -> None:
    rows = [
        dict(unit_id=u, seq=n, name=b) for u in unit_ids for n, b in enumerate(dict.fromkeys(base.bodies), 1)
    ]
    _insert(s, m.InternalBody, rows)


def _refuse_taken(s: Session, pairs: list[tuple[int, int]], project: str) -> None:
    """Refuse, before writing, a unit-year that already holds a report not generated with this seed."""
    py = m.ProjectYear
    taken = s.execute(
        select(py.project_id, py.year).where(
            py.project_id.in_({p for p, _ in pairs}), py.year.in_({y for _, y in pairs}), py.is_current
        )
    ).all()
    clash = sorted(set(pairs) & {tuple(t) for t in taken})
    if clash:
        raise InputError(
            "演示数据", f"{project} {clash[0][1]} 年度已有数据（可能由其他随机种子生成）；未做改动"
        )
