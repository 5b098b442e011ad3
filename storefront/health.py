"""/healthz: whether this process can serve the site, for a load balancer and a monitor.

JSON with one entry per component and an overall status. The answer is 503 only when the
site cannot serve (the database or the cache is down); a search engine that does not answer
makes the site "degraded" (search falls back to the database), still 200. The worker
reports "unknown" until it has run its first heartbeat task and "stale" when the last one is
old (storefront.tasks.worker_status): degraded, not down, since requests are still served
and queued work waits.
"""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from search import service as search_service
from storefront import tasks


def _error(exc):
    # The exception's class only: a message may carry a host name or a user.
    return {"status": "down", "error": type(exc).__name__}


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _error(exc)
    return {"status": "ok", "vendor": connection.vendor}


def check_cache():
    key, value = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        if cache.get(key) != value:
            return {"status": "down", "error": "value not read back"}
    except Exception as exc:
        return _error(exc)
    return {"status": "ok"}


def check_worker():
    """The task worker's heartbeat (storefront.tasks.worker_status): ok, stale or unknown."""
    return {"status": tasks.worker_status()}


def check_search():
    try:
        backend = search_service.get_backend()
        if not getattr(backend, "uses_outbox", False):
            return {"status": "ok", "backend": "database"}
        health = backend.health()  # a round trip to the engine
        backend.count()  # and to the index behind the alias
    except Exception as exc:
        return {**_error(exc), "backend": "engine"}
    # Red: some shard has no copy; search answers from the database until it is back.
    return {"status": "down" if health["cluster"] == "red" else "ok", "backend": "engine", **health}


@never_cache
def healthz(request):
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "worker": check_worker(),
        "search": check_search(),
    }
    if any(checks[name]["status"] == "down" for name in ("database", "cache")):
        status, code = "down", 503
    elif any(check["status"] in ("down", "stale") for check in checks.values()):
        status, code = "degraded", 200
    else:  # a worker that never beat is "unknown", not a fault: it may not be set up yet
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
