#!/usr/bin/env bash
# Back up the whole service: every row, and with them every uploaded file and rendered PDF
# (they are kept in PostgreSQL). Writes one pg_dump custom-format archive.
#   scripts/backup.sh postgres://uor:PASSWORD@db-host:5432/uor uor-2026-12-03.dump
# With docker compose:  docker compose exec -T db pg_dump -Fc -U uor uor > uor.dump
# pg_dump must be the server's major version or newer; set PGBIN to choose its folder.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 DATABASE_URL BACKUP_FILE" >&2
  exit 2
fi
database_url=$1
backup_file=$2
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] && PATH="$PGBIN:$PATH"

# Written beside the target and renamed when complete, so a failed run never leaves a
# truncated file under the name an operator would restore from.
pg_dump --format=custom --no-owner --dbname="$database_url" --file="$backup_file.partial"
mv "$backup_file.partial" "$backup_file"
echo "Backed up to $backup_file ($(du -h "$backup_file" | cut -f1))."
