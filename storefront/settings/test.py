"""Test settings: fast hashing, in-memory e-mail, no side effects.

Set OCOP_DATABASE_URL=postgres://user[:password]@host:port/name to run on PostgreSQL
instead of SQLite (the test command does this for its second pass).
"""

import os

import dj_database_url

from .base import *  # noqa: F401,F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No Stripe keys from the developer's environment: tests that need Stripe set their own
# and point the SDK at localstripe.
OCOP_STRIPE_SECRET_KEY = OCOP_STRIPE_PUBLISHABLE_KEY = OCOP_STRIPE_WEBHOOK_SECRET = ""

# An empty OCOP_DATABASE_URL counts as unset, like a missing one: SQLite in memory.
DATABASES = {"default": dj_database_url.parse(os.environ.get("OCOP_DATABASE_URL") or "sqlite://:memory:")}

# Demo bank account for VietQR (Vietcombank's BIN, an invented account): never paid into.
OCOP_VIETQR_BANK_BIN = "970436"
OCOP_VIETQR_ACCOUNT = "0011001234567"
OCOP_VIETQR_ACCOUNT_NAME = "HTX OCOP DEMO"

# --- production (issue 10) ---
OCOP_BASE_URL = ""  # never the developer's: tests set the Site's host themselves
OCOP_DJANGO_ADMIN = True  # the tests of the Django admin's pages; a test checks it off
# --- end production (issue 10) ---

# Background tasks run inline (django-q2's sync mode), in the test's process, so no test needs a
# running worker; tests/integration/test_worker.py starts the real one against a file database.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
