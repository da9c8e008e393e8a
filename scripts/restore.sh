#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW database, which this creates (it
# refuses to touch one that exists). Point DATABASE_URL at it once checked.
#   scripts/restore.sh uor-2026-12-03.dump postgres://uor:PASSWORD@db-host:5432/uor_restored
# With docker compose:  docker compose exec -T db createdb -U uor uor_restored &&
#   docker compose exec -T db pg_restore --no-owner -U uor -d uor_restored < uor.dump
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BACKUP_FILE NEW_DATABASE_URL" >&2
  exit 2
fi
backup_file=$1
database_url=$2
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] && PATH="$PGBIN:$PATH"

# createdb connects to the server's maintenance database, so split the name off the URL.
name=${database_url##*/}
name=${name%%\?*}
server_url=${database_url%/*}/postgres
createdb --maintenance-db="$server_url" "$name"
# One transaction: the new database holds the whole backup or, on an error, nothing.
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$database_url" "$backup_file"
echo "Restored $backup_file into $name."
