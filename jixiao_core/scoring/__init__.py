"""Scoring a 自评表 under the official rules (财预〔2020〕10号 and provincial variants): one typed result that the
pages, the command line, the brief and the exports all read."""

from jixiao_core.scoring.rules import RULE_SETS, RuleSet, rule_set
from jixiao_core.scoring.score import Execution, ScoredRow, ScoreResult, grade, score, score_json
from jixiao_core.scoring.year import score_year

__all__ = [
    "RULE_SETS",
    "Execution",
    "RuleSet",
    "ScoreResult",
    "ScoredRow",
    "grade",
    "rule_set",
    "score",
    "score_json",
    "score_year",
]
