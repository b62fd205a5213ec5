"""The cache behind every page: the one Engine per database, values stored once under a key of plain values
(`_stored`, `_keyed`, `_loader`), and the data version that ends every key so an import invalidates them all.

Values are shared (cache_resource: no unpickled copy on every rerun), so no caller ever modifies what it gets.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
from sqlalchemy import Engine

from jixiao_core import config, db, queries
from jixiao_core.store import ingest

TTL, MAX_ENTRIES = 600, 2048  # s, and cached values (frames, tables, figures) in all
VERSION_TTL = 5  # s: an import made by another process shows within this; one made here clears it at once
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


def _ask(question, *args):
    with engine().connect() as conn:
        return question(conn, *args)


# cache_resource: every rerun gets the stored object itself, where cache_data unpickles a copy (~0.2 ms a frame)
@st.cache_resource(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _stored(key: str, _fn: Callable, _args: tuple = ()):
    return _fn(*_args)


def _keyed(fn: Callable) -> Callable:
    """Return fn cached per argument values, which must be plain (str, int, float, bool, None and tuples of them)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    def call(*args):
        # repr of plain values is exact and cheap: Streamlit's own hashing of such arguments costs 0.05–0.15 ms a
        # call, several times the lookup itself, and a page makes a dozen of them on every rerun
        return _stored(f"{name}{args!r}", fn, args)

    return functools.update_wrapper(call, fn)


@st.cache_resource(ttl=VERSION_TTL, max_entries=16, show_spinner=False)
def _data_version(url: str) -> int:
    with _engine_for(url).connect() as conn:
        return queries.data_version(conn)


def version() -> Version:
    """Return the data version: the database URL and its newest import-batch id (re-read every few seconds)."""
    url = config.load().database_url
    return url, _data_version(url)


def _loader(question: Callable, then: Callable | None = None) -> Callable:
    """Return a cached `then(question(conn, *args))`; the loader takes the question's arguments plus the data
    version, last, which only keys the cache."""

    def load(*args):
        out = _ask(question, *args[:-1])
        return then(out) if then else out

    load.__name__ = load.__qualname__ = question.__name__ + (f"_{then.__name__}" if then else "")
    return _keyed(load)


def clear_caches() -> None:
    """Drop every cached frame, table and figure and re-read the data version (after an import); the Engine stays."""
    _stored.clear()
    _data_version.clear()
