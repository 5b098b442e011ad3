"""No lost index updates: every change that affects search is recorded in its own transaction.

`record(kind, pks)` is called by the signal receivers (search/signals.py) inside the
transaction of the change. It updates the database backend's documents at once (so the
database index, which is also the fallback while the engine is down, is never behind) and,
when the active backend is the engine, writes OutboxEntry rows. If the transaction rolls
back, both go with it.

`apply_pending()` is the worker's step (search.tasks.apply_outbox, queued after the change's
commit and run every minute by the task worker; or by hand, manage.py search_worker): it rebuilds the documents
of pending rows from the database and sends them to the active backend; rows are marked
done only after the backend accepted them. A failure leaves them pending, counts the
attempt and logs the error.
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms import page_cache
from search import documents, service
from search.models import OutboxEntry

logger = logging.getLogger("search")


def record(kind, pks):
    pks = sorted({pk for pk in pks if pk})
    if not pks:
        return
    with transaction.atomic():
        docs, gone = documents.documents_for(kind, pks)
        database = service.database_backend()
        database.delete(gone)
        database.upsert(docs)
        if service.uses_outbox():
            OutboxEntry.objects.bulk_create([OutboxEntry(kind=kind, object_id=pk) for pk in pks])
            wake_worker()


APPLY_TASK = "search.tasks.apply_outbox"


def _enqueue_apply():
    from django_q.tasks import async_task

    async_task(APPLY_TASK)


def wake_worker():
    """Queue the task that applies the outbox once the current transaction commits (once per
    transaction, however many changes it records)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _enqueue_apply for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_apply)


def pending():
    return OutboxEntry.objects.filter(done_at__isnull=True)


def apply_pending(backend=None, batch_size=500):
    """Apply up to `batch_size` pending rows; returns (rows done, rows failed)."""
    backend = backend or service.get_backend()
    rows = list(pending().order_by("pk")[:batch_size])
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    done = failed = 0
    for kind, kind_rows in by_kind.items():
        ids = [row.pk for row in kind_rows]
        try:
            # Two workers, or a request the client retried, may write one document out of
            # order: the version (when it was read) lets the engine keep the newest reading.
            version = documents.reading_version()
            docs, gone = documents.documents_for(kind, [row.object_id for row in kind_rows])
            if gone:
                backend.delete(gone, version=version)
            if docs:
                backend.upsert(docs, version=version)
        except Exception as exc:
            logger.error("search outbox: %d %s row(s) stay pending: %s", len(ids), kind, exc)
            OutboxEntry.objects.filter(pk__in=ids).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            failed += len(ids)
        else:
            OutboxEntry.objects.filter(pk__in=ids).update(done_at=timezone.now(), attempts=F("attempts") + 1)
            done += len(ids)
    if done:
        # Stored search pages and product lists were computed from the index as it was.
        page_cache.content_changed()
    return done, failed


def drain(backend=None):
    """Apply pending rows until none is left or a step fails; returns (done, failed)."""
    total_done = total_failed = 0
    while True:
        done, failed = apply_pending(backend)
        total_done += done
        total_failed += failed
        if failed or not done:
            return total_done, total_failed
