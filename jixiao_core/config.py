"""Runtime settings, read in one place: CLI flag > environment > default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB_URL = f"sqlite:///{DATA_DIR / 'jixiao.db'}"
BUNDLED_DATASETS = (DATA_DIR / "yuhua_2023.jsonl",)
ENV_DB = "JIXIAO_DATABASE_URL"


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_upload_bytes: int = 20 * 1024 * 1024  # same cap as server.maxUploadSize
    max_unzipped_bytes: int = 100 * 1024 * 1024  # zip-bomb guard for .docx / .xlsx
    default_rules: str = "national"
    # until accounts exist, the embedded single-user install acts as a clerk; shared deployments set viewer
    role: str = "clerk"
    user: str = "经办人"
    # seconds a writer waits its turn while another write holds the database, then gives up with a message
    write_wait: float = 120.0


def database_url(flag: str | None = None) -> str:
    """Return the database URL: --db flag, else $JIXIAO_DATABASE_URL, else the embedded SQLite file."""
    url = flag or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    # CONTRACT.md names the default as sqlite:///data/jixiao.db, relative to the project root
    if url == "sqlite:///data/jixiao.db":
        url = DEFAULT_DB_URL
    return url


def load(db_flag: str | None = None) -> Settings:
    """Return the settings in force."""
    return Settings(
        database_url=database_url(db_flag),
        role=os.environ.get("JIXIAO_ROLE", "clerk"),
        user=os.environ.get("JIXIAO_USER", "经办人"),
        write_wait=_seconds(os.environ.get("JIXIAO_WRITE_WAIT"), 120.0),
    )


def _seconds(value: str | None, default: float) -> float:
    """Return a positive number of seconds from the environment, else the default (a typo never stops a start)."""
    try:
        seconds = float(value) if value else default
    except ValueError:
        return default
    return seconds if 0 < seconds < 86_400 else default
