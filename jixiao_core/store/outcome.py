"""What became of each file of a batch import, and the summary of a run: the lines the command prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao_core import models as m

RESULTS = ("stored", "duplicate", "replaced", "refused")


@dataclass
class Outcome:
    """What became of one file."""

    seq: int
    path: str
    result: str  # stored / duplicate / replaced / refused
    reason: str | None = None
    unit: str | None = None
    project: str | None = None
    year: int | None = None
    indicators: int = 0
    findings: int = 0
    revision: int = 0
    ocr_pages: tuple[int, ...] = ()
    seconds: float = 0.0
    resumed: bool = False  # decided by an earlier, interrupted run of the same batch

    def line(self) -> str:
        """Return the line printed for this file."""
        text = f"{self.path}：{self._what()}"
        return f"{text}（上次运行已处理）" if self.resumed else text

    def _what(self) -> str:
        if self.result == "refused":
            return f"未导入：{self.reason}"
        if self.result == "duplicate":
            return "相同内容已导入过，未做任何更改"
        verb = "已替换旧版本" if self.result == "replaced" else "已导入"
        ocr = f"，其中第 {'、'.join(map(str, self.ocr_pages))} 页经文字识别（OCR）" if self.ocr_pages else ""
        note = f"；{self.reason}" if self.reason else ""
        # an earlier run's files have no revision on record: none is shown rather than a guess
        revision = f"（第 {self.revision} 版）" if self.revision else ""
        return (
            f"{verb} {self.unit} {self.year}年 {self.project}{revision}，"
            f"指标 {self.indicators} 条，核查发现 {self.findings} 条{ocr}{note}"
        )


@dataclass
class Summary:
    """The counts of a run, over every file of it (also those an interrupted earlier run decided)."""

    run_id: int
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, result: str) -> int:
        return sum(o.result == result for o in self.outcomes)

    @property
    def exit_status(self) -> int:
        """0 when every file was stored or already there, 2 when any was refused (CONTRACT.md)."""
        return 2 if self.count("refused") else 0

    def line(self) -> str:
        kept = [o for o in self.outcomes if o.result in ("stored", "replaced")]
        resumed = sum(o.resumed for o in self.outcomes)
        again = f"（续上次中断的批次，其中 {resumed} 个文件上次已处理）" if resumed else ""
        return (
            f"共 {len(self.outcomes)} 个文件：新导入 {self.count('stored')}，已存在 {self.count('duplicate')}，"
            f"替换 {self.count('replaced')}，未导入 {self.count('refused')}；"
            f"指标 {sum(o.indicators for o in kept)} 条，核查发现 {sum(o.findings for o in kept)} 条；"
            f"用时 {self.seconds:.1f} 秒{again}"
        )


def outcome_of(f: m.BatchFile) -> Outcome:
    """Return the outcome a batch_file row records (decided by an earlier run of the batch)."""
    pages = tuple(int(p) for p in (f.ocr_pages or "").split(",") if p)
    return Outcome(
        f.seq, f.path, f.outcome, f.reason, f.unit, f.project, f.year, f.indicators, f.findings, 0, pages,
        f.seconds or 0.0, resumed=True,
    )  # fmt: skip
