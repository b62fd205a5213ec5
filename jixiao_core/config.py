"""Runtime settings, read in one place: CLI flag > environment > default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jixiao_core.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'jixiao.db'}"
BUNDLED_DATASETS = (DATA_DIR / "yuhua_2023.jsonl",)
ENV_DB = "JIXIAO_DATABASE_URL"
ENV_TODAY = "JIXIAO_TODAY"  # the day 整改 deadlines are judged on, for reproducible briefs and tests


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_upload_bytes: int = 20 * 1024 * 1024  # same cap as server.maxUploadSize
    max_unzipped_bytes: int = 100 * 1024 * 1024  # zip-bomb guard for .docx / .xlsx
    default_rules: str = "national"
    # until accounts exist, the embedded single-user install acts as a clerk; shared deployments set viewer
    role: str = "clerk"
    user: str = "经办人"
    parse_seconds: float = 30.0  # time budget to read one file (decode, parse, audit); the seed takes ~0.05 s
    ocr_page_seconds: float = (
        120.0  # time budget per scanned page read by OCR (5–15 s on 2 cores, 40 s when busy)
    )
    workers: int = 0  # batch import: worker processes; 0 = one per core
    # sign-in (once an account exists): a session ends after this long without a request, or on signing out
    session_idle_hours: float = 8.0
    signin_max_failures: int = 5  # failed sign-ins in a row before the name is locked ...
    signin_lockout_minutes: float = 15.0  # ... for this long (any name, existing or not)
    cookie_secure: bool = (
        False  # True behind HTTPS: the browser then sends the session cookie over HTTPS only
    )
    # single sign-on through a reverse proxy: the header naming the account ("" = off), trusted only from these peers
    auth_header: str = ""
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    # seconds a writer waits its turn while another write holds the database, then gives up with a message
    write_wait: float = 120.0


def database_url(flag: str | None = None) -> str:
    """Return the database URL: --db flag, else $JIXIAO_DATABASE_URL, else the embedded SQLite file."""
    url = flag or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    # CONTRACT.md names the default as sqlite:///data/jixiao.db, relative to the project root
    if url == "sqlite:///data/jixiao.db":
        url = DEFAULT_DB_URL
    return url


def _number(name: str, default: float, low: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(name, f"应为数字，实为“{raw}”") from None
    if not value >= low:
        raise InputError(name, f"应不小于 {low:g}，实为“{raw}”")
    return value


def _names(raw: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def load(db_flag: str | None = None) -> Settings:
    """Return the settings in force."""
    env = os.environ
    return Settings(
        database_url=database_url(db_flag),
        role=env.get("JIXIAO_ROLE", "clerk"),
        user=env.get("JIXIAO_USER", "经办人"),
        session_idle_hours=_number("JIXIAO_SESSION_IDLE_HOURS", Settings.session_idle_hours, 0.01),
        signin_max_failures=int(_number("JIXIAO_SIGNIN_MAX_FAILURES", Settings.signin_max_failures, 1)),
        signin_lockout_minutes=_number("JIXIAO_SIGNIN_LOCKOUT_MINUTES", Settings.signin_lockout_minutes, 0),
        cookie_secure=env.get("JIXIAO_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes"),
        auth_header=env.get("JIXIAO_AUTH_HEADER", "").strip(),
        trusted_proxies=_names(env.get("JIXIAO_TRUSTED_PROXIES"), Settings.trusted_proxies),
        parse_seconds=_number("JIXIAO_PARSE_SECONDS", Settings.parse_seconds, 0.001),
        ocr_page_seconds=_number("JIXIAO_OCR_PAGE_SECONDS", Settings.ocr_page_seconds, 0.001),
        workers=int(_number("JIXIAO_WORKERS", Settings.workers, 0)),
        write_wait=_number("JIXIAO_WRITE_WAIT", Settings.write_wait, 0.001),
    )


def today(flag: str | None = None) -> date:
    """Return the day 逾期 is judged on: --today, else $JIXIAO_TODAY, else the calendar date (YYYY-MM-DD)."""
    raw = flag or os.environ.get(ENV_TODAY)
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError("--today", f"日期格式不正确：{raw!r}（应如 2025-06-30）") from None
