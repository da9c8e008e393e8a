#!/usr/bin/env bash
# Run the whole suite against a throwaway PostgreSQL and Redis on loopback.
# Installs what is missing from Debian's packages, starts the servers, runs pytest, stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need_packages+=(postgresql)
command -v redis-server >/dev/null || need_packages+=(redis-server)
command -v chromium >/dev/null || need_packages+=(chromium)
command -v pdftotext >/dev/null || need_packages+=(poppler-utils)
if ((${#need_packages[@]})); then
  echo "Installing ${need_packages[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
BASE=$(mktemp -d /tmp/uor-test.XXXXXX)
chmod 755 "$BASE"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -m immediate -w stop >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
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
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $BASE/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres uor
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$BASE" --logfile "$BASE/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/uor"
export UOR_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export UOR_REQUIRE_POSTGRES=1
echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"
