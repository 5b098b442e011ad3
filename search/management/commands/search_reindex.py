"""Rebuild the search index from the pages, with a progress bar and no downtime.

The database index is rebuilt in one transaction (readers see the old rows until it
commits); the engine, when it is the active backend, gets a new index and then the alias
moves to it in one step. Outbox rows written before the rebuild are then done.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from search import documents, outbox, service


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
                backend.rebuild(documents.all_documents(), total=total, progress=bar.update)
            self.stdout.write(f"{name}: {backend.count()} documents")
        # Everything written before the rebuild began is in the new index.
        outbox.pending().filter(created_at__lt=started).update(done_at=timezone.now())
