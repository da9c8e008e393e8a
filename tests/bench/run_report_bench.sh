#!/usr/bin/env bash
# Time the report render (tests/bench/bench_report.py) on one core, against a throwaway
# PostgreSQL started as in scripts/test.sh. Usage: bash tests/bench/run_report_bench.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."

source scripts/throwaway_postgres.sh
trap pg_stop EXIT
pg_start
export DJANGO_SETTINGS_MODULE=uor_site.settings.test
.venv/bin/python manage.py migrate --noinput -v0
# One core: the Python process (WeasyPrint included) is pinned to CPU 0.
taskset -c 0 .venv/bin/python tests/bench/bench_report.py "$@" 2> "$BASE/bench.log"
