"""What a page asks for, by name and filters: `ui.indicators(f, status="missed")`, `ui.funds(f)`.

Each answer is a View (a frame named by plain values, computed once per name and shared: never modify it) or a
plain value. Every read goes through one kept loader per core question, keyed by plain arguments plus the data
version, so an import anywhere invalidates it.

Every loader sits behind the person's scope (`Scoped`): before any kept value is looked up, its arguments pass
through `accounts.scope.within`, which refuses a unit outside the person's units and narrows a `units` argument (the
multi-unit questions, called here with `()`) to theirs. A View applies the same scope when it is made, because its
frame and everything built from it are kept under its key.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy.orm import Session

from jixiao_core import labels, queries, scoring
from jixiao_core.accounts import scope
from jixiao_core.errors import InputError
from jixiao_core.meeting import brief as briefing
from jixiao_core.meeting import figures, slides
from jixiao_core.store import corrections as edits
from jixiao_core.store import read as stored
from ui import cache
from ui.auth import who
from ui.cache import Version, engine, kept
from ui.selection import Filters

LOADERS: dict[str, Scoped] = {}  # every loader by name, for the test that walks them all


class Scoped:
    """A kept loader behind the person's scope: `params` name its arguments (the data version last)."""

    def __init__(self, kept_fn: Callable, params: tuple[str, ...]):
        self.kept_fn, self.params, self.__name__ = kept_fn, params, kept_fn.__name__
        LOADERS[self.__name__] = self

    def scope(self, args: tuple) -> tuple:
        """Return the arguments within what the person acting may see (the one scope function of the core)."""
        return scope.within(who(), self.params, args)

    def __call__(self, *args):
        return self.kept_fn(*self.scope(args))


def loader(question: Callable, then: Callable | None = None) -> Scoped:
    """Return the kept, scoped loader of a core question `fn(conn, ...)`: its arguments, then the data version."""
    params = tuple(inspect.signature(question).parameters)[1:]
    return Scoped(cache.loader(question, then), (*params, "version"))


def keyed(fn: Callable) -> Scoped:
    """Return `fn` kept per plain argument values and scoped by its parameter names."""
    return Scoped(cache.keyed(fn), tuple(inspect.signature(fn).parameters))


@dataclass(frozen=True)
class View:
    """A frame named by plain values: a loader, its arguments (the data version last) and row filters
    ((column, allowed values), ...), where an empty tuple of values keeps every row."""

    load: Scoped
    args: tuple
    where: tuple = ()

    def __post_init__(self):
        # scoped here, not only when loaded: the frame, tables and figures of a view are kept under its key
        object.__setattr__(self, "args", self.load.scope(self.args))

    @property
    def key(self) -> str:
        return f"{self.load.__name__}{self.args!r}{self.where!r}"  # plain values: see cache.keyed

    @property
    def frame(self) -> pd.DataFrame:
        """Return the frame (shared: never modify it)."""
        return kept(f"frame|{self.key}", _select, (self,))

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, name: str) -> list:
        return list(self.frame[name])

    def only(self, column: str, values) -> View:
        """Return the view narrowed to rows whose `column` is one of `values` (all rows when there are none)."""
        return replace(self, where=(*self.where, (column, tuple(values))))

    def first(self) -> pd.Series:
        """Return the first row, or a row of missing values when there is none."""
        df = self.frame
        return df.iloc[0] if len(df) else pd.Series(None, index=df.columns, dtype=object)


def _select(view: View) -> pd.DataFrame:
    df = view.load(*view.args)
    for column, allowed in view.where:
        if allowed:
            df = df[df[column].isin(allowed)]
    return df


def _cells(df: pd.DataFrame, name: str) -> list:
    return list(df[name]) if name in df else [None] * len(df)


def indicator_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Return indicators with display columns: the figure as written (约/余 kept), target, area label."""
    out = df.copy()
    printed = zip(
        *(_cells(df, c) for c in ("actual_printed", "unit", "qualifier", "comparator")), strict=True
    )
    badges = [labels.OCR_BADGE if k == "ocr" else "" for k in _cells(df, "source_kind")]
    out["value"] = [
        " ".join(filter(None, (labels.fmt_value(*r), b))) for r, b in zip(printed, badges, strict=True)
    ]
    targets = zip(_cells(df, "target_printed"), _cells(df, "target_unit"), strict=True)
    out["target_value"] = [labels.fmt_value(p, u) for p, u in targets]
    out["area"] = [
        labels.area_label(k, t) for k, t in zip(_cells(df, "area_key"), _cells(df, "area_title"), strict=True)
    ]
    out["has_target"] = df["target"].notna() if "target" in df else False
    return out


def with_area_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with an `area` column holding the short Chinese work-area label."""
    return df.assign(
        area=[labels.area_label(k, t) for k, t in zip(df["area_key"], df["area_title"], strict=True)]
    )


def _unit_flags(df: pd.DataFrame) -> tuple[tuple[str, bool], ...]:
    return tuple(zip(df["name"], map(bool, df["is_generated"]), strict=True))


def _year_flags(df: pd.DataFrame) -> tuple[tuple[int, bool], ...]:
    return tuple(zip(map(int, df["year"]), map(bool, df["is_generated"]), strict=True))


def _titles(df: pd.DataFrame) -> dict[str, str]:
    return dict(zip(df["area_key"], df["area_title"], strict=True))


def _names(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(df["name"])


HISTORY_HEADERS = {
    "at": "时间",
    "user_name": "更正人",
    "field": "字段",
    "old_value": "原值",
    "new_value": "新值",
}
HISTORY_HEADERS |= {"reason": "原因"}
FIELD_LABELS = {
    "actual": "实际完成值",
    "target": "年度指标值",
    "unit": "单位",
    "weight": "分值",
    "level1": "一级指标",
}


def _history_view(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(field=[FIELD_LABELS.get(x, x) for x in df["field"]]).rename(columns=HISTORY_HEADERS)


# one kept loader per core question: its arguments, then the data version
unit_choices = loader(queries.units, _unit_flags)  # ((name, is generated), ...), real units first
year_choices = loader(queries.years, _year_flags)  # ((year, is generated), ...), ascending
area_choices = loader(queries.areas_for, _titles)  # area key → title, in report order
community_names = loader(queries.communities_for, _names)
_funds = loader(queries.funds_for_year)
_funds_history = loader(queries.funds_by_year)
_monthly = loader(queries.monthly_progress)
_indicators = loader(queries.indicators_for, indicator_rows)
_summary = loader(queries.indicator_summary)
_achievement = loader(queries.achievement_by_area)
_communities = loader(queries.communities_for)
_community_kinds = loader(queries.community_kinds)
_community_facts = loader(queries.community_facts, indicator_rows)
_area_wide = loader(queries.area_wide_actions, indicator_rows)
_community_values = loader(queries.community_values)
_goals = loader(queries.goals_against_results)
_findings = loader(queries.findings_for)
_finding_counts = loader(queries.finding_counts)
_indicator_findings = loader(queries.findings_for_indicator)
_conclusion = loader(queries.report_conclusion)
_year_over_year = loader(queries.year_over_year, with_area_labels)
_unit_comparison = loader(queries.unit_comparison)
_shared = loader(queries.shared_indicators, with_area_labels)
_history = loader(queries.import_history)
_batch_runs = loader(queries.batch_runs)
_corrections = loader(edits.corrections_for, _history_view)


def funds(f: Filters) -> View:
    """Return 预算, 到位, 支出 and both rates of the unit-year (one row)."""
    return View(_funds, (f.unit, f.year, f.version))


def funds_history(f: Filters) -> View:
    """Return the funds per year of the unit, within the chosen range of years when one is chosen."""
    return View(_funds_history, (f.unit, f.version)).only("year", f.years if len(f.years) > 1 else ())


def monthly(f: Filters) -> View:
    """Return the monthly spending against time progress, with its traffic light."""
    return View(_monthly, (f.unit, f.year, f.version))


def summary(f: Filters) -> pd.Series:
    """Return the counts of indicators, with a target, met and missed (the whole unit-year)."""
    return View(_summary, (f.unit, f.year, f.version)).first()


def indicators(f: Filters, status: str | None = None, has_target: bool | None = None) -> View:
    """Return the indicators the filters select, with display columns; narrowed by status or target."""
    view = View(_indicators, (f.unit, f.year, f.areas, f.communities, f.version))
    if status is not None:
        view = view.only("status", (status,))
    return view if has_target is None else view.only("has_target", (has_target,))


def indicator_choices(f: Filters) -> dict[int, str]:
    """Return row → "area｜name：value" for the indicators the filters select (the source picker's options)."""
    rows = indicators(f)
    return kept(f"choices|{rows.key}", _choices, (rows,))


def _choices(rows: View) -> dict[int, str]:
    df = rows.frame
    cells = zip(df.index, df["area"], df["name"], df["value"], strict=True)
    return {i: f"{area}｜{name}：{value}" for i, area, name, value in cells}


def achievement(f: Filters) -> View:
    """Return met, missed and untargeted counts per work area."""
    return View(_achievement, (f.unit, f.year, f.version))


def findings(f: Filters, severity: str | None = None) -> View:
    """Return the audit findings of the unit-year, most severe first; narrowed to one severity."""
    view = View(_findings, (f.unit, f.year, f.version))
    return view if severity is None else view.only("severity", (severity,))


def finding_counts(f: Filters) -> View:
    return View(_finding_counts, (f.unit, f.year, f.version))


def indicator_findings(f: Filters, indicator_id: int) -> View:
    return View(_indicator_findings, (f.unit, indicator_id, f.version))


def corrections(f: Filters, indicator_id: int) -> pd.DataFrame:
    """Return the edit history of one indicator, with Chinese headers."""
    return _corrections(f.unit, indicator_id, f.version)


def conclusion(f: Filters) -> list[str]:
    """Return the report's own concluding claims."""
    return View(_conclusion, (f.unit, f.year, f.version)).column("text")


def communities(f: Filters) -> View:
    return View(_communities, (f.unit, f.year, f.version)).only("name", f.communities)


def community_kinds(f: Filters) -> pd.DataFrame:
    return _community_kinds(f.unit, f.version)


def community_facts(f: Filters) -> View:
    return View(_community_facts, (f.unit, f.year, f.version)).only("community", f.communities)


def area_wide_actions(f: Filters) -> View:
    return View(_area_wide, (f.unit, f.year, f.version))


def community_values(f: Filters) -> View:
    return View(_community_values, (f.unit, f.year, f.version))


def goals(f: Filters) -> View:
    return View(_goals, (f.unit, f.year, f.version)).only("area_key", f.areas)


def year_over_year(f: Filters) -> View:
    span = f.years if len(f.years) > 1 else ()
    return View(_year_over_year, (f.unit, f.version)).only("year", span).only("area_key", f.areas)


def unit_comparison(f: Filters) -> View:
    return View(_unit_comparison, (f.year, (), f.version))  # (): every unit the person may see


def shared_indicators(f: Filters) -> View:
    return View(_shared, (f.year, (), f.version)).only("area_key", f.areas)


# a district's demo data alone is 6,500 import batches: the table shows the newest (PERFORMANCE.md §3)
HISTORY_ROWS = 500


def import_history(v: Version) -> View:
    """Return the import batches of the units the person may see, newest first."""
    return View(_history, ((), HISTORY_ROWS, v))


def batch_runs(v: Version) -> View:
    """Return the newest batch imports, with their files counted by outcome."""
    return View(_batch_runs, ((), v))


@keyed
def _score(unit: str, year: int, rules: str, v: Version) -> scoring.ScoreResult | None:
    try:
        with Session(engine()) as s:
            return scoring.score_year(stored.load_report(s, unit, year), rules)
    except InputError:
        return None  # no report for this unit-year: the card says 缺失


def score(f: Filters, rules: str = "national") -> scoring.ScoreResult | None:
    """Return the rebuilt 自评表's score under `rules`, or None when there is no report to score."""
    return _score(f.unit, f.year, rules, f.version)


@keyed
def _scorecard(
    unit: str, year: int, rules: str, weights: tuple, targets: tuple, v: Version
) -> queries.Scorecard:
    with Session(engine()) as s:
        return queries.scorecard(s, unit, year, rules, weights, targets)


def scorecard(f: Filters, rules: str, weights: tuple = (), targets: tuple = ()) -> queries.Scorecard:
    """Return the scored 自评表; weights/targets are what-if edits by row, never saved."""
    return _scorecard(f.unit, f.year, rules, weights, targets, f.version)


@keyed
def _scorecard_part(unit, year, rules, weights, targets, part, v) -> pd.DataFrame:
    return getattr(_scorecard(unit, year, rules, weights, targets, v), part)


def scorecard_rows(f: Filters, rules: str, part: str, weights: tuple = (), targets: tuple = ()) -> View:
    """Return one frame of the scorecard as a View: rows, unscored or attribution."""
    return View(_scorecard_part, (f.unit, f.year, rules, weights, targets, part, f.version))


@keyed
def _brief(unit: str, year: int, rules: str, v: Version) -> briefing.Brief:
    return briefing.brief_at(engine(), unit, year, rules=rules)


def brief(f: Filters, rules: str = "national") -> briefing.Brief:
    """Return the meeting brief (what the slides and the exports show), built by the core in one call."""
    return _brief(f.unit, f.year, rules, f.version)


@keyed
def _slides(unit: str, year: int, rules: str, v: Version) -> tuple[slides.SlideSpec, ...]:
    return slides.build_slides(_brief(unit, year, rules, v))


def meeting_slides(f: Filters, rules: str = "national") -> tuple[slides.SlideSpec, ...]:
    """Return the meeting slides of the brief, in presentation order."""
    return _slides(f.unit, f.year, rules, f.version)


@keyed
def _slide_figure(unit: str, year: int, rules: str, slide: int, chart: int, v: Version) -> go.Figure:
    return figures.figure(_slides(unit, year, rules, v)[slide].charts[chart])


def slide_figure(f: Filters, rules: str, slide: int, chart: int) -> go.Figure:
    """Return the figure of chart `chart` on slide `slide` (0-based)."""
    return _slide_figure(f.unit, f.year, rules, slide, chart, f.version)
