import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

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

    def progress(self, iterable, desc):
        """tqdm over the loader's loop, on the command's stdout.

        A terminal gets a bar redrawn in place; a log (CI, a file) gets the first and the last
        status of each loop and one every 30 s between, not one per step. tqdm writes to the
        stream itself: the OutputWrapper would end each redraw with a newline.
        """
        return tqdm(iterable, desc=desc, file=self.stdout._out, mininterval=0.1 if self.stdout.isatty() else 30)
