#!/usr/bin/env bash
# First README command: install into .venv, create/upgrade the embedded database with the bundled 2023 data, start the dashboard.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-ocr.txt
.venv/bin/python -m jixiao_core init
exec .venv/bin/python serve.py "$@"
