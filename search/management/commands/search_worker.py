"""Apply the search outbox to the active backend: `manage.py search_worker [--once]`.

The task worker (`manage.py qcluster`, search/tasks.py) does this after every change and every
minute; this command is for doing it by hand, or for a deployment without the worker.

Rows are marked done only after the backend accepted their documents; while the engine is
down they stay pending (attempts counted, error kept) and the loop retries every few seconds.
"""

import time

from django.core.management.base import BaseCommand

from search import outbox


class Command(BaseCommand):
    help = "Apply pending search outbox rows to the active search backend."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Apply what is pending, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls.")

    def handle(self, *args, once=False, interval=2.0, **options):
        while True:
            done, failed = outbox.drain()
            if done or failed:
                self.stdout.write(f"search outbox: {done} applied, {failed} still pending after an error")
            if once:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
