"""Reading a file under a time budget, in worker processes that can be stopped.

A parse is pure (bytes in, facts out), so it runs in a child process: one that overruns its budget is killed and
the file refused with "报告过于复杂，解析超时" instead of hanging a command or the dashboard (issue 15 item 1).

A command forks its workers directly; the dashboard, which has threads, forks them from a forkserver (a
single-threaded process that has the reader loaded), so a server's threads are never forked. Inside a job,
`allow(stage)` restarts the budget for a new stage (each OCR page has its own), so a long but honest scan is not cut
off while a stuck pattern still is. Workers ignore Ctrl-C (the parent stops them) and die with their parent.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from jixiao_core import config
from jixiao_core.errors import InputError

# loaded once (in the forkserver, or here before forking), so a worker starts with the reader in memory
PRELOAD = ["jixiao_core.store.ingest", "jixiao_core.reader", "jixiao_core.selfeval", "jixiao_core.audit"]
LOOKAHEAD = 4  # jobs read ahead per worker while an earlier, slower one is still being read
START_SECONDS = 120.0  # a worker's first word may wait for the forkserver to start on a loaded machine
NICENESS = 5  # workers yield the CPU to the dashboard's own requests


@dataclass(frozen=True)
class Stage:
    """A step with its own budget: the key of its seconds in `limits` and what its overrun is called."""

    key: str
    message: str


PARSE = Stage("parse", "报告过于复杂，解析超时")


def limits() -> dict[str, float]:
    """Return the seconds allowed per stage, read in the parent (a forkserver's environment is from its start)."""
    s = config.load()
    return {"parse": s.parse_seconds, "ocr_page": s.ocr_page_seconds}


class WorkerFailed(Exception):
    """A worker raised something other than InputError: a defect, reported as an internal error."""


mp.get_context("forkserver").set_forkserver_preload(PRELOAD)
_channel: Connection | None = None  # in a worker: the pipe to the parent
_limits: dict[str, float] = {}
_retire = False  # in a worker: end after this job (it loaded something big, such as the OCR models)


def allow(stage: Stage, what: str | None = None) -> None:
    """Restart the time budget for `stage` (a no-op outside a worker); `what` replaces its overrun message."""
    if _channel is not None:
        _channel.send(("allow", _limits.get(stage.key, 0.0), what or stage.message))


def retire_after_job() -> None:
    """Make this worker end after its job, handing back what it holds (~1 GB for the OCR models)."""
    global _retire
    _retire = True


def _die_with_parent() -> None:
    with contextlib.suppress(
        Exception
    ):  # Linux only: killed when the forkserver (gone with its client) exits
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _serve(conn: Connection) -> None:
    """A worker's life: take jobs one by one, answer each with its result or its error, until told to stop."""
    global _channel, _limits, _retire
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    _die_with_parent()
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    _channel, _retire = conn, False
    conn.send(("ready",))
    while not _retire:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, args, _limits = job
        try:
            kind, payload = "ok", fn(*args)
        except InputError as e:  # InputError's own pickling loses `message`; send its two parts
            kind, payload = "input", (e.file, e.message)
        except MemoryError:
            kind, payload = "input", (None, "内存不足，无法读取")
        except Exception as e:  # noqa: BLE001 - a defect in one file must not end the batch
            kind, payload = "error", f"{type(e).__name__}：{str(e).splitlines()[0][:200] if str(e) else ''}"
        try:
            conn.send((kind, payload, not _retire))
        except Exception as e:  # noqa: BLE001 - an unpicklable result is a defect, told as one
            conn.send(("error", f"结果无法传回（{type(e).__name__}）", not _retire))


def _context():
    """Return how workers start: forked from this process while it has one thread (a command: no second interpreter
    to start), else from the forkserver (the dashboard: forking a process that has threads can deadlock)."""
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        for name in PRELOAD:
            importlib.import_module(name)  # once, here, rather than in every worker
        return mp.get_context("fork")
    return mp.get_context("forkserver")


@dataclass
class _Worker:
    """The parent's handle on one worker process and the job it is doing."""

    proc: Any
    conn: Connection
    ready: bool = False
    job: Any = None  # the caller's key of the job in hand
    name: str = ""
    deadline: float = 0.0
    given: float = 0.0  # when the job in hand was given
    message: str = PARSE.message
    budget: float = 0.0

    @classmethod
    def start(cls) -> _Worker:
        ctx = _context()
        ours, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(theirs,), daemon=True)
        proc.start()
        theirs.close()
        return cls(proc, ours, deadline=time.monotonic() + START_SECONDS)

    def give(self, key, name: str, fn: Callable, args: tuple, lim: dict[str, float]) -> None:
        self.job, self.name, self.budget, self.message = key, name, lim["parse"], PARSE.message
        self.given = time.monotonic()
        if self.ready:  # else the start allowance runs until the worker says it is ready
            self.deadline = time.monotonic() + self.budget
        self.conn.send((fn, args, lim))

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def took(self) -> float:
        return time.monotonic() - self.given

    def overrun(self) -> InputError:
        return InputError(self.name, f"{self.message}（超过 {self.budget:g} 秒），已停止读取")


@dataclass
class Done:
    """The end of one job: its value, or the error that refused its file."""

    key: Any
    value: Any = None
    error: Exception | None = None
    seconds: float = 0.0  # from giving the job to its end


@dataclass
class Pool:
    """Worker processes for jobs `(key, file name, fn, args)`; each job is bounded by the stage budgets."""

    size: int
    limits: dict[str, float] = field(default_factory=limits)
    _workers: list[_Worker] = field(default_factory=list)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker (also the busy ones: the caller is gone or has what it needs)."""
        for w in self._workers:
            with contextlib.suppress(Exception):
                if w.job is None and w.ready:
                    w.conn.send(None)
            w.stop()
        self._workers.clear()

    def results(self, jobs: Iterable[tuple[Any, str, Callable | None, tuple]]) -> Iterator[Done]:
        """Yield a Done per job, in the order of `jobs`; a job whose fn is None is done already (value = args)."""
        todo = iter(jobs)
        waiting: list[Any] = []  # keys in order, not yet yielded
        finished: dict[Any, Done] = {}
        exhausted = False
        while True:
            while not exhausted and self._has_room(len(waiting)):
                job = next(todo, None)
                if job is None:
                    exhausted = True
                    break
                key, name, fn, args = job
                waiting.append(key)
                if fn is None:
                    finished[key] = Done(key, args)
                else:
                    self._idle().give(key, name, fn, args, self.limits)
            while waiting and waiting[0] in finished:
                yield finished.pop(waiting.pop(0))
            if exhausted and not waiting:
                return
            for done in self._wait():
                finished[done.key] = done

    def _has_room(self, waiting: int) -> bool:
        return waiting < self.size * LOOKAHEAD and (len(self._workers) < self.size or self._any_idle())

    def _any_idle(self) -> bool:
        return any(w.job is None for w in self._workers)

    def _idle(self) -> _Worker:
        for w in self._workers:
            if w.job is None:
                return w
        w = _Worker.start()
        self._workers.append(w)
        return w

    def _wait(self) -> list[Done]:
        """Wait until a worker answers or a budget runs out; return the jobs that ended."""
        busy = [w for w in self._workers if w.job is not None or not w.ready]
        if not busy:
            return []
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = wait([w.conn for w in busy], timeout)
        out = []
        for w in busy:
            if w.conn in ready:
                out.extend(self._hear(w))
            elif time.monotonic() >= w.deadline:
                out.append(self._kill(w, w.overrun() if w.ready else InputError(w.name, "读取进程未能启动")))
        return out

    def _hear(self, w: _Worker) -> list[Done]:
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            w.proc.join(1)
            if w.job is None:
                w.stop()
                self._workers.remove(w)
                return []
            code = w.proc.exitcode
            return [self._kill(w, InputError(w.name, f"读取进程意外退出（{code}，可能内存不足），已跳过"))]
        if msg[0] == "ready":
            w.ready = True
            w.deadline = time.monotonic() + w.budget if w.job is not None else w.deadline
            return []
        if msg[0] == "allow":
            w.budget, w.message = msg[1], msg[2]
            w.deadline = time.monotonic() + w.budget
            return []
        kind, payload, keep = msg
        key, took = w.job, w.took()
        w.job = None
        if not keep:  # it ends itself after this answer
            w.stop()
            self._workers.remove(w)
        if kind == "ok":
            return [Done(key, payload, seconds=took)]
        if kind == "input":
            return [Done(key, error=InputError(payload[0] or w.name, payload[1]), seconds=took)]
        return [Done(key, error=WorkerFailed(payload), seconds=took)]

    def _kill(self, w: _Worker, error: Exception) -> Done:
        key, took = w.job, w.took()
        w.stop()
        self._workers.remove(w)
        return Done(key, error=error, seconds=took)


# Idle workers kept for the next single read (the dashboard's uploads, a test's imports): starting one costs more
# than a whole parse of a typical report. Shared by the threads of a server on purpose, under a lock.
MAX_SPARES = 2
_spares: list[_Worker] = []
_spares_lock = threading.Lock()


def run(name: str, fn: Callable, *args, lim: dict[str, float] | None = None):
    """Return fn(*args) computed in a worker under the stage budgets; raise its InputError, or the overrun's."""
    pool = Pool(1, lim or limits())
    with _spares_lock:
        while _spares and not pool._workers:
            spare = _spares.pop()
            if spare.proc.is_alive():
                pool._workers.append(spare)
            else:
                spare.stop()
    try:
        (done,) = pool.results([(0, name, fn, args)])
    finally:
        with _spares_lock:
            for w in pool._workers:
                if w.job is None and len(_spares) < MAX_SPARES:
                    _spares.append(w)
                else:
                    w.stop()
        pool._workers.clear()
    if done.error is not None:
        raise done.error
    return done.value
