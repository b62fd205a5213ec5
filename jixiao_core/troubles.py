"""A database's own failures, told as one Chinese line: the driver's words are matched against a table of troubles
(locked, read-only, full, gone, never initialised ...), never shown in English, and the URL never with its password.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exc

from jixiao_core.errors import DatabaseBusy, DatabaseUnavailable


@dataclass(frozen=True)
class Trouble:
    """A database failure recognised by words in the driver's message, and what the user is told."""

    needles: tuple[str, ...]
    message: str
    busy: bool = False


TROUBLES = (
    Trouble(
        ("database is locked", "lock timeout", "locknotavailable", "database table is locked"),
        "数据库正忙（其他写入尚未完成），本次未做任何更改；请稍后重试",
        busy=True,
    ),
    Trouble(("readonly", "read-only", "attempt to write"), "数据库文件只读，无法写入；请检查文件权限"),
    Trouble(
        ("disk is full", "no space left", "disk full", "could not extend file", "could not write"),
        "磁盘空间已满，无法写入数据库；本次未做任何更改",
    ),
    Trouble(("unable to open",), "无法打开数据库文件；请检查路径和权限"),
    Trouble(("file is not a database",), "不是 SQLite 数据库文件；请检查数据库地址"),
    Trouble(("malformed",), "数据库文件已损坏；请从备份恢复"),
    Trouble(("disk i/o error",), "数据库读写出错（磁盘可能已满或出现故障）；本次未做任何更改，请检查磁盘"),
    Trouble(("no such table", "undefinedtable"), "数据库尚未初始化（缺少数据表）；请先运行 init"),
    Trouble(
        ("password authentication failed", "does not exist", "no password supplied", "authentication"),
        "数据库登录失败或数据库不存在；请检查用户名、密码和库名",
    ),
    Trouble(
        (
            "terminating connection",
            "server closed the connection",
            "connection is closed",
            "connection is lost",
            "consuming input failed",
            "connection not open",
            "connection already closed",
            "ssl syscall",
            "the database system is shutting down",
            "adminshutdown",
            "connection reset",
        ),
        "与数据库的连接已中断，本次操作未完成，未保存任何更改；请稍后重试",
    ),
    Trouble(
        (
            "could not connect",
            "connection refused",
            "connection failed",
            "timeout expired",
            "could not translate host",
            "name or service not known",
            "the database system is starting up",
        ),
        "无法连接数据库服务器；请检查地址、端口和服务是否已启动",
    ),
)
DISK_FULL = next(t for t in TROUBLES if "disk is full" in t.needles)
READ_ONLY = next(t for t in TROUBLES if "readonly" in t.needles)
FULL_BELOW = 1 << 20  # bytes free under which an I/O error on a SQLite file means the disk is full
# driver errors that say the database (not our code) failed; a ProgrammingError or an IntegrityError is a bug
TRANSLATED = (exc.OperationalError, exc.InterfaceError, exc.DatabaseError)
UNTRANSLATED = (exc.IntegrityError, exc.DataError, exc.ProgrammingError, exc.NotSupportedError)


def explain(e: BaseException) -> Trouble:
    """Return what a driver error means to the user (the first line of the driver's words when unknown)."""
    orig = getattr(e, "orig", None) or e
    words = f"{type(orig).__name__} {orig}".lower()
    for trouble in TROUBLES:
        if any(n in words for n in trouble.needles):
            return trouble
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:120]
    return Trouble((), f"数据库无法使用（{first}）")


def unavailable(url: str, e: BaseException, folder: Path | None = None) -> DatabaseUnavailable:
    """Return the one error a database failure becomes (DatabaseBusy when a lock was never granted); `folder`,
    the SQLite file's, tells a full or read-only disk from another I/O error."""
    trouble = _on_disk(explain(e), folder) if folder is not None else explain(e)
    return (DatabaseBusy if trouble.busy else DatabaseUnavailable)(url, trouble.message)


def _on_disk(trouble: Trouble, folder: Path) -> Trouble:
    """Return what an I/O or open error on a SQLite file means, looking at its folder's disk."""
    try:
        usage, flags = shutil.disk_usage(folder), os.statvfs(folder).f_flag
    except OSError:
        return trouble
    if "disk i/o error" in trouble.needles and usage.free < FULL_BELOW:
        return DISK_FULL
    if "unable to open" in trouble.needles and (flags & os.ST_RDONLY or not os.access(folder, os.W_OK)):
        return READ_ONLY
    return trouble


def translate(url: str, folder: Path | None, ctx: exc.ExceptionContext) -> None:
    """handle_error: raise the Chinese error in place of the driver's; SQLAlchemy still invalidates the connection."""
    if ctx.is_pre_ping:  # the pool reconnects by itself
        return
    e = ctx.sqlalchemy_exception
    gone = ctx.is_disconnect or ctx.connection is None
    undefined = (
        isinstance(e, exc.ProgrammingError)
        and "undefinedtable" in type(ctx.original_exception).__name__.lower()
    )
    if gone or undefined or (isinstance(e, TRANSLATED) and not isinstance(e, UNTRANSLATED)):
        raise unavailable(url, ctx.original_exception, folder)
