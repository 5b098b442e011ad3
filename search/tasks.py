"""The search index's background work, run by the project's task worker (storefront/tasks.py).

`apply_outbox` applies the pending outbox rows (search.outbox): queued by
`outbox.wake_worker()` once a transaction that wrote rows commits, and run every minute by a
schedule as well, so rows left pending while the engine was down are applied soon after it is
back. A failed step does not raise: the rows themselves keep the attempt and the error.
`refresh_expiring` is the daily expiry refresh (search.expiry). Both are idempotent: running
one twice, or two at once, does no harm.
"""

from search import expiry, outbox


def apply_outbox():
    done, failed = outbox.drain()
    return f"search outbox: {done} applied, {failed} still pending"


def refresh_expiring():
    return f"search refresh: {expiry.refresh()} products recorded"
