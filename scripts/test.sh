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

source scripts/throwaway_postgres.sh
REDIS_PORT=$(free_port)
cleanup() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  pg_stop
}
trap cleanup EXIT
# Durability is not needed for a throwaway test database.
pg_start "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$BASE" --logfile "$BASE/redis.log" >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export UOR_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export UOR_REQUIRE_POSTGRES=1
export UOR_MATRIX_REPORT_DIR="$BASE/access-matrix"
echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadgroup "$@"
