"""Parse a database URL (postgres://user:pass@host:port/name) into a DATABASES entry."""

from urllib.parse import unquote, urlparse


def database_from_url(url):
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"the database URL must start with postgres://, got {parts.scheme!r}")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError("the database URL names no database")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
    }
