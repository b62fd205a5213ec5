#!/usr/bin/env bash
# Run a command with JIXIAO_TEST_DATABASE_URL pointing at a throwaway PostgreSQL server on 127.0.0.1, removed afterwards.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "未找到 PostgreSQL 服务器程序（apt-get install postgresql）；无法在 PostgreSQL 上运行测试" >&2
  exit 1
fi
DIR=$(mktemp -d /tmp/jixiao-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AS=()
if [ "$(id -u)" = 0 ]; then  # initdb and postgres refuse to run as root
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
fi
cleanup() { "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U jixiao --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U jixiao jixiao_test
export JIXIAO_TEST_DATABASE_URL="postgresql+psycopg://jixiao@127.0.0.1:$PORT/jixiao_test"
"$@"
