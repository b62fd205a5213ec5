"""Shared fixtures: a database per test (SQLite by default, PostgreSQL when JIXIAO_TEST_DATABASE_URL is set).

Tests that use a database fixture are marked `db` automatically; `test.sh` reruns exactly those on PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from jixiao_core import db
from jixiao_core.store import ingest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "reports" / "yuhua_2023.txt"
DB_FIXTURES = {"db_url", "engine", "seeded_engine", "seeded_url", "new_db_url"}
PG_URL = os.environ.get("JIXIAO_TEST_DATABASE_URL")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def _pg_database(suffix: str) -> str:
    """Create (or empty) a PostgreSQL database for this worker and purpose; return its URL."""
    base = make_url(PG_URL)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture
def db_url(tmp_path, request) -> str:
    """Return the URL of an empty database for this test."""
    if PG_URL:
        return _pg_database(f"{_worker()}_t{abs(hash(request.node.nodeid)) % 10**8}")
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url):
    eng = db.make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory) -> str:
    """Return the URL of a database initialised once with the bundled data; tests must not write to it."""
    if PG_URL:
        url = _pg_database(f"{_worker()}_seeded")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.db'}"
    eng = db.make_engine(url)
    ingest.init(eng)
    eng.dispose()
    return url


@pytest.fixture
def seeded_engine(seeded_url):
    eng = db.make_engine(seeded_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def new_db_url(tmp_path_factory):
    """Return a function name → URL of a new empty database (SQLite file, or a PostgreSQL database)."""
    made: set[str] = set()

    def make(name: str) -> str:
        assert name not in made, f"database name {name!r} used twice"
        made.add(name)
        if PG_URL:
            return _pg_database(f"{_worker()}_{name}")
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'test.db'}"

    return make


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """Hash passwords at argon2's lowest cost in this process (the real profile costs ~0.2 s a hash); servers and
    command-line runs started by tests keep the real one."""
    from argon2 import PasswordHasher

    from jixiao_core.accounts import passwords

    passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
