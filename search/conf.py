"""OCOP_SEARCH, validated: the backend's dotted path and, for the engine, how to reach it.

    OCOP_SEARCH = {"BACKEND": "search.backends.database.DatabaseBackend"}
    OCOP_SEARCH = {
        "BACKEND": "search.backends.engine.EngineBackend",
        "ENGINE": "elasticsearch",          # or "opensearch"
        "URL": "https://search.internal:9200",  # or several nodes: "https://a:9200,https://b:9200"
        "API_KEY": "...",                   # or USER and PASSWORD
        "CA_CERT": "/etc/ssl/search-ca.pem",
        "INDEX": "ocop",                    # the alias; indexes are INDEX-<timestamp>
        "SHARDS": 1,                        # of a new index (the next rebuild)
        "REPLICAS": None,                   # None: 0 on one node, 1 on more (auto_expand_replicas)
        "TIMEOUT": 3,
    }

URL may list several nodes of one cluster: the client spreads requests over them and sends a
request that meets a dead node (connection refused or reset, a timeout, or a 502/503/504) to
another one (search.backends.engine.make_client).

SearchConfig.ready() validates it, so a missing or malformed setting stops the start-up
with a clear message. Whether the engine answers is never checked at start-up: an engine
that is down only makes the site search the database (search.service).
"""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DATABASE_BACKEND = "search.backends.database.DatabaseBackend"
ENGINE_BACKEND = "search.backends.engine.EngineBackend"
ENGINES = ("elasticsearch", "opensearch")


def search_settings():
    config = getattr(settings, "OCOP_SEARCH", None) or {"BACKEND": DATABASE_BACKEND}
    return validate(config)


def validate(config, check_import=True):
    def fail(message):
        raise ImproperlyConfigured(f"OCOP_SEARCH: {message}")

    if not isinstance(config, dict):
        fail("must be a dict with a BACKEND key")
    config = dict(config)
    path = config.get("BACKEND")
    if not path or not isinstance(path, str):
        fail("BACKEND is missing (a dotted path, e.g. " + DATABASE_BACKEND + ")")
    if check_import:
        try:
            import_string(path)
        except ImportError as exc:
            fail(f"BACKEND {path!r} cannot be imported: {exc}")
    if path != ENGINE_BACKEND:
        return config
    if config.get("ENGINE") not in ENGINES:
        fail(f"ENGINE must be one of {', '.join(ENGINES)}, not {config.get('ENGINE')!r}")
    url = config.get("URL") or ""
    nodes = urls(url)
    if not nodes:
        fail(f"URL must be an http(s) URL of the {config['ENGINE']} node (or several, comma-separated), not {url!r}")
    for node in nodes:
        parts = urlsplit(node)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            fail(
                f"URL must be an http(s) URL of the {config['ENGINE']} node (or several, comma-separated), not {node!r}"
            )
        try:
            _ = parts.port  # urlsplit checks the port only when it is read
        except ValueError:
            fail(f"URL has a malformed port: {node!r}")
    if bool(config.get("USER")) != bool(config.get("PASSWORD")):
        fail("USER and PASSWORD go together")
    if config.get("API_KEY") and config.get("USER"):
        fail("give API_KEY or USER and PASSWORD, not both")
    ca_cert = config.get("CA_CERT")
    if ca_cert and not os.path.isfile(ca_cert):
        fail(f"CA_CERT {ca_cert!r} is not a readable file")
    index = config.setdefault("INDEX", "ocop")
    if not isinstance(index, str) or not index or index != index.lower() or any(c in index for c in ' "*\\<|,>/?'):
        fail(f"INDEX must be a lowercase index name, not {index!r}")
    for key, low in (("SHARDS", 1), ("REPLICAS", 0)):
        value = config.get(key)
        if value in (None, ""):
            config.pop(key, None)  # the backend's default: 1 shard, replicas 0-1 by the nodes
            continue
        try:
            config[key] = int(value)
        except (TypeError, ValueError):
            config[key] = None
        if config[key] is None or config[key] < low:
            fail(f"{key} must be a whole number from {low}, not {value!r}")
    try:
        config["TIMEOUT"] = float(config.get("TIMEOUT", 3))
    except (TypeError, ValueError):
        fail(f"TIMEOUT must be a number of seconds, not {config.get('TIMEOUT')!r}")
    return config


def urls(value):
    """The node URLs of OCOP_SEARCH["URL"]: one URL, several separated by commas, or a list."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        return []
    return [item.strip() for item in value if item.strip()]


def from_environment(environ=None):
    """OCOP_SEARCH for production, from OCOP_SEARCH_ENGINE and OCOP_ELASTICSEARCH_*."""
    environ = os.environ if environ is None else environ
    engine = environ.get("OCOP_SEARCH_ENGINE", "").strip()
    if not engine or engine == "database":
        return {"BACKEND": DATABASE_BACKEND}
    return validate(
        {
            "BACKEND": ENGINE_BACKEND,
            "ENGINE": engine,
            "URL": environ.get("OCOP_ELASTICSEARCH_URL", ""),
            "API_KEY": environ.get("OCOP_ELASTICSEARCH_API_KEY", ""),
            "USER": environ.get("OCOP_ELASTICSEARCH_USER", ""),
            "PASSWORD": environ.get("OCOP_ELASTICSEARCH_PASSWORD", ""),
            "CA_CERT": environ.get("OCOP_ELASTICSEARCH_CA_CERT", ""),
            "INDEX": environ.get("OCOP_ELASTICSEARCH_INDEX", "ocop"),
            "SHARDS": environ.get("OCOP_ELASTICSEARCH_SHARDS", ""),
            "REPLICAS": environ.get("OCOP_ELASTICSEARCH_REPLICAS", ""),
        },
        check_import=False,  # called from the settings module, before the apps are loaded
    )
