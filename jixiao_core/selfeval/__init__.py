"""The 自评表 workbook (财预〔2020〕10号 附件1): bytes → a typed table, guarded against hostile files."""

from jixiao_core.selfeval.workbook import SelfEvalTable, TableRow, Unscored, read_workbook

__all__ = ["SelfEvalTable", "TableRow", "Unscored", "read_workbook"]
