#!/usr/bin/env bash
# Restore a backup of backup.sh as a new database.
#
#   restore.sh BACKUP_FOLDER DATABASE
#
# creates DATABASE (which must not exist) from database.dump and puts its
# filestore under TRYTOND_DATABASE__PATH (default /var/lib/trytond).  When
# versions.txt names other versions than those installed, upgrade it next:
# trytond-admin -d DATABASE --all.
set -euo pipefail
[ $# = 2 ] || { sed -n '2,/^set/s/^# \{0,1\}//p' "$0"; exit 2; }
backup=$1
database=$2
uri=${TRYTOND_DATABASE__URI:?TRYTOND_DATABASE__URI is not set}
filestore=${TRYTOND_DATABASE__PATH:-/var/lib/trytond}
[ -f "$backup/database.dump" ] || { echo "no $backup/database.dump" >&2; exit 1; }
if [ -e "$filestore/$database" ]; then
    echo "$filestore/$database exists" >&2
    exit 1
fi
psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 "${uri%/}/postgres" \
    --command="CREATE DATABASE \"$database\""
pg_restore --no-owner --exit-on-error --dbname="${uri%/}/$database" \
    "$backup/database.dump"
mkdir -p "$filestore/$database"
tar -C "$filestore/$database" --strip-components=1 \
    -xzf "$backup/filestore.tar.gz"
echo "restored $backup as $database"
