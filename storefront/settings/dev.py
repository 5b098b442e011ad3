"""Local development: SQLite, console e-mail, local media, debug on."""

import os

from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Demo bank account for VietQR (Vietcombank's BIN, an invented account): never paid into.
OCOP_VIETQR_BANK_BIN = "970436"
OCOP_VIETQR_ACCOUNT = "0011001234567"
OCOP_VIETQR_ACCOUNT_NAME = "HTX OCOP DEMO"

# --- production (issue 10): the demo's address, a cache shared by the demo's processes ---
# `make run RUN_ADDR=192.168.1.20:8000` passes OCOP_BASE_URL=http://192.168.1.20:8000: that
# host is accepted, and Django's and Wagtail's Site follow it (manage.py set_site_host), so
# QR codes and e-mails carry an address a phone on the same network can open.
if OCOP_BASE_URL:  # noqa: F405
    from urllib.parse import urlsplit as _urlsplit

    ALLOWED_HOSTS.append(_urlsplit(OCOP_BASE_URL).hostname)  # noqa: F405
    WAGTAILADMIN_BASE_URL = OCOP_BASE_URL  # noqa: F405
OCOP_DJANGO_ADMIN = True
# A file cache: the web server and the task worker see the same entries, with nothing to set up.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "cache",  # noqa: F405
    }
}
# --- end production (issue 10) ---
# No page cache while templates are being edited (cms/page_cache.py drops pages on data changes,
# not on code changes); OCOP_PAGE_CACHE_SECONDS=600 make run to try it.
OCOP_PAGE_CACHE_SECONDS = int(os.environ.get("OCOP_PAGE_CACHE_SECONDS", "0"))
