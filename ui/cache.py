"""The cache behind every page: the one Engine per database, values kept once under a key of plain values, and the
data version that ends every key, so an import made in any process invalidates them all.

Kept values are shared by every session (no unpickled copy on every rerun), so no caller ever modifies them.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from jixiao_core import config, db, queries
from jixiao_core.store import ingest

MAX_ENTRIES = 2048  # frames, tables and figures in all; least recently used go first
VERSION_TTL = 5.0  # s: an import made by another process shows within this; one made here clears it at once
Version = tuple[str, int]


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    if not db.has_schema(engine):
        ingest.init(engine)  # a first start on an empty database: schema plus the bundled dataset
    return engine


def engine() -> Engine:
    """Return the process-wide Engine for the configured database, creating the schema once."""
    return _engine_for(config.load().database_url)


def ask(question: Callable, *args):
    """Return question(conn, *args) on a short-lived connection of the engine."""
    with engine().connect() as conn:
        return question(conn, *args)


class Kept:
    """Values computed once per key and shared by every session, the least recently used dropped beyond
    `max_entries`; one computation per key at a time.

    Not st.cache_resource: its argument hashing (inspect.signature, a hasher per call) cost 0.3–0.8 ms a lookup,
    and a page makes a dozen lookups on every rerun, as much as an empty app's whole rerun. No ttl either: keys end
    in the data version, so stale values are never read, only evicted (and 1.67's TTL cache raised KeyError when an
    entry expired between its check and its read).
    """

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, threading.Lock] = {}

    def __call__(self, key: str, _fn: Callable, _args: tuple = ()):
        """Return _fn(*_args), computed once per `key` and shared."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            computing = self._pending.setdefault(key, threading.Lock())
        with (
            computing
        ):  # a second session asking meanwhile waits for this value instead of computing it again
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = _fn(*_args)
            except BaseException:
                with self._lock:
                    self._pending.pop(key, None)
                raise
            with self._lock:
                self._values[key] = value
                self._pending.pop(key, None)
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
            return value

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


kept = Kept(MAX_ENTRIES)


def keyed(fn: Callable) -> Callable:
    """Return fn kept per argument values, which must be plain (str, int, float, bool, None and tuples of them)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    def call(*args):
        # repr of plain values is exact and cheap: Streamlit's own argument hashing costs 0.05–0.15 ms a call,
        # several times the lookup itself, and a page makes a dozen of them on every rerun
        return kept(f"{name}{args!r}", fn, args)

    return functools.update_wrapper(call, fn)


def loader(question: Callable, then: Callable | None = None) -> Callable:
    """Return a kept `then(question(conn, *args))`; it takes the question's arguments plus the data version, last,
    which only keys the value."""

    def load(*args):
        out = ask(question, *args[:-1])
        return then(out) if then else out

    load.__name__ = load.__qualname__ = question.__name__ + (f"_{then.__name__}" if then else "")
    return keyed(load)


_versions: dict[str, tuple[float, int]] = {}
_versions_lock = threading.Lock()


def version() -> Version:
    """Return the data version: the database URL and its newest import-batch id (re-read every few seconds)."""
    url = config.load().database_url
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.get(url)
    if seen is not None and now - seen[0] < VERSION_TTL:
        return url, seen[1]
    with _engine_for(url).connect() as conn:
        number = queries.data_version(conn)
    with _versions_lock:
        _versions[url] = (now, number)
    return url, number


def clear_caches() -> None:
    """Drop every kept frame, table and figure and re-read the data version (after a write here)."""
    kept.clear()
    with _versions_lock:
        _versions.clear()
