import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cms.demo import DemoLoader, demo_accounts


class Command(BaseCommand):
    help = "Load the demo register, pages, images and accounts (safe to run again: adds nothing twice)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--without-evaluation",
            action="store_true",
            help="Leave out the demo evaluation round and its dossiers (the register, pages and accounts only).",
        )

    def handle(self, *args, **options):
        # Before any query: the demo creates a superuser whose password is public.
        if settings.OCOP_PRODUCTION:
            raise CommandError(
                "Dữ liệu mẫu không được nạp với cấu hình production (tài khoản admin có mật khẩu công khai). / "
                "Demo data is never loaded under the production settings (its admin account's password is public)."
            )
        started = time.monotonic()
        loader = DemoLoader(progress=self.progress, evaluation=not options["without_evaluation"])
        created = loader.run()
        self.stdout.write("")
        summary = ", ".join(f"{n} {k}" for k, n in sorted(created.items())) or "nothing new"
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s (created: {summary}).")
        )
        if not options["quiet_accounts"]:
            self.stdout.write("Demo logins (username / password / role):")
            for account in demo_accounts():
                extra = f" ({account.producer_slug})" if account.producer_slug else ""
                self.stdout.write(f"  {account.username:<10} {account.password:<20} {account.role}{extra}")

    def progress(self, iterable, desc):
        """tqdm over the loader's loop, on the command's stdout.

        A terminal gets a bar redrawn in place; a log (CI, a file) gets the first and the last
        status of each loop and one every 30 s between, not one per step. tqdm writes to the
        stream itself: the OutputWrapper would end each redraw with a newline.
        """
        return tqdm(iterable, desc=desc, file=self.stdout._out, mininterval=0.1 if self.stdout.isatty() else 30)
