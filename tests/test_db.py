"""Unit: db — engine settings per connection and the database URL order."""

from __future__ import annotations

from sqlalchemy import text

from jixiao_core import config, db


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        got = [
            conn.execute(text(f"PRAGMA {p}")).scalar()
            for p in ("journal_mode", "busy_timeout", "foreign_keys")
        ]
    assert got == ["wal", 5000, 1]


def test_database_url_order_is_flag_then_environment_then_embedded_default(monkeypatch):
    monkeypatch.setenv(config.ENV_DB, "sqlite:////tmp/env.db")
    assert config.database_url("sqlite:////tmp/flag.db") == "sqlite:////tmp/flag.db"
    assert config.database_url() == "sqlite:////tmp/env.db"
    monkeypatch.delenv(config.ENV_DB)
    assert config.database_url() == f"sqlite:///{config.ROOT / 'data' / 'jixiao.db'}"
    monkeypatch.setenv(
        config.ENV_DB, "sqlite:///data/jixiao.db"
    )  # CONTRACT.md's spelling: relative to the project root
    assert config.database_url() == f"sqlite:///{config.ROOT / 'data' / 'jixiao.db'}"
