"""What the views call: search and suggest on the active backend, the database if it fails.

The views never learn which backend answered. When the engine is down, or answers with an
error, the query is answered from the database backend (always current: it is updated in
the transaction of every change, see search.outbox) and the failure is logged.
"""

import logging

from django.utils.module_loading import import_string

from search import conf, text
from search.backends.base import SUGGEST_LIMIT
from search.backends.database import DatabaseBackend
from search.models import SearchDocument

logger = logging.getLogger("search")

_backends = {}


def _key(config):
    return tuple(sorted((k, str(v)) for k, v in config.items()))


def get_backend():
    config = conf.search_settings()
    key = _key(config)
    if key not in _backends:
        options = {k.lower(): v for k, v in config.items() if k != "BACKEND"}
        _backends[key] = import_string(config["BACKEND"])(**options)
    return _backends[key]


def database_backend():
    return DatabaseBackend()


def uses_outbox():
    """Whether changes reach the active backend through the outbox (the engine does)."""
    return getattr(get_backend(), "uses_outbox", False)


def _with_fallback(method, *args):
    backend = get_backend()
    try:
        return getattr(backend, method)(*args)
    except Exception:
        if getattr(backend, "uses_outbox", False) is False:
            raise
        logger.warning("search engine failed; answering %s from the database", method, exc_info=True)
        return getattr(database_backend(), method)(*args)


def search(query):
    result = _with_fallback("search", query)
    if result.total == 0 and query.tokens:
        result.suggestions = suggest(query.q)
        if not result.suggestions:
            # Perhaps one word is wrong: suggest from the first one alone.
            result.suggestions = suggest(query.tokens[0])
    return result


def suggest(q, limit=SUGGEST_LIMIT):
    if not text.suggest_tokens(q):
        return []
    return _with_fallback("suggest", q, limit)


def suggestion_links(names):
    """{name: url} of the page each suggested name belongs to (a product before a producer
    of the same name), from the database backend's table: one query, always current."""
    links = {}
    rows = SearchDocument.objects.filter(name__in=names).order_by("kind_order", "object_id")
    for name, url in rows.values_list("name", "url"):
        links.setdefault(name, url)
    return links
