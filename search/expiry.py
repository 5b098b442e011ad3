"""Certificates that expire or are revoked with no write: their products' documents go stale.

A certificate leaves force on the day after its expiry date (or on its revocation date)
without anything being saved, so no signal records the change: the product keeps its stars
in the index, or stays found although it is no longer certified. `stale_products()`
compares what the database index holds (SearchDocument, kept in step by search.outbox in
every change's transaction) with the certification in force today; `refresh()` records
the differing products like any other change: the database documents at once, and outbox
rows for the engine. Run daily (manage.py search_refresh_expiring): a second run on the
same day finds nothing, and a missed day is caught up by the next run.
"""

from django.utils import timezone

from cms.models import ProductPage
from search import outbox
from search.models import SearchDocument


def stale_products(today=None):
    """Sorted pks of products whose indexed stars differ from their certification today."""
    today = today or timezone.localdate()
    current = dict(ProductPage.objects.live().certified(today).values_list("pk", "current_stars"))
    indexed = dict(SearchDocument.objects.filter(kind="product").values_list("object_id", "stars"))
    return sorted(pk for pk in current.keys() | indexed.keys() if current.get(pk) != indexed.get(pk))


def refresh(today=None, chunk=500, progress=None):
    """Record every stale product (in chunks, each in its own transaction); returns how many."""
    pks = stale_products(today)
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        outbox.record("product", part)
        if progress:
            progress(start + len(part), len(pks))
    return len(pks)
