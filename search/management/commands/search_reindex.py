"""Rebuild the search index from the pages, with a progress bar and no downtime.

The database index is rebuilt in one transaction (readers see the old rows until it
commits); the engine, when it is the active backend, gets a new index and then the alias
moves to it in one step. Outbox rows written before the rebuild are then done; those written
while it ran are applied again, to the new index.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from cms import page_cache
from search import documents, outbox, service
from search.models import OutboxEntry

REAPPLY_MARGIN = datetime.timedelta(minutes=1)


class Command(BaseCommand):
    help = "Rebuild the search index (database, and the engine when it is the active backend)."

    def handle(self, *args, **options):
        started = timezone.now()
        backends = [("database", service.database_backend())]
        active = service.get_backend()
        if getattr(active, "uses_outbox", False):
            backends.append(("engine", active))
        total = documents.count_candidates()
        for name, backend in backends:
            with tqdm(
                total=total, desc=f"search index ({name})", unit="page", disable=None, file=self.stderr._out
            ) as bar:
                version = documents.reading_version()
                backend.rebuild(documents.all_documents(), total=total, progress=bar.update, version=version)
            self.stdout.write(f"{name}: {backend.count()} documents")
        # Everything written before the rebuild began is in the new index.
        outbox.pending().filter(created_at__lt=started).update(done_at=timezone.now())
        if len(backends) > 1:
            # Rows written while the new index filled may have been applied by the worker to
            # the old index only, which the alias has just left: apply them again, now to the
            # new one (documents are rebuilt from the database: twice does no harm). The margin
            # covers clocks that differ between the machines that write rows.
            since = started - REAPPLY_MARGIN
            again = OutboxEntry.objects.filter(created_at__gte=since, done_at__isnull=False).update(done_at=None)
            done, failed = outbox.drain()
            self.stdout.write(f"outbox: {again} row(s) written during the rebuild applied again ({failed} pending)")
        # Stored search pages and product lists were computed from the old index.
        page_cache.content_changed()
