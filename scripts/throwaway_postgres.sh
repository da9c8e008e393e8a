# Source this file to start a throwaway PostgreSQL on a free loopback port.
#   source scripts/throwaway_postgres.sh; pg_start "-c fsync=off"; ...; (stopped on exit)
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user on
# folders it owns. Sets BASE (a temporary folder), PG_PORT and DATABASE_URL.

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local options="${1:-}"
  BASE=$(mktemp -d /tmp/uor-pg.XXXXXX)
  chmod 755 "$BASE"
  PG_PORT=$(free_port)
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres -m 700 "$BASE/data"
    install -d -o postgres -g postgres -m 755 "$BASE/sock" "$BASE/log"
  else
    install -d -m 700 "$BASE/data"
    install -d -m 755 "$BASE/sock" "$BASE/log"
  fi
  as_postgres "$PGBIN/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/log/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $BASE/sock $options" start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres uor
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/uor"
}

pg_stop() {
  [ -n "${BASE:-}" ] || return 0
  as_postgres "$PGBIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
