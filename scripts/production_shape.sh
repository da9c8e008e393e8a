#!/usr/bin/env bash
# The production shape of docker-compose.yml on loopback, without a container engine: its own
# PostgreSQL and Redis (append-only, as compose runs it), migrate, the demo data, collectstatic,
# gunicorn with the production settings, two Celery workers (separate processes) and beat.
#
#   scripts/production_shape.sh start DIR           start everything; writes DIR/env.sh
#   scripts/production_shape.sh stop DIR            stop everything and remove the database
#   scripts/production_shape.sh run DIR -- CMD...   run CMD in the shape's environment
#   scripts/production_shape.sh kill-worker DIR N   kill -9 worker N and its pool (as a
#                                                   container dies: nothing runs its shutdown)
#   scripts/production_shape.sh restart-worker DIR N  kill worker N if alive, start it again
#   scripts/production_shape.sh stop-redis DIR | start-redis DIR | restart-postgres DIR
#
# FAST_SWEEP=1 at start makes the job sweep run every 2 s, re-send rows queued for 3 s and give
# renders and loads 30 s, then 5 s of grace and 5 s of margin, before a row counts as stuck:
# for the fault tests; production keeps the defaults (see the CELERY section of the settings).
# Requests must say they came over HTTPS, as the proxy in front of `web` would:
#   curl -H 'X-Forwarded-Proto: https' "$WEB_URL/health/"
# As root, PostgreSQL runs as the `postgres` user (scripts/throwaway_postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
CELERY=$ROOT/.venv/bin/celery
source scripts/throwaway_postgres.sh

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }
log() { echo "production_shape: $*" >&2; }

load_env() {
  [ -f "$DIR/env.sh" ] || { log "no $DIR/env.sh: run start first"; exit 1; }
  # shellcheck disable=SC1091
  source "$DIR/env.sh"
}

# Replace (or add) one `export KEY=VALUE` line of DIR/env.sh.
set_var() {
  local key=$1 value=$2
  touch "$DIR/env.sh"
  grep -v "^export $key=" "$DIR/env.sh" >"$DIR/env.sh.new" || true
  printf 'export %s=%q\n' "$key" "$value" >>"$DIR/env.sh.new"
  mv "$DIR/env.sh.new" "$DIR/env.sh"
  export "$key=$value"
}

# Start a long-running process in its own session (so it and its children can be killed as
# one group) with its output in DIR/log/NAME.log; echo its PID.
spawn() {
  local name=$1
  shift
  setsid "$@" >>"$DIR/log/$name.log" 2>&1 </dev/null &
  echo $!
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$what did not come up within ${seconds}s (logs in $DIR/log)"
      return 1
    fi
    sleep 0.3
  done
}

health_ok() {
  curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' -H 'Host: 127.0.0.1' "$WEB_URL/health/"
}

# Every named worker answers a ping (a bare Celery client: no Django start-up per try).
workers_answer() {
  "$PY" - "$CELERY_BROKER_URL" "$@" <<'EOF'
import sys
from celery import Celery
url, names = sys.argv[1], sys.argv[2:]
replies = Celery(broker=url).control.ping(destination=names, timeout=1.0)
answered = {name for reply in replies for name in reply}
sys.exit(0 if answered >= set(names) else 1)
EOF
}

redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --appendonly yes --save '' \
    --dir "$DIR/redis" --daemonize yes --pidfile "$DIR/redis/redis.pid" \
    --logfile "$DIR/log/redis.log" >/dev/null
  wait_for Redis 20 redis-cli -p "$REDIS_PORT" ping
  set_var REDIS_PID "$(cat "$DIR/redis/redis.pid")"
}

redis_stop() {
  # SHUTDOWN (what `docker compose stop` leads to): the append-only file keeps the queue.
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 20))
  while redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && ((SECONDS < deadline)); do sleep 0.2; done
}

worker_start() {
  local n=$1
  local pid
  pid=$(spawn "worker$n" "$CELERY" -A uor_site worker -n "worker$n@%h" --concurrency=1 \
    --loglevel=INFO)
  set_var "WORKER${n}_PID" "$pid"
  wait_for "worker $n" 180 workers_answer "worker$n@$(hostname)"
}

worker_kill() {
  local n=$1
  local pid_var="WORKER${n}_PID"
  local pid=${!pid_var:-}
  [ -n "$pid" ] || return 0
  # The worker leads its own process group: its prefork children die with it.
  kill -9 -- "-$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
}

# TERM each process group, wait for all of them together, then KILL what is left.
groups_stop() {
  local pid pids=()
  for pid in "$@"; do
    [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null && pids+=("$pid")
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -9 -- "-$pid" 2>/dev/null || true
  done
}

cmd_start() {
  mkdir -p "$DIR/log" "$DIR/redis" "$DIR/media"
  : >"$DIR/env.sh"
  pg_start
  set_var PG_BASE "$BASE"
  set_var PGBIN "$PGBIN"
  set_var PG_PORT "$PG_PORT"
  set_var DATABASE_URL "$DATABASE_URL"
  set_var REDIS_PORT "$(free_port)"
  set_var CELERY_BROKER_URL "redis://127.0.0.1:$REDIS_PORT/0"
  set_var WEB_PORT "$(free_port)"
  set_var WEB_URL "http://127.0.0.1:$WEB_PORT"
  set_var DJANGO_SETTINGS_MODULE uor_site.settings.production
  set_var SECRET_KEY "$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  set_var ALLOWED_HOSTS 127.0.0.1,localhost
  set_var MEDIA_ROOT "$DIR/media"
  set_var EMAIL_URL consolemail://
  set_var UOR_TWO_FACTOR true
  set_var WORKER1_NAME "worker1@$(hostname)"
  set_var WORKER2_NAME "worker2@$(hostname)"
  if [ "${FAST_SWEEP:-}" = 1 ]; then
    set_var UOR_SWEEP_SECONDS 2
    set_var UOR_QUEUED_GRACE_SECONDS 3
    set_var UOR_RENDER_TIME_LIMIT 30
    set_var UOR_LOAD_TIME_LIMIT 30
    set_var UOR_TIME_LIMIT_GRACE 5
    set_var UOR_JOB_MARGIN_SECONDS 5
  fi
  redis_start

  log "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
  # Before the demo data: loading it renders templates that name static files. Skipped when
  # nothing under static/ (nor the installed packages) changed since the last run (it hashes and compresses every file).
  if [ ! -f staticfiles/staticfiles.json ] ||
    [ -n "$(find -L static .venv/.installed -newer staticfiles/staticfiles.json -type f -print -quit)" ]; then
    log "collectstatic (${SECONDS}s)"
    "$PY" manage.py collectstatic --noinput -v0
  fi
  # migrate and the demo data `make run` loads, in one process (each start-up costs seconds).
  log "migrate and the demo data (${SECONDS}s)"
  "$PY" - >>"$DIR/log/demo.log" 2>&1 <<'EOF'
import django
from django.core.management import call_command

django.setup()
call_command("migrate", interactive=False, verbosity=0)
for command in (
    "load_demo",
    "load_demo_metrics",
    "load_frameworks",
    "load_wellled_framework",
    "load_demo_wellled",
    "load_demo_assessments",
):
    call_command(command, verbosity=0)
EOF

  log "starting gunicorn, beat and the workers (${SECONDS}s)"
  set_var WEB_PID "$(spawn web "$ROOT/.venv/bin/gunicorn" uor_site.wsgi:application \
    --bind "127.0.0.1:$WEB_PORT" --workers 2 --forwarded-allow-ips '*' --access-logfile -)"
  set_var BEAT_PID "$(spawn beat "$CELERY" -A uor_site beat --loglevel=INFO \
    --schedule "$DIR/celerybeat-schedule")"
  # Started one after the other: two cold starts at once on two cores double both.
  worker_start 1
  worker_start 2
  wait_for gunicorn 120 health_ok
  log "up in ${SECONDS}s: $WEB_URL (source $DIR/env.sh)"
  cat "$DIR/env.sh"
}

cmd_stop() {
  [ -f "$DIR/env.sh" ] || return 0
  source "$DIR/env.sh"
  groups_stop "${WEB_PID:-}" "${BEAT_PID:-}" "${WORKER1_PID:-}" "${WORKER2_PID:-}"
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  BASE=${PG_BASE:-} pg_stop
  rm -f "$DIR/env.sh"
}

DIR_ARG=${2:-}
[ -n "$DIR_ARG" ] || usage
mkdir -p "$DIR_ARG"
DIR=$(cd "$DIR_ARG" && pwd)

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  run)
    load_env
    shift 2
    [ "${1:-}" = "--" ] && shift
    exec "$@"
    ;;
  kill-worker)
    load_env
    worker_kill "${3:?worker number}"
    ;;
  restart-worker)
    load_env
    worker_kill "${3:?worker number}"
    worker_start "$3"
    ;;
  stop-redis)
    load_env
    redis_stop
    ;;
  start-redis)
    load_env
    redis_start
    ;;
  restart-postgres)
    load_env
    as_postgres "$PGBIN/pg_ctl" -D "$PG_BASE/data" -l "$PG_BASE/log/pg.log" -m fast -w restart >/dev/null
    ;;
  *) usage ;;
esac
