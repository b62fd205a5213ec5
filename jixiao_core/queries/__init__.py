"""The read side: one function per question, `fn(conn, ...) -> DataFrame`, aggregated in SQL over the current
revisions only. Column names are English; amounts are 元 and rates percent, as floats; `labels` makes them Chinese."""

from jixiao_core.queries.batches import batch_runs
from jixiao_core.queries.catalog import areas_for, data_version, import_history, units, years
from jixiao_core.queries.communities import (
    area_wide_actions,
    communities_for,
    community_facts,
    community_kinds,
    community_values,
)
from jixiao_core.queries.comparisons import shared_indicators, unit_comparison, year_over_year
from jixiao_core.queries.district import MEASURES, district_ranking, district_years, unit_kinds
from jixiao_core.queries.findings import (
    finding_counts,
    findings_for,
    findings_for_indicator,
    report_conclusion,
)
from jixiao_core.queries.funds import funds_by_year, funds_for_year, monthly_progress
from jixiao_core.queries.indicators import (
    INDICATOR_SCHEMA,
    achievement_by_area,
    goals_against_results,
    indicator_summary,
    indicators_for,
)
from jixiao_core.queries.scorecard import Scorecard, scorecard

__all__ = [
    "INDICATOR_SCHEMA",
    "MEASURES",
    "Scorecard",
    "achievement_by_area",
    "area_wide_actions",
    "areas_for",
    "batch_runs",
    "communities_for",
    "community_facts",
    "community_kinds",
    "community_values",
    "data_version",
    "district_ranking",
    "district_years",
    "finding_counts",
    "findings_for",
    "findings_for_indicator",
    "funds_by_year",
    "funds_for_year",
    "goals_against_results",
    "import_history",
    "indicator_summary",
    "indicators_for",
    "monthly_progress",
    "report_conclusion",
    "scorecard",
    "shared_indicators",
    "unit_comparison",
    "unit_kinds",
    "units",
    "year_over_year",
    "years",
]
