import time

from django.core.management.base import BaseCommand

from catalog import places, progress


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
        progress.write(self.stdout, label, done, total)
