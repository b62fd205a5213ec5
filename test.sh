#!/usr/bin/env bash
# Second README command: install into .venv, lint, run the whole suite on SQLite, then the database tests on PostgreSQL.
# PostgreSQL: $JIXIAO_TEST_POSTGRES_URL if set, else a throwaway local server when the binaries are installed.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-ocr.txt
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
ruff format --check .
echo "== 测试：SQLite =="
pytest -n 2 "$@"
echo "== 测试：PostgreSQL（数据库相关测试）=="
if [ -n "${JIXIAO_TEST_POSTGRES_URL:-}" ]; then
  JIXIAO_TEST_DATABASE_URL="$JIXIAO_TEST_POSTGRES_URL" pytest -n 2 -m "db and not browser" "$@"
else
  bash scripts/with_postgres.sh pytest -n 2 -m "db and not browser" "$@"
fi
