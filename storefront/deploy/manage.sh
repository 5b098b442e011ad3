#!/usr/bin/env bash
# Run manage.py as the site runs: in its checkout, with /etc/ocop/ocop.env, as the ocop user.
#   storefront/deploy/manage.sh migrate --noinput
# OCOP_ENV_FILE names another settings file; OCOP_USER another user.
set -euo pipefail
set -a
# shellcheck disable=SC1090
. "${OCOP_ENV_FILE:-/etc/ocop/ocop.env}"
set +a
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -eq 0 ]; then
    exec runuser -u "${OCOP_USER:-ocop}" -- .venv/bin/python manage.py "$@"
fi
exec .venv/bin/python manage.py "$@"
