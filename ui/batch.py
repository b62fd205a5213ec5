"""Batch import on the 数据管理 page: several files or a .zip of a folder, imported off the script thread.

The run happens in a background thread (its files read by worker processes, see jixiao_core.workers), so the page
and everyone else's pages stay responsive; a fragment polls its progress every second. The job lives in the
session's state: a rerun or a visit to another page leaves it running, and coming back shows where it is. One
batch runs at a time in the server; the next waits its turn. The credential of the person who started it is
carried into the thread, so every file is written as them.
"""

from __future__ import annotations

import contextvars
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from jixiao_core import labels
from jixiao_core.errors import InputError
from jixiao_core.store import archive, batch
from ui.cache import clear_caches, engine

TYPES = ["txt", "docx", "pdf", "xlsx", "zip"]
ONE_AT_A_TIME = threading.Semaphore(1)  # shared by every session on purpose: batches queue, pages stay quick
COLUMNS = ("path", "unit", "project", "year", "result", "reason", "indicators", "findings", "ocr")


@dataclass
class Job:
    """A batch run in a background thread, and what it has decided so far (read by the page's poll)."""

    names: tuple[str, ...]
    total: int = 0
    outcomes: list[batch.Outcome] = field(default_factory=list)
    summary: str | None = None
    error: str | None = None
    waiting: bool = True
    finished: bool = False
    shown: bool = False  # the page has cleared its caches for the new data
    started: float = field(default_factory=time.monotonic)

    @property
    def fraction(self) -> float:
        return len(self.outcomes) / self.total if self.total else 0.0

    def status(self) -> str:
        if self.waiting:
            return "排队中：另一批文件正在导入，完成后自动开始"
        done = len(self.outcomes)
        left = (time.monotonic() - self.started) / done * (self.total - done) if done else None
        eta = f"，预计还需 {left:.0f} 秒" if left is not None else ""
        return f"正在导入：{done} / {self.total} 个文件{eta}"

    def table(self) -> pd.DataFrame:
        """Return the outcome of each file, with Chinese headers and results."""
        rows = [
            (o.path, o.unit, o.project, o.year, labels.BATCH_RESULT_LABELS[o.result], o.reason, o.indicators,
             o.findings, "、".join(map(str, o.ocr_pages)))
            for o in self.outcomes
        ]  # fmt: skip
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        return frame.astype({"year": "Int64"}).rename(columns=labels.BATCH_COLUMN_LABELS)


def start(uploaded: list, replace: bool) -> Job:
    """Copy the uploads (unpacking .zip archives, guarded) into a folder and start importing it in a thread."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-batch-"))
    try:
        for f in uploaded:
            name = Path(f.name).name
            if name.lower().endswith(".zip"):
                archive.unpack(name, f.getvalue(), _free(folder, Path(name).stem or "archive"))
            else:
                _free(folder, name).write_bytes(f.getvalue())
    except InputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = Job(tuple(f.name for f in uploaded))
    work = contextvars.copy_context()  # the signed-in person's credential, for every write in the thread
    threading.Thread(target=work.run, args=(_run, job, folder, replace, engine()), daemon=True).start()
    return job


def _free(folder: Path, name: str) -> Path:
    """Return folder/name, or folder/"stem (2).ext" … when two uploads share a name."""
    path, n = folder / name, 1
    while path.exists():
        n += 1
        path = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
    return path


def _run(job: Job, folder: Path, replace: bool, eng) -> None:
    try:
        with ONE_AT_A_TIME:
            job.waiting = False
            job.started = time.monotonic()
            summary = batch.run(
                eng, [folder], replace=replace, root=folder, label="、".join(job.names)[:2000],
                on_start=lambda n: setattr(job, "total", n), on_file=job.outcomes.append,
            )  # fmt: skip
            job.summary = summary.line()
    except InputError as e:
        job.error = str(e)
    except Exception as e:  # noqa: BLE001 - no traceback reaches the page; the run's files stay as decided
        job.error = f"批量导入中断（内部错误：{type(e).__name__}）；已导入的文件保留，可重新提交其余文件"
    finally:
        job.waiting, job.finished = False, True
        shutil.rmtree(folder, ignore_errors=True)


def batch_import(key: str) -> None:
    """Render the batch import: the uploader, then the running job's progress or its table of outcomes."""
    job: Job | None = st.session_state.get(f"{key}_job")
    running = job is not None and not job.finished
    uploaded = st.file_uploader(
        "多个报告或自评表，或一个文件夹的 .zip 压缩包（每个文件不超过 20 MB）",
        type=TYPES,
        accept_multiple_files=True,
        max_upload_size=20,
        key=f"{key}_files",
    )
    replace = st.checkbox("替换现有版本（同一单位、项目、年度；旧版本保留在历史中）", key=f"{key}_replace")
    if st.button("批量导入", disabled=not uploaded or running, key=f"{key}_start"):
        try:
            job = st.session_state[f"{key}_job"] = start(uploaded, replace)
        except InputError as e:
            st.error(str(e))
            return
    if job is not None:
        _progress(job, key) if not job.finished else _outcomes(job, key)


def _progress(job: Job, key: str) -> None:
    @st.fragment(run_every=1.0)
    def poll() -> None:
        if job.finished:
            st.rerun()  # the whole page: caches cleared, the table shown, polling stopped
        st.progress(job.fraction, text=job.status())

    poll()


def _outcomes(job: Job, key: str) -> None:
    if not job.shown:
        clear_caches()
        job.shown = True
    if job.error:
        st.error(job.error)
    if job.summary:
        (st.warning if any(o.result == "refused" for o in job.outcomes) else st.success)(job.summary)
    if not job.outcomes:
        return
    frame = job.table()
    with st.container(key=f"{key}_outcomes"):
        st.dataframe(frame, hide_index=True)
    st.download_button(
        "下载导入结果（CSV）",
        frame.to_csv(index=False).encode("utf-8-sig"),  # with a BOM, so Excel opens the Chinese text
        file_name="批量导入结果.csv",
        mime="text/csv",
        key=f"{key}_download",
    )
