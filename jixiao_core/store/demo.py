"""Generated demo and benchmark data, always marked `is_generated` and named so no one mistakes it for real data.

The generator perturbs the bundled report's structure (areas, indicator names, units) with a fixed seed,
so comparisons across years and units can be shown and measured without inventing real-looking units.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from decimal import Decimal

from sqlalchemy.orm import Session

import jixiao_core.store.dataset as dataset
from jixiao_core import config, facts
from jixiao_core.accounts import log
from jixiao_core.accounts.actor import require
from jixiao_core.store.write import Origin, StoreResult, store_report

DEMO_PREFIX = "【演示】"
DEMO_NOTE = "生成数据（演示用，非真实报告）"


def demo_unit_name(n: int) -> str:
    return f"{DEMO_PREFIX}示例街道{n:02d}"


def _scaled(v: Decimal | None, factor: float) -> Decimal | None:
    if v is None:
        return None
    exp = v.as_tuple().exponent
    places = Decimal(1).scaleb(exp if isinstance(exp, int) else 0)
    return (v * Decimal(str(round(factor, 4)))).quantize(places)


def generated_report(base: facts.Report, unit_no: int, year: int, rng: random.Random) -> facts.Report:
    """Return a generated report shaped like `base`, for demo unit `unit_no` and `year`."""
    growth = 1 + (year - base.year) * 0.04
    inds = []
    for ind in base.indicators:
        f = growth * rng.uniform(0.7, 1.3)
        actual = _scaled(ind.actual, f)
        rate = None
        if ind.target is not None and actual is not None and ind.target:
            rate = (actual / ind.target * 100).quantize(Decimal("0.01"))
        inds.append(
            replace(
                ind, actual=actual, rate=rate, text=f"{DEMO_NOTE}：{ind.name}", span=None, locator="generated"
            )
        )
    funds = facts.Funds(
        budget=_scaled(base.funds.budget, growth),
        arrived=_scaled(base.funds.budget, growth),
        spent=_scaled(base.funds.budget, growth * rng.uniform(0.85, 1.0)),
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


def generate(s: Session, units: int, years: tuple[int, ...], seed: int = 7) -> list[StoreResult]:
    """Store generated reports for `units` demo units over `years`, as whoever is acting; flushes, never commits."""
    from jixiao_core.store.ingest import enrich

    who = require(s, "demo")
    base = dataset.load(config.BUNDLED_DATASETS[0]).report
    rng = random.Random(seed)
    results = []
    for n in range(1, units + 1):
        for year in years:
            rep = enrich(generated_report(base, n, year, rng))
            key = hashlib.sha256(f"demo:{seed}:{n}:{year}".encode()).hexdigest()
            origin = Origin(
                "generated", f"demo-{n:02d}-{year}", key, "generated", generated=True, user="demo"
            )
            results.append(store_report(s, rep, origin))
    stored = sum(r.status != "duplicate" for r in results)
    detail = f"演示单位 {units} 个，年度 {'、'.join(map(str, years))}，新存 {stored} 个项目年度"
    log.record(s, who.name, "demo", detail=detail, source=who.source)
    return results
