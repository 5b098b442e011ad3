"""The production settings on the embedded default's SQLite file, for bench/throughput.py.

storefront.settings.production refuses any OCOP_DATABASE_URL but PostgreSQL (a typo must not
start the site on another database), so bench/throughput.py hands it a placeholder PostgreSQL
URL that is never connected to, and this module replaces the database with the SQLite file
that tests/services/demo_server.py made ($OCOP_BENCH_SQLITE), with the embedded default's
options (WAL, immediate transactions, busy timeout) and production's persistent connections
(60 s). Everything else is production's: DEBUG off, WhiteNoise and hashed static files, the
cache shared by every worker (OCOP_CACHE_URL, default db://ocop_cache: a table in that same
SQLite file), HTTPS through X-Forwarded-Proto, the database search backend, local media.
"""

import os

from storefront.settings.production import *  # noqa: F401,F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["OCOP_BENCH_SQLITE"],
        "OPTIONS": SQLITE_OPTIONS,  # noqa: F405
        "CONN_MAX_AGE": 60,
    }
}

# An experiment, not production's: OCOP_BENCH_RENDITIONS_CACHE=locmem gives Wagtail's
# "renditions" cache alias a cache of each process's own, so that `{% image %}`, which stores
# the rendition it found on every call, no longer writes to the shared (database) cache.
if os.environ.get("OCOP_BENCH_RENDITIONS_CACHE") == "locmem":
    CACHES = {
        **CACHES,  # noqa: F405
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
    }
