#!/usr/bin/env bash
# Back up a hall database: its dump, its filestore (attachments, imported
# day reports) and the versions of the packages it runs with.
#
#   backup.sh DATABASE FOLDER
#
# writes FOLDER/DATABASE-YYYYmmdd-HHMMSS/ with database.dump (pg_dump -Fc),
# filestore.tar.gz and versions.txt, and prints that folder.  The server is
# PostgreSQL of TRYTOND_DATABASE__URI (postgresql://user:password@host:port/);
# the filestore is below TRYTOND_DATABASE__PATH (default /var/lib/trytond),
# as trytond keeps it (one folder per database).  The dump is consistent
# while the servers run; the filestore only grows, so a copy taken after
# the dump holds every file the dump refers to.
set -euo pipefail
[ $# = 2 ] || { sed -n '2,/^set/s/^# \{0,1\}//p' "$0"; exit 2; }
database=$1
uri=${TRYTOND_DATABASE__URI:?TRYTOND_DATABASE__URI is not set}
filestore=${TRYTOND_DATABASE__PATH:-/var/lib/trytond}
target="$2/$database-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" \
    "${uri%/}/$database"
if [ -d "$filestore/$database" ]; then
    tar -C "$filestore" -czf "$target/filestore.tar.gz" "$database"
else
    tar -czf "$target/filestore.tar.gz" --files-from=/dev/null
fi
{
    echo "database: $database"
    echo "date: $(date --iso-8601=seconds)"
    "${PYTHON:-python3}" -m pip freeze 2>/dev/null | grep -i -E '^(trytond|proteus)' || true
} > "$target/versions.txt"
echo "$target"
