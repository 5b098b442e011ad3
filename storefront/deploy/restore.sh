#!/usr/bin/env bash
# Restore a backup made by backup.sh into the database of OCOP_DATABASE_URL (created and
# empty: `createdb -O ocop ocop`) and the folders OCOP_MEDIA_ROOT and OCOP_PRIVATE_ROOT.
#
#   systemctl stop ocop-web ocop-worker
#   set -a; . /etc/ocop/ocop.env; set +a
#   storefront/deploy/restore.sh BACKUP_DIR
#   systemctl start ocop-web ocop-worker
#
# PG_RESTORE names another pg_restore (default: the one on PATH).
set -euo pipefail
SRC=${1:?usage: restore.sh BACKUP_DIR}
: "${OCOP_DATABASE_URL:?set OCOP_DATABASE_URL (source /etc/ocop/ocop.env)}"
: "${OCOP_MEDIA_ROOT:?set OCOP_MEDIA_ROOT}"
PRIVATE_ROOT=${OCOP_PRIVATE_ROOT:-}

"${PG_RESTORE:-pg_restore}" --no-owner --exit-on-error --dbname="$OCOP_DATABASE_URL" "$SRC/database.dump"
mkdir -p "$OCOP_MEDIA_ROOT"
tar -xzf "$SRC/media.tar.gz" -C "$OCOP_MEDIA_ROOT"
if [ -f "$SRC/private.tar.gz" ]; then
    : "${PRIVATE_ROOT:?the backup has private files: set OCOP_PRIVATE_ROOT}"
    mkdir -p "$PRIVATE_ROOT"
    tar -xzf "$SRC/private.tar.gz" -C "$PRIVATE_ROOT"
fi
echo "restored $SRC"
