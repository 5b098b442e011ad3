"""/healthz: whether this process can serve the site, for a load balancer and a monitor.

JSON with one entry per component and an overall status. The answer is 503 only when the
site cannot serve (the database or the cache is down); a search engine that does not answer
makes the site "degraded" (search falls back to the database), still 200. The worker
reports "unknown" until a heartbeat exists: the worker (`manage.py qcluster`, built
elsewhere) writes the time of its last beat (seconds since the epoch, a float or an ISO
string) into the cache under WORKER_HEARTBEAT_KEY; a beat older than WORKER_STALE_SECONDS
is "stale" (degraded, not down: requests are still served, queued work waits).
"""

import datetime
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from search import service as search_service

WORKER_HEARTBEAT_KEY = "ocop:worker-heartbeat"
WORKER_STALE_SECONDS = 300


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


def _beat_time(raw):
    if isinstance(raw, datetime.datetime):
        return raw.timestamp()
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            return datetime.datetime.fromisoformat(raw).timestamp()
    if isinstance(raw, dict):  # {"time": ...} or {"at": ...}
        return _beat_time(raw.get("time") or raw.get("at"))
    raise ValueError("unreadable heartbeat")


def check_worker():
    try:
        raw = cache.get(WORKER_HEARTBEAT_KEY)
    except Exception as exc:
        return _error(exc)
    if raw is None:
        return {"status": "unknown"}
    try:
        age = time.time() - _beat_time(raw)
    except (TypeError, ValueError, OverflowError):
        return {"status": "unknown", "error": "unreadable heartbeat"}
    status = "ok" if age <= WORKER_STALE_SECONDS else "stale"
    return {"status": status, "last_beat_seconds_ago": round(max(age, 0.0), 1)}


def check_search():
    try:
        backend = search_service.get_backend()
        kind = "engine" if getattr(backend, "uses_outbox", False) else "database"
        if kind == "engine":
            backend.count()  # a round trip to the engine
    except Exception as exc:
        return {**_error(exc), "backend": "engine"}
    return {"status": "ok", "backend": kind}


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
