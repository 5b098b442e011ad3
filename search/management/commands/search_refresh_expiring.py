"""Daily: re-index the products whose certificate left force (or came into it) with no write.

    manage.py search_refresh_expiring

See search.expiry. Idempotent: run it again and it finds nothing to do.
"""

from django.core.management.base import BaseCommand

from search import expiry


class Command(BaseCommand):
    help = "Re-index the products whose certification changed by date alone (expiry, revocation)."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500, help="Products recorded per transaction.")

    def handle(self, *args, chunk=500, **options):
        def progress(done, total):
            self.stdout.write(f"search refresh: {done}/{total} products recorded")

        count = expiry.refresh(chunk=max(1, chunk), progress=progress)
        if not count:
            self.stdout.write("search refresh: every product's certification is current in the index")
