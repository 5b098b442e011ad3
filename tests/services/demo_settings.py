"""Settings of the demo server that the browser tests and bench/page_budget.py drive.

The test settings (fast password hashing, in-memory e-mail, no Stripe keys from the
developer's environment), with DEBUG off as in production, but a database file and media
folder of its own under $OCOP_DEMO_DIR, so the server never touches db.sqlite3 or the
pytest process's in-memory database. tests/services/demo_server.py serves static and
media files itself.

Stripe is switched on only when the caller passes keys (OCOP_STRIPE_* in the environment),
with the API and Stripe.js taken from $OCOP_STRIPE_API_BASE (localstripe).
"""

import os
from pathlib import Path

from storefront.settings.test import *  # noqa: F401,F403

DEMO_DIR = Path(os.environ["OCOP_DEMO_DIR"])
# The embedded default's options (WAL, immediate transactions, busy timeout), as in dev.
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DEMO_DIR / "db.sqlite3", "OPTIONS": SQLITE_OPTIONS}  # noqa: F405
}
MEDIA_ROOT = DEMO_DIR / "media"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

OCOP_STRIPE_SECRET_KEY = os.environ.get("OCOP_STRIPE_SECRET_KEY", "")
OCOP_STRIPE_PUBLISHABLE_KEY = os.environ.get("OCOP_STRIPE_PUBLISHABLE_KEY", "")
OCOP_STRIPE_WEBHOOK_SECRET = os.environ.get("OCOP_STRIPE_WEBHOOK_SECRET", "")
if os.environ.get("OCOP_STRIPE_API_BASE"):
    OCOP_STRIPE_API_BASE = os.environ["OCOP_STRIPE_API_BASE"]
    OCOP_STRIPE_JS_URL = f"{OCOP_STRIPE_API_BASE}/js.stripe.com/v3/"

# Search: the database unless OCOP_SEARCH_ENGINE names an engine (then OCOP_ELASTICSEARCH_URL,
# as in production; fill it with `manage.py search_reindex` under these settings).
if os.environ.get("OCOP_SEARCH_ENGINE"):
    from search.conf import from_environment

    OCOP_SEARCH = from_environment()
