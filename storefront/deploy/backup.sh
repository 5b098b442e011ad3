#!/usr/bin/env bash
# Back up the OCOP site: the database (pg_dump, custom format), the media files and the
# private files (tar), into DEST (a new directory named by the date by default).
#
#   set -a; . /etc/ocop/ocop.env; set +a
#   storefront/deploy/backup.sh [DEST]
#
# Reads OCOP_DATABASE_URL, OCOP_MEDIA_ROOT and OCOP_PRIVATE_ROOT (the same variables as the
# site). PG_DUMP names another pg_dump (default: the one on PATH, from postgresql-client;
# it must be at least the server's version). The dump is consistent on its own; files
# uploaded while it runs may be missing from it but never half-written into the tar.
set -euo pipefail
: "${OCOP_DATABASE_URL:?set OCOP_DATABASE_URL (source /etc/ocop/ocop.env)}"
: "${OCOP_MEDIA_ROOT:?set OCOP_MEDIA_ROOT}"
PRIVATE_ROOT=${OCOP_PRIVATE_ROOT:-}
DEST=${1:-ocop-backup-$(date -u +%Y%m%dT%H%M%SZ)}

mkdir -p "$DEST"
"${PG_DUMP:-pg_dump}" --format=custom --no-owner --file="$DEST/database.dump" "$OCOP_DATABASE_URL"
tar -czf "$DEST/media.tar.gz" -C "$OCOP_MEDIA_ROOT" .
if [ -n "$PRIVATE_ROOT" ] && [ -d "$PRIVATE_ROOT" ]; then
    tar -czf "$DEST/private.tar.gz" -C "$PRIVATE_ROOT" .
fi
echo "backup written to $DEST"
