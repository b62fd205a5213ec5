"""Engines and schema: one engine per process, SQLite pragmas at connect time, Alembic upgrades."""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, inspect, make_url, text

from jixiao_core.config import ROOT
from jixiao_core.errors import DatabaseUnavailable

MIGRATIONS = ROOT / "migrations"
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=5000", "PRAGMA foreign_keys=ON")

# SQLite has no native DECIMAL; values round-trip through float, and the printed form is kept beside them
warnings.filterwarnings("ignore", message=r".*does \*not\* support Decimal objects natively.*")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()


def make_engine(url: str) -> Engine:
    """Return an Engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on every connection."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError as e:
        raise DatabaseUnavailable(url, f"数据库地址格式不正确（{e}）") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path.startswith("file:"):  # URI filename (mode=ro etc.): the path sits before the query
            path = path.removeprefix("file:").split("?", 1)[0]
        if path and path != ":memory:":
            folder = Path(path).resolve().parent
            if not folder.is_dir():
                raise DatabaseUnavailable(url, f"数据库所在目录不存在：{folder}")
        engine = create_engine(parsed, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=_connect_args(parsed))
    except (ImportError, exc.ArgumentError) as e:
        raise DatabaseUnavailable(url, f"不支持的数据库类型（{e}）") from None


# Index reads cost PostgreSQL's planner 4× a sequential read by default (spinning disks): a district's year (47k of
# 611k indicator rows) was then read by a full scan, 3–4× slower than through ix_indicator_py_status. Our tables sit
# in memory or on SSD, where 1.1 is the usual setting; set for this application's connections only.
PG_OPTIONS = "-c random_page_cost=1.1"


def _connect_args(parsed) -> dict:
    if parsed.get_backend_name() != "postgresql":
        return {}
    return {"connect_timeout": 5, "options": PG_OPTIONS}


def alembic_config(engine: Engine):
    from alembic.config import Config  # Alembic loads only for commands that migrate (~0.4 s of start-up)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def check_writable(engine: Engine) -> None:
    """Raise DatabaseUnavailable unless the database answers and accepts writes."""
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":
                conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS _probe (x INTEGER)"))
                # a temp table does not touch the file; BEGIN IMMEDIATE takes the write lock
                conn.exec_driver_sql("PRAGMA user_version = " + str(_user_version(conn)))
    except exc.OperationalError as e:
        raise DatabaseUnavailable(engine.url.render_as_string(), _explain(e)) from None
    except exc.SQLAlchemyError as e:
        raise DatabaseUnavailable(
            engine.url.render_as_string(), f"数据库无法使用（{type(e).__name__}）"
        ) from None


def _user_version(conn) -> int:
    return conn.exec_driver_sql("PRAGMA user_version").scalar() or 0


def _explain(e: exc.OperationalError) -> str:
    msg = str(e.orig) if e.orig else str(e)
    if "readonly" in msg or "read-only" in msg or "attempt to write" in msg:
        return "数据库文件只读，无法写入；请检查文件权限"
    if "unable to open" in msg:
        return "无法打开数据库文件；请检查路径和权限"
    if "could not connect" in msg or "Connection refused" in msg or "timeout" in msg.lower():
        return "无法连接数据库服务器；请检查地址、端口和服务是否已启动"
    if "password authentication failed" in msg or "does not exist" in msg:
        return "数据库登录失败或数据库不存在；请检查用户名、密码和库名"
    return f"数据库无法使用（{msg.splitlines()[0][:120]}）"


def has_schema(engine: Engine) -> bool:
    return "alembic_version" in inspect(engine).get_table_names()
