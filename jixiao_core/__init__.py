"""jixiao 绩效看板: read, check, score and present government performance evaluations."""

__version__ = "0.1.0"
