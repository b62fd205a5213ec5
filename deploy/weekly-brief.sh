#!/bin/sh
# The weekly 结果应用 brief (PDF and Excel) and the list of unfinished 整改 items (JSON) of one unit-year, written
# into a shared folder for cron or the systemd timer (deploy/jixiao-brief.timer).
# Settings: JIXIAO_BRIEF_UNIT, JIXIAO_BRIEF_YEAR, JIXIAO_SHARE_DIR; the database as for every command
# (JIXIAO_DATABASE_URL, else data/jixiao.db); JIXIAO_PYTHON (default .venv/bin/python of this checkout).
set -eu
: "${JIXIAO_BRIEF_UNIT:?请设置 JIXIAO_BRIEF_UNIT（单位名称）}"
: "${JIXIAO_BRIEF_YEAR:?请设置 JIXIAO_BRIEF_YEAR（评价年度）}"
: "${JIXIAO_SHARE_DIR:?请设置 JIXIAO_SHARE_DIR（共享文件夹）}"
cd "$(dirname "$0")/.."
PY=${JIXIAO_PYTHON:-.venv/bin/python}
mkdir -p "$JIXIAO_SHARE_DIR"
stem="$JIXIAO_SHARE_DIR/${JIXIAO_BRIEF_UNIT}_${JIXIAO_BRIEF_YEAR}年"
# each file appears whole: written beside its final name, then renamed over it
for fmt in pdf xlsx; do
  "$PY" -m jixiao_core brief --unit "$JIXIAO_BRIEF_UNIT" --year "$JIXIAO_BRIEF_YEAR" --format "$fmt" \
    -o "$stem.part.$fmt" >/dev/null
  mv -f "$stem.part.$fmt" "${stem}_结果应用简报.$fmt"
done
"$PY" -m jixiao_core items --unit "$JIXIAO_BRIEF_UNIT" --year "$JIXIAO_BRIEF_YEAR" --status open --json \
  >"$stem.part.json"
mv -f "$stem.part.json" "${stem}_未完成整改事项.json"
echo "已写出 ${stem}_结果应用简报.pdf、${stem}_结果应用简报.xlsx、${stem}_未完成整改事项.json"
