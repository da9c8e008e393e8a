#!/usr/bin/env bash
# Measure the working pages at national size against /health/ (issue 14, point 1).
# Starts a throwaway PostgreSQL (as scripts/test.sh does), builds two data sets through the
# management commands and services (tests/bench/pages_world.py): a small one (10 trusts) and
# the national one (236 trusts), then, with production settings (tests/bench/pages_settings.py):
#   queries per page at both sizes, and in-process timings  (tests/bench/pages_inprocess.py)
#   the reads that grow with the data, at both sizes       (tests/bench/pages_probes.py)
#   gunicorn: 1 worker alternating, 3 workers at saturation, 20 users  (tests/bench/pages_http.py)
# and prints a Markdown table for docs/benchmarks.md (tests/bench/pages_report.py).
#
# Usage: bash tests/bench/run_pages_bench.sh [--trusts 236] [--months 30] [--assessments 48]
#          [--evidence 50] [--small-trusts 10] [--rounds 15] [--seconds 8] [--concurrency 6]
#          [--duration 60] [--keep DIR] [--quick]
# --quick: 30 trusts, 12 months, 8 assessments of 20 evidence items, short runs (a few minutes).
# --keep DIR: copy the JSON results and the generated CSV files to DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMAND="bash tests/bench/run_pages_bench.sh $*"

TRUSTS=236 MONTHS=30 ASSESSMENTS=48 EVIDENCE=50 SMALL=10
ROUNDS=15 SECONDS_EACH=8 CONCURRENCY=6 DURATION=60 KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --trusts) TRUSTS=$2; shift 2 ;;
    --months) MONTHS=$2; shift 2 ;;
    --assessments) ASSESSMENTS=$2; shift 2 ;;
    --evidence) EVIDENCE=$2; shift 2 ;;
    --small-trusts) SMALL=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --quick) TRUSTS=30 MONTHS=12 ASSESSMENTS=8 EVIDENCE=20 ROUNDS=3 SECONDS_EACH=2 DURATION=15
             shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

PY=.venv/bin/python
source scripts/throwaway_postgres.sh
trap pg_stop EXIT
pg_start
WORK="$BASE/bench"
mkdir -p "$WORK/small" "$WORK/large"
LARGE_URL=$DATABASE_URL
SMALL_URL="${DATABASE_URL%/*}/uor_small"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres uor_small
export LOG_LEVEL=WARNING

build() {  # build URL DIR TRUSTS ASSESSMENTS
  echo "== building $3 trusts into ${1##*/} (log: $2/build.log)" >&2
  DATABASE_URL=$1 DJANGO_SETTINGS_MODULE=uor_site.settings.test \
    $PY manage.py migrate --noinput -v0
  DATABASE_URL=$1 DJANGO_SETTINGS_MODULE=uor_site.settings.test \
    $PY tests/bench/pages_world.py --trusts "$3" --months "$MONTHS" --assessments "$4" \
    --evidence "$EVIDENCE" --out "$2" > "$2/build.log" 2>&1 || { tail -40 "$2/build.log"; exit 1; }
}
build "$SMALL_URL" "$WORK/small" "$SMALL" "$SMALL"
build "$LARGE_URL" "$WORK/large" "$TRUSTS" "$ASSESSMENTS"

export DJANGO_SETTINGS_MODULE=tests.bench.pages_settings BENCH_STATIC_ROOT="$BASE/static"
echo "== collecting static files (production's manifest storage)" >&2
$PY manage.py collectstatic --noinput -v0
echo "== in-process: queries and timings" >&2
DATABASE_URL=$SMALL_URL $PY tests/bench/pages_inprocess.py measure \
  --world "$WORK/small/world.json" --out "$WORK/small/inprocess.json" --rounds 1
$PY tests/bench/pages_inprocess.py measure --world "$WORK/large/world.json" \
  --out "$WORK/large/inprocess.json" --rounds "$ROUNDS"
echo "== probes: the reads that grow with the data" >&2
for size in small large; do
  url=$LARGE_URL; [ $size = small ] && url=$SMALL_URL
  DATABASE_URL=$url $PY tests/bench/pages_probes.py --world "$WORK/$size/world.json" \
    --out "$WORK/$size/probes.json" || echo "probes failed on the $size data set" >&2
done
echo "== gunicorn" >&2
$PY tests/bench/pages_inprocess.py sessions --world "$WORK/large/world.json" \
  --out "$WORK/large/sessions.json"
$PY tests/bench/pages_http.py --world "$WORK/large/world.json" \
  --sessions "$WORK/large/sessions.json" --out "$WORK/large/http.json" --rounds "$ROUNDS" \
  --seconds "$SECONDS_EACH" --concurrency "$CONCURRENCY" --duration "$DURATION" \
  2> "$WORK/large/gunicorn.log" || { tail -40 "$WORK/large/gunicorn.log"; exit 1; }
if [ -n "$KEEP" ]; then
  mkdir -p "$KEEP"
  cp -r "$WORK/small" "$WORK/large" "$KEEP/"
  rm -f "$KEEP"/*/sessions.json
fi
echo >&2
BENCH_COMMAND=$COMMAND $PY tests/bench/pages_report.py --small "$WORK/small/inprocess.json" \
  --large "$WORK/large/inprocess.json" --http "$WORK/large/http.json" \
  --probes "$WORK/small/probes.json" "$WORK/large/probes.json"
