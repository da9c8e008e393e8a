#!/usr/bin/env bash
# Time the report render (tests/bench/bench_report.py) on one core, against a throwaway
# PostgreSQL started as in scripts/test.sh. Usage: bash tests/bench/run_report_bench.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
BASE=$(mktemp -d /tmp/uor-bench.XXXXXX)
chmod 755 "$BASE"
PG_PORT=$(free_port)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ]; then
  install -d -o postgres -g postgres -m 700 "$BASE/data"
  install -d -o postgres -g postgres -m 755 "$BASE/sock" "$BASE/log"
else
  install -d -m 700 "$BASE/data"
  install -d -m 755 "$BASE/sock" "$BASE/log"
fi
as_postgres "$PGBIN/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/log/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $BASE/sock" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres uor

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/uor"
export DJANGO_SETTINGS_MODULE=uor_site.settings.test
.venv/bin/python manage.py migrate --noinput -v0
# One core: the Python process (WeasyPrint included) is pinned to CPU 0.
taskset -c 0 .venv/bin/python tests/bench/bench_report.py "$@" 2> "$BASE/bench.log"
