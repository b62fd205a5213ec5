"""Query plans: what the database does for a read-side question (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
PostgreSQL), captured from the statements a query function runs. For the benchmark and the index tests."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.engine import Connection


def statements(conn: Connection, question: Callable, *args) -> list[tuple[str, object]]:
    """Return the (SQL, parameters) that question(conn, *args) sends, in order."""
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, sql, params, _context, _many) -> None:
        if "pg_catalog" not in sql and "sqlite_master" not in sql:  # pandas' own table look-ups
            sent.append((sql, params))

    event.listen(conn, "before_cursor_execute", record)
    try:
        question(conn, *args)
    finally:
        event.remove(conn, "before_cursor_execute", record)
    return sent


def plan(conn: Connection, question: Callable, *args) -> list[str]:
    """Return the plan lines of every statement question(conn, *args) sends."""
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    lines = []
    for sql, params in statements(conn, question, *args):
        rows = conn.exec_driver_sql(prefix + sql, params).all()
        lines += [str(r[-1]) for r in rows]  # SQLite: (id, parent, notused, detail); PostgreSQL: (line,)
    return lines


def full_scans(lines: list[str], tables: tuple[str, ...]) -> list[str]:
    """Return the plan lines that read a whole table of `tables` (SQLite `SCAN t`; PostgreSQL `Seq Scan on t`)."""
    out = []
    for line in lines:
        text = line.strip().removeprefix("->").strip()
        for t in tables:
            if text == f"SCAN {t}" or text.startswith(f"SCAN {t} ") or text.startswith(f"Seq Scan on {t} "):
                if "COVERING INDEX" not in text and "USING INDEX" not in text:
                    out.append(text)
    return out
