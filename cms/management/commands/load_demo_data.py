import time

from django.core.management.base import BaseCommand

from catalog import progress
from cms.demo import DemoLoader, demo_accounts


class Command(BaseCommand):
    help = "Load the demo register, pages, images and accounts (safe to run again: adds nothing twice)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        started = time.monotonic()
        loader = DemoLoader(progress=self.progress)
        created = loader.run()
        self.stdout.write("")
        summary = ", ".join(f"{n} {k}" for k, n in sorted(created.items())) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s (created: {summary})."))
        if not options["quiet_accounts"]:
            self.stdout.write("Demo logins (username / password / role):")
            for account in demo_accounts():
                extra = f" ({account.producer_slug})" if account.producer_slug else ""
                self.stdout.write(f"  {account.username:<10} {account.password:<20} {account.role}{extra}")

    def progress(self, label, done, total):
        progress.write(self.stdout, label, done, total, every_quarter=True)
