import time

from django.core.management.base import BaseCommand

from catalog import places


class Command(BaseCommand):
    help = (
        "Fill the register's provinces and communes with Việt Nam's current ones (34 and 3,321, "
        "from the vietnam-provinces package). Safe to run again: creates only what is missing."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        created = places.load(progress=self.progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Places ready in {time.monotonic() - started:.1f}s "
                f"(created: {created['provinces']} provinces, {created['communes']} communes)."
            )
        )

    def progress(self, label, done, total):
        """A bar redrawn in place on a terminal; one line per step elsewhere (logs, CI)."""
        width = 30
        filled = width * done // total if total else width
        bar = f"  {label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty():
            self.stdout.write("\r" + bar, ending="\n" if done == total else "")
            self.stdout.flush()
        else:
            self.stdout.write(bar)
