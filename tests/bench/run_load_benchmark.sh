#!/usr/bin/env bash
# Time loading 1,000,000 metric values (tests/bench/load_benchmark.py) as whole processes,
# `psql \copy` against `manage.py load_metrics`, on a throwaway PostgreSQL with its default
# settings (fsync on), started as in scripts/test.sh.
# Usage: bash tests/bench/run_load_benchmark.sh [--rows N] [--loaddata-rows N] [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."

source scripts/throwaway_postgres.sh
trap pg_stop EXIT
pg_start
export DJANGO_SETTINGS_MODULE=uor_site.settings.test
export PSQL="$PGBIN/psql"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python tests/bench/load_benchmark.py "$@"
