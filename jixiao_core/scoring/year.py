"""Score one year: the 自评表 rebuilt from a report (parsed or stored) and scored under a rule set."""

from __future__ import annotations

from jixiao_core.facts import Report
from jixiao_core.scoring.rebuild import table_from_report
from jixiao_core.scoring.rules import RuleSet, rule_set
from jixiao_core.scoring.score import ScoreResult, score


def score_year(report: Report, rules: str | RuleSet = "national") -> ScoreResult:
    """Return the typed score of one report's year under `rules` (a rule-set name or a RuleSet)."""
    return score(table_from_report(report), rules if isinstance(rules, RuleSet) else rule_set(rules))
