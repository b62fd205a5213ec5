"""Engines and schema: one engine per process, SQLite pragmas at connect time, Alembic upgrades, writers taking
turns, and the database's own failures told as one Chinese line (never the driver's English, never a password).
"""

from __future__ import annotations

import contextvars
import functools
import re
import sqlite3
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, make_url, text
from sqlalchemy.orm import Session

from jixiao_core import config
from jixiao_core.config import ROOT
from jixiao_core.errors import DatabaseBusy, DatabaseUnavailable
from jixiao_core.troubles import explain, translate, unavailable

MIGRATIONS = ROOT / "migrations"
BUSY_MS = 5000  # a reader (or a write not marked as one) waits this long for a lock
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", f"PRAGMA busy_timeout={BUSY_MS}", "PRAGMA foreign_keys=ON")
WRITE = "jixiao_write"  # execution option: this connection's transactions write (see writer())
TURN_CLAIM, TURN_HELD = "jixiao_turn_claim", "jixiao_turn_held"  # Connection.info keys
_WRITES = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP)\b", re.IGNORECASE)
BUSY_NOTICE = "数据库正忙，等待其他写入完成…"
_TURN_KEY = 0x6A697869616F  # PostgreSQL advisory lock held by the writing transaction ("jixiao")
_FIRST_TRY_MS = 200  # a writer says it waits only after this

# Who hears that a writer is waiting its turn (the command line prints to stderr, a page shows a notice).
on_busy: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "on_busy", default=None
)

# SQLite has no native DECIMAL; values round-trip through float, and the printed form is kept beside them
warnings.filterwarnings("ignore", message=r".*does \*not\* support Decimal objects natively.*")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()


def make_engine(url: str, write_wait: float | None = None) -> Engine:
    """Return an Engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on every connection. Writers
    (see writer()) wait up to `write_wait` seconds (config: JIXIAO_WRITE_WAIT) for their turn."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError as e:
        raise DatabaseUnavailable(url, f"数据库地址格式不正确（{e}）") from None
    shown = url  # as the user wrote it; DatabaseUnavailable masks the password
    folder = None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path.startswith("file:"):  # URI filename (mode=ro etc.): the path sits before the query
            path = path.removeprefix("file:").split("?", 1)[0]
        if path and path != ":memory:":
            folder = Path(path).resolve().parent
            if not folder.is_dir():
                raise DatabaseUnavailable(shown, f"数据库所在目录不存在：{folder}")
        engine = create_engine(parsed, connect_args={"timeout": BUSY_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        try:
            engine = create_engine(parsed, pool_pre_ping=True, connect_args=_connect_args(parsed))
        except (ImportError, exc.ArgumentError) as e:
            raise DatabaseUnavailable(shown, f"不支持的数据库类型（{e}）") from None
    wait = config.load().write_wait if write_wait is None else write_wait
    event.listen(engine, "handle_error", functools.partial(translate, shown, folder))
    event.listen(engine, "engine_connect", functools.partial(_arm, _claimer(shown, wait, folder)))
    event.listen(engine, "before_cursor_execute", _on_statement)
    return engine


def _arm(claim: Callable, conn) -> None:
    conn.info[TURN_CLAIM] = claim


# Index reads cost PostgreSQL's planner 4× a sequential read by default (spinning disks): a district's year (47k of
# 611k indicator rows) was then read by a full scan, 3–4× slower than through ix_indicator_py_status. Our tables sit
# in memory or on SSD, where 1.1 is the usual setting; set for this application's connections only.
PG_OPTIONS = "-c random_page_cost=1.1"


def _connect_args(parsed) -> dict:
    if parsed.get_backend_name() != "postgresql":
        return {}
    return {"connect_timeout": 5, "options": PG_OPTIONS}


def writer(engine: Engine) -> Engine:
    """Return `engine` marked so that each transaction takes the one write turn before its first write (or where
    take_turn says): it waits, saying so through on_busy, while another write holds the database, rather than
    failing half way with "database is locked"."""
    return engine.execution_options(**{WRITE: True})


@contextmanager
def notices(tell: Callable[[str], None]) -> Iterator[None]:
    """Within the block, a writer waiting its turn calls tell(BUSY_NOTICE)."""
    token = on_busy.set(tell)
    try:
        yield
    finally:
        on_busy.reset(token)


def take_turn(target: Session | Connection) -> None:
    """Begin the write here (before reads its writes depend on, such as a duplicate check): wait for the turn,
    then hold it until commit or rollback. A no-op outside writer() and when the turn is already held."""
    conn = target.connection() if isinstance(target, Session) else target
    if conn.get_execution_options().get(WRITE):
        conn.info[TURN_CLAIM](conn)


def _tell_waiting() -> None:
    if (tell := on_busy.get()) is not None:
        tell(BUSY_NOTICE)


def _on_statement(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    """before_cursor_execute: the first write statement of a writer's transaction takes the turn first. Reads
    before it hold nothing, so parsing a file never keeps another writer waiting."""
    if conn.get_execution_options().get(WRITE) and _WRITES.match(statement):
        conn.info[TURN_CLAIM](conn)


def _claimer(url: str, wait: float, folder: Path | None) -> Callable:
    def claim(conn) -> None:
        raw = conn.connection.dbapi_connection
        try:
            if conn.dialect.name == "sqlite":
                if not raw.in_transaction:  # reads run outside a transaction until the first write (pysqlite)
                    _sqlite_turn(url, raw, wait)
            elif conn.dialect.name == "postgresql":
                held = conn.info.get(TURN_HELD)
                if held is None or held() is not conn.get_transaction():
                    _postgres_turn(url, raw, wait)
                    conn.info[TURN_HELD] = weakref.ref(conn.get_transaction())
        except DatabaseUnavailable:
            raise
        except Exception as e:  # the driver's own error, outside SQLAlchemy's statement handling
            raise unavailable(url, e, folder) from None

    return claim


def _sqlite_turn(url: str, raw: sqlite3.Connection, wait: float) -> None:
    cur = raw.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={_FIRST_TRY_MS}")
        try:
            cur.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as e:
            if not explain(e).busy:
                raise
        _tell_waiting()
        cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if explain(e).busy:
                raise DatabaseBusy(url, _gave_up(wait)) from None
            raise
    finally:
        cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        cur.close()


def _postgres_turn(url: str, raw, wait: float) -> None:
    import psycopg

    with raw.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", (_TURN_KEY,))
        if cur.fetchone()[0]:
            return
        _tell_waiting()
        cur.execute(f"SET LOCAL lock_timeout = {int(wait * 1000)}")
        try:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_TURN_KEY,))
        except psycopg.errors.LockNotAvailable:
            raise DatabaseBusy(url, _gave_up(wait)) from None
        cur.execute("SET LOCAL lock_timeout = 0")


def _gave_up(seconds: float) -> str:
    return f"数据库正忙：等待其他写入超过 {seconds:.0f} 秒，本次未做任何更改；请稍后重试"


def alembic_config(engine: Engine):
    from alembic.config import Config  # Alembic loads only for commands that migrate (~0.4 s of start-up)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (as a writer: two first starts take turns)."""
    from alembic import command

    command.upgrade(alembic_config(writer(engine)), "head")


def check_writable(engine: Engine) -> None:
    """Raise DatabaseUnavailable unless the database answers and accepts writes (waiting its turn to write)."""
    with writer(engine).begin() as conn:
        conn.execute(text("SELECT 1"))
        take_turn(conn)
        if engine.dialect.name == "sqlite":
            # rewriting user_version proves the file accepts writes (BEGIN IMMEDIATE alone does not)
            conn.exec_driver_sql("PRAGMA user_version = " + str(_user_version(conn)))


def _user_version(conn) -> int:
    return conn.exec_driver_sql("PRAGMA user_version").scalar() or 0


def has_schema(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names()
