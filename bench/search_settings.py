"""Settings for bench/search.py: the test settings on a throwaway SQLite file (or PostgreSQL)."""

import os

from storefront.settings.test import *  # noqa: F401,F403

if os.environ.get("OCOP_BENCH_SQLITE"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OCOP_BENCH_SQLITE"]}}
