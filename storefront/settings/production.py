"""Production: everything secret or site-specific comes from the environment.

The process refuses to start when a required variable is missing or malformed, rather
than falling back to a weak default (the djangoproject.com habit).

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma-separated), OCOP_DATABASE_URL,
OCOP_BASE_URL; with VietQR on (OCOP_VIETQR_ENABLED, default 1) also OCOP_VIETQR_BANK_BIN,
OCOP_VIETQR_ACCOUNT and OCOP_VIETQR_ACCOUNT_NAME. Optional: OCOP_EMAIL_HOST, OCOP_EMAIL_PORT, OCOP_EMAIL_USER,
OCOP_EMAIL_PASSWORD, OCOP_EMAIL_USE_TLS, OCOP_MEDIA_ROOT, OCOP_STATIC_ROOT.
Search: OCOP_SEARCH_ENGINE (database, elasticsearch or opensearch; default database) and,
for an engine, OCOP_ELASTICSEARCH_URL (required), OCOP_ELASTICSEARCH_API_KEY or
OCOP_ELASTICSEARCH_USER and OCOP_ELASTICSEARCH_PASSWORD, OCOP_ELASTICSEARCH_CA_CERT,
OCOP_ELASTICSEARCH_INDEX, OCOP_ELASTICSEARCH_SHARDS, OCOP_ELASTICSEARCH_REPLICAS.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403


def env(name, default=None, required=False):
    value = os.environ.get(name, default)
    if required and not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", required=True)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = [h.strip() for h in env("DJANGO_ALLOWED_HOSTS", required=True).split(",") if h.strip()]


def database(url):
    """The DATABASES entry of OCOP_DATABASE_URL; refuses anything but a PostgreSQL database.

    dj-database-url knows many schemes (sqlite:// among them): a typo must not start the site
    on another database. An empty name would only fail at the first request, so it fails here.
    Connections are kept for a minute instead of one per request.
    """
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:  # the message names the scheme at most, never the password
        raise ImproperlyConfigured(f"OCOP_DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("OCOP_DATABASE_URL must start with postgres:// (or postgresql://).")
    if not config["NAME"]:
        raise ImproperlyConfigured("OCOP_DATABASE_URL names no database (postgres://user:password@host:port/name).")
    return config


DATABASES = {"default": database(env("OCOP_DATABASE_URL", required=True))}
WAGTAILADMIN_BASE_URL = env("OCOP_BASE_URL", required=True)
CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]

OCOP_VIETQR_ENABLED = env("OCOP_VIETQR_ENABLED", "1") == "1"
if OCOP_VIETQR_ENABLED:
    OCOP_VIETQR_BANK_BIN = env("OCOP_VIETQR_BANK_BIN", required=True)
    OCOP_VIETQR_ACCOUNT = env("OCOP_VIETQR_ACCOUNT", required=True)
    OCOP_VIETQR_ACCOUNT_NAME = env("OCOP_VIETQR_ACCOUNT_NAME", required=True)

MEDIA_ROOT = env("OCOP_MEDIA_ROOT", str(BASE_DIR / "media"))  # noqa: F405
STATIC_ROOT = env("OCOP_STATIC_ROOT", str(BASE_DIR / "static_collected"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached for a year by WhiteNoise, immutable) and gzip/brotli copies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay allowed for
# our own origin only; that is the one deploy warning we accept, deliberately.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Real SMTP when configured; otherwise mail is logged to the console, never lost silently.
if env("OCOP_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("OCOP_EMAIL_HOST")
    EMAIL_PORT = int(env("OCOP_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("OCOP_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env("OCOP_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env("OCOP_EMAIL_USE_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Search: a missing or malformed engine setting stops the start-up (ImproperlyConfigured).
from search.conf import from_environment  # noqa: E402

OCOP_SEARCH = from_environment()

# --- production (issue 10): serving, cache, logs, safe defaults ---
OCOP_PRODUCTION = True  # load_demo_data refuses to run
OCOP_BASE_URL = WAGTAILADMIN_BASE_URL  # Django's and Wagtail's Site follow it on migrate (cms/sites.py)

# Static files straight from the WSGI process (WhiteNoise, right after SecurityMiddleware):
# no separate static server to keep in step with collectstatic. Media and private files are
# served by the front server (storefront/deploy/nginx.conf).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405


CACHE_MAX_ENTRIES = 5000  # pages of 10–40 KB: at most about 150 MB in the cache table


def cache_from_url(url):
    """The CACHES entry of OCOP_CACHE_URL: one cache that every process of the site shares.

    db://TABLE (the default, db://ocop_cache: the PostgreSQL database, made by
    `manage.py createcachetable`), file:///ABSOLUTE/DIR (one machine), redis://… or
    rediss://… (Django's Redis backend; `pip install redis`). A process-local cache would
    let each gunicorn worker and the task worker see different QR codes and counters.
    The database and file caches keep up to CACHE_MAX_ENTRIES entries (Django's default, 300,
    is fewer than the pages of the page cache, cms/page_cache.py, in both languages).
    """
    parts = urlsplit(url)
    options = {"OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES}}
    if parts.scheme == "db" and (parts.netloc or parts.path.strip("/")):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": parts.netloc or parts.path.strip("/"),
            **options,
        }
    if parts.scheme == "file" and parts.path.startswith("/") and not parts.netloc:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": parts.path, **options}
    if parts.scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured("OCOP_CACHE_URL must be db://TABLE, file:///ABSOLUTE/DIR or redis[s]://HOST:PORT/DB.")


CACHES = {"default": cache_from_url(env("OCOP_CACHE_URL", "db://ocop_cache"))}

# One line per record on stdout, for journald or any log aggregator: JSON lines by default,
# OCOP_LOG_FORMAT=plain for people reading a terminal. Gunicorn's access log goes the same way
# (storefront/deploy/gunicorn.conf.py).
OCOP_LOG_FORMAT = env("OCOP_LOG_FORMAT", "json")
if OCOP_LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("OCOP_LOG_FORMAT must be json or plain.")
LOGGING["formatters"] = {  # noqa: F405
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
}
LOGGING["handlers"]["console"] = {  # noqa: F405
    "class": "logging.StreamHandler",
    "stream": "ext://sys.stdout",
    "formatter": OCOP_LOG_FORMAT,
}
LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}  # noqa: F405
# --- end production (issue 10) ---

# The anonymous basket's cookie over HTTPS only, like the session's (issue 10).
OSCAR_BASKET_COOKIE_SECURE = True
